from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from defis.accounts.tests.factories import ProgrammeTeamFactory, UserFactory
from defis.audit.models import Event
from defis.notifications.models import OutboxMessage
from defis.organisations.errors import MembershipAlreadyDecided, MembershipDecisionRefused
from defis.organisations.models import Membership
from defis.organisations.services import approve_membership, refuse_membership, request_membership
from defis.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2020, 6, 10, 14, 30, tzinfo=PARIS)


def manager_of(organisation: object) -> object:
    return MembershipFactory(
        organisation=organisation, role=Membership.Role.MANAGER, status=Membership.Status.APPROVED
    ).user


def test_team_approves_and_the_requester_gets_a_french_email(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    team = ProgrammeTeamFactory()
    pending = MembershipFactory(
        user=UserFactory(email="lou@finances.gouv.fr"),
        organisation=OrganisationFactory(name="Direction du budget", slug="budget"),
    )

    with django_capture_on_commit_callbacks(execute=True):
        membership = approve_membership(actor=team, membership=pending, at=AT)

    assert (membership.status, membership.decided_by, membership.decided_at) == (Membership.Status.APPROVED, team, AT)
    assert list(Event.objects.values_list("actor", "action", "at")) == [(team.pk, "membership.approved", AT)]
    message = OutboxMessage.objects.get()
    assert (message.key, message.to, message.template, message.status) == (
        f"membership-decision:{pending.pk}:approved:{AT.isoformat()}",
        "lou@finances.gouv.fr",
        "organisations/mail/membership_approved",
        OutboxMessage.Status.SENT,
    )
    assert message.subject == "Votre demande pour rejoindre Direction du budget est acceptée"
    assert message.body == (
        "Bonjour,\n\n"
        "Votre demande pour rejoindre Direction du budget sur Défis a été acceptée : vous pouvez désormais "
        "agir pour cette organisation.\n\n"
        "La page de l’organisation : http://127.0.0.1:8000/organisations/budget/\n\n"
        "L’équipe Défis\n"
    )
    assert [(m.to, m.subject) for m in mail.outbox] == [(["lou@finances.gouv.fr"], message.subject)]


def test_no_email_leaves_before_the_decision_is_committed(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    pending = MembershipFactory()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        refuse_membership(actor=ProgrammeTeamFactory(), membership=pending, at=AT)

    assert (len(callbacks), OutboxMessage.objects.count(), len(mail.outbox)) == (1, 0, 0)


def test_manager_of_the_organisation_refuses_and_the_requester_is_told(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    pending = MembershipFactory(organisation=OrganisationFactory(name="Direction du budget"))
    manager = manager_of(pending.organisation)

    with django_capture_on_commit_callbacks(execute=True):
        membership = refuse_membership(actor=manager, membership=pending, at=AT)

    assert (membership.status, membership.decided_by) == (Membership.Status.REFUSED, manager)
    assert list(OutboxMessage.objects.values_list("subject", flat=True)) == [
        "Votre demande pour rejoindre Direction du budget est refusée"
    ]


@pytest.mark.parametrize("who", ["other agent", "manager elsewhere", "pending manager", "plain member"])
def test_others_cannot_decide(who: str) -> None:
    pending = MembershipFactory()
    if who == "other agent":
        actor = UserFactory()
    elif who == "manager elsewhere":
        actor = manager_of(OrganisationFactory())
    elif who == "pending manager":
        actor = MembershipFactory(organisation=pending.organisation, role=Membership.Role.MANAGER).user
    else:
        actor = MembershipFactory(organisation=pending.organisation, status=Membership.Status.APPROVED).user

    with pytest.raises(MembershipDecisionRefused) as error:
        approve_membership(actor=actor, membership=pending, at=AT)

    assert error.value.message == (
        "Seuls l’équipe du programme et les responsables de l’organisation peuvent décider de cette demande."
    )
    pending.refresh_from_db()
    assert (pending.status, Event.objects.count()) == (Membership.Status.PENDING, 0)


def test_approving_twice_records_and_sends_once(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    team, pending = ProgrammeTeamFactory(), MembershipFactory()

    with django_capture_on_commit_callbacks(execute=True):
        approve_membership(actor=team, membership=pending, at=AT)
    with django_capture_on_commit_callbacks(execute=True):
        again = approve_membership(actor=team, membership=pending, at=datetime(2020, 6, 11, tzinfo=PARIS))

    assert (again.status, again.decided_at) == (Membership.Status.APPROVED, AT)
    assert (Event.objects.count(), OutboxMessage.objects.count()) == (1, 1)


def test_refusing_an_approved_request_is_refused() -> None:
    approved = MembershipFactory(status=Membership.Status.APPROVED)

    with pytest.raises(MembershipAlreadyDecided) as error:
        refuse_membership(actor=ProgrammeTeamFactory(), membership=approved, at=AT)

    assert error.value.message == "Cette demande a déjà été tranchée."


def test_a_second_refusal_after_asking_again_is_sent_too(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    team, pending = ProgrammeTeamFactory(), MembershipFactory()

    with django_capture_on_commit_callbacks(execute=True):
        refuse_membership(actor=team, membership=pending, at=AT)
        request_membership(actor=pending.user, organisation=pending.organisation)
        refuse_membership(actor=team, membership=pending, at=datetime(2020, 6, 12, 9, 0, tzinfo=PARIS))

    assert OutboxMessage.objects.filter(template="organisations/mail/membership_refused").count() == 2
