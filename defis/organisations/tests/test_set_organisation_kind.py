import pytest

from defis.accounts.tests.factories import ProgrammeTeamFactory, UserFactory
from defis.audit.models import Event
from defis.organisations.errors import KindChangeRefused, UnknownKind
from defis.organisations.models import Membership, Organisation
from defis.organisations.services import set_organisation_kind
from defis.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_team_sets_the_kind_of_an_organisation_and_it_is_audited() -> None:
    team, organisation = ProgrammeTeamFactory(), OrganisationFactory(kind=Organisation.Kind.UNKNOWN)

    organisation = set_organisation_kind(
        actor=team, organisation=organisation, kind=Organisation.Kind.OPERATOR, basis="Décret n° 2019-1234"
    )

    assert (organisation.kind, organisation.kind_basis, organisation.kind_is_unknown) == (
        Organisation.Kind.OPERATOR,
        "Décret n° 2019-1234",
        False,
    )
    assert list(Event.objects.values_list("actor", "action", "data")) == [
        (team.pk, "organisation.kind_set", {"from": "unknown", "to": "operator", "basis": "Décret n° 2019-1234"})
    ]


def test_setting_the_same_kind_again_changes_nothing() -> None:
    team, organisation = ProgrammeTeamFactory(), OrganisationFactory(kind=Organisation.Kind.OPERATOR)

    set_organisation_kind(actor=team, organisation=organisation, kind=Organisation.Kind.OPERATOR)

    assert Event.objects.count() == 0


@pytest.mark.parametrize("manager", [False, True])
def test_nobody_but_the_team_sets_the_kind(manager: bool) -> None:
    organisation = OrganisationFactory(kind=Organisation.Kind.UNKNOWN)
    actor = (
        MembershipFactory(
            organisation=organisation, role=Membership.Role.MANAGER, status=Membership.Status.APPROVED
        ).user
        if manager
        else UserFactory()
    )

    with pytest.raises(KindChangeRefused) as error:
        set_organisation_kind(actor=actor, organisation=organisation, kind=Organisation.Kind.MINISTRY)

    assert error.value.message == "Seule l’équipe du programme peut établir la nature d’une organisation."
    organisation.refresh_from_db()
    assert organisation.kind == Organisation.Kind.UNKNOWN


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(UnknownKind) as error:
        set_organisation_kind(actor=ProgrammeTeamFactory(), organisation=OrganisationFactory(), kind="empire")
    assert (error.value.message, error.value.field) == ("Choisissez une nature dans la liste.", "kind")
