"""Every URL of a défi, for every kind of person: not visible is a 404, visible but not allowed a 403."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from defis.accounts.tests.factories import ProgrammeTeamFactory, UserFactory
from defis.challenges import services
from defis.challenges.models import Defi
from defis.challenges.tests.factories import CoEditorFactory, DefiFactory, approved_member, commando_ux_2020
from defis.organisations.models import Membership
from defis.organisations.tests.factories import OrganisationFactory

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db

# (URL name, HTTP method): every URL of the app that names a défi.
DEFI_URLS = [
    ("challenges:detail", "get"),
    ("challenges:edit", "get"),
    ("challenges:edit", "post"),
    ("challenges:autosave", "post"),
    ("challenges:checks", "get"),
    ("challenges:attachments", "post"),
    ("challenges:attachment", "get"),
    ("challenges:attachment-delete", "post"),
    ("challenges:coeditors", "post"),
    ("challenges:submit", "post"),
    ("challenges:withdraw", "post"),
    ("challenges:reopen", "post"),
    ("challenges:receipt", "get"),
]
READS = {"challenges:detail", "challenges:checks", "challenges:attachment", "challenges:receipt"}


@pytest.fixture
def defi() -> Defi:
    """A submitted défi with an attachment, so that every URL has something to show."""
    with time_machine.travel(datetime(2020, 6, 15, 14, 2, tzinfo=PARIS), tick=False):
        defi = DefiFactory(edition=commando_ux_2020(requires_demarche=False, requires_top250=False), complete=True)
        author = approved_member(defi.organisation)
        CoEditorFactory(defi=defi, user=author)
        services.add_attachment(
            actor=author, defi=defi, upload=SimpleUploadedFile("note.pdf", b"%PDF-1.4 note", "application/pdf")
        )
        services.submit_defi(actor=author, defi=defi)
    defi.refresh_from_db()
    return defi


def url_of(name: str, defi: Defi) -> str:
    kwargs = {"pk": defi.pk}
    if name in ("challenges:attachment", "challenges:attachment-delete"):
        kwargs["attachment_pk"] = defi.attachments.get().pk
    return reverse(name, kwargs=kwargs)


def request(client: Client, method: str, url: str):  # type: ignore[no-untyped-def]
    return (
        client.get(url)
        if method == "get"
        else client.post(url, {"title": "Piraté", "version": "1", "email": "x@exemple.gouv.fr"})
    )


def assert_unchanged(defi: Defi) -> None:
    fresh = Defi.objects.get(pk=defi.pk)
    assert (fresh.title, fresh.status, fresh.version, fresh.attachments.count(), fresh.coeditors.count()) == (
        defi.title,
        Defi.Status.SUBMITTED,
        defi.version,
        1,
        1,
    )


@pytest.mark.parametrize(("name", "method"), DEFI_URLS)
def test_agent_of_another_organisation_gets_a_404_everywhere(
    client: Client, defi: Defi, name: str, method: str
) -> None:
    client.force_login(approved_member(OrganisationFactory()))
    response = request(client, method, url_of(name, defi))
    assert response.status_code == 404
    assert_unchanged(defi)


@pytest.mark.parametrize(("name", "method"), DEFI_URLS)
def test_coeditor_whose_membership_was_refused_gets_a_404_everywhere(
    client: Client, defi: Defi, name: str, method: str
) -> None:
    author = defi.coeditors.get().user
    Membership.objects.filter(user=author).update(status=Membership.Status.REFUSED)
    client.force_login(author)
    assert request(client, method, url_of(name, defi)).status_code == 404
    assert_unchanged(defi)


@pytest.mark.parametrize(("name", "method"), DEFI_URLS)
def test_person_without_organisation_gets_a_404_everywhere(client: Client, defi: Defi, name: str, method: str) -> None:
    client.force_login(UserFactory())
    assert request(client, method, url_of(name, defi)).status_code == 404
    assert_unchanged(defi)


@pytest.mark.parametrize(("name", "method"), DEFI_URLS)
def test_anonymous_visitor_is_sent_to_sign_in(client: Client, defi: Defi, name: str, method: str) -> None:
    url = url_of(name, defi)
    response = request(client, method, url)
    assert (response.status_code, response.url) == (302, f"{reverse('account_login')}?next={url}")
    assert_unchanged(defi)


@pytest.mark.parametrize(("name", "method"), DEFI_URLS)
def test_colleague_who_is_not_a_coeditor_may_read_but_not_change(
    client: Client, defi: Defi, name: str, method: str
) -> None:
    client.force_login(approved_member(defi.organisation))
    response = request(client, method, url_of(name, defi))
    assert response.status_code == (200 if name in READS else 403)
    assert_unchanged(defi)


@pytest.mark.parametrize(("name", "method"), DEFI_URLS)
def test_programme_team_may_read_but_not_change(client: Client, defi: Defi, name: str, method: str) -> None:
    client.force_login(ProgrammeTeamFactory())
    response = request(client, method, url_of(name, defi))
    assert response.status_code == (200 if name in READS else 403)
    assert_unchanged(defi)


@pytest.mark.parametrize(
    "name", ["challenges:edit", "challenges:autosave", "challenges:attachments", "challenges:coeditors"]
)
def test_coeditor_cannot_change_a_submitted_defi(client: Client, defi: Defi, name: str) -> None:
    client.force_login(defi.coeditors.get().user)
    assert request(client, "post", url_of(name, defi)).status_code == 403
    assert_unchanged(defi)


@pytest.mark.parametrize(
    "name",
    [
        "challenges:autosave",
        "challenges:attachments",
        "challenges:attachment-delete",
        "challenges:coeditors",
        "challenges:submit",
        "challenges:withdraw",
        "challenges:reopen",
    ],
)
def test_changes_are_posts_only(client: Client, defi: Defi, name: str) -> None:
    author = defi.coeditors.get().user
    with time_machine.travel(datetime(2020, 6, 16, 9, 0, tzinfo=PARIS), tick=False):
        services.reopen_defi(actor=author, defi=defi)  # a draft again: every change is allowed, by POST
        client.force_login(author)
        assert client.get(url_of(name, defi)).status_code == 405


def test_historical_defi_is_read_only_even_for_its_coeditor(client: Client, defi: Defi) -> None:
    Defi.objects.filter(pk=defi.pk).update(is_historical=True)
    client.force_login(defi.coeditors.get().user)
    assert client.get(url_of("challenges:detail", defi)).status_code == 200
    for name in ("challenges:withdraw", "challenges:reopen", "challenges:submit"):
        assert request(client, "post", url_of(name, defi)).status_code == 403
