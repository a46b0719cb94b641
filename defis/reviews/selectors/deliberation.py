"""Reads of the deliberation: capacity, notices and decided défis."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from defis.challenges.models import Defi
from defis.programmes.models import Edition
from defis.reviews.models import (
    DecisionNotice,
)
from defis.reviews.selectors.jury import jury_settings_of, reviewable_defis


@dataclass(frozen=True)
class Capacity:
    selected: int
    waiting_list: int
    rejected: int
    pending: int
    minimum: int | None
    maximum: int | None
    positions_used: int
    positions_budget: int | None

    @property
    def full(self) -> bool:
        return self.maximum is not None and self.selected >= self.maximum

    @property
    def below_minimum(self) -> bool:
        return self.minimum is not None and self.selected < self.minimum


def positions_of(defi: Defi, edition: Edition) -> int:
    """The positions a selected défi opens: what it asks for (one if it says nothing), within the
    edition's maximum per défi."""
    asked = defi.positions_count or 1
    return min(asked, edition.positions_per_defi_max) if edition.positions_per_defi_max else asked


def capacity_of(*, edition: Edition) -> Capacity:
    """Where the decisions stand against the edition's capacity."""
    counts = dict(
        Defi.objects.filter(edition=edition, status=Defi.Status.SUBMITTED)
        .values("decision")
        .annotate(n=Count("pk"))
        .values_list("decision", "n")
    )
    selected = Defi.objects.filter(edition=edition, status=Defi.Status.SUBMITTED, decision=Defi.Decision.SELECTED)
    used = sum(positions_of(defi, edition) for defi in selected.only("positions_count"))
    settings = jury_settings_of(edition=edition)
    return Capacity(
        selected=counts.get(Defi.Decision.SELECTED, 0),
        waiting_list=counts.get(Defi.Decision.WAITING_LIST, 0),
        rejected=counts.get(Defi.Decision.REJECTED, 0),
        pending=counts.get(Defi.Decision.PENDING, 0),
        minimum=edition.defis_to_select_min,
        maximum=edition.defis_to_select_max,
        positions_used=used,
        positions_budget=settings.positions_budget,
    )


def notices_of(*, edition: Edition) -> dict[int, set[str]]:
    """For each défi, the decisions its administration was already sent."""
    result: dict[int, set[str]] = defaultdict(set)
    for defi_id, decision in DecisionNotice.objects.filter(defi__edition=edition).values_list("defi_id", "decision"):
        result[defi_id].add(decision)
    return result


def decided_defis(*, edition: Edition) -> QuerySet[Defi]:
    """The submitted défis with a decision, with the people to notify."""
    return reviewable_defis(edition=edition).exclude(decision=Defi.Decision.PENDING).prefetch_related("coeditors__user")
