"""The crawl: for each demo role, Chromium follows the site's own links breadth-first from the home
page and the role's entry pages, and runs axe-core on ONE page per URL pattern (the resolver's route),
so that it stays minutes long however many défis the demo holds. It fails on any axe-core violation
and on any server error. GET only: it never submits a form (sign-out and every action are POST forms),
and it skips Django's admin, static files and downloads."""

import os
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from defis.demo.services import DEMO_PASSWORD, load_demo
from defis.e2e.conftest import RECORD_CSP_VIOLATIONS, check_accessibility, check_content_security_policy

# Where each role starts, besides the home page: the pages its menu or its e-mails lead to.
ENTRY_PAGES = {
    "anonymous": ["/compte/login/", "/compte/signup/", "/demarches/", "/donnees-personnelles/"],
    "equipe@defis.example": [
        "/equipe/",
        "/equipe/editions/",
        "/equipe/journal/",
        "/mes-donnees/",
        "/mes-donnees/equipe/effacements/",
        "/mes-donnees/equipe/conservation/",
    ],
    "agent@defis.example": ["/defis/", "/organisations/mes-organisations/", "/mes-donnees/"],
    "jure@defis.example": ["/jury/", "/mes-donnees/"],
    "candidat@defis.example": ["/mes-donnees/", "/compte/email/"],
}
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/", "/i18n/", "/compte/logout/")
DOWNLOADS = (".csv", ".xlsx", ".pdf", ".zip", ".ics", ".json")
PAGE_LIMIT = 400  # a bound on the pages opened, so that a link loop can never run away


@dataclass
class Crawl:
    checked: dict[str, str] = field(default_factory=dict)  # route -> the page checked for it
    problems: list[str] = field(default_factory=list)


def _route(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None  # a dead link: reported as its 404 page's route below


def _links(page: Page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]:not([download])", "links => links.map(link => link.href)")
    paths = []
    for href in hrefs:
        url, _ = urldefrag(urljoin(page.url, href))
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.path.startswith(SKIPPED_PREFIXES) or parts.path.endswith(DOWNLOADS):
            continue
        paths.append(path)
    return paths


def crawl(page: Page, origin: str, starts: list[str]) -> Crawl:
    result = Crawl()
    queue, seen = deque(["/", *starts]), set()
    while queue and len(seen) < PAGE_LIMIT:
        path = queue.popleft()
        route = _route(urlsplit(path).path)
        key = route if route is not None else f"404:{path}"
        if path in seen or key in result.checked:
            continue
        seen.add(path)
        response = page.goto(path)
        if response is None:
            continue
        if response.headers.get("content-disposition", "").startswith("attachment"):
            continue
        result.checked[key] = path
        if response.status >= 500:
            result.problems.append(f"{path}: server error {response.status}")
            continue
        if route is None or response.status == 404:
            result.problems.append(f"{path}: broken link ({response.status})")
        for check in (check_accessibility, check_content_security_policy):
            try:
                check(page)
            except pytest.fail.Exception as failure:
                result.problems.append(str(failure))
        queue.extend(link for link in _links(page, origin) if link not in seen)
    return result


def _sign_in(page: Page, email: str) -> None:
    page.goto("/compte/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/compte/login/" not in page.url, f"{email} could not sign in"


@pytest.mark.parametrize("role", list(ENTRY_PAGES))
def test_crawl_finds_no_accessibility_violation_nor_server_error(
    browser: Browser, live_server: LiveServer, role: str
) -> None:
    load_demo()
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", base_url=live_server.url)
    context.set_default_timeout(15_000)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    try:
        if role != "anonymous":
            _sign_in(page, role)
        result = crawl(page, live_server.url, ENTRY_PAGES[role])
    finally:
        context.close()

    if os.environ.get("CRAWL_REPORT") == "1":  # `CRAWL_REPORT=1 pytest … -s` lists the pages checked
        print(f"\n{role}: {len(result.checked)} patterns", *sorted(result.checked.values()), sep="\n  ")  # noqa: T201
    assert len(result.checked) >= 5, f"the crawl reached too little: {result.checked}"
    assert result.problems == [], "\n".join(result.problems)
