"""The public page cache switched on for a test module, and a page read as an anonymous visitor.

Use with `pytestmark = pytest.mark.usefixtures("page_cache")` and import `page_cache` into the module."""

from collections.abc import Iterator

import pytest
from django.conf import LazySettings
from django.core.cache import cache
from django.test import Client

from defis.common.cache import _local


@pytest.fixture
def page_cache(settings: LazySettings) -> Iterator[None]:
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "defis.common.cache.PublicPageCacheMiddleware"]
    cache.clear()
    _local.clear()  # each web process's memo of the pages it served
    yield
    cache.clear()
    _local.clear()


def visit(url: str) -> str:
    """The page as an anonymous visitor reads it (whitespace folded), from the cache when it holds it."""
    response = Client().get(url)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())
