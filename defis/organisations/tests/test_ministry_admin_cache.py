"""A ministry renamed or deleted in the admin starts a new generation of the démarches catalogue's
cached page, which shows a ministry's name where a démarche has no label of its own."""

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from defis.accounts.models import User
from defis.common.cache import _scope_key
from defis.organisations.models import Ministry

pytestmark = pytest.mark.django_db


def catalogue_generation() -> Any:
    return cache.get(_scope_key("demarches"))


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser(email="admin@defis.example", password="x"))
    return client


def test_renaming_a_ministry_in_the_admin_invalidates_the_catalogue(
    admin_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    ministry = Ministry.objects.create(slug="culture", name="Culture")
    before = catalogue_generation()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:organisations_ministry_change", args=[ministry.pk]),
            {"slug": "culture", "name": "Ministère de la Culture", "labels-TOTAL_FORMS": "0"},
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    ministry.refresh_from_db()
    assert ministry.name == "Ministère de la Culture"
    assert catalogue_generation() not in (None, before)


def test_deleting_a_ministry_in_the_admin_invalidates_the_catalogue(
    admin_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    ministry = Ministry.objects.create(slug="culture", name="Culture")
    before = catalogue_generation()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:organisations_ministry_delete", args=[ministry.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert not Ministry.objects.exists()
    assert catalogue_generation() not in (None, before)
