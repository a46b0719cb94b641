import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """allauth counts sign-ups, sign-ins and mails per IP address in the cache: start each test afresh."""
    cache.clear()
