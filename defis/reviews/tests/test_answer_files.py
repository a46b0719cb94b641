"""A file answering one of the edition's questions is read like an attachment: by the défi's
administration and the team from the défi's page, by an assigned juror from the review page only,
and every download is logged."""

from pathlib import Path

import pytest
from django.conf import LazySettings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from defis.accounts.tests.factories import ProgrammeTeamFactory
from defis.audit.models import Event
from defis.challenges.models import Answer, Defi
from defis.challenges.tests.factories import CoEditorFactory, approved_member
from defis.programmes.models import Question
from defis.reviews.models import ConflictOfInterest, Juror
from defis.reviews.tests.factories import assign, juror, selection_edition, submitted_defi

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings: LazySettings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def defi() -> Defi:
    return submitted_defi(selection_edition(), title="Simplifier la carte grise")


def answer_with_file(defi: Defi, name: str = "lettre-de-soutien.pdf") -> Answer:
    question = Question.objects.create(edition=defi.edition, label="Lettre de soutien", kind=Question.Kind.FILE)
    answer = Answer(defi=defi, question=question, value=name)
    answer.file.save(name, ContentFile(PDF), save=True)
    return answer


def jury_url(defi: Defi, answer: Answer) -> str:
    return reverse(
        "reviews:answer-file", kwargs={"edition_slug": defi.edition.slug, "defi_pk": defi.pk, "answer_pk": answer.pk}
    )


def defi_url(defi: Defi, answer: Answer) -> str:
    return reverse("challenges:answer-file", kwargs={"pk": defi.pk, "answer_pk": answer.pk})


def logged() -> list[tuple[object, ...]]:
    return list(Event.objects.values_list("actor_id", "action", "target_id", "data"))


def test_the_defis_administration_reads_the_file_from_the_defi_page(client: Client, defi: Defi) -> None:
    answer = answer_with_file(defi)
    agent = approved_member(defi.organisation, email="agent@exemple.gouv.fr")
    CoEditorFactory(defi=defi, user=agent)
    client.force_login(agent)

    page = client.get(reverse("challenges:detail", kwargs={"pk": defi.pk}))
    response = client.get(defi_url(defi, answer))

    assert f'href="{defi_url(defi, answer)}"' in page.content.decode()
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response["Content-Disposition"] == 'attachment; filename="lettre-de-soutien.pdf"'
    assert b"".join(response.streaming_content) == PDF
    assert logged() == [
        (
            agent.pk,
            "defi.answer_file_downloaded",
            str(defi.pk),
            {"answer_id": answer.pk, "question_id": answer.question_id, "name": "lettre-de-soutien.pdf"},
        )
    ]


def test_the_team_reads_the_file_and_an_answer_without_file_is_a_404(client: Client, defi: Defi) -> None:
    answer = answer_with_file(defi)
    text = Question.objects.create(edition=defi.edition, label="Contexte", kind=Question.Kind.TEXT)
    without_file = Answer.objects.create(defi=defi, question=text, value="Du texte")
    client.force_login(ProgrammeTeamFactory())

    assert client.get(defi_url(defi, answer)).status_code == 200
    assert client.get(defi_url(defi, without_file)).status_code == 404


def test_an_assigned_juror_reads_the_file_from_the_review_page(client: Client, defi: Defi) -> None:
    answer = answer_with_file(defi)
    seat = juror(defi.edition, email="jure@exemple.fr")
    assign(seat, defi)
    client.force_login(seat.user)

    page = client.get(reverse("reviews:review", kwargs={"edition_slug": defi.edition.slug, "defi_pk": defi.pk}))
    response = client.get(jury_url(defi, answer))

    assert f'href="{jury_url(defi, answer)}"' in page.content.decode()
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert [row[:2] for row in logged()] == [(seat.user_id, "defi.answer_file_downloaded")]


def test_a_juror_not_assigned_or_in_conflict_gets_a_404_and_nothing_is_logged(client: Client, defi: Defi) -> None:
    answer = answer_with_file(defi)
    unassigned: Juror = juror(defi.edition, email="autre-jure@exemple.fr")
    conflicted = juror(defi.edition, email="jure-en-conflit@exemple.fr")
    assign(conflicted, defi)
    ConflictOfInterest.objects.create(
        juror=conflicted, organisation=defi.organisation, source=ConflictOfInterest.Source.DECLARED, reason="x"
    )

    for seat in (unassigned, conflicted):
        client.force_login(seat.user)
        assert client.get(jury_url(defi, answer)).status_code == 404
        assert client.get(defi_url(defi, answer)).status_code in (403, 404)
    assert logged() == []
