"""Attachments: PDF only (checked by content), size-limited, served only to those who may see the défi."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from defis.accounts.tests.factories import UserFactory
from defis.audit.models import Event
from defis.challenges.models import Attachment, Defi
from defis.challenges.tests.factories import CoEditorFactory, DefiFactory, approved_member
from defis.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


def pdf(name: str = "note.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def defi() -> Defi:
    defi = DefiFactory(edition__attachment_max_mb=1)
    CoEditorFactory(defi=defi, user=approved_member(defi.organisation))
    return defi


def owner(defi: Defi):  # type: ignore[no-untyped-def]
    return defi.coeditors.get().user


def test_pdf_is_attached(client: Client, defi: Defi) -> None:
    client.force_login(owner(defi))

    response = client.post(reverse("challenges:attachments", args=[defi.pk]), {"file": pdf("cadrage.pdf")})

    assert response.url == reverse("challenges:edit", args=[defi.pk]) + "#attachments"
    attachment = Attachment.objects.get()
    assert (attachment.defi, attachment.name, attachment.size, attachment.uploaded_by) == (
        defi,
        "cadrage.pdf",
        len(PDF),
        owner(defi),
    )


def test_pdf_attached_with_htmx_answers_the_attachments_partial(client: Client, defi: Defi) -> None:
    client.force_login(owner(defi))

    response = client.post(
        reverse("challenges:attachments", args=[defi.pk]), {"file": pdf("cadrage.pdf")}, HTTP_HX_REQUEST="true"
    )

    html = " ".join(response.content.decode().split())
    assert html.startswith('<h2 id="attachments-title" class="fr-h4">Pièces jointes</h2>')
    assert "Le document cadrage.pdf est joint." in html
    assert f'<a href="{reverse("challenges:attachment", args=[defi.pk, Attachment.objects.get().pk])}">' in html


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            pdf("faux.pdf", b"MZ\x90\x00 this is an executable"),
            "Le fichier n’est pas un document PDF (son contenu a été vérifié, pas son nom).",
        ),
        (pdf("gros.pdf", PDF + b"0" * (1024 * 1024)), "Le fichier dépasse 1 Mo."),
        (pdf("vide.pdf", b""), "Le fichier soumis est vide."),
    ],
)
def test_bad_file_gets_a_field_error_and_is_not_stored(client: Client, defi: Defi, upload, message) -> None:  # type: ignore[no-untyped-def]
    client.force_login(owner(defi))

    response = client.post(reverse("challenges:attachments", args=[defi.pk]), {"file": upload})

    assert response.status_code == 200
    assert response.context["attachment_form"].errors == {"file": [message]}
    assert Attachment.objects.count() == 0


def test_missing_file_gets_a_field_error(client: Client, defi: Defi) -> None:
    client.force_login(owner(defi))
    response = client.post(reverse("challenges:attachments", args=[defi.pk]), {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()


def test_attachment_is_downloaded_by_a_member_of_the_organisation(client: Client, defi: Defi) -> None:
    client.force_login(owner(defi))
    client.post(reverse("challenges:attachments", args=[defi.pk]), {"file": pdf("cadrage.pdf")})
    attachment = Attachment.objects.get()
    client.force_login(approved_member(defi.organisation))

    response = client.get(reverse("challenges:attachment", args=[defi.pk, attachment.pk]))

    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response["Content-Disposition"] == 'attachment; filename="cadrage.pdf"'
    assert b"".join(response.streaming_content) == PDF
    event = Event.objects.get(action="defi.attachment_downloaded")
    assert (event.target_id, event.data["name"]) == (str(defi.pk), "cadrage.pdf")


def test_attachment_is_hidden_from_everybody_else(client: Client, defi: Defi) -> None:
    client.force_login(owner(defi))
    client.post(reverse("challenges:attachments", args=[defi.pk]), {"file": pdf("cadrage.pdf")})
    attachment = Attachment.objects.get()
    url = reverse("challenges:attachment", args=[defi.pk, attachment.pk])
    other = DefiFactory()
    CoEditorFactory(defi=other, user=approved_member(other.organisation))

    client.force_login(approved_member(OrganisationFactory()))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    # Its own défi's number with another défi's attachment: not found either.
    client.force_login(owner(other))
    assert client.get(reverse("challenges:attachment", args=[other.pk, attachment.pk])).status_code == 404
    client.logout()
    assert client.get(url).url == f"{reverse('account_login')}?next={url}"


def test_attachment_is_removed_by_a_post_only(client: Client, defi: Defi) -> None:
    client.force_login(owner(defi))
    client.post(reverse("challenges:attachments", args=[defi.pk]), {"file": pdf("cadrage.pdf")})
    url = reverse("challenges:attachment-delete", args=[defi.pk, Attachment.objects.get().pk])

    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)

    assert Attachment.objects.count() == 0
    assert "Le document cadrage.pdf est supprimé." in response.content.decode()
