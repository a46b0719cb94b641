import pytest

from defis.accounts.tests.factories import UserFactory
from defis.audit.models import Event
from defis.organisations.errors import AlreadyMember, MembershipAlreadyRequested
from defis.organisations.models import Membership
from defis.organisations.services import request_membership
from defis.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_request_membership_creates_a_pending_request_and_its_audit_row() -> None:
    agent, organisation = UserFactory(), OrganisationFactory()

    membership = request_membership(actor=agent, organisation=organisation, job_title="Cheffe de projet")

    assert (membership.user, membership.organisation, membership.status, membership.role, membership.job_title) == (
        agent,
        organisation,
        Membership.Status.PENDING,
        Membership.Role.MEMBER,
        "Cheffe de projet",
    )
    assert list(Event.objects.values_list("actor", "action", "target_id")) == [
        (agent.pk, "membership.requested", str(membership.pk))
    ]


def test_request_membership_twice_is_refused_with_a_french_message() -> None:
    pending = MembershipFactory()

    with pytest.raises(MembershipAlreadyRequested) as error:
        request_membership(actor=pending.user, organisation=pending.organisation)

    assert (error.value.message, error.value.field) == (
        "Vous avez déjà demandé à rejoindre cette organisation.",
        "organisation",
    )
    assert Membership.objects.count() == 1


def test_request_membership_of_an_approved_member_is_refused() -> None:
    member = MembershipFactory(status=Membership.Status.APPROVED)

    with pytest.raises(AlreadyMember) as error:
        request_membership(actor=member.user, organisation=member.organisation)

    assert error.value.message == "Vous êtes déjà membre de cette organisation."


def test_request_membership_after_a_refusal_reopens_the_request() -> None:
    team_member = UserFactory(is_programme_team=True)
    refused = MembershipFactory(status=Membership.Status.REFUSED, decided_by=team_member, job_title="Stagiaire")
    refused.decided_at = refused.created_at
    refused.save()

    membership = request_membership(
        actor=refused.user, organisation=refused.organisation, job_title="Chargé de mission"
    )

    assert membership.pk == refused.pk
    assert (membership.status, membership.job_title, membership.decided_by, membership.decided_at) == (
        Membership.Status.PENDING,
        "Chargé de mission",
        None,
        None,
    )
    assert list(Event.objects.values_list("action", flat=True)) == ["membership.requested_again"]
