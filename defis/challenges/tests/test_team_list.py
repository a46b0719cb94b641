import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from defis.accounts.models import User
from defis.audit.models import Event
from defis.challenges.models import Defi
from defis.challenges.tests.builders import commando_ux_2020, organisation, paris
from defis.demarches.models import Demarche
from defis.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_client(client: Client) -> Client:
    team = User.objects.create_user(
        email="equipe@numerique.gouv.fr", password="x" * 12, is_programme_team=True, is_staff=True
    )
    client.force_login(team)
    return client


def make_defis(edition, n: int, **fields):  # type: ignore[no-untyped-def]
    dgfip = Organisation.objects.filter(slug="dgfip").first() or organisation()
    return [Defi.objects.create(edition=edition, organisation=dgfip, title=f"Défi {i:03}", **fields) for i in range(n)]


def test_team_list_filters_by_status_and_eligibility(team_client: Client) -> None:
    edition = commando_ux_2020()
    top = Demarche.objects.get(observatory_id=823)
    outside = Demarche.objects.create(observatory_id=1207, title="Déclaration de perte de carte")
    eligible = Defi.objects.create(
        edition=edition, organisation=organisation(), title="Impôts", demarche=top, status=Defi.Status.SUBMITTED
    )
    Defi.objects.create(
        edition=edition,
        organisation=Organisation.objects.get(slug="dgfip"),
        title="Perte",
        demarche=outside,
        status=Defi.Status.SUBMITTED,
    )
    has = organisation(kind=Organisation.Kind.INDEPENDENT_PUBLIC_AUTHORITY, slug="has", name="HAS")
    Defi.objects.create(edition=edition, organisation=has, title="Experts", demarche=top)
    url = reverse("challenges-team:list", kwargs={"edition_slug": edition.slug})
    response = team_client.get(url, {"eligibility": "eligible"})
    assert [defi.title for defi in response.context["defis"]] == [eligible.title]
    response = team_client.get(url, {"eligibility": "not_eligible"})
    assert [defi.title for defi in response.context["defis"]] == ["Experts", "Perte"]
    response = team_client.get(url, {"status": "draft"})
    assert [defi.title for defi in response.context["defis"]] == ["Experts"]
    response = team_client.get(url, {"kind": "independent_public_authority"})
    assert [defi.title for defi in response.context["defis"]] == ["Experts"]


@pytest.mark.parametrize("n", [10, 200])
def test_team_list_query_count_is_flat(team_client: Client, django_assert_num_queries, n: int) -> None:  # type: ignore[no-untyped-def]
    edition = commando_ux_2020()
    make_defis(edition, n)
    url = reverse("challenges-team:list", kwargs={"edition_slug": edition.slug})
    with django_assert_num_queries(9):
        response = team_client.get(url)
    assert len(response.context["defis"]) == min(n, 50)


def test_agent_cannot_reach_the_team_list(client: Client) -> None:
    edition = commando_ux_2020()
    agent = User.objects.create_user(email="agent@finances.gouv.fr", password="x" * 12)
    client.force_login(agent)
    for name, kwargs in (("list", {}), ("export", {"fmt": "csv"}), ("export", {"fmt": "xlsx"})):
        url = reverse(f"challenges-team:{name}", kwargs={"edition_slug": edition.slug, **kwargs})
        assert client.get(url).status_code == 403
    assert client.post(reverse("challenges-team:remind", kwargs={"edition_slug": edition.slug})).status_code == 403


def test_csv_export_neutralises_formulas_and_is_audited(team_client: Client) -> None:
    edition = commando_ux_2020()
    Defi.objects.create(edition=edition, organisation=organisation(), title='=HYPERLINK("http://x")')
    response = team_client.get(reverse("challenges-team:export", kwargs={"edition_slug": edition.slug, "fmt": "csv"}))
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[0][:3] == ["id", "title", "organisation"]
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    assert Event.objects.filter(action="defis.exported").count() == 1


def test_xlsx_export_has_one_row_per_defi(team_client: Client) -> None:
    edition = commando_ux_2020()
    make_defis(edition, 3)
    response = team_client.get(reverse("challenges-team:export", kwargs={"edition_slug": edition.slug, "fmt": "xlsx"}))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["Défi 000", "Défi 001", "Défi 002"]


def test_reminder_is_queued_seven_days_before_the_deadline(
    team_client: Client,
    settings,
    time_machine,  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    time_machine.move_to(paris(2020, 6, 9, 10, 0))
    edition = commando_ux_2020()
    with django_capture_on_commit_callbacks(execute=True):
        response = team_client.post(
            reverse("challenges-team:remind", kwargs={"edition_slug": edition.slug}), {"days_before": 7}
        )
    assert response.status_code == 302
    task = DBTaskResult.objects.get()
    assert task.task_path == "defis.challenges.tasks.send_draft_reminders_task"
    assert task.run_after == paris(2020, 6, 13, 0, 0)  # 20 June 00:00, the first late instant, minus 7 days
