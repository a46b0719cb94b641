"""Writes racing on one défi wait for its row lock and then see what the other committed: a double
submission submits once, and a withdrawal queued behind a submission numbers its version after it.

Row locks are what these tests are about: they run on PostgreSQL only (SQLite has none), e.g.
`DATABASE_URL=postgres://postgres@127.0.0.1:5432/defis pytest defis/challenges/tests/test_submit_concurrency.py`.
"""

import threading
import time
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections, transaction

from defis.challenges import services
from defis.challenges.models import Defi, DefiVersion
from defis.challenges.tests.factories import CoEditorFactory, DefiFactory, approved_member, commando_ux_2020
from defis.demarches.tests.factories import DemarcheFactory, IndicatorSetFactory
from defis.organisations.models import Organisation
from defis.organisations.tests.factories import OrganisationFactory

PARIS = ZoneInfo("Europe/Paris")
DURING_CALL = datetime(2020, 6, 15, 14, 2, tzinfo=PARIS)
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the test is about row locks, which SQLite does not have")


@pytest.fixture
def draft() -> Defi:
    edition = commando_ux_2020()
    demarche = DemarcheFactory(observatory_id=823)
    IndicatorSetFactory(edition=edition.observatory_edition, demarche=demarche)
    organisation = OrganisationFactory(kind=Organisation.Kind.CENTRAL_ADMINISTRATION)
    defi = DefiFactory(edition=edition, organisation=organisation, complete=True, demarche=demarche)
    CoEditorFactory(defi=defi, user=approved_member(organisation))
    return defi


class Run(threading.Thread):
    """A write in a thread of its own, hence on a database connection of its own."""

    def __init__(self, write: Callable[[], Defi], start_together: threading.Barrier | None = None) -> None:
        super().__init__()
        self.write, self.start_together = write, start_together
        self.result: Defi | BaseException | None = None

    def run(self) -> None:
        try:
            if self.start_together is not None:
                self.start_together.wait(timeout=10)
            self.result = self.write()
        except BaseException as error:  # noqa: BLE001  # handed to the test, which asserts on it
            self.result = error
        finally:
            connections.close_all()


def wait_until_a_backend_waits_for_a_lock() -> None:
    deadline = time.monotonic() + 10
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # else a transaction sees its first reading again
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
    raise AssertionError("no backend waited for the défi's lock")


def test_two_submissions_at_once_submit_the_draft_once(draft: Defi) -> None:
    agent = draft.coeditors.get().user
    together = threading.Barrier(2)
    runs = [
        Run(
            lambda text=text: services.submit_defi(
                actor=agent, defi=draft, data={"problem": text}, version=1, at=DURING_CALL
            ),
            together,
        )
        for text in ("Premier clic", "Second clic")
    ]
    for run in runs:
        run.start()
    for run in runs:
        run.join(timeout=30)

    assert [getattr(run.result, "status", run.result) for run in runs] == [Defi.Status.SUBMITTED] * 2
    draft.refresh_from_db()
    version = DefiVersion.objects.get()
    assert (draft.status, draft.version, version.number) == (Defi.Status.SUBMITTED, 2, 1)
    assert version.snapshot["problem"] == draft.problem


def test_withdrawal_waiting_behind_a_submission_numbers_its_version_after_it(draft: Defi) -> None:
    agent = draft.coeditors.get().user
    withdrawal = Run(lambda: services.withdraw_defi(actor=agent, defi=draft))
    with transaction.atomic():
        services.submit_defi(actor=agent, defi=draft, at=DURING_CALL)  # holds the lock until this block ends
        withdrawal.start()
        wait_until_a_backend_waits_for_a_lock()
    withdrawal.join(timeout=30)

    assert isinstance(withdrawal.result, Defi), withdrawal.result
    assert list(DefiVersion.objects.order_by("number").values_list("number", "reason")) == [
        (1, "submitted"),
        (2, "withdrawn"),
    ]
