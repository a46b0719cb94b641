"""A juror reads the attachments of the défis assigned to them, in the review page's scope: a défi in
conflict, not assigned or of another edition is a 404 whatever the URL, and every download is logged."""

from pathlib import Path

import pytest
from django.conf import LazySettings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from defis.accounts.models import User
from defis.accounts.tests.factories import ProgrammeTeamFactory, UserFactory
from defis.audit.models import Event
from defis.challenges.models import Attachment, Defi
from defis.challenges.tests.factories import approved_member
from defis.reviews.models import ConflictOfInterest, Juror
from defis.reviews.tests.factories import assign, juror, selection_edition, submitted_defi

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings: LazySettings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def attach(defi: Defi, name: str = "cadrage.pdf") -> Attachment:
    attachment = Attachment(defi=defi, name=name, size=len(PDF))
    attachment.file.save(name, ContentFile(PDF), save=False)
    attachment.save()
    return attachment


def download_url(defi: Defi, attachment: Attachment) -> str:
    return reverse(
        "reviews:attachment",
        kwargs={"edition_slug": defi.edition.slug, "defi_pk": defi.pk, "attachment_pk": attachment.pk},
    )


@pytest.fixture
def defi() -> Defi:
    return submitted_defi(selection_edition(), title="Simplifier la carte grise")


@pytest.fixture
def seat(defi: Defi) -> Juror:
    seat = juror(defi.edition, email="jure@exemple.fr")
    assign(seat, defi)
    return seat


def test_assigned_juror_downloads_the_attachment_and_the_download_is_logged(
    client: Client, defi: Defi, seat: Juror
) -> None:
    attachment = attach(defi)
    client.force_login(seat.user)  # type: ignore[arg-type]

    response = client.get(download_url(defi, attachment))

    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response["Content-Disposition"] == 'attachment; filename="cadrage.pdf"'
    assert b"".join(response.streaming_content) == PDF
    assert list(Event.objects.values_list("actor_id", "action", "target_type", "target_id", "data")) == [
        (
            seat.user_id,
            "defi.attachment_downloaded",
            "challenges.defi",
            str(defi.pk),
            {"attachment_id": attachment.pk, "name": "cadrage.pdf"},
        )
    ]


def test_review_page_lists_the_attachments_with_their_links(client: Client, defi: Defi, seat: Juror) -> None:
    first, second = attach(defi, "cadrage.pdf"), attach(defi, "maquettes.pdf")
    client.force_login(seat.user)  # type: ignore[arg-type]

    response = client.get(reverse("reviews:review", kwargs={"edition_slug": defi.edition.slug, "defi_pk": defi.pk}))

    html = " ".join(response.content.decode().split())
    assert f'<li><a href="{download_url(defi, first)}">cadrage.pdf</a> (36 octets)</li>' in html
    assert f'<li><a href="{download_url(defi, second)}">maquettes.pdf</a> (36 octets)</li>' in html
    assert Event.objects.count() == 0


def test_review_page_says_when_there_is_no_attachment(client: Client, defi: Defi, seat: Juror) -> None:
    client.force_login(seat.user)  # type: ignore[arg-type]

    response = client.get(reverse("reviews:review", kwargs={"edition_slug": defi.edition.slug, "defi_pk": defi.pk}))

    html = " ".join(response.content.decode().split())
    assert "<dt>Pièces jointes</dt> <dd> <ul> <li>Aucune pièce jointe.</li> </ul> </dd>" in html


def in_conflict(defi: Defi) -> User:
    """Assigned before the conflict was declared (a stale row): the conflict alone closes the door."""
    seat = juror(defi.edition)
    assign(seat, defi)
    ConflictOfInterest.objects.create(
        juror=seat, organisation=defi.organisation, source=ConflictOfInterest.Source.DECLARED, reason="Ancien poste"
    )
    return seat.user  # type: ignore[return-value]


def not_assigned(defi: Defi) -> User:
    return juror(defi.edition).user  # type: ignore[return-value]


def of_another_edition(defi: Defi) -> User:
    seat = juror(selection_edition())
    assign(seat, submitted_defi(seat.edition))
    return seat.user  # type: ignore[return-value]


def agent_of_the_organisation(defi: Defi) -> User:
    return approved_member(defi.organisation)


def programme_team(defi: Defi) -> User:
    return ProgrammeTeamFactory()  # type: ignore[no-any-return]


def person(defi: Defi) -> User:
    return UserFactory()  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "who", [in_conflict, not_assigned, of_another_edition, agent_of_the_organisation, programme_team, person]
)
def test_attachment_is_a_404_outside_the_jurors_scope(client: Client, defi: Defi, seat: Juror, who) -> None:  # type: ignore[no-untyped-def]
    attachment = attach(defi)
    client.force_login(who(defi))

    response = client.get(download_url(defi, attachment))

    assert response.status_code == 404
    assert Event.objects.count() == 0


def test_attachment_of_another_defi_is_a_404_through_the_assigned_defi(client: Client, defi: Defi, seat: Juror) -> None:
    other = submitted_defi(defi.edition, title="Défi d’un autre juré")
    assign(juror(defi.edition), other)
    foreign = attach(other, "confidentiel.pdf")
    client.force_login(seat.user)  # type: ignore[arg-type]
    url = reverse(
        "reviews:attachment",
        kwargs={"edition_slug": defi.edition.slug, "defi_pk": defi.pk, "attachment_pk": foreign.pk},
    )

    response = client.get(url)

    assert response.status_code == 404
    assert Event.objects.count() == 0


def test_attachment_of_a_withdrawn_defi_is_a_404(client: Client, defi: Defi, seat: Juror) -> None:
    attachment = attach(defi)
    Defi.objects.filter(pk=defi.pk).update(status=Defi.Status.WITHDRAWN)
    client.force_login(seat.user)  # type: ignore[arg-type]

    response = client.get(download_url(defi, attachment))

    assert response.status_code == 404


def test_a_visitor_is_sent_to_sign_in(client: Client, defi: Defi, seat: Juror) -> None:
    url = download_url(defi, attach(defi))

    response = client.get(url)

    assert (response.status_code, response["Location"]) == (302, f"/compte/login/?next={url}")
    assert Event.objects.count() == 0
