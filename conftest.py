"""Settings every test shares: tasks run immediately, passwords hash fast, pages speak French."""

import pytest
from django.conf import LazySettings


@pytest.fixture(autouse=True)
def _test_settings(settings: LazySettings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "fr"
    settings.WHITENOISE_AUTOREFRESH = True
