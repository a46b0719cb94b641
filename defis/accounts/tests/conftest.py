import pytest
from django.core.cache import cache

from defis.accounts.tests.fragment import (  # noqa: F401  # fixtures, found by pytest here
    _accounts_fragment_translations,
    accounts_fragment_locale_dir,
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """allauth counts sign-ups, sign-ins and mails per IP address in the cache: start each test afresh."""
    cache.clear()
