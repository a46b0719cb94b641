"""The deadline surge's two requests, autosave and submission, read the défi once and cost a fixed number of
queries, whatever the number of co-editors, questions, answers and attachments."""

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from defis.challenges.models import Answer, Attachment, CoEditor, Defi, DefiVersion
from defis.challenges.tests.factories import CoEditorFactory, DefiFactory, approved_member, commando_ux_2020
from defis.demarches.tests.factories import DemarcheFactory, IndicatorSetFactory
from defis.organisations.models import Organisation
from defis.organisations.tests.factories import OrganisationFactory
from defis.programmes.models import Question

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _call_is_open() -> Iterator[None]:
    with time_machine.travel(datetime(2020, 6, 15, 14, 2, tzinfo=PARIS), tick=False):
        yield


# Session and user (middleware); the défi with its edition, organisation, démarche, and what the rules ask
# (one query); the edition's questions; the savepoint the test's transaction turns `atomic` into; the
# locked row and its answers; the changed answers (one statement), the défi's update and the co-editor's
# time; the savepoint's release; the démarche's figures for the checks.
AUTOSAVE_QUERIES = 12
# As the autosave, plus the phases and the organisation's deadline extensions, then the number of the last
# version and the attachments (for the new version's snapshot), the version and the audit row; the défi's
# update holds both the form and the submission.
SUBMIT_QUERIES = 18


@pytest.fixture
def world(request: pytest.FixtureRequest) -> tuple[Defi, list[Question]]:
    """A draft with n co-editors, n questions each answered, and n attachments."""
    n: int = request.param
    edition = commando_ux_2020()
    demarche = DemarcheFactory(observatory_id=823, title="Déclaration d’impôt sur le revenu")
    IndicatorSetFactory(edition=edition.observatory_edition, demarche=demarche)
    organisation = OrganisationFactory(kind=Organisation.Kind.CENTRAL_ADMINISTRATION)
    defi = DefiFactory(edition=edition, organisation=organisation, complete=True, demarche=demarche)
    for index in range(n):
        CoEditorFactory(defi=defi, user=approved_member(organisation, email=f"agent{index}@finances.gouv.fr"))
        Attachment.objects.create(defi=defi, file=f"defis/attachments/note{index}.pdf", name=f"note{index}.pdf", size=9)
    questions = [
        Question.objects.create(edition=edition, position=index, label=f"Question {index}", kind="text", required=True)
        for index in range(n)
    ]
    Answer.objects.bulk_create(Answer(defi=defi, question=question, value="avant") for question in questions)
    return defi, questions


def form(defi: Defi, questions: list[Question], answer: str, problem: str) -> dict[str, object]:
    return {
        "title": defi.title,
        "summary": defi.summary,
        "demarche": "823",
        "problem": problem,
        "expected_impact": defi.expected_impact,
        "sponsor": defi.sponsor,
        "team": defi.team,
        "profiles": defi.profiles,
        "positions_count": str(defi.positions_count),
        "accessibility_plan": defi.accessibility_plan,
        "version": str(defi.version),
        **{question.field_name: answer for question in questions},
    }


def author(defi: Defi):  # type: ignore[no-untyped-def]
    return CoEditor.objects.filter(defi=defi).order_by("created_at").first().user


@pytest.mark.parametrize("world", [1, 5], indirect=True)
def test_autosave_query_count_is_flat(
    client: Client, world: tuple[Defi, list[Question]], django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    defi, questions = world
    client.force_login(author(defi))

    with django_assert_num_queries(AUTOSAVE_QUERIES):
        response = client.post(
            reverse("challenges:autosave", args=[defi.pk]), form(defi, questions, "après", "Tapé"), **HTMX
        )

    assert '<input type="hidden" name="version" value="2" id="id_version" hx-swap-oob="true">' in (
        response.content.decode()
    )
    assert "prêt à soumettre" in response.content.decode()
    assert sorted(Answer.objects.filter(defi=defi).values_list("value", flat=True)) == ["après"] * len(questions)
    defi.refresh_from_db()
    assert (defi.problem, defi.version) == ("Tapé", 2)


@pytest.mark.parametrize("world", [1, 5], indirect=True)
def test_first_autosave_creates_the_answers_in_one_statement(
    client: Client, world: tuple[Defi, list[Question]], django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    defi, questions = world
    Answer.objects.filter(defi=defi).delete()
    client.force_login(author(defi))

    # The answers are inserted together, then read again for the checks: one more query than an update.
    with django_assert_num_queries(AUTOSAVE_QUERIES + 1):
        response = client.post(
            reverse("challenges:autosave", args=[defi.pk]), form(defi, questions, "nouveau", "Tapé"), **HTMX
        )

    assert "prêt à soumettre" in response.content.decode()
    assert sorted(Answer.objects.filter(defi=defi).values_list("question_id", "value")) == sorted(
        (question.pk, "nouveau") for question in questions
    )


@pytest.mark.parametrize("world", [1, 5], indirect=True)
def test_submission_query_count_is_flat(
    client: Client, world: tuple[Defi, list[Question]], django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    defi, questions = world
    client.force_login(author(defi))

    with django_assert_num_queries(SUBMIT_QUERIES):
        response = client.post(
            reverse("challenges:submit", args=[defi.pk]), form(defi, questions, "après", "Soumis tel quel")
        )

    assert response.url == reverse("challenges:receipt", args=[defi.pk])
    version = DefiVersion.objects.get(defi=defi)
    assert (version.snapshot["problem"], version.snapshot["answers"]) == (
        "Soumis tel quel",
        {str(question.pk): "après" for question in questions},
    )
    assert version.snapshot["attachments"] == [f"note{index}.pdf" for index in range(len(questions))]


@pytest.mark.parametrize("world", [1], indirect=True)
def test_submission_reads_configuration_without_joining_for_meta_ordering(
    client: Client, world: tuple[Defi, list[Question]]
) -> None:
    """Questions, phases, deadline extensions and the démarche's figures are read for one edition: their
    Meta.ordering's leading foreign key would join its table to every such read for nothing."""
    defi, questions = world
    client.force_login(author(defi))

    with CaptureQueriesContext(connection) as captured:
        client.post(reverse("challenges:submit", args=[defi.pk]), form(defi, questions, "après", "Soumis"))

    reads = {
        table: [
            query["sql"]
            for query in captured.captured_queries
            if query["sql"].startswith("SELECT") and f'FROM "{table}"' in query["sql"]
        ]
        for table in (
            "programmes_question",
            "programmes_phase",
            "programmes_deadlineextension",
            "demarches_indicatorset",
        )
    }
    assert {table: len(sqls) for table, sqls in reads.items()} == dict.fromkeys(reads, 1)
    assert [sql for sqls in reads.values() for sql in sqls if " JOIN " in sql] == []
