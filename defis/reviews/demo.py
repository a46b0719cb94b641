"""The selection's part of the demo: the real criteria of the past calls, and a juror seat for the demo
account. Idempotent: loading it again updates what it loaded and adds nothing."""

import csv
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from defis.accounts.models import User
from defis.programmes.models import Edition
from defis.reviews.models import Criterion, Juror, JurySettings

# (programme, promotion) of data/programmes/selection_criteria.csv whose défi selection criteria
# each edition uses, by the start of its slug.
CRITERIA_SOURCES = {
    "dig-": ("DIG", "DIG 2019"),
    "commando-ux-": ("Commando UX", "Commando UX saison 1"),
}
# The calls publish the criteria, not how they weigh: the demo weighs the user impact and the stake
# for the administration double, as the Commando UX call selects "the défis with the highest user
# impact" and the DIG call puts the ministry's stake first. The team changes them per edition.
WEIGHTS = {
    ("DIG", 1): Decimal(2),
    ("DIG", 2): Decimal(2),
    ("DIG", 3): Decimal(1),
    ("Commando UX", 1): Decimal(2),
    ("Commando UX", 2): Decimal(1),
}
LEVELS = ["Absent ou hors sujet", "Très insuffisant", "Insuffisant", "Satisfaisant", "Bon", "Excellent"]
DEMO_JUROR_EMAIL = "jure@defis.example"
DEMO_JUROR_EXPERTISE = "Design de services publics"
DEMO_REVIEWERS_PER_DEFI = 1  # the demo has one juror


def criteria_rows(*, programme: str, promotion: str) -> list[dict[str, str]]:
    path = Path(settings.BASE_DIR) / "data" / "programmes" / "selection_criteria.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            row
            for row in csv.DictReader(handle)
            if (row["programme"], row["promotion"], row["stage"]) == (programme, promotion, "defi_selection")
        ]


def _label(row: dict[str, str]) -> str:
    label = row["criterion"].strip()
    return label[0].upper() + label[1:]


def _guidance(row: dict[str, str]) -> str:
    detail = row["detail"].strip()
    quoted = f"« {row['criterion'].strip()}{', ' + detail if detail else ''} »"
    return f"Critère publié dans l’appel à défis : {quoted}. Notez de 0 (absent) à 5 (excellent)."


def load_criteria(edition: Edition, *, programme: str, promotion: str) -> int:
    """Put the call's criteria on the edition, keyed by their position; returns how many."""
    rows = criteria_rows(programme=programme, promotion=promotion)
    for row in rows:
        position = int(row["position"])
        Criterion.objects.update_or_create(
            edition=edition,
            position=position,
            defaults={
                "label": _label(row)[:300],
                "guidance": _guidance(row),
                "weight": WEIGHTS.get((programme, position), Decimal(1)),
                "scale_min": 0,
                "scale_max": 5,
                "level_labels": LEVELS,
                "source": row["source"],
            },
        )
    return len(rows)


def seat_demo_juror(edition: Edition, *, at: datetime) -> Juror | None:
    """Make the demo juror an accepted juror of the edition, if the demo account exists."""
    user = User.objects.filter(email=DEMO_JUROR_EMAIL).first()
    if user is None:
        return None
    juror, _ = Juror.objects.update_or_create(
        edition=edition,
        email=DEMO_JUROR_EMAIL,
        defaults={
            "user": user,
            "status": Juror.Status.ACCEPTED,
            "expertise": DEMO_JUROR_EXPERTISE,
            "invited_at": at,
            "responded_at": at,
        },
    )
    JurySettings.objects.get_or_create(edition=edition, defaults={"reviewers_per_defi": DEMO_REVIEWERS_PER_DEFI})
    return juror


@transaction.atomic
def load_review_demo(*, edition_slugs: list[str] | tuple[str, ...]) -> list[str]:
    """Load the criteria of each named edition (DIG 2019's on "dig-…", Commando UX saison 1's on
    "commando-ux-…") and seat the demo juror on the current (non-historical) ones. Returns report lines."""
    at = timezone.now()
    lines = []
    for edition in Edition.objects.filter(slug__in=edition_slugs).order_by("slug"):
        source = next((keys for prefix, keys in CRITERIA_SOURCES.items() if edition.slug.startswith(prefix)), None)
        if source is None:
            continue
        count = load_criteria(edition, programme=source[0], promotion=source[1])
        line = f"{edition.name}: {count} selection criteria ({source[1]})"
        if not edition.is_historical:
            juror = seat_demo_juror(edition, at=at)
            line += f", juror {DEMO_JUROR_EMAIL}" if juror is not None else f", no account {DEMO_JUROR_EMAIL} yet"
        lines.append(line)
    return lines
