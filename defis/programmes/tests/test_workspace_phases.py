"""Phases are entered in Paris time, drawn on a timeline that warns of overlaps and gaps, and their
deadlines schedule the reminders (7 days and 1 day before) with `run_after`."""

import pytest
from django.conf import LazySettings
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from defis.accounts.models import User
from defis.audit.models import Event
from defis.notifications.models import ScheduledReminder
from defis.notifications.services import run_scheduled_reminder
from defis.programmes import selectors, services
from defis.programmes.models import Edition, Phase
from defis.programmes.tests.factories import EditionFactory, PhaseFactory
from defis.programmes.tests.test_workspace_support import *  # noqa: F403
from defis.programmes.tests.test_workspace_support import paris

pytestmark = pytest.mark.django_db

CALL = {"kind": Phase.Kind.CALL_FOR_DEFIS, "precision": Phase.Precision.MINUTE, "published_label": ""}


@pytest.fixture
def database_tasks(settings: LazySettings) -> None:
    """Tasks go to the database queue, as in production, so that `run_after` is kept and visible."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_timeline_of_commando_2020_names_its_gaps(commando_2020: Edition) -> None:
    timeline = selectors.timeline(edition=selectors.edition_for_workspace().get(pk=commando_2020.pk))

    assert [month.isoformat() for month in timeline.months] == [
        "2020-06-01",
        "2020-07-01",
        "2020-08-01",
        "2020-09-01",
        "2020-10-01",
        "2020-11-01",
        "2020-12-01",
    ]
    assert [(row.phase.kind, row.months) for row in timeline.rows] == [
        (Phase.Kind.CALL_FOR_DEFIS, [True, False, False, False, False, False, False]),
        (Phase.Kind.SELECTION, [True, False, False, False, False, False, False]),
        (Phase.Kind.CALL_FOR_APPLICATIONS, [True, True, False, False, False, False, False]),
        (Phase.Kind.RECRUITMENT, [False, True, False, False, False, False, False]),
        (Phase.Kind.PROMOTION, [False, False, False, True, True, True, True]),
    ]
    assert timeline.warnings == [
        "2 jours sans phase entre « appel à défis » et « sélection des défis ».",
        "2 jours sans phase entre « sélection des défis » et « appel à candidatures ».",
        "2 jours sans phase entre « appel à candidatures » et « entretiens et recrutement ».",
        "37 jours sans phase entre « entretiens et recrutement » et « promotion en action ».",
    ]


def test_timeline_warns_of_an_overlap() -> None:
    edition = EditionFactory()
    PhaseFactory(edition=edition)  # 8–19 June 2020 23:59
    PhaseFactory(
        edition=edition,
        kind=Phase.Kind.SELECTION,
        opens_at=paris(2020, 6, 19, 12, 0),
        closes_at=paris(2020, 6, 26, 23, 59),
    )

    timeline = selectors.timeline(edition=selectors.edition_for_workspace().get(pk=edition.pk))

    assert timeline.warnings == [
        "Les phases « appel à défis » et « sélection des défis » se chevauchent : « sélection des défis » "
        "s’ouvre le 19 juin 2020 à 12:00, avant la clôture de « appel à défis » le 19 juin 2020 à 23:59."
    ]


def test_phase_page_reads_the_moments_in_paris_time(team_client: Client, commando_2020: Edition) -> None:
    call = commando_2020.phases.get(kind=Phase.Kind.CALL_FOR_DEFIS)

    response = team_client.post(
        reverse("workspace:phase", args=[commando_2020.slug, call.pk]),
        {
            "kind": "call_for_defis",
            "opens_at": "2020-06-08T00:00",
            "closes_at": "2020-06-26T23:59",
            "precision": "minute",
            "published_label": "",
        },
    )

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.closes_at.isoformat() == "2020-06-26T21:59:00+00:00"
    assert Event.objects.get(action="phase.saved").data["before"] == {
        "opens_at": "2020-06-07T22:00:00+00:00",
        "closes_at": "2020-06-19T21:59:00+00:00",
    }


def test_phase_page_shows_a_closing_before_opening_next_to_the_field(
    team_client: Client, commando_2020: Edition
) -> None:
    call = commando_2020.phases.get(kind=Phase.Kind.CALL_FOR_DEFIS)

    response = team_client.post(
        reverse("workspace:phase", args=[commando_2020.slug, call.pk]),
        {
            "kind": "call_for_defis",
            "opens_at": "2020-06-08T00:00",
            "closes_at": "2020-06-01T23:59",
            "precision": "minute",
        },
    )

    assert response.context["form"].errors == {"closes_at": ["Une phase ne peut pas fermer avant d’ouvrir."]}


def test_phase_page_refuses_a_second_phase_of_a_kind(team_client: Client, commando_2020: Edition) -> None:
    response = team_client.post(
        reverse("workspace:phases", args=[commando_2020.slug]),
        {"kind": "selection", "opens_at": "2020-06-22T00:00", "closes_at": "", "precision": "day"},
    )

    assert response.context["form"].errors == {"kind": ["Cette édition a déjà une phase de ce type."]}


@pytest.mark.usefixtures("database_tasks")
def test_saving_the_call_schedules_two_reminders_with_run_after(  # type: ignore[no-untyped-def]
    team: User, django_capture_on_commit_callbacks
) -> None:
    edition = EditionFactory(year=2026)

    with django_capture_on_commit_callbacks(execute=True):
        call = services.save_phase(
            actor=team,
            edition=edition,
            at=paris(2026, 5, 1),
            data={**CALL, "opens_at": paris(2026, 6, 8), "closes_at": paris(2026, 6, 19, 23, 59)},
        )

    reminders = ScheduledReminder.objects.filter(target_id=str(call.pk)).order_by("due_at")
    assert [(r.days_before, r.due_at, r.status) for r in reminders] == [
        (7, paris(2026, 6, 13), ScheduledReminder.Status.SCHEDULED),
        (1, paris(2026, 6, 19), ScheduledReminder.Status.SCHEDULED),
    ]
    tasks = DBTaskResult.objects.order_by("run_after")
    assert [(t.task_path, t.args_kwargs["kwargs"], t.run_after) for t in tasks] == [
        ("defis.notifications.tasks.send_scheduled_reminder_task", {"reminder_id": r.pk}, r.due_at) for r in reminders
    ]
    assert Event.objects.get(action="phase.saved").data["reminders"] == [
        "2026-06-13T00:00:00+02:00",
        "2026-06-19T00:00:00+02:00",
    ]


@pytest.mark.usefixtures("database_tasks")
def test_moving_the_deadline_cancels_the_old_reminders_and_schedules_new_ones(  # type: ignore[no-untyped-def]
    team: User, django_capture_on_commit_callbacks
) -> None:
    edition = EditionFactory(year=2026)
    data = {**CALL, "opens_at": paris(2026, 6, 8), "closes_at": paris(2026, 6, 19, 23, 59)}
    with django_capture_on_commit_callbacks(execute=True):
        call = services.save_phase(actor=team, edition=edition, at=paris(2026, 5, 1), data=data)

    with django_capture_on_commit_callbacks(execute=True):
        services.save_phase(
            actor=team,
            edition=edition,
            phase=call,
            at=paris(2026, 5, 2),
            data={**data, "closes_at": paris(2026, 6, 26, 23, 59)},
        )

    assert list(ScheduledReminder.objects.order_by("due_at").values_list("due_at", "status")) == [
        (paris(2026, 6, 13), ScheduledReminder.Status.CANCELLED),
        (paris(2026, 6, 19), ScheduledReminder.Status.CANCELLED),
        (paris(2026, 6, 20), ScheduledReminder.Status.SCHEDULED),  # 7 days before midnight of the 27th
        (paris(2026, 6, 26), ScheduledReminder.Status.SCHEDULED),
    ]
    assert DBTaskResult.objects.count() == 4


@pytest.mark.usefixtures("database_tasks")
def test_a_reminder_whose_deadline_moved_is_skipped_when_it_runs(team: User) -> None:
    edition = EditionFactory(year=2026)
    data = {**CALL, "opens_at": paris(2026, 6, 8), "closes_at": paris(2026, 6, 19, 23, 59)}
    call = services.save_phase(actor=team, edition=edition, at=paris(2026, 5, 1), data=data)
    old = ScheduledReminder.objects.get(days_before=1)
    # The task was already taken by a worker when the team moved the deadline: it still runs.
    Phase.objects.filter(pk=call.pk).update(closes_at=paris(2026, 6, 26, 23, 59))

    reminder = run_scheduled_reminder(reminder_id=old.pk, at=paris(2026, 6, 19, 0, 0))

    assert reminder is not None
    assert (reminder.status, reminder.messages_count) == (ScheduledReminder.Status.SKIPPED, 0)


@pytest.mark.usefixtures("database_tasks")
def test_a_deadline_too_close_schedules_only_the_reminders_still_ahead(team: User) -> None:
    edition = EditionFactory(year=2026)

    services.save_phase(
        actor=team,
        edition=edition,
        at=paris(2026, 6, 15),
        data={**CALL, "opens_at": paris(2026, 6, 8), "closes_at": paris(2026, 6, 19, 23, 59)},
    )

    assert list(ScheduledReminder.objects.values_list("days_before", flat=True)) == [1]


def test_phases_page_shows_the_timeline_table(team_client: Client, commando_2020: Edition) -> None:
    response = team_client.get(reverse("workspace:phases", args=[commando_2020.slug]))

    html = response.content.decode()
    assert "<caption>Frise des phases par mois, heure de Paris</caption>" in html
    assert html.count('<span class="fr-sr-only">en cours</span>') == 9  # 1 + 1 + 2 + 1 + 4 months
    assert response.context["timeline"].warnings[-1] == (
        "37 jours sans phase entre « entretiens et recrutement » et « promotion en action »."
    )


def test_deleting_a_phase_cancels_its_reminders(team: User, settings: LazySettings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    edition = EditionFactory(year=2026)
    call = services.save_phase(
        actor=team,
        edition=edition,
        at=paris(2026, 5, 1),
        data={**CALL, "opens_at": paris(2026, 6, 8), "closes_at": paris(2026, 6, 19, 23, 59)},
    )

    services.delete_phase(actor=team, phase=call)

    assert set(ScheduledReminder.objects.values_list("status", flat=True)) == {ScheduledReminder.Status.CANCELLED}
    assert Phase.objects.filter(edition=edition).count() == 0
