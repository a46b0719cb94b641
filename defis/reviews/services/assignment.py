"""Writes of the assignment of défis to jurors: the automatic run and the team's adjustments."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from defis.accounts.models import User
from defis.audit.services import record_event
from defis.challenges.models import Defi
from defis.programmes.models import Edition
from defis.reviews import selectors
from defis.reviews.balancing import Plan, balanced_assignment
from defis.reviews.errors import InConflict, NotAJuror, NotReviewable, ReviewStarted
from defis.reviews.models import Assignment, Bid, Juror, JurySettings, Review
from defis.reviews.services.jury import ensure_not_historical, record_detected_conflicts


@transaction.atomic
def run_automatic_assignment(*, actor: User, edition: Edition, k: int, at: datetime | None = None) -> Plan:
    """Replace the automatic assignments by a balanced one giving each défi K jurors (see `balancing.py`).

    Assignments made by hand are kept, and so are automatic ones whose review the juror has started:
    their work is never thrown away. Conflicts are detected again first.
    """
    at = at or timezone.now()
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    ensure_not_historical(edition)
    settings, _ = JurySettings.objects.get_or_create(edition=edition)
    if settings.reviewers_per_defi != k:
        settings.reviewers_per_defi = k
        settings.full_clean()
        settings.save(update_fields=["reviewers_per_defi", "updated_at"])
    record_detected_conflicts(edition=edition, actor=actor, at=at)
    jurors = selectors.accepted_jurors(edition=edition)
    defis = list(selectors.reviewable_defis(edition=edition))
    started = set(Review.objects.filter(assignment__juror__edition=edition).values_list("assignment_id", flat=True))
    replaced = Assignment.objects.filter(juror__edition=edition, source=Assignment.Source.AUTOMATIC).exclude(
        pk__in=started
    )
    removed = replaced.count()
    replaced.delete()
    kept = set(Assignment.objects.filter(juror__edition=edition).values_list("juror_id", "defi_id"))
    bids = {
        (juror_id, defi_id): preference
        for juror_id, defi_id, preference in Bid.objects.filter(juror__edition=edition).values_list(
            "juror_id", "defi_id", "preference"
        )
    }
    conflicts = selectors.conflict_index(jurors=jurors, defis=defis)
    plan = balanced_assignment(
        defis=[defi.pk for defi in defis],
        jurors=[juror.pk for juror in jurors],
        conflicts=conflicts.keys(),
        bids=bids,
        k=k,
        kept=kept,
    )
    Assignment.objects.bulk_create(
        [
            Assignment(juror_id=juror_id, defi_id=defi_id, source=Assignment.Source.AUTOMATIC, assigned_by=actor)
            for juror_id, defi_id in sorted(plan.added)
        ]
    )
    record_event(
        actor=actor,
        action="assignment.automatic",
        target=edition,
        at=at,
        data={
            "k": k,
            "added": len(plan.added),
            "kept": len(plan.kept),
            "replaced": removed,
            "shortfalls": [shortfall.defi_id for shortfall in plan.shortfalls],
            "spread": plan.spread,
        },
    )
    return plan


@transaction.atomic
def assign_juror(*, actor: User, juror: Juror, defi: Defi, at: datetime | None = None) -> Assignment:
    """Assign a défi to a juror by hand (an automatic assignment becomes a manual one, which the
    automatic run keeps); a conflict is refused."""
    juror = Juror.objects.select_for_update().select_related("edition").get(pk=juror.pk)
    ensure_not_historical(juror.edition)
    if juror.status != Juror.Status.ACCEPTED:
        raise NotAJuror()
    if defi.edition_id != juror.edition_id or defi.status != Defi.Status.SUBMITTED:
        raise NotReviewable()
    if selectors.conflict_index(jurors=[juror], defis=[defi]):
        raise InConflict()
    assignment = Assignment.objects.filter(juror=juror, defi=defi).first()
    if assignment is not None and assignment.source == Assignment.Source.MANUAL:
        return assignment
    if assignment is None:
        assignment = Assignment.objects.create(
            juror=juror, defi=defi, source=Assignment.Source.MANUAL, assigned_by=actor
        )
    else:
        assignment.source, assignment.assigned_by = Assignment.Source.MANUAL, actor
        assignment.save(update_fields=["source", "assigned_by", "updated_at"])
    record_event(actor=actor, action="assignment.added", target=defi, at=at, data={"juror_id": juror.pk})
    return assignment


@transaction.atomic
def unassign_juror(*, actor: User, assignment: Assignment, at: datetime | None = None) -> None:
    """Take a défi back from a juror, unless they have submitted its review."""
    assignment = Assignment.objects.select_for_update().select_related("defi__edition").get(pk=assignment.pk)
    ensure_not_historical(assignment.defi.edition)
    if Review.objects.filter(assignment=assignment, status=Review.Status.SUBMITTED).exists():
        raise ReviewStarted()
    record_event(
        actor=actor,
        action="assignment.removed",
        target=assignment.defi,
        at=at,
        data={"juror_id": assignment.juror_id, "source": assignment.source},
    )
    assignment.delete()
