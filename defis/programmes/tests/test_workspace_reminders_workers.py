"""Two real task workers race on the same reminder: each person still gets exactly one e-mail.

The reminder is scheduled by saving the call's dates (enqueued with `run_after`), then enqueued seven
times more, as a retried request or a re-saved phase would; two `manage.py db_worker` processes
share the queue on PostgreSQL, whose row locks are what the test is about (SQLite has none).
"""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import LazySettings, settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from defis.accounts.models import User
from defis.accounts.tests.factories import UserFactory
from defis.challenges.tests.factories import CoEditorFactory, DefiFactory
from defis.notifications.models import OutboxMessage, ScheduledReminder
from defis.notifications.tasks import send_scheduled_reminder_task
from defis.programmes import services
from defis.programmes.models import Phase
from defis.programmes.tests.factories import EditionFactory
from defis.programmes.tests.test_workspace_support import *  # noqa: F403

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _worker(worker_id: str, mail_dir: Path) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{host}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        "--worker-id",
        worker_id,
        "-v",
        "0",
    ]
    return subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)  # noqa: S603  # our own command


def test_two_workers_send_the_reminder_once_per_person(settings: LazySettings, team: User, tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: two workers race on row locks, which SQLite does not have "
            "(run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/defis)"
        )
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    edition = EditionFactory(year=timezone.now().year)
    alice, bob, claude = (UserFactory(email=f"{name}@exemple.gouv.fr") for name in ("alice", "bob", "claude"))
    first, second = DefiFactory(edition=edition), DefiFactory(edition=edition)
    for defi, person in [(first, alice), (first, bob), (second, alice), (second, claude)]:
        CoEditorFactory(defi=defi, user=person)
    now = timezone.now()
    # The call closes in a day: its one-day reminder fell due a minute ago, so the workers take it at once.
    services.save_phase(
        actor=team,
        edition=edition,
        at=now - timedelta(minutes=5),
        data={
            "kind": Phase.Kind.CALL_FOR_DEFIS,
            "opens_at": now - timedelta(days=3),
            "closes_at": now + timedelta(days=1) - timedelta(minutes=2),
            "precision": Phase.Precision.MINUTE,
        },
    )
    reminder = ScheduledReminder.objects.get(days_before=1)
    for _retry in range(7):
        send_scheduled_reminder_task.enqueue(reminder_id=reminder.pk)
    mail_dir = tmp_path / "mail"

    workers = [_worker("worker-a", mail_dir), _worker("worker-b", mail_dir)]
    codes = [worker.wait(timeout=120) for worker in workers]

    assert codes == [0, 0]
    reminder.refresh_from_db()
    assert (reminder.status, reminder.messages_count) == (ScheduledReminder.Status.SENT, 3)
    assert sorted(OutboxMessage.objects.values_list("to", "status")) == [
        ("alice@exemple.gouv.fr", "sent"),
        ("bob@exemple.gouv.fr", "sent"),
        ("claude@exemple.gouv.fr", "sent"),
    ]
    sent = [line for path in mail_dir.iterdir() for line in path.read_text().splitlines() if line.startswith("To: ")]
    assert sorted(sent) == ["To: alice@exemple.gouv.fr", "To: bob@exemple.gouv.fr", "To: claude@exemple.gouv.fr"]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert DBTaskResult.objects.filter(task_path__endswith="send_scheduled_reminder_task").count() == 8
