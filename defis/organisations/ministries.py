"""The one table of ministries, and the labels every source uses for them.

`data/ministries.csv` lists the ministries (slug, name); `data/ministry_labels.csv` maps each label
found in the observatory and programme files ("Economie Finances", "Ministère de l’Action et des
comptes publics"…) onto one of them, so that historical names of a ministry count as one.
"""

import csv
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from defis.common.errors import DomainError
from defis.organisations.models import Ministry, MinistryLabel

CO_SUPERVISION_SEPARATOR = " | "


class MinistryTableInvalid(DomainError):
    code = "ministry_table_invalid"

    def __init__(self, *, file: str, row: int, reason: str) -> None:
        super().__init__(_("%(file)s, row %(row)s: %(reason)s") % {"file": file, "row": row, "reason": reason})


@dataclass(frozen=True)
class MinistrySyncReport:
    """What `sync_ministries` changed."""

    ministries_created: int
    ministries_updated: int
    ministries_unchanged: int
    labels_created: int
    labels_updated: int
    labels_unchanged: int

    def __str__(self) -> str:
        return _(
            "ministries: %(m_created)s created, %(m_updated)s updated, %(m_unchanged)s unchanged; "
            "labels: %(l_created)s created, %(l_updated)s updated, %(l_unchanged)s unchanged"
        ) % {
            "m_created": self.ministries_created,
            "m_updated": self.ministries_updated,
            "m_unchanged": self.ministries_unchanged,
            "l_created": self.labels_created,
            "l_updated": self.labels_updated,
            "l_unchanged": self.labels_unchanged,
        }


def _data_dir() -> Path:
    return Path(settings.BASE_DIR) / "data"


def _read_rows(path: Path, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in columns if column not in (reader.fieldnames or [])]
        if missing:
            raise MinistryTableInvalid(
                file=str(path), row=1, reason=_("missing columns: %(columns)s") % {"columns": ", ".join(missing)}
            )
        return [(reader.line_num, {column: (row[column] or "").strip() for column in columns}) for row in reader]


@transaction.atomic
def sync_ministries(*, ministries_path: Path | None = None, labels_path: Path | None = None) -> MinistrySyncReport:
    """Create or update every ministry and label of the two files; a second run changes nothing.

    Rows missing from the files are left in place: organisations and démarches may point to them.
    """
    ministries_path = ministries_path or _data_dir() / "ministries.csv"
    labels_path = labels_path or _data_dir() / "ministry_labels.csv"
    ministry_rows = _read_rows(ministries_path, ["slug", "name"])
    label_rows = _read_rows(labels_path, ["label", "ministry_slug"])

    ministries = {ministry.slug: ministry for ministry in Ministry.objects.select_for_update()}
    m_created = m_updated = m_unchanged = 0
    for line, row in ministry_rows:
        if not row["slug"] or not row["name"]:
            raise MinistryTableInvalid(file=str(ministries_path), row=line, reason=_("slug and name are required"))
        ministry = ministries.get(row["slug"])
        if ministry is None:
            ministries[row["slug"]] = Ministry.objects.create(slug=row["slug"], name=row["name"])
            m_created += 1
        elif ministry.name != row["name"]:
            ministry.name = row["name"]
            ministry.save(update_fields=["name", "updated_at"])
            m_updated += 1
        else:
            m_unchanged += 1

    labels = {label.label: label for label in MinistryLabel.objects.select_for_update()}
    l_created = l_updated = l_unchanged = 0
    for line, row in label_rows:
        ministry = ministries.get(row["ministry_slug"])
        if not row["label"] or ministry is None:
            raise MinistryTableInvalid(
                file=str(labels_path), row=line, reason=_("the label is empty or its ministry is not in the table")
            )
        existing = labels.get(row["label"])
        if existing is None:
            labels[row["label"]] = MinistryLabel.objects.create(label=row["label"], ministry=ministry)
            l_created += 1
        elif existing.ministry_id != ministry.pk:
            existing.ministry = ministry
            existing.save(update_fields=["ministry", "updated_at"])
            l_updated += 1
        else:
            l_unchanged += 1
    return MinistrySyncReport(m_created, m_updated, m_unchanged, l_created, l_updated, l_unchanged)


def normalise_label(label: str) -> str:
    """The form under which two spellings of a label count as one: apostrophes, accents, case, spaces."""
    text = label.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(text.split()).casefold()


def ministry_for_label(label: str) -> Ministry | None:
    """The ministry a source's label names: the exact label first, then its normalised form; None if unknown."""
    label = label.strip()
    if not label:
        return None
    exact = MinistryLabel.objects.select_related("ministry").filter(label=label).first()
    if exact is not None:
        return exact.ministry
    wanted = normalise_label(label)
    for candidate in MinistryLabel.objects.select_related("ministry").order_by("pk"):
        if normalise_label(candidate.label) == wanted:
            return candidate.ministry
    return Ministry.objects.filter(name=label).first()


def ministries_for_labels(text: str) -> list[Ministry]:
    """The ministries a "A | B" cell names (co-supervision), in order, without repeats or unknown labels."""
    found: list[Ministry] = []
    for part in text.split(CO_SUPERVISION_SEPARATOR):
        ministry = ministry_for_label(part)
        if ministry is not None and ministry not in found:
            found.append(ministry)
    return found
