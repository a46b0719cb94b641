"""An observatory import shows on the very next anonymous visit of the cached pages that read the
observatory: the démarches catalogue, and an edition's page naming the edition of its top-250 rule."""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from defis.challenges.tests.builders import commando_ux_2020
from defis.common.tests.page_cache import page_cache, visit  # noqa: F401  # the fixture, by name

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]
JUNE_2019 = Path(settings.BASE_DIR) / "data" / "observatoire" / "editions" / "2019-06.csv"


def import_observatory(*args: str) -> None:
    call_command("import_observatory", str(JUNE_2019), *args, stdout=StringIO(), stderr=StringIO())


def test_catalogue_shows_an_import_on_the_next_visit(django_capture_on_commit_callbacks: Any) -> None:
    url = reverse("demarches:list")
    visit(url)
    before = visit(url)

    with django_capture_on_commit_callbacks(execute=True):
        import_observatory()
    after = visit(url)

    assert "Aucune édition de l’Observatoire n’a encore été importée." in before
    assert ("0 démarche" in before, "253 démarches" in after) == (True, True)


def test_edition_page_shows_the_new_label_of_its_observatory_edition(
    django_capture_on_commit_callbacks: Any,
) -> None:
    edition = commando_ux_2020()
    url = edition.get_absolute_url()
    visit(url)
    before = visit(url)

    with django_capture_on_commit_callbacks(execute=True):
        import_observatory("--edition-label", "Juin 2019, révisée")
    after = visit(url)

    assert ("(édition Juin 2019)" in before, "(édition Juin 2019, révisée)" in after) == (True, True)
