import pytest
from django.contrib.auth.models import AnonymousUser

from defis.accounts.tests.factories import ProgrammeTeamFactory, UserFactory
from defis.organisations.models import Membership
from defis.organisations.rules import can_decide_membership, is_approved_member
from defis.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "expected"),
    [(Membership.Status.PENDING, False), (Membership.Status.REFUSED, False), (Membership.Status.APPROVED, True)],
)
def test_only_an_approved_member_acts_for_the_organisation(status: str, expected: bool) -> None:
    membership = MembershipFactory(status=status)
    assert is_approved_member.test(membership.user, membership.organisation) is expected
    assert membership.user.has_perm("organisations.act_for_organisation", membership.organisation) is expected


def test_a_member_of_another_organisation_and_an_anonymous_visitor_do_not_act_for_it() -> None:
    organisation = OrganisationFactory()
    elsewhere = MembershipFactory(status=Membership.Status.APPROVED)
    assert is_approved_member.test(elsewhere.user, organisation) is False
    assert is_approved_member.test(AnonymousUser(), organisation) is False


def test_an_inactive_manager_no_longer_decides() -> None:
    pending = MembershipFactory()
    manager = MembershipFactory(
        organisation=pending.organisation,
        status=Membership.Status.APPROVED,
        role=Membership.Role.MANAGER,
        user=UserFactory(is_active=False),
    ).user
    assert can_decide_membership.test(manager, pending) is False
    assert can_decide_membership.test(ProgrammeTeamFactory(), pending) is True
