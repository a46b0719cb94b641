"""The agent's space: their défis, the calls open now, a défi's page and its checks."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from defis.accounts.tests.factories import UserFactory
from defis.challenges import services
from defis.challenges.tests.factories import CoEditorFactory, DefiFactory, approved_member, commando_ux_2020
from defis.organisations.tests.factories import OrganisationFactory
from defis.programmes.models import Edition
from defis.programmes.tests.factories import EditionFactory, PhaseFactory

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db
OPEN = datetime(2020, 6, 15, 14, 2, tzinfo=PARIS)


def text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(response.content.decode().split())


@pytest.fixture
def edition() -> Edition:
    return commando_ux_2020()


@time_machine.travel(OPEN, tick=False)
def test_mine_lists_the_defis_of_the_agents_organisations_only(client: Client, edition: Edition) -> None:
    organisation = OrganisationFactory(name="Direction générale des finances publiques")
    agent = approved_member(organisation)
    ours = DefiFactory(edition=edition, organisation=organisation, title="Déclaration de revenus")
    DefiFactory(edition=edition, title="Carte d’identité")
    DefiFactory(edition=edition, organisation=organisation, title="Archive 2019", is_historical=True)
    client.force_login(agent)

    response = client.get(reverse("challenges:mine"))

    html = text(response)
    assert list(response.context["defis"]) == [ours]
    assert "<h1>Mes défis</h1>" in html
    assert (
        f'<th scope="row"><a href="{ours.get_absolute_url()}">Déclaration de revenus</a></th> '
        '<td><span class="fr-badge fr-badge--sm fr-badge--info">brouillon</span></td> '
        "<td>Commando UX 2020</td> <td>Direction générale des finances publiques</td> "
        "<td>15 juin 2020 à 14:02</td>"
    ) in html
    assert "Carte d’identité" not in html
    create = reverse("challenges:create", args=[edition.slug])
    assert (
        f'<a class="fr-btn fr-icon-add-line fr-btn--icon-left" href="{create}">Proposer un défi à Commando UX 2020</a>'
    ) in html


@time_machine.travel(datetime(2020, 6, 20, 0, 0, tzinfo=PARIS), tick=False)
def test_mine_offers_no_button_once_the_call_has_closed(client: Client, edition: Edition) -> None:
    client.force_login(approved_member(OrganisationFactory()))
    response = client.get(reverse("challenges:mine"))
    assert response.context["open_editions"] == []
    assert "Aucun appel à défis n’est ouvert en ce moment." in text(response)


@time_machine.travel(OPEN, tick=False)
def test_mine_tells_an_agent_without_organisation_to_ask_to_join(client: Client, edition: Edition) -> None:
    client.force_login(UserFactory())
    html = text(client.get(reverse("challenges:mine")))
    assert f'<a href="{reverse("organisations:mine")}">Demander à rejoindre une organisation</a>' in html


@pytest.mark.parametrize("n", [1, 3])
@time_machine.travel(OPEN, tick=False)
def test_mine_query_count_is_flat(client: Client, django_assert_num_queries, n: int) -> None:  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory()
    agent = approved_member(organisation)
    editions = [commando_ux_2020(), EditionFactory()]
    PhaseFactory(edition=editions[1])
    for index in range(n):
        defi = DefiFactory(edition=editions[index % 2], organisation=organisation)
        CoEditorFactory(defi=defi, user=agent)
    client.force_login(agent)

    # session, user, the agent's organisations and their ministries, editions and their phases, the header's
    # two permission look-ups (team space), défis, their co-editors and their organisations' ministries.
    with django_assert_num_queries(9):
        response = client.get(reverse("challenges:mine"))

    assert len(response.context["defis"]) == n
    assert response.context["open_editions"] == sorted(editions, key=lambda e: (-e.year, e.name))


@time_machine.travel(OPEN, tick=False)
def test_detail_shows_the_defi_its_versions_and_the_actions_allowed(client: Client, edition: Edition) -> None:
    edition.requires_demarche = edition.requires_top250 = False
    edition.save()
    defi = DefiFactory(edition=edition, complete=True, title="Déclaration")
    author = approved_member(defi.organisation, first_name="Camille", last_name="Roux")
    CoEditorFactory(defi=defi, user=author)
    services.submit_defi(actor=author, defi=defi, at=OPEN)
    client.force_login(author)

    html = text(client.get(reverse("challenges:detail", args=[defi.pk])))
    client.force_login(approved_member(defi.organisation))
    colleague = text(client.get(reverse("challenges:detail", args=[defi.pk])))

    assert "<h1>Déclaration</h1>" in html
    assert '<span class="fr-badge fr-badge--success">soumis</span>' in html
    assert "Soumis le 15 juin 2020 à 14:02 (heure de Paris)." in html
    assert "<tr><td>1</td><td>soumis</td><td>15 juin 2020 à 14:02</td><td>Camille Roux</td></tr>" in html
    assert "Retirer le défi" in html
    assert "Rouvrir pour le modifier" in html
    assert "Compléter et soumettre" not in html
    assert "Retirer le défi" not in colleague
    assert "Rouvrir pour le modifier" not in colleague


@time_machine.travel(OPEN, tick=False)
def test_checks_show_each_rule_of_the_edition(client: Client, edition: Edition) -> None:
    defi = DefiFactory(
        edition=edition, organisation=OrganisationFactory(name="Hôpital de Lens", kind="health_establishment")
    )
    CoEditorFactory(defi=defi, user=approved_member(defi.organisation))
    client.force_login(defi.coeditors.get().user)

    page = client.get(reverse("challenges:checks", args=[defi.pk]))
    partial = client.get(reverse("challenges:checks", args=[defi.pk]), HTTP_HX_REQUEST="true")

    html = text(page)
    assert "<h1>Vérifications du défi</h1>" in html
    assert "3 points à régler avant de soumettre" in html
    assert "Choisissez la démarche en ligne que le défi améliore." in html
    assert "Hôpital de Lens relève de la catégorie « établissement de santé »." in html
    assert (
        "<strong>Financement :</strong> Le financement à 100 % est réservé aux administrations de l’État : "
        "l’organisation finance les postes."
    ) in html
    assert text(partial).startswith('<section id="defi-checks"')
    assert "<h1>" not in text(partial)
