import pytest

from defis.accounts.tests.factories import ProgrammeTeamFactory
from defis.audit.models import Event
from defis.organisations.errors import MembershipNotApproved, RoleChangeRefused
from defis.organisations.models import Membership
from defis.organisations.services import set_membership_role
from defis.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_team_names_an_approved_member_manager() -> None:
    team, member = ProgrammeTeamFactory(), MembershipFactory(status=Membership.Status.APPROVED)

    membership = set_membership_role(actor=team, membership=member, role=Membership.Role.MANAGER)

    assert membership.role == Membership.Role.MANAGER
    assert list(Event.objects.values_list("action", "data")) == [
        ("membership.role_set", {"from": "member", "to": "manager"})
    ]


def test_a_manager_cannot_name_another_manager() -> None:
    manager = MembershipFactory(status=Membership.Status.APPROVED, role=Membership.Role.MANAGER)
    member = MembershipFactory(organisation=manager.organisation, status=Membership.Status.APPROVED)

    with pytest.raises(RoleChangeRefused) as error:
        set_membership_role(actor=manager.user, membership=member, role=Membership.Role.MANAGER)

    assert error.value.message == "Seule l’équipe du programme peut nommer les responsables d’une organisation."


def test_a_pending_request_cannot_become_a_manager() -> None:
    with pytest.raises(MembershipNotApproved) as error:
        set_membership_role(actor=ProgrammeTeamFactory(), membership=MembershipFactory(), role=Membership.Role.MANAGER)
    assert error.value.message == "Seul un membre accepté peut devenir responsable."
