from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from defis.accounts.models import User
from defis.accounts.tests.factories import ProgrammeTeamFactory, UserFactory
from defis.audit.models import Event
from defis.challenges.models import Defi
from defis.challenges.tests.factories import CoEditorFactory, DefiFactory
from defis.privacy.models import RetentionConsent, RetentionPolicy, RetentionRun
from defis.privacy.services import apply_retention, set_retention_policy
from defis.programmes.models import Edition, Phase
from defis.programmes.tests.factories import EditionFactory, PhaseFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
END = datetime(2020, 12, 31, 23, 59, tzinfo=PARIS)  # the last phase of the edition closes then
DUE = datetime(2022, 12, 31, 23, 59, tzinfo=PARIS)  # 24 months later


@pytest.fixture
def edition() -> Edition:
    edition = EditionFactory(slug="commando-ux-2020", name="Commando UX 2020")
    PhaseFactory(edition=edition)
    PhaseFactory(edition=edition, kind=Phase.Kind.PROMOTION, opens_at=datetime(2020, 9, 7, tzinfo=PARIS), closes_at=END)
    RetentionPolicy.objects.create(edition=edition, months_after_end=24)
    return edition


def _defi(edition: Edition, decision: str, email: str) -> tuple[Defi, User]:
    defi = DefiFactory(edition=edition, decision=decision, complete=True)
    user = UserFactory(email=email)
    CoEditorFactory(defi=defi, user=user)
    return defi, user


def test_retention_erases_unselected_defis_people_once_due(edition):
    rejected, alone = _defi(edition, Defi.Decision.REJECTED, "seule@exemple.gouv.fr")
    selected, kept = _defi(edition, Defi.Decision.SELECTED, "retenue@exemple.gouv.fr")
    _, consenting = _defi(edition, Defi.Decision.REJECTED, "consent@exemple.gouv.fr")
    RetentionConsent.objects.create(user=consenting, edition=edition)
    _, elsewhere = _defi(edition, Defi.Decision.REJECTED, "ailleurs@exemple.gouv.fr")
    CoEditorFactory(user=elsewhere, defi=DefiFactory(edition=EditionFactory(year=2021)))

    run = apply_retention(edition=edition, at=DUE)

    assert run is not None
    emails = set(User.objects.values_list("email", flat=True))
    assert emails == {
        f"erased-{alone.pk}@erased.invalid",
        "retenue@exemple.gouv.fr",
        "consent@exemple.gouv.fr",
        "ailleurs@exemple.gouv.fr",
    }
    rejected.refresh_from_db()
    selected.refresh_from_db()
    assert (rejected.sponsor, rejected.team) == ("", "")
    assert selected.sponsor == "Claire Dupont, directrice"
    assert run.report["people_erased"] == 1
    assert run.key == f"retention:{edition.pk}:24"
    assert Event.objects.filter(action="privacy.retention_applied", target_id=str(edition.pk)).count() == 1
    assert kept.is_active is True


def test_retention_does_nothing_before_it_is_due(edition):
    _, person = _defi(edition, Defi.Decision.REJECTED, "seule@exemple.gouv.fr")

    assert apply_retention(edition=edition, at=datetime(2022, 12, 31, 23, 58, tzinfo=PARIS)) is None

    assert User.objects.get(pk=person.pk).email == "seule@exemple.gouv.fr"
    assert RetentionRun.objects.exists() is False


def test_retention_runs_once(edition):
    _defi(edition, Defi.Decision.REJECTED, "seule@exemple.gouv.fr")

    first = apply_retention(edition=edition, at=DUE)
    second = apply_retention(edition=edition, at=datetime(2023, 6, 1, tzinfo=PARIS))

    assert first == second
    assert Event.objects.filter(action__startswith="privacy.").values_list("action", flat=True).count() == 2


def test_retention_spares_people_who_signed_in_since_the_edition(edition):
    _, person = _defi(edition, Defi.Decision.REJECTED, "active@exemple.gouv.fr")
    User.objects.filter(pk=person.pk).update(last_login=datetime(2022, 1, 10, tzinfo=PARIS))

    apply_retention(edition=edition, at=DUE)

    assert User.objects.get(pk=person.pk).email == "active@exemple.gouv.fr"


def test_apply_retention_command_reports_each_edition(edition, time_machine):
    _defi(edition, Defi.Decision.REJECTED, "seule@exemple.gouv.fr")
    later = EditionFactory(slug="commando-ux-2030")
    PhaseFactory(
        edition=later, opens_at=datetime(2030, 6, 1, tzinfo=PARIS), closes_at=datetime(2030, 6, 30, tzinfo=PARIS)
    )
    RetentionPolicy.objects.create(edition=later, months_after_end=12)
    time_machine.move_to(datetime(2023, 1, 2, tzinfo=PARIS))
    out = StringIO()

    call_command("apply_retention", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"commando-ux-2020: retention:{edition.pk}:24 ")
    assert lines[1] == "commando-ux-2030: not due"


def test_setting_a_policy_schedules_the_retention_when_due(edition, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    team = ProgrammeTeamFactory()

    with django_capture_on_commit_callbacks(execute=True):
        set_retention_policy(actor=team, edition=edition, months_after_end=6)

    task = DBTaskResult.objects.get()
    assert task.task_path == "defis.privacy.tasks.apply_retention_task"
    assert task.run_after == datetime(2021, 6, 30, 23, 59, tzinfo=PARIS)
    assert task.args_kwargs["kwargs"] == {"edition_id": edition.pk}


def test_team_sets_the_period_from_its_page(edition, client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(ProgrammeTeamFactory())

    response = client.post(
        reverse("privacy:set-retention", args=[edition.slug]), {f"{edition.slug}-months_after_end": "36"}, follow=True
    )

    assert RetentionPolicy.objects.get(edition=edition).months_after_end == 36
    assert "La durée de conservation de Commando UX 2020 est fixée." in response.content.decode()


@pytest.mark.parametrize("n", [10, 200])
def test_retention_page_query_count_is_flat(client, django_assert_num_queries, n):
    for edition in EditionFactory.create_batch(n):
        PhaseFactory(edition=edition)
    client.force_login(ProgrammeTeamFactory())

    # session, user, count, editions with programme and policy, their phases
    with django_assert_num_queries(5):
        response = client.get(reverse("privacy:retention"))

    assert len(response.context["rows"]) == min(n, 50)
