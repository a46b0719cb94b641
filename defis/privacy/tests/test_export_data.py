import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from defis.accounts.tests.factories import UserFactory
from defis.audit.models import Event
from defis.audit.services import record_event
from defis.challenges.models import Attachment
from defis.challenges.tests.factories import CoEditorFactory, DefiFactory
from defis.notifications.models import OutboxMessage
from defis.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% fichier de test\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _archive(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_export_holds_the_persons_data_and_files_and_nothing_of_others(client):
    person = UserFactory(email="camille@exemple.gouv.fr", first_name="Camille", last_name="Durand")
    other = UserFactory(email="autre@exemple.gouv.fr")
    MembershipFactory(user=person, job_title="Cheffe de bureau")
    MembershipFactory(user=other, job_title="Poste d'une autre personne")
    defi = DefiFactory(title="Simplifier la déclaration", sponsor="Claire Dupont")
    CoEditorFactory(defi=defi, user=person)
    CoEditorFactory(defi=DefiFactory(title="Défi d'une autre personne"), user=other)
    OutboxMessage.objects.create(to="camille@exemple.gouv.fr", subject="Votre récépissé", body="Bonjour Camille")
    OutboxMessage.objects.create(to="autre@exemple.gouv.fr", subject="Message d'une autre personne", body="…")
    record_event(actor=person, action="defi.submitted", target=defi)
    record_event(actor=other, action="defi.submitted", target=defi)
    attachment = Attachment(defi=defi, name="note.pdf", size=len(PDF), uploaded_by=person)
    attachment.file.save("note.pdf", ContentFile(PDF), save=False)
    attachment.save()
    client.force_login(person)

    response = client.post(reverse("privacy:export"))

    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="mes-donnees-defis-')
    archive = _archive(response)
    assert archive.namelist() == ["donnees.json", f"fichiers/defi-{defi.pk}/{attachment.pk}-note.pdf"]
    assert archive.read(f"fichiers/defi-{defi.pk}/{attachment.pk}-note.pdf") == PDF
    data = json.loads(archive.read("donnees.json"))
    assert (data["account"]["email"], data["account"]["last_name"]) == ("camille@exemple.gouv.fr", "Durand")
    assert [m["job_title"] for m in data["memberships"]] == ["Cheffe de bureau"]
    assert [d["defi__title"] for d in data["defis_coedited"]] == ["Simplifier la déclaration"]
    assert [m["subject"] for m in data["messages_received"]] == ["Votre récépissé"]
    assert [row["action"] for row in data["audit"]] == ["defi.submitted", "privacy.data_exported"]
    assert "autre@exemple.gouv.fr" not in json.dumps(data)


def test_export_is_recorded_in_the_audit_log(client):
    person = UserFactory()
    client.force_login(person)

    _archive(client.post(reverse("privacy:export")))

    event = Event.objects.get(action="privacy.data_exported")
    assert (event.actor, event.target_id, event.data) == (person, str(person.pk), {"files": 0})


def test_export_is_a_post_for_a_signed_in_person_only(client):
    assert client.post(reverse("privacy:export"))["Location"] == "/compte/login/?next=/mes-donnees/export/"
    client.force_login(UserFactory())
    assert client.get(reverse("privacy:export")).status_code == 405
    assert Event.objects.filter(action="privacy.data_exported").exists() is False


def test_my_data_page_offers_export_erasure_and_consent(client):
    person = UserFactory()
    defi = DefiFactory(edition__name="Commando UX 2020")
    CoEditorFactory(defi=defi, user=person)
    client.force_login(person)

    page = client.get(reverse("privacy:mine")).content.decode()

    assert "<h1>Mes données personnelles</h1>" in page
    assert "Ce que Défis conserve à votre sujet" in page
    assert "Télécharger mes données (ZIP)" in page
    assert "Conserver mes données après Commando UX 2020" in page
    assert "Demander l’effacement de mes données" in page
