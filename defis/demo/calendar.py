"""Turn the published calendars of data/programmes/calendars.csv into phases.

A date published to the day or the month becomes the start of that day or month, marked
approximate; a published closing day without a time closes at 23:59 of that day, the last minute
still on time. A phase whose end was never published ends when the next phase opens.
"""

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from defis.programmes.models import Phase

PARIS = ZoneInfo("Europe/Paris")

# The calendars name stages in their own words; each maps onto one phase kind of an edition.
STAGE_KINDS = {
    "call_for_defis": Phase.Kind.CALL_FOR_DEFIS,
    "defis_selection": Phase.Kind.SELECTION,
    "defis_announced": Phase.Kind.SELECTION,
    "call_for_applications": Phase.Kind.CALL_FOR_APPLICATIONS,
    "applications_interviews": Phase.Kind.RECRUITMENT,
    "laureates_announced": Phase.Kind.RECRUITMENT,
    "work_period": Phase.Kind.PROMOTION,
    "start_of_work": Phase.Kind.PROMOTION,
}
PRECISION_ORDER: list[str] = [Phase.Precision.MINUTE, Phase.Precision.DAY, Phase.Precision.MONTH]


@dataclass(frozen=True)
class PhaseDates:
    kind: str
    opens_at: datetime
    closes_at: datetime | None
    precision: str
    label: str
    source: str


@dataclass(frozen=True)
class Extension:
    """A closing moment that was published, then moved: shown as a logged extension."""

    kind: str
    old_closes_at: datetime
    new_closes_at: datetime
    note: str


def _start(value: str, clock: str, precision: str) -> tuple[datetime, str]:
    if precision == "month" or len(value) == 7:
        year, month = (int(part) for part in value.split("-"))
        return datetime(year, month, 1, tzinfo=PARIS), Phase.Precision.MONTH
    day = date.fromisoformat(value)
    if clock:
        return datetime.combine(day, time.fromisoformat(clock), tzinfo=PARIS), Phase.Precision.MINUTE
    return datetime.combine(day, time(0, 0), tzinfo=PARIS), Phase.Precision.DAY


def _end(value: str, clock: str) -> tuple[datetime | None, str]:
    if not value:
        return None, Phase.Precision.DAY
    day = date.fromisoformat(value)
    if clock:
        return datetime.combine(day, time.fromisoformat(clock), tzinfo=PARIS), Phase.Precision.MINUTE
    return datetime.combine(day, time(23, 59), tzinfo=PARIS), Phase.Precision.DAY


def _coarsest(*precisions: str) -> str:
    return max(precisions, key=PRECISION_ORDER.index)


def read_rows(path: Path, *, programme: str, promotion: str) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            row
            for row in csv.DictReader(handle)
            if row["programme"] == programme and row["promotion"] == promotion and row["stage"] in STAGE_KINDS
        ]


def phases_from_rows(rows: Iterable[dict[str, str]]) -> list[PhaseDates]:
    """The phases of one edition from its published rows (superseded rows are left out)."""
    by_kind: dict[str, PhaseDates] = {}
    for row in rows:
        if row["status"] != "published":
            continue
        kind = STAGE_KINDS[row["stage"]]
        opens_at, start_precision = _start(row["start_date"], row["start_time"], row["date_precision"])
        closes_at, end_precision = _end(row["end_date"], row["end_time"])
        precision = _coarsest(start_precision, end_precision) if closes_at else start_precision
        if closes_at and end_precision == Phase.Precision.MINUTE and start_precision == Phase.Precision.DAY:
            precision = Phase.Precision.MINUTE  # a published closing minute is exact
        phase = PhaseDates(kind, opens_at, closes_at, precision, row["label_published"], row["source"])
        if kind in by_kind:  # two published rows of one kind: the phase spans both
            known = by_kind[kind]
            ends = [moment for moment in (known.closes_at, phase.closes_at) if moment]
            phase = replace(
                known,
                opens_at=min(known.opens_at, opens_at),
                closes_at=max(ends) if ends else None,
                label=f"{known.label} ; {phase.label}",
                source=f"{known.source} ; {phase.source}",
            )
        by_kind[kind] = phase
    return _close_open_ended(sorted(by_kind.values(), key=lambda phase: phase.opens_at))


def _close_open_ended(phases: Sequence[PhaseDates]) -> list[PhaseDates]:
    """A phase with no published end ends the minute before the next one opens; one that opens
    before the previous one closed starts when it closes."""
    result: list[PhaseDates] = []
    for index, phase in enumerate(phases):
        if result and result[-1].closes_at and phase.opens_at <= result[-1].closes_at:
            phase = replace(phase, opens_at=result[-1].closes_at + timedelta(minutes=1))
        if phase.closes_at is None and index + 1 < len(phases):
            next_opening = phases[index + 1].opens_at
            phase = replace(phase, closes_at=next_opening - timedelta(minutes=1))
        result.append(phase)
    return result


def extensions_from_rows(rows: Iterable[dict[str, str]]) -> list[Extension]:
    """Closing moments published first and moved later (the `superseded` rows)."""
    rows = list(rows)
    extensions = []
    for old in (row for row in rows if row["status"] == "superseded"):
        new = next((row for row in rows if row["status"] == "published" and row["stage"] == old["stage"]), None)
        old_end, _ = _end(old["end_date"], old["end_time"])
        new_end, _ = _end(new["end_date"], new["end_time"]) if new else (None, "")
        if new is not None and old_end and new_end and old_end != new_end:
            extensions.append(Extension(STAGE_KINDS[old["stage"]], old_end, new_end, old["notes"]))
    return extensions
