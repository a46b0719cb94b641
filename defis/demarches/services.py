"""Import of an observatory file (format of data/observatoire/editions/2019-06.csv, described in
data/SOURCES-observatoire.md) into an edition, its démarches and their indicator sets."""

import csv
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from defis.common.cache import invalidate_public_pages_on_commit
from defis.demarches import errors
from defis.demarches.enums import IndicatorCode
from defis.demarches.models import Demarche, IndicatorSet, ObservatoryEdition
from defis.demarches.selectors import latest_edition
from defis.organisations.ministries import ministry_for_label, sync_ministries
from defis.organisations.models import Ministry

COLUMNS = (
    "edition",
    "demarche_id",
    "title",
    "ministry",
    "theme",
    "administration",
    "top250",
    "online_status",
    "online_status_code",
    "online_weight",
    "online_opening",
    "volume",
    "digital_share_label",
    "digital_share_pct",
    "satisfaction_label",
    "satisfaction_pct",
    "avis_count",
    "franceconnect",
    "franceconnect_code",
    "mobile",
    "mobile_code",
    "support_quality",
    "support_quality_code",
    "availability_label",
    "availability_score",
    "id_match",
    "source_ref",
)
# column of the file -> field of Demarche
DEMARCHE_COLUMNS = {
    "title": "title",
    "ministry": "ministry_label",
    "administration": "administration",
    "theme": "theme",
}
# column of the file -> field of IndicatorSet, copied as published
TEXT_COLUMNS = {
    "title": "title",
    "ministry": "ministry_label",
    "online_status": "online_status",
    "online_opening": "online_opening",
    "digital_share_label": "digital_share_label",
    "satisfaction_label": "satisfaction_label",
    "franceconnect": "franceconnect",
    "mobile": "mobile",
    "support_quality": "support_quality",
    "availability_label": "availability_label",
    "source_ref": "source_ref",
}
CODE_COLUMNS = ("online_status_code", "franceconnect_code", "mobile_code", "support_quality_code")
INTEGER_COLUMNS = {  # column: (minimum, maximum)
    "volume": (0, 2**63 - 1),
    "online_weight": (0, 100),
    "avis_count": (0, 2**31 - 1),
    "availability_score": (-10, 10),
}
PERCENT_COLUMNS = ("digital_share_pct", "satisfaction_pct")
# What the files write in a numeric cell that has no number (SOURCES-observatoire.md, Known quirks).
NO_NUMBER = frozenset({"", "n/c", "n/a", "-"})
EDITION_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,40}")
SPACES = re.compile(r"[\s\u00a0\u202f]")


@dataclass(frozen=True)
class RejectedRow:
    file: str
    row: int
    reason: str

    @property
    def message(self) -> str:
        return _("%(file)s, row %(row)s: %(reason)s") % {"file": self.file, "row": self.row, "reason": self.reason}


@dataclass
class ImportReport:
    """What one import did: rows created, updated, unchanged (indicator sets) and rejected."""

    file: str
    edition: ObservatoryEdition
    edition_created: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    demarches_created: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)

    def summary(self) -> str:
        return _(
            "%(file)s, edition %(edition)s: %(created)s created, %(updated)s updated, "
            "%(unchanged)s unchanged, %(rejected)s rejected."
        ) % {
            "file": self.file,
            "edition": self.edition.slug,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": len(self.rejected),
        }


@dataclass(frozen=True)
class _Row:
    observatory_id: int
    demarche: dict[str, str]
    indicators: dict[str, Any]


@transaction.atomic
def import_observatory_file(
    *, path: Path | str, edition_label: str | None = None, published_on: date | None = None, at: datetime | None = None
) -> ImportReport:
    """Import one observatory file in one transaction; a second run of the same file changes nothing.

    Bad rows are reported in `rejected` and skipped; a file that cannot be read at all raises an
    `ObservatoryFileError` and imports nothing. The public pages that show the observatory (the
    catalogue, an edition's label on the editions' pages) are invalidated once the import commits.
    """
    at = at or timezone.now()
    file = str(path)
    slug, rows, rejected = _parse(_read_text(Path(path), file=file), file=file)
    if not rows:
        raise errors.ObservatoryFileAllRejected(file=file, rejections=[r.message for r in rejected])
    edition, edition_created = _upsert_edition(
        slug=slug, label=edition_label, published_on=published_on, source_file=_source_name(Path(path))
    )
    report = ImportReport(file=file, edition=edition, edition_created=edition_created, rejected=rejected)
    _store_rows(report, rows=rows, at=at)
    invalidate_public_pages_on_commit("demarches")
    return report


def _read_text(path: Path, *, file: str) -> str:
    if not path.exists():
        raise errors.ObservatoryFileMissing(file=file)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise errors.ObservatoryFileUnreadable(file=file) from error
    if not text.strip():
        raise errors.ObservatoryFileEmpty(file=file)
    return text


def _parse(text: str, *, file: str) -> tuple[str, list[_Row], list[RejectedRow]]:
    """The file's edition, its valid rows, and the rejected ones with their reasons."""
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise errors.ObservatoryFileWrongFormat(file=file, missing=missing)
        records = list(reader)
    except csv.Error as error:
        raise errors.ObservatoryFileUnreadable(file=file) from error
    if not records:
        raise errors.ObservatoryFileWithoutRows(file=file)
    # The edition is the one most rows name: a row naming another is the odd one out.
    editions = Counter(e for r in records if EDITION_SLUG.fullmatch(e := (r["edition"] or "").strip()))
    slug = editions.most_common(1)[0][0] if editions else ""
    rows: list[_Row] = []
    rejected: list[RejectedRow] = []
    first_row_of: dict[int, int] = {}
    for index, record in enumerate(records):
        number = index + 2  # the header is row 1, as a spreadsheet shows it
        try:
            rows.append(_parse_row(record, number=number, slug=slug, first_row_of=first_row_of))
        except errors.RowRejected as error:
            rejected.append(RejectedRow(file=file, row=number, reason=error.message))
    return slug, rows, rejected


def _parse_row(record: dict[str | None, Any], *, number: int, slug: str, first_row_of: dict[int, int]) -> _Row:
    extra = record.pop(None, None) or []
    expected = len(record)
    count = sum(value is not None for value in record.values()) + len(extra)
    if count != expected:
        raise errors.RowRejected(
            _("the row has %(count)s cells instead of %(expected)s") % {"count": count, "expected": expected}
        )
    cells = {column: record[column].strip() for column in COLUMNS}
    edition = cells["edition"]
    if not edition:
        raise errors.RowRejected(_("the edition is missing"))
    if edition != slug:
        raise errors.RowRejected(
            _("the edition “%(value)s” differs from the file's edition “%(edition)s”")
            % {"value": edition, "edition": slug}
        )
    raw_id = SPACES.sub("", cells["demarche_id"])
    if not raw_id.isascii() or not raw_id.isdigit() or not 0 < int(raw_id) < 2**31:
        raise errors.RowRejected(
            _("the démarche id “%(value)s” is not a positive whole number") % {"value": cells["demarche_id"]}
        )
    observatory_id = int(raw_id)
    if observatory_id in first_row_of:
        raise errors.RowRejected(
            _("the démarche %(id)s already appears on row %(row)s")
            % {"id": observatory_id, "row": first_row_of[observatory_id]}
        )
    first_row_of[observatory_id] = number
    if not cells["title"]:
        raise errors.RowRejected(_("the title is missing"))
    indicators: dict[str, Any] = {"in_top250": _top250(cells["top250"])}
    for column, name in TEXT_COLUMNS.items():
        indicators[name] = _text(cells[column], column=column, max_length=_max_length(IndicatorSet, name))
    for column in CODE_COLUMNS:
        indicators[column] = _code(cells[column], column=column)
    for column, (minimum, maximum) in INTEGER_COLUMNS.items():
        indicators[column] = _integer(cells[column], column=column, minimum=minimum, maximum=maximum)
    for column in PERCENT_COLUMNS:
        indicators[column] = _percent(cells[column], column=column)
    demarche = {
        name: _text(cells[column], column=column, max_length=_max_length(Demarche, name))
        for column, name in DEMARCHE_COLUMNS.items()
    }
    return _Row(observatory_id=observatory_id, demarche=demarche, indicators=indicators)


def _max_length(model: type[Demarche] | type[IndicatorSet], name: str) -> int:
    return int(getattr(model._meta.get_field(name), "max_length", None) or 0)


def _text(value: str, *, column: str, max_length: int) -> str:
    if len(value) > max_length:
        raise errors.RowRejected(
            _("the column %(column)s is longer than %(max)s characters") % {"column": column, "max": max_length}
        )
    return value


def _top250(value: str) -> bool:
    if value not in {"", "0", "1"}:
        raise errors.RowRejected(_("the column top250 has “%(value)s”, not 1 or 0") % {"value": value})
    return value == "1"


def _code(value: str, *, column: str) -> str:
    if value and value not in IndicatorCode.values:
        raise errors.RowRejected(
            _("the column %(column)s has “%(value)s”, which is not a code of the observatory")
            % {"column": column, "value": value}
        )
    return value


def _integer(value: str, *, column: str, minimum: int, maximum: int) -> int | None:
    if value.casefold() in NO_NUMBER:
        return None
    digits = SPACES.sub("", value)
    unsigned = digits.removeprefix("-")
    if not unsigned.isascii() or not unsigned.isdigit() or not minimum <= int(digits) <= maximum:
        raise errors.RowRejected(
            _("the column %(column)s has “%(value)s”, not a whole number from %(minimum)s to %(maximum)s")
            % {"column": column, "value": value, "minimum": minimum, "maximum": maximum}
        )
    return int(digits)


def _percent(value: str, *, column: str) -> Decimal | None:
    if value.casefold() in NO_NUMBER:
        return None
    try:
        number = Decimal(SPACES.sub("", value).removesuffix("%").replace(",", "."))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or not 0 <= number <= 100:
        raise errors.RowRejected(
            _("the column %(column)s has “%(value)s”, not a percentage from 0 to 100")
            % {"column": column, "value": value}
        )
    return number.quantize(Decimal("0.1"))


def _source_name(path: Path) -> str:
    """The file as the project names it (relative to the project), never a local absolute path."""
    resolved = path.resolve()
    try:
        return str(resolved.relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return resolved.name


def _default_label(slug: str) -> str:
    if match := re.fullmatch(r"(\d{4})-(\d{2})", slug):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            return capfirst(date_format(date(year, month, 1), "F Y"))
    if match := re.fullmatch(r"snapshot-(\d{4})-(\d{2})-(\d{2})", slug):
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return slug
        return _("Export of %(date)s") % {"date": date_format(day, "j F Y")}
    return slug


def _upsert_edition(
    *, slug: str, label: str | None, published_on: date | None, source_file: str
) -> tuple[ObservatoryEdition, bool]:
    edition = ObservatoryEdition.objects.select_for_update().filter(slug=slug).first()
    if edition is None:
        edition = ObservatoryEdition(
            slug=slug, label=label or _default_label(slug), published_on=published_on, source_file=source_file
        )
        edition.full_clean()
        edition.save()
        return edition, True
    wanted = {
        "label": label or edition.label,
        "published_on": published_on or edition.published_on,
        "source_file": source_file,
    }
    changed = [name for name, value in wanted.items() if getattr(edition, name) != value]
    if changed:
        for name in changed:
            setattr(edition, name, wanted[name])
        edition.full_clean()
        edition.save(update_fields=[*changed, "updated_at"])
    return edition, False


def _store_rows(report: ImportReport, *, rows: list[_Row], at: datetime) -> None:
    """Create or update the démarches and indicator sets of the valid rows, in bulk."""
    edition = report.edition
    newest = latest_edition()
    # Only the newest edition may rewrite a démarche's title or ministry; an older one fills blanks.
    overwrite = newest is not None and newest.pk == edition.pk
    if not Ministry.objects.exists():
        sync_ministries()
    ministries: dict[str, Ministry | None] = {}

    def ministry_of(label: str) -> Ministry | None:
        if label not in ministries:
            ministries[label] = ministry_for_label(label)
        return ministries[label]

    demarches, created_ids = _create_demarches(rows, ministry_of)
    report.demarches_created = len(created_ids)
    existing = {s.demarche_id: s for s in IndicatorSet.objects.select_for_update().filter(edition=edition)}
    changed_demarches: list[Demarche] = []
    new_sets: list[IndicatorSet] = []
    changed_sets: list[IndicatorSet] = []
    for row in rows:
        demarche = demarches[row.observatory_id]
        demarche_changed = row.observatory_id not in created_ids and _merge_demarche(
            demarche, row.demarche, ministry_of, overwrite=overwrite
        )
        if demarche_changed:
            demarche.updated_at = at
            changed_demarches.append(demarche)
        indicator_set = existing.get(demarche.pk)
        if indicator_set is None:
            new_sets.append(IndicatorSet(edition=edition, demarche=demarche, **row.indicators))
            report.created += 1
            continue
        differs = [name for name, value in row.indicators.items() if getattr(indicator_set, name) != value]
        for name in differs:
            setattr(indicator_set, name, row.indicators[name])
        if differs:
            indicator_set.updated_at = at
            changed_sets.append(indicator_set)
        if differs or demarche_changed:
            report.updated += 1
        else:
            report.unchanged += 1
    Demarche.objects.bulk_update(changed_demarches, [*DEMARCHE_COLUMNS.values(), "ministry", "updated_at"])
    IndicatorSet.objects.bulk_create(new_sets)
    indicator_fields = [*TEXT_COLUMNS.values(), *CODE_COLUMNS, *INTEGER_COLUMNS, *PERCENT_COLUMNS, "in_top250"]
    IndicatorSet.objects.bulk_update(changed_sets, [*indicator_fields, "updated_at"])


def _create_demarches(
    rows: list[_Row], ministry_of: Callable[[str], Ministry | None]
) -> tuple[dict[int, Demarche], set[int]]:
    """Every démarche of the rows by observatory id, the missing ones created; and the ids created."""
    ids = [row.observatory_id for row in rows]
    demarches = {d.observatory_id: d for d in Demarche.objects.select_for_update().filter(observatory_id__in=ids)}
    new_demarches = [
        Demarche(
            observatory_id=row.observatory_id, ministry=ministry_of(row.demarche["ministry_label"]), **row.demarche
        )
        for row in rows
        if row.observatory_id not in demarches
    ]
    Demarche.objects.bulk_create(new_demarches)
    demarches.update({d.observatory_id: d for d in new_demarches})
    return demarches, {d.observatory_id for d in new_demarches}


def _merge_demarche(
    demarche: Demarche, values: dict[str, str], ministry_of: Callable[[str], Ministry | None], *, overwrite: bool
) -> bool:
    """Copy the row's descriptive fields onto the démarche; a blank cell never erases a value."""
    changed = False
    for name, value in values.items():
        current = getattr(demarche, name)
        if value and value != current and (overwrite or not current):
            setattr(demarche, name, value)
            changed = True
    ministry = ministry_of(demarche.ministry_label)
    if ministry is not None and demarche.ministry_id != ministry.pk:
        demarche.ministry = ministry
        changed = True
    return changed
