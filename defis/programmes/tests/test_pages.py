from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from defis.programmes.models import Phase
from defis.programmes.tests.factories import EditionFactory, PhaseFactory

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


@time_machine.travel(datetime(2020, 6, 19, 23, 0, tzinfo=PARIS), tick=False)
def test_home_shows_open_call_and_its_closing_minute_in_paris_time(client: Client) -> None:
    PhaseFactory(edition=EditionFactory(name="Commando UX 2020"))
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert "Commando UX 2020" in html
    assert "Appel à défis — ferme le 19 juin 2020 à 23:59 (heure de Paris)" in " ".join(html.split())


@time_machine.travel(datetime(2020, 6, 20, 0, 0, tzinfo=PARIS), tick=False)
def test_home_shows_the_next_phase_once_the_call_has_closed(client: Client) -> None:
    edition = EditionFactory(name="Commando UX 2020")
    PhaseFactory(edition=edition)
    PhaseFactory(
        edition=edition,
        kind=Phase.Kind.SELECTION,
        opens_at=datetime(2020, 6, 22, tzinfo=PARIS),
        closes_at=datetime(2020, 6, 26, 23, 59, tzinfo=PARIS),
        precision=Phase.Precision.DAY,
    )
    html = " ".join(client.get(reverse("home")).content.decode().split())
    assert "à venir" in html
    assert "Prochaine étape : sélection des défis, ouvre le 22 juin 2020" in html


def test_home_hides_unpublished_editions(client: Client) -> None:
    PhaseFactory(edition=EditionFactory(name="Brouillon 2027", is_published=False))
    assert "Brouillon 2027" not in client.get(reverse("home")).content.decode()


@time_machine.travel(datetime(2019, 4, 2, 17, 0, 30, tzinfo=PARIS), tick=False)
def test_edition_page_shows_the_calendar_with_the_exact_deadline(client: Client) -> None:
    edition = EditionFactory(name="Designers d'Intérêt Général 2019", slug="dig-2019")
    PhaseFactory(
        edition=edition,
        opens_at=datetime(2019, 3, 12, tzinfo=PARIS),
        closes_at=datetime(2019, 4, 2, 17, 0, tzinfo=PARIS),
    )
    response = client.get(reverse("programmes:edition", kwargs={"slug": "dig-2019"}))
    html = " ".join(response.content.decode().split())
    assert "<h1>Designers d&#x27;Intérêt Général 2019</h1>" in html
    assert "Ouvert jusqu’au 2 avril 2019 à 17:00 (heure de Paris)." in html
    assert "<td>ouvert</td>" in html


@time_machine.travel(datetime(2019, 4, 2, 17, 1, 0, tzinfo=PARIS), tick=False)
def test_edition_page_shows_the_call_closed_at_1701(client: Client) -> None:
    edition = EditionFactory(slug="dig-2019")
    PhaseFactory(
        edition=edition,
        opens_at=datetime(2019, 3, 12, tzinfo=PARIS),
        closes_at=datetime(2019, 4, 2, 17, 0, tzinfo=PARIS),
    )
    html = client.get(reverse("programmes:edition", kwargs={"slug": "dig-2019"})).content.decode()
    assert "<td>clos</td>" in html


def test_unknown_or_unpublished_edition_is_a_dsfr_404(client: Client) -> None:
    EditionFactory(slug="brouillon", is_published=False)
    for slug in ("brouillon", "nexiste-pas"):
        response = client.get(reverse("programmes:edition", kwargs={"slug": slug}))
        assert response.status_code == 404
        assert "Page non trouvée" in response.content.decode()


@pytest.mark.parametrize("n", [1, 3])
def test_home_query_count_is_flat(client: Client, django_assert_num_queries, n: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(n):
        PhaseFactory(edition=EditionFactory())
    with django_assert_num_queries(3):
        response = client.get(reverse("home"))
    assert len(response.context["programmes"][0].published_editions) == n
