"""The public pages, served to anonymous visitors from the shared cache.

Every anonymous visitor of a public page gets the same HTML but for two values made for each
response: the CSP nonce (django-csp) and the CSRF token of the forms (the language switcher). A page
is stored with both replaced by markers, and each hit puts fresh ones back, so that the CSP header
and the CSRF cookie, set by their middleware on the way out, match the page.

A page depends on scopes (`PUBLIC_PAGES`): it is stored with the generation of each, and served
only while they are unchanged; `invalidate_public_pages` starts a new generation. The services
that change what a page shows call `invalidate_public_pages_on_commit` (or the edition variant),
so that a change shows on the very next request, and a rolled-back one invalidates nothing; the
admin's saves of programmes and editions do the same. A page that changes on its own at a known
moment (a phase opens or closes) says so with `page_changes_at`, which bounds how long it is kept;
any page is kept `PUBLIC_PAGE_CACHE_SECONDS` (60) at most. Each web process also answers from its
own memory for `PUBLIC_PAGE_LOCAL_SECONDS` (1) without asking the shared cache: another process
sees a change that much later, and a hit costs no round trip to Redis. Only a GET without a query
string, without a session or messages cookie and not from htmx is ever answered from the cache, so
that no signed-in page can leak.

The middleware goes last in `MIDDLEWARE`: the middleware above it do their work on every response,
cached or not (security headers, language, CSRF cookie, CSP header).
"""

import re
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import partial
from typing import TypedDict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

# View name → the scopes its content depends on, formatted with the URL's keyword arguments. The
# edition page names the label of its observatory edition (top-250 rule): an import may change it.
PUBLIC_PAGES: Mapping[str, tuple[str, ...]] = {
    "home": ("editions",),
    "programmes:edition": ("edition:{slug}", "demarches"),
    "demarches:list": ("demarches",),
}
DEFAULT_SECONDS = 60
DEFAULT_LOCAL_SECONDS = 1.0
LOCAL_LIMIT = 256  # pages kept per process; past it, the memo starts again
NONCE_MARK = b"@@defis-csp-nonce@@"
CSRF_MARK = b"@@defis-csrf-token@@"
# A masked CSRF token, as {% csrf_token %} writes it (django.middleware.csrf.CSRF_TOKEN_LENGTH).
MASKED_TOKEN = re.compile(rb"\b[a-zA-Z0-9]{64}\b")
SKIPPED_HEADERS = frozenset({"content-length", "set-cookie"})


class Entry(TypedDict):
    generations: tuple[str, ...]
    content: bytes
    headers: dict[str, str]
    has_nonce: bool
    has_csrf: bool


# key → (monotonic time it was checked against the shared cache, entry): this process's memo.
_local: dict[str, tuple[float, "Entry"]] = {}


def _scope_key(scope: str) -> str:
    return f"public-page-scope:{scope}"


def invalidate_public_pages(*scopes: str) -> None:
    """Start a new generation of each scope: the pages that depend on it are rendered again."""
    cache.set_many({_scope_key(scope): uuid.uuid4().hex for scope in scopes}, timeout=None)
    _local.clear()


def invalidate_edition_pages(*, edition_slug: str) -> None:
    """An edition, its phases or its FAQ changed: its page and the home page are stale."""
    invalidate_public_pages("editions", f"edition:{edition_slug}")


def invalidate_public_pages_on_commit(*scopes: str) -> None:
    """Start a new generation of each scope once the current transaction commits; none if it rolls back.

    Robust: a cache that cannot be reached must not turn a committed write into an error page (the
    pages then expire within `PUBLIC_PAGE_CACHE_SECONDS`)."""
    transaction.on_commit(partial(invalidate_public_pages, *scopes), robust=True)


def invalidate_edition_pages_on_commit(*, edition_slug: str) -> None:
    """`invalidate_edition_pages` once the current transaction commits."""
    invalidate_public_pages_on_commit("editions", f"edition:{edition_slug}")


def page_changes_at(request: HttpRequest, moment: datetime | None) -> None:
    """Tell the cache that the page being rendered changes by itself at `moment` (a phase boundary)."""
    if moment is None:
        return
    current: datetime | None = getattr(request, "_public_page_changes_at", None)
    if current is None or moment < current:
        request._public_page_changes_at = moment  # type: ignore[attr-defined]  # read by the middleware


def _scopes_of(request: HttpRequest) -> tuple[str, ...] | None:
    """The scopes of a request the cache may answer, or None."""
    if request.method != "GET" or request.META.get("QUERY_STRING") or request.headers.get("HX-Request"):
        return None
    # A session or a message may make the page personal: never cached, never answered from the cache.
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    templates = PUBLIC_PAGES.get(match.view_name)
    return None if templates is None else tuple(template.format(**match.kwargs) for template in templates)


def _replay(request: HttpRequest, entry: Entry) -> HttpResponse:
    content = entry["content"]
    if entry["has_nonce"]:
        content = content.replace(NONCE_MARK, str(request.csp_nonce).encode())  # type: ignore[attr-defined]  # django-csp
    if entry["has_csrf"]:
        content = content.replace(CSRF_MARK, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in entry["headers"].items():
        response[name] = value
    return response


def _unmask(token: str) -> str:
    # django.middleware.csrf._unmask_cipher_token, which is private: the mask is the first half.
    chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    mask, cipher = token[:32], token[32:]
    return "".join(chars[(chars.index(x) - chars.index(y)) % len(chars)] for x, y in zip(cipher, mask, strict=True))


def _entry(request: HttpRequest, response: HttpResponseBase, generations: tuple[str, ...]) -> Entry | None:
    """What to store of the response, or None when it must not be shared."""
    cache_control = response.get("Cache-Control", "")
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or not response.get("Content-Type", "").startswith("text/html")
        or any(word in cache_control for word in ("private", "no-store", "no-cache"))
    ):
        return None
    session = getattr(request, "session", None)
    messages = getattr(request, "_messages", None)
    user = getattr(request, "user", None)
    if (
        (session is not None and session.modified)
        or getattr(messages, "added_new", False)
        or (user is not None and user.is_authenticated)
    ):
        return None
    content: bytes = response.content  # type: ignore[attr-defined]  # not streaming: checked above
    nonce = getattr(request, "_csp_nonce", None)
    has_nonce = isinstance(nonce, str) and nonce.encode() in content
    if has_nonce:
        content = content.replace(nonce.encode(), NONCE_MARK)  # type: ignore[union-attr]  # a str: checked above
    secret = request.META.get("CSRF_COOKIE") if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") else None
    has_csrf = False
    if secret:

        def mark(found: re.Match[bytes]) -> bytes:
            nonlocal has_csrf
            if _unmask(found.group().decode()) == secret:
                has_csrf = True
                return CSRF_MARK
            return found.group()

        content = MASKED_TOKEN.sub(mark, content)
    headers = {name: value for name, value in response.items() if name.lower() not in SKIPPED_HEADERS}
    return Entry(generations=generations, content=content, headers=headers, has_nonce=has_nonce, has_csrf=has_csrf)


def _timeout(request: HttpRequest) -> int:
    seconds = int(getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", DEFAULT_SECONDS))
    changes_at: datetime | None = getattr(request, "_public_page_changes_at", None)
    if changes_at is not None:
        seconds = min(seconds, int((changes_at - timezone.now()).total_seconds()))
    return seconds


class PublicPageCacheMiddleware:
    """Answer anonymous GETs of the public pages from the cache shared by every web process."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        scopes = _scopes_of(request)
        if scopes is None:
            return self.get_response(request)
        key = f"public-page:{translation.get_language()}:{request.get_host()}:{request.path}"
        now = time.monotonic()
        memo = _local.get(key)
        if memo is not None and now - memo[0] < float(
            getattr(settings, "PUBLIC_PAGE_LOCAL_SECONDS", DEFAULT_LOCAL_SECONDS)
        ):
            return _replay(request, memo[1])
        scope_keys = [_scope_key(scope) for scope in scopes]
        found = cache.get_many([key, *scope_keys])
        generations = tuple(str(found.get(scope_key, "")) for scope_key in scope_keys)
        entry: Entry | None = found.get(key)
        if entry is not None and tuple(entry["generations"]) == generations:
            self._remember(key, now, entry)
            return _replay(request, entry)
        response = self.get_response(request)
        new_entry = _entry(request, response, generations)
        timeout = _timeout(request)
        if new_entry is not None and timeout > 0:
            cache.set(key, new_entry, timeout=timeout)
        return response

    @staticmethod
    def _remember(key: str, now: float, entry: Entry) -> None:
        if len(_local) >= LOCAL_LIMIT:
            _local.clear()
        _local[key] = (now, entry)
