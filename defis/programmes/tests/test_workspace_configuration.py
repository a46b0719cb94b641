"""Rules, offer and public texts are edited in the workspace; Markdown previews are sanitised; an
incomplete edition says what it lacks before it can be published."""

import pytest
from django.test import Client
from django.urls import reverse

from defis.accounts.models import User
from defis.audit.models import Event
from defis.organisations.models import Organisation
from defis.programmes import services
from defis.programmes.errors import EditionIncomplete
from defis.programmes.models import Edition, Question
from defis.programmes.tests.factories import EditionFactory
from defis.programmes.tests.test_workspace_support import *  # noqa: F403

pytestmark = pytest.mark.django_db


def test_rules_page_saves_who_may_propose_and_funding(team_client: Client, commando_2020: Edition) -> None:
    response = team_client.post(
        reverse("workspace:rules", args=[commando_2020.slug]),
        {
            "allowed_kinds": ["ministry", "operator"],
            "requires_demarche": "on",
            "full_funding_kinds": ["ministry"],
            "funding_alternative": "une convention avec un ministère",
        },
    )

    assert response.status_code == 302
    commando_2020.refresh_from_db()
    assert (
        commando_2020.allowed_kinds,
        commando_2020.requires_demarche,
        commando_2020.requires_top250,
        commando_2020.full_funding_kinds,
        commando_2020.funding_alternative,
    ) == (["ministry", "operator"], True, False, ["ministry"], "une convention avec un ministère")
    assert Event.objects.get(action="edition.updated").data["section"] == "rules"


def test_rules_page_never_offers_the_unknown_kind(team_client: Client, commando_2020: Edition) -> None:
    response = team_client.get(reverse("workspace:rules", args=[commando_2020.slug]))

    kinds = [value for value, _label in response.context["form"].fields["allowed_kinds"].choices]
    assert Organisation.Kind.UNKNOWN not in kinds
    assert len(kinds) == len(Organisation.Kind.values) - 1


def test_offer_page_refuses_a_maximum_below_the_minimum(team_client: Client, commando_2020: Edition) -> None:
    response = team_client.post(
        reverse("workspace:offer", args=[commando_2020.slug]),
        {"profiles_offered": ["designer"], "contract_months_min": 6, "contract_months_max": 4, "attachment_max_mb": 10},
    )

    assert response.context["form"].errors == {
        "contract_months_max": ["Le maximum ne peut pas être inférieur au minimum."]
    }


def test_offer_page_saves_what_is_offered(team_client: Client, commando_2020: Edition) -> None:
    team_client.post(
        reverse("workspace:offer", args=[commando_2020.slug]),
        {
            "profiles_offered": ["designer", "developer"],
            "positions_per_defi_max": 2,
            "contract_type": "CDD",
            "contract_months_min": 6,
            "contract_months_max": 12,
            "salary": "3 500 € net par mois",
            "attachment_max_mb": 5,
        },
    )

    commando_2020.refresh_from_db()
    assert (
        commando_2020.profiles_offered,
        commando_2020.positions_per_defi_max,
        commando_2020.contract_months_max,
        commando_2020.salary,
        commando_2020.attachment_max_mb,
    ) == (["designer", "developer"], 2, 12, "3 500 € net par mois", 5)


def test_markdown_preview_is_sanitised(team_client: Client, commando_2020: Edition) -> None:
    response = team_client.post(
        reverse("workspace:texts-preview", args=[commando_2020.slug]),
        {"presentation": "**Designers** <script>alert(1)</script>", "offer": "- un contrat"},
    )

    html = response.content.decode()
    assert "<strong>Designers</strong>" in html
    assert "<li>un contrat</li>" in html
    assert "<script>" not in html


def test_texts_page_saves_the_markdown(team_client: Client, commando_2020: Edition) -> None:
    team_client.post(
        reverse("workspace:texts", args=[commando_2020.slug]),
        {"summary": "Résumé", "presentation": "Nouvelle **présentation**", "offer": "- 2 designers"},
    )

    commando_2020.refresh_from_db()
    assert (commando_2020.summary, commando_2020.presentation, commando_2020.offer) == (
        "Résumé",
        "Nouvelle **présentation**",
        "- 2 designers",
    )


def test_faq_entries_are_added_and_changed(team_client: Client, commando_2020: Edition) -> None:
    team_client.post(
        reverse("workspace:faq", args=[commando_2020.slug]),
        {"question": "Combien de défis seront retenus ?", "answer": "Entre 5 et 10."},
    )
    entry = commando_2020.faq_entries.get(question="Combien de défis seront retenus ?")

    team_client.post(
        reverse("workspace:faq-entry", args=[commando_2020.slug, entry.pk]),
        {"question": "Combien de défis seront retenus ?", "answer": "Entre 5 et 10 défis."},
    )

    assert list(commando_2020.faq_entries.order_by("position").values_list("position", "answer")) == [
        (1, "Les administrations de l'État."),
        (2, "Entre 5 et 10 défis."),
    ]


def test_interview_criteria_are_added(team_client: Client, commando_2020: Edition) -> None:
    team_client.post(
        reverse("workspace:criteria", args=[commando_2020.slug]),
        {"label": "Capacité à travailler avec des agents", "guidance": "", "weight": 1, "scale_max": 4},
    )

    assert list(commando_2020.interview_criteria.values_list("label", "position")) == [
        ("Expérience en recherche utilisateur", 1),
        ("Capacité à travailler avec des agents", 2),
    ]


def test_publish_lists_what_is_missing(team: User) -> None:
    edition = EditionFactory(is_published=False, requires_top250=True)
    Question.objects.create(edition=edition, label="Votre ministère ?", kind=Question.Kind.CHOICE, choices=["Un"])

    with pytest.raises(EditionIncomplete) as refused:
        services.publish_edition(actor=team, edition=edition)

    assert refused.value.problems == [
        "L’édition n’a aucune phase.",
        "L’appel à défis n’a pas de dates.",
        "Indiquez quelles natures d’organisation peuvent proposer un défi.",
        "La règle du top 250 ne désigne aucune édition de l’Observatoire.",
        "Indiquez les profils proposés.",
        "Indiquez combien de postes un défi peut compter.",
        "La présentation publique est vide.",
        "Ce qui est proposé n’est pas décrit.",
        "La question « Votre ministère ? » propose moins de deux options.",
    ]
    edition.refresh_from_db()
    assert edition.is_published is False


def test_publish_button_shows_the_refusal(team_client: Client, team: User) -> None:
    edition = EditionFactory(is_published=False)

    response = team_client.post(reverse("workspace:publish", args=[edition.slug]), follow=True)

    assert [str(m) for m in response.context["messages"]][0].startswith(
        "L’édition ne peut pas encore être publiée : L’édition n’a aucune phase. L’appel à défis n’a pas de dates."
    )
    assert response.context["problems"][:2] == ["L’édition n’a aucune phase.", "L’appel à défis n’a pas de dates."]


def test_a_copy_of_commando_2020_publishes_and_unpublishes(
    team_client: Client, team: User, commando_2020: Edition
) -> None:
    edition = services.create_edition(
        actor=team, source=commando_2020, name="Commando UX 2026", slug="commando-ux-2026", year=2026
    )

    published = team_client.post(reverse("workspace:publish", args=[edition.slug]), follow=True)
    edition.refresh_from_db()
    assert edition.is_published is True
    assert [str(m) for m in published.context["messages"]] == [
        "L’édition est publiée : ses pages publiques sont ouvertes."
    ]

    team_client.post(reverse("workspace:unpublish", args=[edition.slug]))
    edition.refresh_from_db()
    assert edition.is_published is False
    assert list(Event.objects.filter(target_id=str(edition.pk)).order_by("at", "pk").values_list("action", flat=True))[
        -2:
    ] == ["edition.published", "edition.unpublished"]
