from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError

from defis.programmes.models import Phase
from defis.programmes.tests.factories import EditionFactory, PhaseFactory

PARIS = ZoneInfo("Europe/Paris")


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def test_commando_ux_call_accepts_the_last_second_of_2359() -> None:
    call = PhaseFactory.build()  # "jusqu'au vendredi 19 juin 2020 à 23h59"
    assert call.is_open(paris(2020, 6, 19, 23, 59, 59)) is True
    assert call.is_open(paris(2020, 6, 20, 0, 0, 0)) is False
    assert call.has_closed(paris(2020, 6, 20, 0, 0, 0)) is True


def test_commando_ux_deadline_is_stored_as_summer_time_utc() -> None:
    call = PhaseFactory.build()
    assert call.closes_at == datetime(2020, 6, 19, 21, 59, tzinfo=UTC)
    assert call.is_open(datetime(2020, 6, 19, 21, 59, 59, tzinfo=UTC)) is True
    assert call.is_open(datetime(2020, 6, 19, 22, 0, 0, tzinfo=UTC)) is False


def test_dig_call_accepts_170059_and_refuses_1701() -> None:
    # "du 12 mars au 2 avril 2019 à 17h", two days after the change to summer time (31 March 2019).
    call = PhaseFactory.build(opens_at=paris(2019, 3, 12, 0, 0), closes_at=paris(2019, 4, 2, 17, 0))
    assert call.is_open(paris(2019, 4, 2, 17, 0, 59)) is True
    assert call.is_open(paris(2019, 4, 2, 17, 1, 0)) is False
    assert call.closes_at == datetime(2019, 4, 2, 15, 0, tzinfo=UTC)


def test_phase_opening_in_winter_and_closing_in_summer_keeps_paris_wall_clock() -> None:
    # Opens 12 March 2019 00:00 CET (UTC+1), closes 2 April 17:00 CEST (UTC+2).
    call = PhaseFactory.build(opens_at=paris(2019, 3, 12, 0, 0), closes_at=paris(2019, 4, 2, 17, 0))
    assert call.opens_at == datetime(2019, 3, 11, 23, 0, tzinfo=UTC)
    assert call.is_open(datetime(2019, 3, 11, 22, 59, 59, tzinfo=UTC)) is False
    assert call.is_open(datetime(2019, 3, 11, 23, 0, 0, tzinfo=UTC)) is True


def test_deadline_on_the_night_back_to_winter_time() -> None:
    # 27 October 2019: clocks go back from 03:00 CEST to 02:00 CET; 23:59 that day is CET.
    call = PhaseFactory.build(opens_at=paris(2019, 10, 1, 0, 0), closes_at=paris(2019, 10, 27, 23, 59))
    assert call.closes_at == datetime(2019, 10, 27, 22, 59, tzinfo=UTC)
    assert call.is_open(datetime(2019, 10, 27, 22, 59, 59, tzinfo=UTC)) is True
    assert call.is_open(datetime(2019, 10, 27, 23, 0, 0, tzinfo=UTC)) is False


def test_phase_not_open_before_it_opens() -> None:
    call = PhaseFactory.build()
    assert call.is_open(paris(2020, 6, 7, 23, 59, 59)) is False
    assert call.is_open(paris(2020, 6, 8, 0, 0, 0)) is True


def test_open_ended_phase_never_closes() -> None:
    phase = PhaseFactory.build(kind=Phase.Kind.PROMOTION, closes_at=None)
    assert phase.is_open(paris(2030, 1, 1, 0, 0)) is True
    assert phase.has_closed(paris(2030, 1, 1, 0, 0)) is False


@pytest.mark.django_db
def test_current_phase_is_derived_from_the_clock() -> None:
    edition = EditionFactory()
    call = PhaseFactory(edition=edition)
    selection = PhaseFactory(
        edition=edition,
        kind=Phase.Kind.SELECTION,
        opens_at=paris(2020, 6, 22, 0, 0),
        closes_at=paris(2020, 6, 26, 23, 59),
        precision=Phase.Precision.DAY,
    )
    assert edition.current_phase(paris(2020, 6, 19, 23, 59, 59)) == call
    assert edition.current_phase(paris(2020, 6, 20, 12, 0)) is None
    assert edition.next_phase(paris(2020, 6, 20, 12, 0)) == selection
    assert edition.current_phase(paris(2020, 6, 22, 0, 0)) == selection


@pytest.mark.django_db
def test_phase_cannot_close_before_it_opens() -> None:
    with pytest.raises(IntegrityError):
        PhaseFactory(opens_at=paris(2020, 6, 19, 0, 0), closes_at=paris(2020, 6, 8, 0, 0))
