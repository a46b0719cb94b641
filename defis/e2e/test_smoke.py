"""The public pages open in Chromium, in French, with no axe-core violation and a working skip link."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from defis.demarches.models import Demarche
from defis.e2e.conftest import AxeCheck, CspCheck
from defis.programmes.models import Edition, Phase, Programme


@pytest.fixture
def edition() -> Edition:
    """A published edition whose call for challenges is open now, then selection."""
    now = timezone.now()
    programme = Programme.objects.create(
        slug="commando-ux",
        name="Commando UX",
        acronym="CUX",
        summary="Des designers pour les démarches les plus utilisées.",
    )
    edition = Edition.objects.create(
        programme=programme, slug="commando-ux-2020", name="Commando UX 2020", year=2020, is_published=True
    )
    Phase.objects.create(
        edition=edition,
        kind=Phase.Kind.CALL_FOR_DEFIS,
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=8),
    )
    Phase.objects.create(
        edition=edition,
        kind=Phase.Kind.SELECTION,
        opens_at=now + timedelta(days=11),
        closes_at=now + timedelta(days=15),
        precision=Phase.Precision.DAY,
    )
    return edition


@pytest.fixture
def demarches() -> list[Demarche]:
    return [
        Demarche.objects.create(
            observatory_id=1, title="Déclaration de revenus", administration="Direction générale des finances publiques"
        ),
        Demarche.objects.create(
            observatory_id=2,
            title="Demande de carte d'identité",
            administration="Agence nationale des titres sécurisés",
        ),
    ]


@pytest.mark.usefixtures("edition", "demarches")
@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/demarches/", 200),
        ("/editions/commando-ux-2020/", 200),
        ("/accessibilite/", 200),
        ("/mentions-legales/", 200),
        ("/donnees-personnelles/", 200),
        ("/cette-page-n-existe-pas/", 404),
    ],
)
def test_page_has_no_axe_violation(page: Page, axe_check: AxeCheck, path: str, status: int) -> None:
    response = page.goto(path)

    assert response is not None
    assert response.status == status
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").count() == 1
    axe_check(page)


@pytest.mark.usefixtures("edition")
@pytest.mark.parametrize("path", ["/", "/editions/commando-ux-2020/", "/cette-page-n-existe-pas/"])
def test_page_runs_under_the_strict_csp(page: Page, csp_check: CspCheck, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")  # scripts have run and added what they add

    csp_check(page)
    assert page.evaluate("document.documentElement.hasAttribute('data-fr-js')") is True, "DSFR's JS did not start"


@pytest.mark.usefixtures("edition")
@pytest.mark.parametrize(
    ("path", "title", "heading"),
    [
        ("/", "Programmes et éditions — Défis", None),
        ("/editions/commando-ux-2020/", "Commando UX 2020 — Défis", "Commando UX 2020"),
        ("/cette-page-n-existe-pas/", "Page non trouvée — Défis", "Page non trouvée"),
    ],
)
def test_page_speaks_french(page: Page, path: str, title: str, heading: str | None) -> None:
    page.goto(path)

    assert page.title() == title
    if heading is not None:
        assert page.locator("h1").inner_text() == heading


@pytest.mark.usefixtures("edition")
def test_first_tab_focuses_the_skip_link_to_the_content(page: Page) -> None:
    page.goto("/")

    page.keyboard.press("Tab")

    focused = page.locator(":focus")
    assert focused.get_attribute("href") == "#content"
    assert page.evaluate("document.activeElement.closest('.fr-skiplinks') !== null") is True
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('content').contains(document.activeElement)") is True


@pytest.mark.usefixtures("edition")
def test_home_page_screenshot(page: Page, screenshot_dir: Path) -> None:
    page.goto("/")

    path = screenshot_dir / "home.png"
    page.screenshot(path=path, full_page=True)

    assert path.stat().st_size > 0
