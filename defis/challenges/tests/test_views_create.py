"""Starting a défi: only for an organisation that accepted the agent, only while the call is open."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from defis.accounts.tests.factories import UserFactory
from defis.challenges.models import CoEditor, Defi
from defis.challenges.tests.factories import approved_member, commando_ux_2020
from defis.organisations.models import Membership
from defis.organisations.tests.factories import MembershipFactory, OrganisationFactory
from defis.programmes.models import Edition

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db
OPEN = datetime(2020, 6, 15, 14, 2, tzinfo=PARIS)


def text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(response.content.decode().split())


@pytest.fixture
def edition() -> Edition:
    return commando_ux_2020()


@time_machine.travel(OPEN, tick=False)
def test_create_starts_a_draft_edited_by_its_author(client: Client, edition: Edition) -> None:
    organisation = OrganisationFactory()
    agent = approved_member(organisation)
    client.force_login(agent)

    response = client.post(
        reverse("challenges:create", args=[edition.slug]),
        {"organisation": organisation.pk, "title": "Déclaration", "token": str(uuid.uuid4())},
    )

    defi = Defi.objects.get()
    assert response.url == reverse("challenges:edit", args=[defi.pk])
    assert (defi.edition, defi.organisation, defi.created_by, defi.status) == (
        edition,
        organisation,
        agent,
        Defi.Status.DRAFT,
    )
    assert list(CoEditor.objects.values_list("defi_id", "user_id")) == [(defi.pk, agent.pk)]


@time_machine.travel(OPEN, tick=False)
def test_create_page_offers_the_agents_organisations_only(client: Client, edition: Edition) -> None:
    mine = OrganisationFactory(name="Direction générale des finances publiques")
    OrganisationFactory(name="Agence nationale des titres sécurisés")
    client.force_login(approved_member(mine))

    response = client.get(reverse("challenges:create", args=[edition.slug]))

    assert list(response.context["form"].fields["organisation"].queryset) == [mine]
    html = text(response)
    assert "<h1>Proposer un défi à Commando UX 2020</h1>" in html
    assert "Agence nationale des titres sécurisés" not in html


@time_machine.travel(OPEN, tick=False)
def test_forged_organisation_id_gets_a_field_error(client: Client, edition: Edition) -> None:
    other = OrganisationFactory()
    client.force_login(approved_member(OrganisationFactory()))

    for forged in (other.pk, 987654, "abc"):
        response = client.post(
            reverse("challenges:create", args=[edition.slug]),
            {"organisation": forged, "title": "Déclaration", "token": str(uuid.uuid4())},
        )
        assert response.status_code == 200
        assert response.context["form"].errors == {
            "organisation": ["Choisissez l’une des organisations qui vous ont accepté comme membre."]
        }
    assert Defi.objects.count() == 0


@time_machine.travel(OPEN, tick=False)
def test_missing_title_and_too_long_title_get_field_errors(client: Client, edition: Edition) -> None:
    organisation = OrganisationFactory()
    client.force_login(approved_member(organisation))
    url = reverse("challenges:create", args=[edition.slug])

    missing = client.post(url, {"organisation": organisation.pk, "title": "", "token": str(uuid.uuid4())})
    too_long = client.post(url, {"organisation": organisation.pk, "title": "x" * 201, "token": str(uuid.uuid4())})

    assert missing.context["form"].errors == {"title": ["Ce champ est obligatoire."]}
    assert too_long.context["form"].errors == {
        "title": ["Assurez-vous que cette valeur comporte au plus 200 caractères (actuellement 201)."]
    }
    assert 'value="' + "x" * 201 + '"' in too_long.content.decode()  # nothing typed is dropped
    assert Defi.objects.count() == 0


@time_machine.travel(OPEN, tick=False)
def test_agent_without_approved_organisation_is_told_to_ask_to_join(client: Client, edition: Edition) -> None:
    agent = UserFactory()
    MembershipFactory(user=agent, status=Membership.Status.PENDING)
    client.force_login(agent)

    html = text(client.get(reverse("challenges:create", args=[edition.slug])))

    assert "Rejoignez d’abord votre organisation" in html
    assert f'<a href="{reverse("organisations:mine")}">Demander à rejoindre une organisation</a>' in html
    assert "Créer le brouillon" not in html


@time_machine.travel(datetime(2020, 6, 20, 0, 0, tzinfo=PARIS), tick=False)
def test_closed_call_is_said_clearly_and_creates_nothing(client: Client, edition: Edition) -> None:
    organisation = OrganisationFactory()
    client.force_login(approved_member(organisation))
    url = reverse("challenges:create", args=[edition.slug])

    page = text(client.get(url))
    response = client.post(url, {"organisation": organisation.pk, "title": "Trop tard", "token": str(uuid.uuid4())})

    message = "L’appel à défis est clos depuis le 19 juin 2020 à 23:59 (heure de Paris)."
    assert "Vous ne pouvez pas proposer de défi pour le moment" in page
    assert message in page
    assert response.context["form"].errors == {"__all__": [message]}
    assert Defi.objects.count() == 0


@time_machine.travel(datetime(2020, 6, 1, 9, 0, tzinfo=PARIS), tick=False)
def test_call_not_open_yet_is_said_clearly(client: Client, edition: Edition) -> None:
    client.force_login(approved_member(OrganisationFactory()))
    html = text(client.get(reverse("challenges:create", args=[edition.slug])))
    assert "L’appel à défis ouvre le 8 juin 2020 à 00:00 (heure de Paris)." in html


def test_unknown_edition_is_a_404(client: Client) -> None:
    client.force_login(approved_member(OrganisationFactory()))
    assert client.get(reverse("challenges:create", args=["nexiste-pas"])).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client: Client, edition: Edition) -> None:
    url = reverse("challenges:create", args=[edition.slug])
    response = client.get(url)
    assert response.url == f"{reverse('account_login')}?next={url}"
