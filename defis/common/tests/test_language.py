"""Pages speak French by default, English when the visitor chose it (cookie or `set_language`)."""

import html
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _title(response_content: bytes) -> str:
    found = re.search(r"<title>(.*?)</title>", response_content.decode(), re.DOTALL)
    assert found is not None
    return " ".join(html.unescape(found.group(1)).split())


def test_home_page_is_french_by_default(client: Client) -> None:
    response = client.get(reverse("home"))

    assert response.headers["Content-Language"] == "fr"
    assert _title(response.content) == "Programmes et éditions — Défis"


def test_home_page_is_english_with_the_language_cookie(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("home"))

    assert response.headers["Content-Language"] == "en"
    assert _title(response.content) == "Programmes and editions — Défis"


def test_set_language_switches_the_next_pages_to_english(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("home")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("home"))
    assert _title(page.content) == "Programmes and editions — Défis"


def test_set_language_back_to_french(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    client.post(reverse("set_language"), {"language": "fr", "next": reverse("home")})
    response = client.get(reverse("home"))

    assert response.headers["Content-Language"] == "fr"
    assert _title(response.content) == "Programmes et éditions — Défis"


def test_an_english_browser_alone_still_gets_french(client: Client) -> None:
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert response.headers["Content-Language"] == "fr"
    assert _title(response.content) == "Programmes et éditions — Défis"
