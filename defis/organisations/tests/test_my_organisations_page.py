import re

import pytest
from django.test import Client
from django.urls import reverse

from defis.accounts.tests.factories import UserFactory
from defis.organisations.models import Membership
from defis.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

MINE = reverse("organisations:mine")


def messages_of(html: str) -> list[str]:
    return [" ".join(m.split()) for m in re.findall(r'class="fr-alert fr-alert--\w+">\s*<p>(.*?)</p>', html, re.DOTALL)]


def select_options(html: str) -> list[str]:
    select = re.search(r'<select name="organisation".*?</select>', html, re.DOTALL)
    assert select is not None
    return [label.strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", select.group(0), re.DOTALL)]


def test_signed_out_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(MINE)
    assert response["Location"] == f"{reverse('account_login')}?next={MINE}"


def test_my_organisations_lists_my_requests_with_their_french_status(client: Client) -> None:
    agent = UserFactory()
    MembershipFactory(user=agent, organisation=OrganisationFactory(name="Direction du budget"))
    MembershipFactory(
        user=agent, organisation=OrganisationFactory(name="Haute Autorité de Santé"), status=Membership.Status.APPROVED
    )
    MembershipFactory(organisation=OrganisationFactory(name="Cour des comptes"))  # someone else's
    client.force_login(agent)

    html = " ".join(client.get(MINE).content.decode().split())

    rows = re.findall(
        r'<th scope="row"><a href="[^"]+">([^<]+)</a></th> <td>(\w+)</td> <td><p class="fr-badge[^"]*">'
        r"([^<]+)</p> </td>",
        html,
    )
    assert rows == [("Direction du budget", "Membre", "en attente"), ("Haute Autorité de Santé", "Membre", "acceptée")]
    assert "Cour des comptes</a>" not in html
    assert "<h1>Mes organisations</h1>" in html
    assert "<title>Mes organisations — Défis</title>" in html


def test_asking_to_join_creates_a_pending_request(client: Client) -> None:
    agent, organisation = UserFactory(), OrganisationFactory(name="Direction du budget")
    client.force_login(agent)

    response = client.post(MINE, {"organisation": organisation.pk, "job_title": "Cheffe de projet"}, follow=True)

    assert list(Membership.objects.values_list("user", "organisation", "status", "job_title")) == [
        (agent.pk, organisation.pk, "pending", "Cheffe de projet")
    ]
    assert messages_of(response.content.decode()) == [
        "Votre demande pour rejoindre Direction du budget est envoyée ; vous recevrez un e-mail dès qu’elle "
        "sera tranchée."
    ]


@pytest.mark.parametrize("forged", ["999999", "abc", "1 OR 1=1", ""])
def test_a_forged_or_unknown_organisation_is_a_french_field_error(client: Client, forged: str) -> None:
    OrganisationFactory()
    client.force_login(UserFactory())

    response = client.post(MINE, {"organisation": forged})

    assert response.status_code == 200
    errors = re.findall(
        r'<div id="id_organisation-desc-error">\s*<ul class="errorlist[^"]*">\s*'
        r'<li class="fr-error-text">\s*(.*?)\s*</li>',
        response.content.decode(),
    )
    expected = (
        "Choisissez l’organisation pour laquelle vous travaillez."
        if forged == ""
        else "Choisissez une organisation dans la liste."
    )
    assert errors == [expected]
    assert Membership.objects.count() == 0


def test_asking_again_while_pending_is_a_french_field_error(client: Client) -> None:
    pending = MembershipFactory()
    client.force_login(pending.user)

    response = client.post(MINE, {"organisation": pending.organisation.pk})

    assert response.status_code == 200
    assert "Vous avez déjà demandé à rejoindre cette organisation." in response.content.decode()
    assert Membership.objects.count() == 1


def test_search_narrows_the_organisations_offered(client: Client) -> None:
    OrganisationFactory(name="Direction du budget", acronym="DB")
    OrganisationFactory(name="Haute Autorité de Santé", acronym="HAS")
    client.force_login(UserFactory())

    everything = select_options(client.get(MINE).content.decode())
    found = select_options(client.get(MINE, {"q": "budget"}).content.decode())
    nothing = client.get(MINE, {"q": "introuvable"}).content.decode()

    assert everything == ["Choisissez une organisation", "Direction du budget (DB)", "Haute Autorité de Santé (HAS)"]
    assert found == ["Choisissez une organisation", "Direction du budget (DB)"]
    assert select_options(nothing) == ["Choisissez une organisation"]
    assert "Aucune organisation ne correspond à votre recherche." in nothing


def test_a_manager_sees_the_requests_of_their_organisation_only(client: Client) -> None:
    manager = MembershipFactory(status=Membership.Status.APPROVED, role=Membership.Role.MANAGER)
    mine = MembershipFactory(organisation=manager.organisation, user=UserFactory(email="demande@budget.gouv.fr"))
    MembershipFactory(user=UserFactory(email="ailleurs@sante.gouv.fr"))
    client.force_login(manager.user)

    response = client.get(MINE)

    assert list(response.context["to_decide"]) == [mine]
    html = response.content.decode()
    assert "Demandes en attente de votre décision" in html
    assert "ailleurs@sante.gouv.fr" not in html


@pytest.mark.parametrize("n", [1, 3])
def test_my_organisations_query_count_is_flat(client: Client, django_assert_num_queries, n: int) -> None:  # type: ignore[no-untyped-def]
    agent = UserFactory()
    memberships = MembershipFactory.create_batch(n, user=agent)
    client.force_login(agent)

    with django_assert_num_queries(5):
        response = client.get(MINE)

    assert list(response.context["memberships"]) == sorted(memberships, key=lambda m: m.organisation.name)
