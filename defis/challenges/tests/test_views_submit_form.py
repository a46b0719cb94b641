"""Submitting saves what the form holds and submits it in one transaction: a refused submission keeps
the text, an outdated form submits nothing, and only a co-editor who belongs to the organisation may do it."""

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from defis.accounts.tests.factories import ProgrammeTeamFactory
from defis.audit.models import Event
from defis.challenges import services
from defis.challenges.errors import CallClosed
from defis.challenges.models import Defi, DefiVersion
from defis.challenges.tests.factories import CoEditorFactory, DefiFactory, approved_member, commando_ux_2020
from defis.demarches.tests.factories import DemarcheFactory, IndicatorSetFactory
from defis.organisations.models import Organisation
from defis.organisations.tests.factories import OrganisationFactory
from defis.programmes.models import Question

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db
DURING_CALL = datetime(2020, 6, 15, 14, 2, tzinfo=PARIS)
AFTER_CALL = datetime(2020, 6, 20, 0, 0, tzinfo=PARIS)
UNCHANGED_PROBLEM = "Les usagers abandonnent la démarche en cours de route."  # DefiFactory(complete=True)


@pytest.fixture(autouse=True)
def _during_the_call() -> Iterator[None]:
    with time_machine.travel(DURING_CALL, tick=False):
        yield


def text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(response.content.decode().split())


@pytest.fixture
def draft() -> Defi:
    edition = commando_ux_2020()
    demarche = DemarcheFactory(observatory_id=823, title="Déclaration d’impôt sur le revenu")
    IndicatorSetFactory(edition=edition.observatory_edition, demarche=demarche)
    organisation = OrganisationFactory(kind=Organisation.Kind.CENTRAL_ADMINISTRATION)
    defi = DefiFactory(edition=edition, organisation=organisation, complete=True, demarche=demarche)
    CoEditorFactory(defi=defi, user=approved_member(organisation, first_name="Camille", last_name="Roux"))
    return defi


def author(defi: Defi):  # type: ignore[no-untyped-def]
    return defi.coeditors.order_by("created_at").first().user


def form(defi: Defi, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": defi.title,
        "summary": defi.summary,
        "demarche": "823",
        "problem": defi.problem,
        "expected_impact": defi.expected_impact,
        "sponsor": defi.sponsor,
        "team": defi.team,
        "profiles": defi.profiles,
        "positions_count": str(defi.positions_count),
        "accessibility_plan": defi.accessibility_plan,
        "version": str(defi.version),
    }
    data.update(overrides)
    return data


def test_late_submission_is_refused_but_keeps_what_was_typed(client: Client, draft: Defi) -> None:
    client.force_login(author(draft))

    with time_machine.travel(AFTER_CALL, tick=False):
        response = client.post(reverse("challenges:submit", args=[draft.pk]), form(draft, problem="Tapé à minuit"))

    html = text(response)
    assert response.status_code == 200
    assert "L’appel à défis est clos depuis le 19 juin 2020 à 23:59 (heure de Paris)." in html
    assert response.context["form"]["problem"].value() == "Tapé à minuit"
    assert response.context["form"]["version"].value() == 2
    draft.refresh_from_db()
    assert (draft.status, draft.problem, draft.version) == (Defi.Status.DRAFT, "Tapé à minuit", 2)
    assert (DefiVersion.objects.count(), Event.objects.filter(action="defi.submitted").count()) == (0, 0)


def test_submission_on_an_outdated_version_shows_the_conflict_and_changes_nothing(client: Client, draft: Defi) -> None:
    colleague = approved_member(draft.organisation, first_name="Dominique", last_name="Blanc")
    CoEditorFactory(defi=draft, user=colleague)
    stale = form(draft, problem="Texte de Camille")
    with time_machine.travel(datetime(2020, 6, 15, 14, 5, tzinfo=PARIS), tick=False):
        services.save_draft(actor=colleague, defi=draft, data={"problem": "Texte de Dominique"}, version=1)
    client.force_login(author(draft))
    response = client.post(reverse("challenges:submit", args=[draft.pk]), stale)

    html = text(response)
    assert "Dominique Blanc a enregistré ce défi pendant que vous le modifiiez." in html
    assert response.context["form"]["problem"].value() == "Texte de Camille"
    assert response.context["form"]["version"].value() == "2"
    draft.refresh_from_db()
    assert (draft.status, draft.problem, draft.version) == (Defi.Status.DRAFT, "Texte de Dominique", 2)
    assert DefiVersion.objects.count() == 0


def test_service_saves_the_form_then_submits_once(draft: Defi) -> None:
    agent = author(draft)
    submitted = services.submit_defi(
        actor=agent, defi=draft, data={"problem": "Version soumise"}, version=draft.version, at=DURING_CALL
    )
    again = services.submit_defi(
        actor=agent, defi=draft, data={"problem": "Double clic"}, version=draft.version, at=DURING_CALL
    )

    assert (submitted.status, submitted.version, submitted.submitted_at) == (Defi.Status.SUBMITTED, 2, DURING_CALL)
    assert (again.problem, again.version) == ("Version soumise", 2)
    assert [(v.number, v.snapshot["problem"]) for v in DefiVersion.objects.all()] == [(1, "Version soumise")]


def test_refused_service_submission_raises_after_saving_the_form(draft: Defi) -> None:
    with pytest.raises(CallClosed):
        services.submit_defi(
            actor=author(draft), defi=draft, data={"problem": "Gardé"}, version=draft.version, at=AFTER_CALL
        )
    draft.refresh_from_db()
    assert (draft.status, draft.problem, draft.version) == (Defi.Status.DRAFT, "Gardé", 2)


@pytest.mark.parametrize("name", ["challenges:autosave", "challenges:submit"])
def test_colleague_who_is_not_a_coeditor_may_not_save_nor_submit_a_draft(
    client: Client, draft: Defi, name: str
) -> None:
    client.force_login(approved_member(draft.organisation))
    response = client.post(reverse(name, args=[draft.pk]), form(draft, problem="Pas le mien"))
    assert response.status_code == 403
    draft.refresh_from_db()
    assert (draft.status, draft.problem, draft.version) == (Defi.Status.DRAFT, UNCHANGED_PROBLEM, 1)


@pytest.mark.parametrize("name", ["challenges:autosave", "challenges:submit"])
def test_team_member_listed_as_coeditor_but_not_a_member_may_not_save_nor_submit(
    client: Client, draft: Defi, name: str
) -> None:
    team = ProgrammeTeamFactory()
    CoEditorFactory(defi=draft, user=team)
    client.force_login(team)
    response = client.post(reverse(name, args=[draft.pk]), form(draft, problem="Pas le mien"))
    assert response.status_code == 403
    draft.refresh_from_db()
    assert (draft.status, draft.version) == (Defi.Status.DRAFT, 1)


def test_edit_page_names_the_file_already_sent_under_its_question(client: Client, draft: Defi) -> None:
    document = Question.objects.create(edition=draft.edition, position=1, label="Note de cadrage", kind="file")
    client.force_login(author(draft))
    pdf = SimpleUploadedFile("cadrage.pdf", b"%PDF-1.4 cadrage", content_type="application/pdf")
    client.post(reverse("challenges:edit", args=[draft.pk]), form(draft, **{document.field_name: pdf}))
    page = client.get(reverse("challenges:edit", args=[draft.pk]))
    refused = client.post(reverse("challenges:submit", args=[draft.pk]), form(draft, version="2", title=""))

    assert page.context["form"][document.field_name].help_text == "Fichier actuel : cadrage.pdf."
    assert "Fichier actuel : cadrage.pdf." in text(page)
    assert refused.context["form"][document.field_name].help_text == "Fichier actuel : cadrage.pdf."
    assert refused.context["form"].errors == {"title": ["Ce champ est obligatoire."]}
