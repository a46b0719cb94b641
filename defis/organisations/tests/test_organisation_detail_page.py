import re

import pytest
from django.test import Client
from django.urls import reverse

from defis.accounts.tests.factories import ProgrammeTeamFactory, UserFactory
from defis.organisations.models import Membership, Organisation
from defis.organisations.tests.factories import MembershipFactory, MinistryFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation() -> Organisation:
    organisation = OrganisationFactory(
        slug="dgfip",
        name="Direction générale des finances publiques",
        acronym="DGFiP",
        siret="13000000000001",
        parent_ministries=[
            MinistryFactory(slug="economie", name="Ministère de l’Économie"),
            MinistryFactory(slug="comptes-publics", name="Ministère des Comptes publics"),
        ],
    )
    MembershipFactory(
        organisation=organisation,
        status=Membership.Status.APPROVED,
        user=UserFactory(email="membre@dgfip.finances.gouv.fr"),
    )
    MembershipFactory(organisation=organisation, user=UserFactory(email="attente@dgfip.finances.gouv.fr"))
    return organisation


def page(client: Client, organisation: Organisation) -> str:
    response = client.get(organisation.get_absolute_url())
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_anonymous_visitors_see_the_public_facts_only(client: Client, organisation: Organisation) -> None:
    html = page(client, organisation)

    assert "<h1>Direction générale des finances publiques</h1>" in html
    assert '<dt class="fr-text--bold">Sigle</dt> <dd>DGFiP</dd>' in html
    assert '<dt class="fr-text--bold">Nature de l’organisation</dt> <dd>Administration centrale</dd>' in html
    assert "<dd>Ministère de l’Économie, Ministère des Comptes publics</dd>" in html
    assert "<dd>13000000000001</dd>" in html
    assert "membre@dgfip.finances.gouv.fr" not in html
    assert "attente@dgfip.finances.gouv.fr" not in html
    assert "Membres</h2>" not in html


def test_unknown_kind_is_flagged(client: Client) -> None:
    html = page(client, OrganisationFactory(kind=Organisation.Kind.UNKNOWN))
    assert '<h2 class="fr-alert__title">Nature inconnue, à vérifier</h2>' in html
    assert "<dd>Inconnue (à vérifier par l’équipe)</dd>" in html


def test_approved_members_see_the_member_list(client: Client, organisation: Organisation) -> None:
    client.force_login(Membership.objects.get(status=Membership.Status.APPROVED).user)
    html = page(client, organisation)
    assert re.findall(r'<th scope="row">(?:[^<]* — )?([^<]+)</th>', html) == ["membre@dgfip.finances.gouv.fr"]


@pytest.mark.parametrize("who", ["pending member", "other agent"])
def test_others_do_not_see_the_member_list(client: Client, organisation: Organisation, who: str) -> None:
    user = Membership.objects.get(status=Membership.Status.PENDING).user if who == "pending member" else UserFactory()
    client.force_login(user)
    html = page(client, organisation)
    assert "membre@dgfip.finances.gouv.fr" not in html
    assert "Membres</h2>" not in html


def test_team_sees_members_and_sets_the_kind(client: Client, organisation: Organisation) -> None:
    client.force_login(ProgrammeTeamFactory())
    assert "membre@dgfip.finances.gouv.fr" in page(client, organisation)

    response = client.post(
        reverse("organisations:set-kind", args=["dgfip"]),
        {"kind": "operator", "basis": "Décret n° 2008-310"},
        follow=True,
    )

    organisation.refresh_from_db()
    assert (organisation.kind, organisation.kind_basis) == ("operator", "Décret n° 2008-310")
    assert "La nature de l’organisation est enregistrée." in response.content.decode()


def test_an_agent_cannot_set_the_kind(client: Client, organisation: Organisation) -> None:
    client.force_login(Membership.objects.get(status=Membership.Status.APPROVED).user)
    response = client.post(reverse("organisations:set-kind", args=["dgfip"]), {"kind": "operator"})
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.kind == Organisation.Kind.CENTRAL_ADMINISTRATION


def test_unknown_organisation_is_a_404(client: Client) -> None:
    response = client.get(reverse("organisations:detail", args=["nexiste-pas"]))
    assert response.status_code == 404
