"""The team adds, changes, reorders and deletes the questions of the forms, with a live preview."""

import pytest
from django.test import Client
from django.urls import reverse

from defis.audit.models import Event
from defis.programmes.models import Edition, Question
from defis.programmes.tests.test_workspace_support import *  # noqa: F403

pytestmark = pytest.mark.django_db


def _labels(edition: Edition) -> list[str]:
    return list(edition.questions.filter(form=Question.Form.DEFI).order_by("position").values_list("label", flat=True))


def test_add_question_puts_it_last_in_its_form(team_client: Client, commando_2020: Edition) -> None:
    response = team_client.post(
        reverse("workspace:questions", args=[commando_2020.slug]),
        {"form": "defi", "label": "Qui sponsorise le défi ?", "help_text": "", "kind": "text", "required": "on"},
    )

    assert response.status_code == 302
    question = Question.objects.get(label="Qui sponsorise le défi ?")
    assert (question.position, question.required, question.choices) == (4, True, [])
    assert _labels(commando_2020)[-1] == "Qui sponsorise le défi ?"


def test_a_choice_without_options_is_refused_next_to_the_field(team_client: Client, commando_2020: Edition) -> None:
    response = team_client.post(
        reverse("workspace:questions", args=[commando_2020.slug]),
        {"form": "defi", "label": "Votre ministère ?", "kind": "choice", "choices": "Un seul\n"},
    )

    assert response.context["form"].errors == {"choices": ["Une question à choix demande au moins deux options."]}


def test_change_question_keeps_its_place(team_client: Client, commando_2020: Edition) -> None:
    question = commando_2020.questions.get(position=2)

    team_client.post(
        reverse("workspace:question", args=[commando_2020.slug, question.pk]),
        {
            "form": "defi",
            "label": "Combien de jours par semaine l'équipe donnera-t-elle ?",
            "kind": "choice",
            "choices": "1\n2\n3 ou plus",
            "required": "on",
        },
    )

    question.refresh_from_db()
    assert (question.position, question.label, question.choices) == (
        2,
        "Combien de jours par semaine l'équipe donnera-t-elle ?",
        ["1", "2", "3 ou plus"],
    )
    assert Event.objects.get(action="question.saved").data["edition"] == "commando-ux-2020"


def test_move_question_up_and_down(team_client: Client, commando_2020: Edition) -> None:
    before = _labels(commando_2020)
    third = commando_2020.questions.get(position=3)

    team_client.post(reverse("workspace:question-move", args=[commando_2020.slug, third.pk]), {"direction": "up"})
    after_up = _labels(commando_2020)
    team_client.post(reverse("workspace:question-move", args=[commando_2020.slug, third.pk]), {"direction": "down"})

    assert after_up == [before[0], before[2], before[1]]
    assert _labels(commando_2020) == before


def test_moving_the_first_question_up_changes_nothing(team_client: Client, commando_2020: Edition) -> None:
    before = _labels(commando_2020)
    first = commando_2020.questions.get(position=1)

    team_client.post(reverse("workspace:question-move", args=[commando_2020.slug, first.pk]), {"direction": "up"})

    assert _labels(commando_2020) == before
    assert Event.objects.filter(action="question.moved").count() == 0


def test_delete_question(team_client: Client, commando_2020: Edition) -> None:
    question = commando_2020.questions.get(position=3)

    team_client.post(reverse("workspace:question-delete", args=[commando_2020.slug, question.pk]))

    assert len(_labels(commando_2020)) == 2
    assert Event.objects.get(action="question.deleted").data["label"] == "Document complémentaire (facultatif)"


def test_live_preview_shows_the_question_as_it_will_be_asked(team_client: Client, commando_2020: Edition) -> None:
    response = team_client.post(
        reverse("workspace:question-preview", args=[commando_2020.slug]),
        {
            "form": "defi",
            "label": "Quel temps l'équipe consacrera-t-elle ?",
            "kind": "choice",
            "choices": "Un jour\nDeux jours",
            "help_text": "Par semaine",
        },
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="question-preview"')
    assert html.count('type="radio"') == 2
    assert "Quel temps l&#x27;équipe consacrera-t-elle ?" in html
    assert "<h1>" not in html


def test_preview_button_without_javascript_saves_nothing(team_client: Client, commando_2020: Edition) -> None:
    question = commando_2020.questions.get(position=1)

    response = team_client.post(
        reverse("workspace:question", args=[commando_2020.slug, question.pk]),
        {"form": "defi", "label": "Nouvelle formulation", "kind": "long_text", "action": "preview"},
    )

    assert response.context["preview_form"].fields["answer"].label == "Nouvelle formulation"
    question.refresh_from_db()
    assert question.label == "Combien d'usagers seront concernés par ces améliorations chaque année ?"
