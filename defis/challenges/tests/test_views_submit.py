"""The agent's journey through the call for défis: create, edit, autosave, submit, receipt."""

import hashlib
import json
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from defis.challenges.models import Defi, DefiVersion
from defis.challenges.tests.factories import CoEditorFactory, DefiFactory, approved_member, commando_ux_2020
from defis.demarches.tests.factories import DemarcheFactory, IndicatorSetFactory
from defis.notifications.models import OutboxMessage
from defis.organisations.models import Organisation
from defis.organisations.tests.factories import OrganisationFactory
from defis.programmes.models import DeadlineExtension, Edition, Phase
from defis.programmes.tests.factories import EditionFactory, PhaseFactory

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


def text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(response.content.decode().split())


def form_data(defi: Defi, **overrides: object) -> dict[str, object]:
    """Every field of the call's form, filled in as an agent would."""
    data: dict[str, object] = {
        "title": "Simplifier la déclaration de revenus",
        "summary": "Moins d'erreurs et d'abandons pour les usagers.",
        "demarche": "823",
        "problem": "Les usagers se trompent de case.",
        "expected_impact": "Deux fois moins d'appels au centre des impôts.",
        "sponsor": "Claire Dupont, directrice générale adjointe",
        "team": "Une cheffe de produit et deux inspecteurs.",
        "profiles": ["designer", "developer"],
        "positions_count": "2",
        "accessibility_plan": "Audit RGAA en septembre, puis plan pluriannuel.",
        "version": str(defi.version),
    }
    data.update(overrides)
    return data


@pytest.fixture
def edition() -> Edition:
    edition = commando_ux_2020()
    demarche = DemarcheFactory(observatory_id=823, title="Déclaration impôt sur le revenu")
    IndicatorSetFactory(edition=edition.observatory_edition, demarche=demarche)
    return edition


@pytest.fixture
def organisation() -> Organisation:
    return OrganisationFactory(
        name="Direction générale des finances publiques", kind=Organisation.Kind.CENTRAL_ADMINISTRATION
    )


@pytest.fixture
def draft(edition: Edition, organisation: Organisation) -> Defi:
    defi = DefiFactory(edition=edition, organisation=organisation, title="Déclaration", complete=True)
    CoEditorFactory(defi=defi, user=approved_member(organisation, email="camille@dgfip.gouv.fr"))
    return defi


def owner(defi: Defi):  # type: ignore[no-untyped-def]
    return defi.coeditors.get().user


@time_machine.travel(datetime(2020, 6, 15, 14, 2, tzinfo=PARIS), tick=False)
def test_agent_creates_autosaves_submits_and_gets_the_receipt(  # type: ignore[no-untyped-def]
    client: Client, edition: Edition, organisation: Organisation, django_capture_on_commit_callbacks
):
    agent = approved_member(organisation, email="camille@dgfip.gouv.fr", first_name="Camille", last_name="Roux")
    client.force_login(agent)

    response = client.post(
        reverse("challenges:create", args=[edition.slug]),
        {"organisation": organisation.pk, "title": "Déclaration", "token": str(uuid.uuid4())},
    )
    defi = Defi.objects.get()
    assert response.url == reverse("challenges:edit", args=[defi.pk])
    assert (defi.title, defi.organisation, defi.status) == ("Déclaration", organisation, Defi.Status.DRAFT)

    response = client.post(reverse("challenges:autosave", args=[defi.pk]), form_data(defi), HTTP_HX_REQUEST="true")
    html = text(response)
    assert "Brouillon enregistré à 14:02" in html
    assert '<input type="hidden" name="version" value="2" id="id_version" hx-swap-oob="true">' in html
    assert "prêt à soumettre" in html
    defi.refresh_from_db()
    assert (defi.title, defi.demarche.observatory_id, defi.profiles) == (
        "Simplifier la déclaration de revenus",
        823,
        ["designer", "developer"],
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("challenges:submit", args=[defi.pk]), form_data(defi))
    assert response.url == reverse("challenges:receipt", args=[defi.pk])
    defi.refresh_from_db()
    assert (defi.status, defi.submitted_at) == (Defi.Status.SUBMITTED, datetime(2020, 6, 15, 14, 2, tzinfo=PARIS))
    subject = "Récépissé : votre défi « Simplifier la déclaration de revenus » est soumis"
    assert [(m.to, m.subject) for m in OutboxMessage.objects.all()] == [("camille@dgfip.gouv.fr", subject)]
    assert [(m.to, m.subject) for m in mail.outbox] == [(["camille@dgfip.gouv.fr"], subject)]

    response = client.get(reverse("challenges:receipt", args=[defi.pk]))
    html = text(response)
    version = DefiVersion.objects.get(defi=defi)
    digest = hashlib.sha256(
        json.dumps(version.snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    ).hexdigest()
    assert "<h1>Récépissé de dépôt</h1>" in html
    assert "<td>15 juin 2020 à 14:02:00 (heure de Paris)</td>" in html
    assert f"<code>{digest}</code>" in html
    assert '<th scope="row">Version</th><td>1</td>' in html
    assert "Direction générale des finances publiques" in html


@time_machine.travel(datetime(2020, 6, 15, 14, 2, tzinfo=PARIS), tick=False)
def test_double_submit_submits_once(client: Client, draft: Defi, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    client.force_login(owner(draft))
    data = form_data(draft)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("challenges:submit", args=[draft.pk]), data)
        second = client.post(reverse("challenges:submit", args=[draft.pk]), data)
    receipt = reverse("challenges:receipt", args=[draft.pk])
    assert (first.url, second.url) == (receipt, receipt)
    assert list(DefiVersion.objects.values_list("defi_id", "number")) == [(draft.pk, 1)]
    assert OutboxMessage.objects.count() == 1
    assert Defi.objects.count() == 1


@time_machine.travel(datetime(2020, 6, 15, 14, 2, tzinfo=PARIS), tick=False)
def test_double_create_creates_one_defi(client: Client, edition: Edition, organisation: Organisation) -> None:
    client.force_login(approved_member(organisation))
    data = {"organisation": organisation.pk, "title": "Déclaration", "token": str(uuid.uuid4())}
    first = client.post(reverse("challenges:create", args=[edition.slug]), data)
    second = client.post(reverse("challenges:create", args=[edition.slug]), data)
    defi = Defi.objects.get()
    assert (first.url, second.url) == (reverse("challenges:edit", args=[defi.pk]),) * 2


@time_machine.travel(datetime(2020, 6, 19, 23, 59, 59, tzinfo=PARIS), tick=False)
def test_submission_at_235959_is_on_time(client: Client, draft: Defi) -> None:
    client.force_login(owner(draft))
    response = client.post(reverse("challenges:submit", args=[draft.pk]), form_data(draft))
    assert response.url == reverse("challenges:receipt", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.submitted_at == datetime(2020, 6, 19, 23, 59, 59, tzinfo=PARIS)


@time_machine.travel(datetime(2020, 6, 20, 0, 0, 0, tzinfo=PARIS), tick=False)
def test_submission_at_midnight_is_refused_with_a_clear_message(client: Client, draft: Defi) -> None:
    client.force_login(owner(draft))
    response = client.post(reverse("challenges:submit", args=[draft.pk]), form_data(draft))
    html = text(response)
    assert response.status_code == 200
    assert "Le défi n’a pas été soumis" in html
    assert "L’appel à défis est clos depuis le 19 juin 2020 à 23:59 (heure de Paris)." in html
    draft.refresh_from_db()
    assert draft.status == Defi.Status.DRAFT


@time_machine.travel(datetime(2020, 6, 22, 10, 0, tzinfo=PARIS), tick=False)
def test_organisation_with_an_extension_submits_after_the_deadline(client: Client, draft: Defi) -> None:
    DeadlineExtension.objects.create(
        edition=draft.edition,
        phase_kind=Phase.Kind.CALL_FOR_DEFIS,
        organisation=draft.organisation,
        reason="Panne de la messagerie",
        closes_at=datetime(2020, 6, 22, 12, 0, tzinfo=PARIS),
    )
    late = DefiFactory(edition=draft.edition, organisation=OrganisationFactory(), complete=True)
    CoEditorFactory(defi=late, user=approved_member(late.organisation))
    client.force_login(owner(draft))
    response = client.post(reverse("challenges:submit", args=[draft.pk]), form_data(draft))
    assert response.url == reverse("challenges:receipt", args=[draft.pk])

    client.force_login(owner(late))
    response = client.post(reverse("challenges:submit", args=[late.pk]), form_data(late))
    assert "L’appel à défis est clos depuis le 19 juin 2020 à 23:59 (heure de Paris)." in text(response)
    assert list(Defi.objects.order_by("pk").values_list("status", flat=True)) == ["submitted", "draft"]


@time_machine.travel(datetime(2020, 6, 15, 14, 2, tzinfo=PARIS), tick=False)
def test_incomplete_defi_is_refused_with_a_message_next_to_each_missing_field(client: Client, draft: Defi) -> None:
    client.force_login(owner(draft))
    response = client.post(
        reverse("challenges:submit", args=[draft.pk]), form_data(draft, problem="", sponsor="", demarche="")
    )
    html = text(response)
    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors == {
        "demarche": ["Choisissez la démarche en ligne que le défi améliore."],
        "problem": ["Obligatoire pour soumettre le défi."],
        "sponsor": ["Obligatoire pour soumettre le défi."],
    }
    assert "Le défi n’a pas été soumis" in html
    draft.refresh_from_db()
    assert (draft.status, draft.problem, draft.demarche) == (Defi.Status.DRAFT, "", None)


@time_machine.travel(datetime(2020, 6, 15, 14, 2, tzinfo=PARIS), tick=False)
def test_demarche_outside_the_top_250_is_refused_at_submission(client: Client, draft: Defi) -> None:
    IndicatorSetFactory(
        edition=draft.edition.observatory_edition,
        in_top250=False,
        demarche=DemarcheFactory(observatory_id=4242, title="Démarche rare"),
    )
    client.force_login(owner(draft))
    response = client.post(reverse("challenges:submit", args=[draft.pk]), form_data(draft, demarche="4242"))
    assert response.context["form"].errors == {
        "demarche": [
            "Cette édition n’accepte que les démarches du top 250 de l’Observatoire (Juin 2019), et celle-ci n’en fait "
            "pas partie."
        ]
    }
    draft.refresh_from_db()
    assert draft.status == Defi.Status.DRAFT


@time_machine.travel(datetime(2020, 6, 15, 14, 2, tzinfo=PARIS), tick=False)
def test_withdraw_then_reopen_then_submit_again_keeps_every_version(client: Client, draft: Defi) -> None:
    client.force_login(owner(draft))
    client.post(reverse("challenges:submit", args=[draft.pk]), form_data(draft))

    response = client.post(reverse("challenges:withdraw", args=[draft.pk]))
    assert response.url == reverse("challenges:detail", args=[draft.pk])
    response = client.post(reverse("challenges:reopen", args=[draft.pk]))
    assert response.url == reverse("challenges:edit", args=[draft.pk])
    draft.refresh_from_db()
    client.post(reverse("challenges:submit", args=[draft.pk]), form_data(draft, title="Version deux"))

    assert list(DefiVersion.objects.order_by("number").values_list("number", "reason")) == [
        (1, "submitted"),
        (2, "withdrawn"),
        (3, "reopened"),
        (4, "submitted"),
    ]
    html = text(client.get(reverse("challenges:receipt", args=[draft.pk])))
    assert '<th scope="row">Version</th><td>4</td>' in html
    assert "<td>Version deux</td>" in html


@time_machine.travel(datetime(2020, 6, 20, 9, 0, tzinfo=PARIS), tick=False)
def test_reopen_after_the_deadline_is_refused(client: Client, draft: Defi) -> None:
    draft.status, draft.submitted_at = Defi.Status.SUBMITTED, datetime(2020, 6, 19, 12, 0, tzinfo=PARIS)
    draft.save()
    client.force_login(owner(draft))
    response = client.post(reverse("challenges:reopen", args=[draft.pk]), follow=True)
    assert "L’appel à défis est clos depuis le 19 juin 2020 à 23:59 (heure de Paris)." in text(response)
    draft.refresh_from_db()
    assert draft.status == Defi.Status.SUBMITTED


def test_receipt_of_a_draft_is_a_404(client: Client, draft: Defi) -> None:
    client.force_login(owner(draft))
    response = client.get(reverse("challenges:receipt", args=[draft.pk]))
    assert response.status_code == 404
    assert "Page non trouvée" in response.content.decode()


@pytest.mark.parametrize(("moment", "accepted"), [((17, 0, 59), True), ((17, 1, 0), False)])
def test_dig_2019_call_closes_after_the_minute_of_17h(
    client: Client, organisation: Organisation, moment: tuple[int, int, int], accepted: bool
) -> None:
    """ "Jusqu'au 2 avril 2019 à 17h": 17:00:59 is on time, 17:01:00 is late."""
    edition = EditionFactory(name="Designers d'Intérêt Général 2019", slug="dig-2019")
    PhaseFactory(
        edition=edition,
        opens_at=datetime(2019, 3, 12, tzinfo=PARIS),
        closes_at=datetime(2019, 4, 2, 17, 0, tzinfo=PARIS),
    )
    defi = DefiFactory(edition=edition, organisation=organisation, complete=True)
    CoEditorFactory(defi=defi, user=approved_member(organisation))
    client.force_login(owner(defi))

    with time_machine.travel(datetime(2019, 4, 2, *moment, tzinfo=PARIS), tick=False):
        response = client.post(reverse("challenges:submit", args=[defi.pk]), form_data(defi, demarche=""))

    defi.refresh_from_db()
    assert (defi.status == Defi.Status.SUBMITTED) is accepted
    if not accepted:
        assert "L’appel à défis est clos depuis le 2 avril 2019 à 17:00 (heure de Paris)." in text(response)
