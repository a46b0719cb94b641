"""Writes of a juror's review: partial scores in a draft, submission, revision until the selection
phase ends (the server's clock decides, from the moment the request arrived)."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from defis.accounts.models import User
from defis.audit.services import record_event
from defis.challenges.models import Defi
from defis.reviews import selectors
from defis.reviews.errors import (
    IncompleteReview,
    InConflict,
    NoCriteria,
    NotAJuror,
    NotReviewable,
    ReviewAlreadySubmitted,
    ScoreOutOfScale,
)
from defis.reviews.models import Assignment, Criterion, Juror, Review, Score


@dataclass(frozen=True)
class ScoreInput:
    """What the juror gave a criterion: a score (None while undecided) and a comment."""

    value: int | None
    comment: str = ""


def score_field(criterion: Criterion) -> str:
    return f"score_{criterion.pk}"


def _checked(*, actor: User, assignment: Assignment, at: datetime) -> tuple[Assignment, Review, list[Criterion]]:
    """Lock the review, after the rules every write of it obeys: the juror's own, a submitted défi with no
    conflict, while the selection phase is open."""
    assignment = (
        Assignment.objects.select_related("juror__edition", "defi")
        .prefetch_related("juror__edition__phases")
        .get(pk=assignment.pk)
    )
    juror = assignment.juror
    if juror.user_id != actor.pk or juror.status != Juror.Status.ACCEPTED:
        raise NotAJuror()
    if assignment.defi.status != Defi.Status.SUBMITTED:
        raise NotReviewable()
    if selectors.conflict_index(jurors=[juror], defis=[assignment.defi]):
        raise InConflict()
    refusal = selectors.review_window_error(edition=juror.edition, at=at)
    if refusal is not None:
        raise refusal
    Review.objects.get_or_create(assignment=assignment)
    review = Review.objects.select_for_update().get(assignment=assignment)
    criteria = list(selectors.criteria_of(edition=juror.edition))
    if not criteria:
        raise NoCriteria()
    return assignment, review, criteria


def _validate(criteria: list[Criterion], scores: Mapping[int, ScoreInput]) -> None:
    for criterion in criteria:
        given = scores.get(criterion.pk)
        if (
            given is not None
            and given.value is not None
            and not (criterion.scale_min <= given.value <= criterion.scale_max)
        ):
            raise ScoreOutOfScale(
                criterion=criterion.label,
                minimum=criterion.scale_min,
                maximum=criterion.scale_max,
                field=score_field(criterion),
            )


def _write(review: Review, criteria: list[Criterion], scores: Mapping[int, ScoreInput], comment: str) -> bool:
    """Store what changed; returns whether anything did."""
    existing = {score.criterion_id: score for score in Score.objects.filter(review=review)}
    changed = False
    for criterion in criteria:
        given = scores.get(criterion.pk)
        if given is None:
            continue
        score = existing.get(criterion.pk)
        text = given.comment.strip()
        if score is None:
            Score.objects.create(review=review, criterion=criterion, value=given.value, comment=text)
            changed = True
        elif (score.value, score.comment) != (given.value, text):
            score.value, score.comment = given.value, text
            score.save(update_fields=["value", "comment", "updated_at"])
            changed = True
    if review.comment != comment.strip():
        review.comment = comment.strip()
        review.save(update_fields=["comment", "updated_at"])
        changed = True
    return changed


@transaction.atomic
def save_review_draft(
    *,
    actor: User,
    assignment: Assignment,
    scores: Mapping[int, ScoreInput],
    comment: str = "",
    at: datetime | None = None,
) -> Review:
    """Save partial scores and comments of a review not yet submitted."""
    at = at or timezone.now()
    assignment, review, criteria = _checked(actor=actor, assignment=assignment, at=at)
    if review.status == Review.Status.SUBMITTED:
        raise ReviewAlreadySubmitted()
    _validate(criteria, scores)
    if _write(review, criteria, scores, comment):
        record_event(
            actor=actor,
            action="review.draft_saved",
            target=assignment.defi,
            at=at,
            data={"juror_id": assignment.juror_id},
        )
    return review


@transaction.atomic
def submit_review(
    *,
    actor: User,
    assignment: Assignment,
    scores: Mapping[int, ScoreInput],
    comment: str = "",
    at: datetime | None = None,
) -> Review:
    """Submit a review with every criterion scored, or revise a submitted one; a repeat changes nothing."""
    at = at or timezone.now()
    assignment, review, criteria = _checked(actor=actor, assignment=assignment, at=at)
    _validate(criteria, scores)
    stored = dict(Score.objects.filter(review=review).values_list("criterion_id", "value"))
    merged = {
        criterion.pk: (scores[criterion.pk].value if criterion.pk in scores else stored.get(criterion.pk))
        for criterion in criteria
    }
    missing = [criterion for criterion in criteria if merged[criterion.pk] is None]
    if missing:
        raise IncompleteReview(missing=[criterion.label for criterion in missing], field=score_field(missing[0]))
    changed = _write(review, criteria, scores, comment)
    if review.status == Review.Status.SUBMITTED and not changed:
        return review
    action = "review.revised" if review.status == Review.Status.SUBMITTED else "review.submitted"
    review.status, review.submitted_at = Review.Status.SUBMITTED, at
    review.save(update_fields=["status", "submitted_at", "updated_at"])
    record_event(actor=actor, action=action, target=assignment.defi, at=at, data={"juror_id": assignment.juror_id})
    return review
