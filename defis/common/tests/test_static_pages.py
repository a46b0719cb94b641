"""The site's own pages answer in French, and an unknown address gets the DSFR 404 page."""

import html
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _text_of(tag: str, content: bytes) -> list[str]:
    """The text of each `<tag>`, tags inside removed and apostrophes made typographic."""
    found = re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", content.decode(), re.DOTALL)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).replace("'", "’").split()) for text in found]


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/accessibilite/", "Déclaration d’accessibilité"),
        ("/mentions-legales/", "Mentions légales"),
        ("/donnees-personnelles/", "Données personnelles"),
    ],
)
def test_static_page_has_its_french_heading(client: Client, path: str, heading: str) -> None:
    response = client.get(path)

    assert response.status_code == 200
    assert _text_of("h1", response.content) == [heading]
    assert _text_of("title", response.content) == [f"{heading} — Défis"]


def test_unknown_address_gets_the_french_404_page(client: Client) -> None:
    response = client.get("/cette-page-n-existe-pas/")

    assert response.status_code == 404
    assert _text_of("h1", response.content) == ["Page non trouvée"]
    assert _text_of("title", response.content) == ["Page non trouvée — Défis"]
    assert b'class="fr-header"' in response.content
    assert b'href="/"' in response.content  # back to the home page
