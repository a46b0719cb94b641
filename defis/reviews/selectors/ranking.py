"""Reads of the ranking: the submitted reviews' scores, ranked over the whole edition and cached (see
`RANKING_CACHE_KEY`), and the rows of one page."""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.core.cache import cache
from django.db import NotSupportedError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BigIntegerField, Count, F, Func, Max, Q, QuerySet, Value
from django.db.models.sql.compiler import SQLCompiler

from defis.challenges.models import Defi
from defis.organisations.models import Membership, Organisation
from defis.programmes.models import Edition
from defis.reviews.models import (
    ConflictOfInterest,
    Criterion,
    Juror,
    Review,
    Score,
)
from defis.reviews.ranking import Ranked, ReviewScore, Scale, rank_defis, review_score
from defis.reviews.selectors.jury import Pair, conflicts_of_pairs, criteria_of, reviewable_defis


@dataclass(frozen=True)
class ScoredReview:
    """A submitted review with its scores, in the order of the criteria."""

    review: Review
    scores: list[Score]


@dataclass(frozen=True)
class RankRow:
    defi: Defi
    ranked: Ranked
    reviews: list[ScoredReview]
    assigned: int


def _scales(criteria: Sequence[Criterion]) -> list[Scale]:
    return [Scale(criterion.pk, criterion.weight, criterion.scale_min, criterion.scale_max) for criterion in criteria]


Values = tuple[int | None, ...]  # one review's values, in the order of the edition's criteria


def _review_scores(values_of: Mapping[Pair, Values], scales: Sequence[Scale]) -> list[ReviewScore]:
    """The scores of the reviews over the criteria each scored (all of them once submitted), each
    distinct set of values computed once: a jury gives few distinct combinations of values to
    thousands of reviews. `scales` are in the order of the values."""
    known: dict[Values, Fraction | None] = {}
    result = []
    for (juror_id, defi_id), values in values_of.items():
        if values not in known:
            present = [scale for scale, value in zip(scales, values, strict=True) if value is not None]
            scored = {
                scale.criterion_id: value for scale, value in zip(scales, values, strict=True) if value is not None
            }
            known[values] = review_score(values=scored, scales=present) if present else None
        score = known[values]
        if score is not None:
            result.append(ReviewScore(defi_id, juror_id, score))
    return result


def _submitted_values(edition: Edition, criteria: Sequence[Criterion]) -> dict[Pair, Values]:
    """The values of the submitted reviews of the edition's reviewable défis by (juror id, défi id):
    one row per review with its criteria side by side (a juror reviews a défi once), in no order."""
    if not criteria:
        return {}
    rows = (
        Review.objects.filter(
            assignment__defi__edition=edition,
            assignment__defi__status=Defi.Status.SUBMITTED,
            status=Review.Status.SUBMITTED,
        )
        .values_list("assignment__juror_id", "assignment__defi_id")
        .annotate(
            **{
                f"criterion_{criterion.pk}": Max("scores__value", filter=Q(scores__criterion_id=criterion.pk))
                for criterion in criteria
            }
        )
        .order_by()
    )
    return {(juror_id, defi_id): tuple(values) for juror_id, defi_id, *values in rows}


@dataclass(frozen=True)
class Ranking:
    """The edition's ranking: every submitted défi best first, and the submitted reviews left out."""

    rows: list[Ranked]
    in_conflict: frozenset[Pair]  # (juror id, défi id): the juror is now in conflict with the défi


# The ranking page shows a page of the whole edition's ranking, which takes a tenth of a second to
# compute for 2,000 défis. So the ranking is kept in the cache with a stamp of what it was computed
# from, and served only while the stamp and the submitted défis (compared whole) are unchanged. The
# stamp must move with any committed change, whatever the order in which writers commit: a writer
# takes `updated_at` from its clock before its transaction commits, so the newest `updated_at` of a
# table would miss a transaction committing late with an older one. The stamp holds instead, for
# each table the ranking reads, order-independent checksums of its rows: their number, the sum of
# their ids and the sum of their `updated_at` in microseconds since the epoch. An insert adds a row,
# a delete takes one away, and an update moves the row's `updated_at` forward, so the sums change
# whenever they commit; equal stamps would take changes offsetting to the microsecond. So a ranking
# is stored on its first computation and served until any of it changes. This holds as long as every
# write of these tables sets `updated_at` (`save()` does; `QuerySet.update()` and `bulk_update()`
# must name it). The organisations' parent ministries (a link table without timestamps, whose rows
# are only ever inserted or deleted) are summed by id and id squared instead.
RANKING_CACHE_SECONDS = 24 * 3600
# The cached value holds built-in types only (no class of ours to unpickle): bump the version when its shape changes.
RANKING_CACHE_KEY = "reviews:ranking:2:{edition_id}:{normalise:d}"

# (rows, sum of ids, checksum) of each table the ranking reads but the défis, in a fixed order.
Stamp = tuple[tuple[int, int, int], ...]


class _EpochPart(Func):
    """A part of a timestamp column as an exact integer, on PostgreSQL and SQLite (where Django stores
    UTC datetimes as text, `YYYY-MM-DD HH:MM:SS[.ffffff]`), without floating-point rounding."""

    arity = 1
    output_field = BigIntegerField()
    postgresql_template: str
    sqlite_template: str

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, tuple[str | int, ...]]:
        raise NotSupportedError(f"{type(self).__name__} supports PostgreSQL and SQLite, not {connection.vendor}.")

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, tuple[str | int, ...]]:
        return super().as_sql(compiler, connection, template=self.postgresql_template, **extra_context)

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, tuple[str | int, ...]]:
        return super().as_sql(compiler, connection, template=self.sqlite_template, **extra_context)


class EpochSeconds(_EpochPart):
    """The whole seconds since 1970-01-01 UTC."""

    # date_part() is EXTRACT in double precision, a third faster than its numeric: the epoch in
    # microseconds divided by 10⁶ and rounded once, never up to the next second (until the year 2200).
    postgresql_template = "FLOOR(date_part('epoch', %(expressions)s))::bigint"
    # julianday() of whole seconds is within microseconds of the exact value: rounding makes it exact.
    sqlite_template = "CAST(ROUND((julianday(substr(%(expressions)s, 1, 19)) - 2440587.5) * 86400) AS INTEGER)"


class Microseconds(_EpochPart):
    """The microseconds within the second (0 to 999,999)."""

    postgresql_template = "MOD(date_part('microseconds', %(expressions)s)::bigint, 1000000)"  # of the minute: exact
    sqlite_template = "CAST(substr(%(expressions)s, 21, 6) AS INTEGER)"  # '' (no fraction) casts to 0


def _sum(expression: Any) -> Func:
    """SUM as a plain function: one row per table, without GROUP BY."""
    return Func(expression, function="SUM")


def _ranking_stamp(edition: Edition) -> Stamp:
    """The stamp of what the edition's ranking is computed from (see RANKING_CACHE_KEY's comment), in
    one query that reads each table once. Drafts are left out: until submitted, a review and its
    scores do not count, and a submission changes the review's row."""
    reviews = Review.objects.filter(assignment__defi__edition=edition, status=Review.Status.SUBMITTED)
    tables: list[QuerySet[Any]] = [
        Criterion.objects.filter(edition=edition),
        reviews,
        # The scores of the edition's criteria in submitted reviews: those the ranking reads, and
        # found without joining the reviews to their défis again.
        Score.objects.filter(criterion__edition=edition, review__status=Review.Status.SUBMITTED),
        Juror.objects.filter(edition=edition),
        ConflictOfInterest.objects.filter(juror__edition=edition),
        Membership.objects.filter(user__in=Juror.objects.filter(edition=edition).values("user_id")),
        # The admin saves an organisation with its parent ministries.
        Organisation.objects.all(),
    ]
    # The sums of the seconds and of the microseconds apart: their total would overflow SQLite's integers.
    parts = [
        rows.order_by().values_list(
            Value(position),
            Func(F("pk"), function="COUNT"),
            _sum(F("pk")),
            _sum(EpochSeconds("updated_at")),
            _sum(Microseconds("updated_at")),
        )
        for position, rows in enumerate(tables)
    ]
    # A link row never changes: its id stands for its content.
    parts.append(
        Organisation.parent_ministries.through.objects.order_by().values_list(
            Value(len(tables)),
            Func(F("pk"), function="COUNT"),
            _sum(F("pk")),
            _sum(F("pk") * F("pk")),
            Value(0),
        )
    )
    rows = sorted(parts[0].union(*parts[1:], all=True))
    # PostgreSQL sums to numeric (Decimal), SQLite to integers; a sum over no rows is NULL.
    return tuple(
        (int(count), int(ids or 0), int(seconds or 0) * 1_000_000 + int(micro or 0))
        for _position, count, ids, seconds, micro in rows
    )


def edition_ranking(*, edition: Edition, normalise: bool = False) -> Ranking:
    """Every submitted défi of the edition, best first, with its rank, score and spread (see
    `ranking.py`); a review by a juror now in conflict with the défi never counts. Exact: computed from
    values read in seven queries, or served from the cache while nothing it depends on has changed
    (see RANKING_CACHE_KEY's comment)."""
    organisation_of = dict(
        Defi.objects.filter(edition=edition, status=Defi.Status.SUBMITTED)
        .order_by()
        .values_list("pk", "organisation_id")
    )
    stamp = _ranking_stamp(edition)  # read before the ranking: a change committed in between moves it
    key = RANKING_CACHE_KEY.format(edition_id=edition.pk, normalise=normalise)
    cached = cache.get(key)
    if isinstance(cached, tuple) and cached[:2] == (stamp, organisation_of):
        _stamp, _organisations, rows, in_conflict = cached
        return Ranking(rows=[Ranked(*row) for row in rows], in_conflict=in_conflict)
    ranking = _ranking(edition, organisation_of, normalise=normalise)
    rows = [tuple(row) for row in ranking.rows]
    cache.set(key, (stamp, organisation_of, rows, ranking.in_conflict), RANKING_CACHE_SECONDS)
    return ranking


def _ranking(edition: Edition, organisation_of: Mapping[int, int], *, normalise: bool) -> Ranking:
    """The ranking of the défis of `organisation_of` (défi id → organisation id)."""
    criteria = list(criteria_of(edition=edition))
    # A défi withdrawn between the two reads is left out, not half counted.
    values_of = {
        pair: values for pair, values in _submitted_values(edition, criteria).items() if pair[1] in organisation_of
    }
    juror_ids = {juror_id for juror_id, _defi_id in values_of}
    jurors = (
        list(Juror.objects.filter(pk__in=juror_ids).only("user_id", "organisation_id").order_by()) if juror_ids else []
    )
    # Only the reviewed pairs can be in conflict for the ranking: a few thousand checks, not jurors × défis.
    conflicts = conflicts_of_pairs(jurors=jurors, organisation_of=organisation_of, pairs=values_of) if jurors else {}
    counted = {pair: values for pair, values in values_of.items() if pair not in conflicts}
    scores = _review_scores(counted, _scales(criteria))
    rows = rank_defis(defi_ids=organisation_of, reviews=scores, normalise=normalise)
    return Ranking(rows=rows, in_conflict=frozenset(conflicts))


def _scored_reviews(
    defi_ids: Sequence[int], criteria: Sequence[Criterion], in_conflict: frozenset[Pair]
) -> dict[int, list[ScoredReview]]:
    """The submitted reviews of the défis that the ranking counted (not `in_conflict`), by défi, each
    with its juror and its scores, ordered by the juror's address. Only what the ranking page shows is
    read, and the scores share the edition's criteria instances."""
    reviews = (
        Review.objects.filter(assignment__defi__in=defi_ids, status=Review.Status.SUBMITTED)
        .select_related("assignment__juror__user")
        .only(
            "comment",
            "assignment__defi_id",
            "assignment__juror__email",
            "assignment__juror__user__email",
            "assignment__juror__user__first_name",
            "assignment__juror__user__last_name",
        )
        .order_by("assignment__juror__email", "pk")
    )
    counted = [
        review for review in reviews if (review.assignment.juror_id, review.assignment.defi_id) not in in_conflict
    ]
    by_criterion = {criterion.pk: criterion for criterion in criteria}
    scores: dict[int, list[Score]] = defaultdict(list)
    for score in (
        Score.objects.filter(review__in=[review.pk for review in counted], criterion__in=by_criterion)
        .only("review_id", "criterion_id", "value", "comment")
        .order_by("criterion__position", "criterion_id")
    ):
        score.criterion = by_criterion[score.criterion_id]
        scores[score.review_id].append(score)
    by_defi: dict[int, list[ScoredReview]] = defaultdict(list)
    for review in counted:
        by_defi[review.assignment.defi_id].append(ScoredReview(review, scores[review.pk]))
    return by_defi


def ranking(*, edition: Edition, normalise: bool = False) -> list[RankRow]:
    """The edition's submitted défis, best first (see `edition_ranking`), each with its organisation
    and its number of jurors assigned."""
    # What the deliberation page and the export show of a défi, and no more: they list every défi.
    defis = {
        defi.pk: defi
        for defi in reviewable_defis(edition=edition)
        .only("title", "decision", "positions_count", "organisation__name")
        .annotate(assigned=Count("jury_assignments"))
    }
    ranked = _ranking(edition, {pk: defi.organisation_id for pk, defi in defis.items()}, normalise=normalise).rows
    return [
        RankRow(defi=defis[row.defi_id], ranked=row, reviews=[], assigned=defis[row.defi_id].assigned) for row in ranked
    ]


def ranking_page(*, edition: Edition, ranking: Ranking, ranked: Sequence[Ranked]) -> list[RankRow]:
    """The rows of `ranked`, a page of `ranking.rows`, in its order: each défi with its organisation,
    its number of jurors assigned and the submitted reviews the ranking counted, with their jurors and
    scores. A défi withdrawn since the ranking was read is left out."""
    ids = [row.defi_id for row in ranked]
    if not ids:
        return []
    defis = (
        reviewable_defis(edition=edition)
        .filter(pk__in=ids)
        .only("title", "decision", "organisation__name")
        .annotate(assigned=Count("jury_assignments"))
    )
    by_id = {defi.pk: defi for defi in defis}
    reviews = _scored_reviews(ids, list(criteria_of(edition=edition)), ranking.in_conflict)
    return [
        RankRow(defi=defi, ranked=row, reviews=reviews.get(defi.pk, []), assigned=defi.assigned)
        for row in ranked
        if (defi := by_id.get(row.defi_id)) is not None
    ]
