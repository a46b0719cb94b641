"""Public pages are served to anonymous visitors from the shared cache, with a fresh CSP nonce and
CSRF token each time, until what they show changes; nobody signed in is ever served from it."""

import re
from datetime import timedelta

import pytest
from django.conf import LazySettings
from django.test import Client, RequestFactory
from django.utils import timezone

from defis.challenges.tests.builders import commando_ux_2020
from defis.common.cache import _timeout, invalidate_edition_pages, page_changes_at
from defis.common.tests.page_cache import page_cache  # noqa: F401  # the fixture, by name
from defis.programmes.models import Edition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]
NONCE = re.compile(r'nonce="([^"]+)"')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def edition() -> Edition:
    return commando_ux_2020()


def test_public_page_second_visit_is_served_without_a_query(
    client: Client, edition: Edition, django_assert_num_queries
) -> None:
    url = edition.get_absolute_url()
    first = client.get(url)
    client.cookies.clear()

    with django_assert_num_queries(0):
        second = Client().get(url)

    assert (first.status_code, second.status_code) == (200, 200)
    assert "Commando UX 2020" in second.content.decode()
    assert NONCE.sub("", first.content.decode()).count("<script") == NONCE.sub("", second.content.decode()).count(
        "<script"
    )


def test_cached_page_has_a_fresh_nonce_matching_its_csp_header(client: Client, edition: Edition) -> None:
    url = edition.get_absolute_url()
    first = Client().get(url)

    second = Client().get(url)

    first_nonces = set(NONCE.findall(first.content.decode()))
    second_nonces = set(NONCE.findall(second.content.decode()))
    assert len(second_nonces) == 1
    assert first_nonces != second_nonces
    assert f"'nonce-{second_nonces.pop()}'" in second["Content-Security-Policy"]


def test_cached_page_form_token_is_accepted_with_the_cookie_it_sets(edition: Edition) -> None:
    url = edition.get_absolute_url()
    Client().get(url)
    visitor = Client(enforce_csrf_checks=True)

    page = visitor.get(url)
    token = TOKEN.search(page.content.decode())

    assert token is not None
    response = visitor.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token.group(1)})
    assert (response.status_code, response["Location"]) == (302, "/")


def test_invalidated_edition_page_shows_the_change(edition: Edition) -> None:
    url = edition.get_absolute_url()
    Client().get(url)
    Edition.objects.filter(pk=edition.pk).update(name="Commando UX 2020, saison 2")

    stale = Client().get(url)
    invalidate_edition_pages(edition_slug=edition.slug)
    fresh = Client().get(url)

    assert "saison 2" not in stale.content.decode()
    assert "saison 2" in fresh.content.decode()


def test_signed_in_person_is_never_served_from_the_cache(client: Client, edition: Edition, django_user_model) -> None:
    url = edition.get_absolute_url()
    person = django_user_model.objects.create_user(email="agent@finances.gouv.fr", password="un-mot-de-passe-solide")
    client.force_login(person)

    signed_in_first = client.get(url)
    anonymous = Client().get(url)
    signed_in_again = client.get(url)

    assert "agent@finances.gouv.fr" in signed_in_first.content.decode()
    assert "agent@finances.gouv.fr" not in anonymous.content.decode()
    assert "agent@finances.gouv.fr" in signed_in_again.content.decode()


def test_page_changing_soon_is_kept_until_then(settings: LazySettings) -> None:
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    request = RequestFactory().get("/")

    page_changes_at(request, timezone.now() + timedelta(seconds=42))
    page_changes_at(request, timezone.now() + timedelta(hours=1))

    assert _timeout(request) in (41, 42)
