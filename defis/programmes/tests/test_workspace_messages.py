"""E-mail templates per edition, kind and language: a sandbox that allows only the documented
variables, a preview rendered with the edition's real data, and a way back to the platform's text."""

import pytest
from django.test import Client
from django.urls import reverse

from defis.accounts.models import User
from defis.challenges.tests.factories import DefiFactory
from defis.notifications.errors import InvalidMessageTemplate
from defis.notifications.models import MessageKind, MessageTemplate
from defis.notifications.templating import check_template_text, render_kind, render_text
from defis.programmes import services
from defis.programmes.models import Edition
from defis.programmes.tests.test_workspace_support import *  # noqa: F403

pytestmark = pytest.mark.django_db
REMINDER = MessageKind.DEADLINE_REMINDER


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "{% load static %}",
            "Ce modèle ne peut pas être utilisé : le texte est illisible : vérifiez les doubles "
            "accolades et retirez toute balise.",
        ),
        (
            "{{ person|default: }}",
            "Ce modèle ne peut pas être utilisé : le texte est illisible : vérifiez les "
            "doubles accolades et retirez toute balise.",
        ),
        (
            "{% include 'base.html' %}",
            "Ce modèle ne peut pas être utilisé : seules des variables entre {{ et }} sont permises, aucune balise.",
        ),
        (
            "{{ person.password }}",
            "Ce modèle ne peut pas être utilisé : {{ person.password }} n’est pas une variable de "
            "ce message ; utilisez {{ person }}, {{ edition }}, {{ phase }}, {{ deadline }}, "
            "{{ days }}, {{ defi }}, {{ url }}.",
        ),
        (
            "{{ inviter }}",
            "Ce modèle ne peut pas être utilisé : {{ inviter }} n’est pas une variable de ce message ; "
            "utilisez {{ person }}, {{ edition }}, {{ phase }}, {{ deadline }}, {{ days }}, {{ defi }}, "
            "{{ url }}.",
        ),
        ("{{ person|safe }}", "Ce modèle ne peut pas être utilisé : le filtre safe n’est pas permis."),
    ],
)
def test_sandbox_refuses_anything_but_the_documented_variables(text: str, message: str) -> None:
    with pytest.raises(InvalidMessageTemplate) as refused:
        check_template_text(text, kind=REMINDER)

    assert refused.value.message == message


def test_sandbox_renders_variables_and_harmless_filters() -> None:
    text = "{{ person|upper }} — {{ defi|default:'votre défi' }} — {{ inconnu_supprimé }}"

    with pytest.raises(InvalidMessageTemplate):
        render_text(text, kind=REMINDER, context={"person": "Alice"})
    assert (
        render_text(
            "{{ person|upper }} — {{ defi|default:'votre défi' }}",
            kind=REMINDER,
            context={"person": "Alice", "defi": None},
        )
        == "ALICE — votre défi"
    )


def test_platform_wording_exists_in_french_and_english() -> None:
    context = {"person": "Alice", "edition": "Commando UX 2026", "days": 7}

    assert render_kind(edition_id=None, kind=REMINDER, language="fr", context=context)[0] == (
        "Commando UX 2026 : plus que 7 jour(s) pour déposer"
    )
    assert render_kind(edition_id=None, kind=REMINDER, language="en", context=context)[0] == (
        "Commando UX 2026: 7 day(s) left to submit"
    )


def test_message_page_previews_with_the_edition_data(team_client: Client, commando_2020: Edition) -> None:
    DefiFactory(edition=commando_2020, title="Simplifier la carte grise")

    response = team_client.post(
        reverse("workspace:message-preview", args=[commando_2020.slug, "deadline_reminder", "fr"]),
        {"subject": "{{ edition }} ferme le {{ deadline }}", "body": "Bonjour {{ person }}, et {{ defi }} ?"},
    )

    html = response.content.decode()
    assert "Commando UX 2020 ferme le 19 juin 2020 à 23:59" in html
    assert "Bonjour Camille Équipe, et Simplifier la carte grise ?" in html


def test_message_page_saves_a_french_version_then_resets_it(team_client: Client, commando_2020: Edition) -> None:
    url = reverse("workspace:message", args=[commando_2020.slug, "deadline_reminder", "fr"])

    team_client.post(url, {"subject": "Plus que {{ days }} jours", "body": "Bonjour {{ person }}"})
    saved = MessageTemplate.objects.get()
    team_client.post(reverse("workspace:message-reset", args=[commando_2020.slug, "deadline_reminder", "fr"]))

    assert (saved.kind, saved.language, saved.subject) == (REMINDER, "fr", "Plus que {{ days }} jours")
    assert MessageTemplate.objects.count() == 0


def test_message_page_shows_a_sandbox_refusal_next_to_the_field(team_client: Client, commando_2020: Edition) -> None:
    url = reverse("workspace:message", args=[commando_2020.slug, "deadline_reminder", "en"])

    response = team_client.post(url, {"subject": "{% now 'Y' %}", "body": "Hello {{ person }}"})

    assert response.context["form"].errors == {
        "subject": [
            "Ce modèle ne peut pas être utilisé : seules des variables entre {{ et }} sont permises, aucune balise."
        ]
    }
    assert MessageTemplate.objects.count() == 0


def test_message_page_of_an_unknown_kind_is_a_404(team_client: Client, commando_2020: Edition) -> None:
    response = team_client.get(reverse("workspace:message", args=[commando_2020.slug, "inconnu", "fr"]))

    assert response.status_code == 404


def test_english_version_is_kept_apart(team: User, commando_2020: Edition) -> None:
    services.save_message_template(
        actor=team,
        edition=commando_2020,
        kind=REMINDER,
        language="en",
        subject="{{ days }} days left",
        body="Hello {{ person }}",
    )

    assert render_kind(
        edition_id=commando_2020.pk, kind=REMINDER, language="en", context={"days": 1, "person": "Alice"}
    ) == ("1 days left", "Hello Alice\n")
    assert (
        render_kind(edition_id=commando_2020.pk, kind=REMINDER, language="fr", context={"days": 1, "edition": "X"})[0]
        == "X : plus que 1 jour(s) pour déposer"
    )
