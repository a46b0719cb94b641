"""End-to-end tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

Every test under defis/e2e is marked `e2e` and `slow`; `axe_check(page)` fails a test on any
WCAG 2.1 A or AA violation that axe-core finds in the page as the browser shows it.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
# Playwright's own browser download does not work on our machines: we drive Debian's Chromium,
# without sandbox (containers), GPU or any call home.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
E2E_DIR = Path(__file__).resolve().parent

AxeCheck = Callable[[Page], None]
CspCheck = Callable[[Page], None]

# Runs before any script of each page (Playwright injects it outside the page's CSP): keeps what
# the browser blocked, so that a test can tell a strict-CSP breakage from a quiet page.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by mark
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in item.path.resolve().parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the session; each test gets its own context (cookies, storage)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install it with `bash scripts/system-deps.sh chromium`."
        if _in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API runs an event loop in this thread, so Django would refuse the ORM
        # calls of the test itself (SynchronousOnlyOperation); they are plain synchronous calls.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A fresh French browser context on the live server: `page.goto("/")` opens the home page."""
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", base_url=live_server.url)
    context.set_default_timeout(10_000)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    yield page
    context.close()


def _describe(violation: dict[str, Any]) -> str:
    targets = "; ".join(" ".join(map(str, node["target"])) for node in violation["nodes"])
    return f"- {violation['id']} ({violation['impact']}): {violation['help']}\n    on: {targets}"


def check_accessibility(page: Page) -> None:
    """Run axe-core on the page with the WCAG 2.1 A and AA rules; fail listing every violation."""
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    violations = Axe().run(page, options=options).response["violations"]
    if violations:
        report = "\n".join(_describe(violation) for violation in violations)
        pytest.fail(f"axe-core found {len(violations)} violation(s) on {page.url}:\n{report}", pytrace=False)


@pytest.fixture
def axe_check() -> AxeCheck:
    return check_accessibility


def check_content_security_policy(page: Page) -> None:
    """Fail if the browser blocked anything on the page under our Content Security Policy."""
    violations = page.evaluate("window.__cspViolations")
    if violations:
        report = "\n".join(f"- {violation}" for violation in violations)
        pytest.fail(f"The CSP blocked {len(violations)} thing(s) on {page.url}:\n{report}", pytrace=False)


@pytest.fixture
def csp_check() -> CspCheck:
    return check_content_security_policy


@pytest.fixture
def screenshot_dir(pytestconfig: pytest.Config) -> Path:
    """Where screenshots go for a person to look at: test-results/, git-ignored."""
    path = pytestconfig.rootpath / "test-results"
    path.mkdir(exist_ok=True)
    return path
