"""Reads of the selection: each in a number of queries that does not grow with the défis or jurors."""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from typing import Any

from django.core.cache import cache
from django.db import NotSupportedError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BigIntegerField, Count, F, Func, Max, Prefetch, Q, QuerySet, Value
from django.db.models.sql.compiler import SQLCompiler

from defis.accounts.models import User
from defis.challenges.models import Answer, Attachment, Defi
from defis.common.errors import DomainError
from defis.demarches.models import IndicatorSet
from defis.organisations.models import Membership, Ministry, Organisation
from defis.programmes.models import Edition, Phase
from defis.reviews.errors import SelectionClosed, SelectionNotOpen
from defis.reviews.models import (
    Assignment,
    Bid,
    ConflictOfInterest,
    Criterion,
    DecisionNotice,
    Juror,
    JurySettings,
    Review,
    Score,
)
from defis.reviews.ranking import Ranked, ReviewScore, Scale, rank_defis, review_score

Pair = tuple[int, int]  # (juror id, défi id)


class ConflictCode:
    DECLARED = "declared"
    SAME_ORGANISATION = "same_organisation"
    SAME_MINISTRY = "same_ministry"


@dataclass(frozen=True)
class Conflict:
    code: str
    ministry_id: int | None = None


def jury_settings_of(*, edition: Edition) -> JurySettings:
    """The edition's jury settings; the defaults (unsaved) until the team changes them."""
    return JurySettings.objects.filter(edition=edition).first() or JurySettings(edition=edition)


def criteria_of(*, edition: Edition) -> QuerySet[Criterion]:
    """The edition's criteria in the order jurors score them."""
    return Criterion.objects.filter(edition=edition).order_by("position", "pk")


def reviewable_defis(*, edition: Edition) -> QuerySet[Defi]:
    """The défis the jury reviews: the edition's submitted ones."""
    return (
        Defi.objects.filter(edition=edition, status=Defi.Status.SUBMITTED)
        .select_related("organisation")
        .order_by("title", "pk")
    )


def review_window_error(*, edition: Edition, at: datetime) -> DomainError | None:
    """Why reviews cannot be written at `at`, or None while the selection phase is open."""
    phase = edition.phase_of_kind(Phase.Kind.SELECTION)
    if phase is None or at < phase.opens_at:
        return SelectionNotOpen(opens_at=phase.opens_at if phase else None)
    if phase.deadline is not None and at >= phase.deadline:
        return SelectionClosed(closed_at=phase.closes_at or phase.deadline)
    return None


# Conflicts of interest -------------------------------------------------------------------------


def _juror_organisation_ids(juror: Juror) -> QuerySet[Organisation, Any]:
    """The juror's organisations: the one named on the seat and those that accepted their account."""
    memberships = (
        Membership.objects.filter(user_id=juror.user_id, status=Membership.Status.APPROVED)
        if juror.user_id is not None
        else Membership.objects.none()
    )
    match = Q(pk__in=memberships.values("organisation_id"))
    if juror.organisation_id is not None:
        match |= Q(pk=juror.organisation_id)
    return Organisation.objects.filter(match).values("pk")


def conflict_free(defis: QuerySet[Defi], *, juror: Juror) -> QuerySet[Defi]:
    """The défis of the queryset the juror has no conflict with, computed now (declared rows, and the
    same organisation or a shared parent ministry), in the same query as the défis."""
    own = _juror_organisation_ids(juror)
    ministries = Ministry.objects.filter(organisations__in=own).values("pk")
    declared = ConflictOfInterest.objects.filter(juror=juror)
    blocked = Organisation.objects.filter(
        Q(pk__in=own)
        | Q(parent_ministries__in=ministries)
        | Q(pk__in=declared.filter(organisation__isnull=False).values("organisation_id"))
    ).values("pk")
    return defis.exclude(pk__in=declared.filter(defi__isnull=False).values("defi_id")).exclude(
        organisation_id__in=blocked
    )


@dataclass
class Affiliations:
    """Who belongs where, read in three queries for a set of jurors and organisations."""

    juror_organisations: dict[int, set[int]] = field(default_factory=dict)
    ministries: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    _juror_ministries: dict[int, frozenset[int]] = field(default_factory=dict, repr=False, compare=False)

    def juror_ministries(self, juror_id: int) -> frozenset[int]:
        """The parent ministries of the juror's organisations, computed once per juror."""
        known = self._juror_ministries.get(juror_id)
        if known is None:
            organisations = self.juror_organisations.get(juror_id, set())
            known = frozenset().union(*(self.ministries[org] for org in organisations))
            self._juror_ministries[juror_id] = known
        return known

    def conflict(self, juror_id: int, organisation_id: int) -> Conflict | None:
        own = self.juror_organisations.get(juror_id)
        if not own:  # no organisation, hence no ministry: most jurors, checked on thousands of pairs
            return None
        if organisation_id in own:
            return Conflict(ConflictCode.SAME_ORGANISATION)
        shared = self.ministries[organisation_id] & self.juror_ministries(juror_id)
        return Conflict(ConflictCode.SAME_MINISTRY, min(shared)) if shared else None


def affiliations(*, jurors: Sequence[Juror], organisation_ids: Iterable[int]) -> Affiliations:
    """The jurors' organisations (seat and approved memberships) and every organisation's parent ministries."""
    result = Affiliations()
    by_user = defaultdict(set)
    user_ids = [juror.user_id for juror in jurors if juror.user_id is not None]
    for user_id, organisation_id in Membership.objects.filter(
        user_id__in=user_ids, status=Membership.Status.APPROVED
    ).values_list("user_id", "organisation_id"):
        by_user[user_id].add(organisation_id)
    for juror in jurors:
        own = set(by_user.get(juror.user_id, set())) if juror.user_id is not None else set()
        if juror.organisation_id is not None:
            own.add(juror.organisation_id)
        result.juror_organisations[juror.pk] = own
    every = set(organisation_ids).union(*result.juror_organisations.values())
    through = Organisation.parent_ministries.through.objects.filter(organisation_id__in=every)
    for organisation_id, ministry_id in through.values_list("organisation_id", "ministry_id"):
        result.ministries[organisation_id].add(ministry_id)
    return result


def conflict_index(
    *, jurors: Sequence[Juror], defis: Sequence[Defi], pairs: Iterable[Pair] | None = None
) -> dict[Pair, Conflict]:
    """Every (juror, défi) pair in conflict, with its reason, computed now: declared or recorded rows,
    the same organisation, a shared parent ministry. With `pairs`, only those (juror id, défi id)
    pairs are checked (their défis must be among `defis`), instead of every juror × défi."""
    organisation_of = {defi.pk: defi.organisation_id for defi in defis}
    if pairs is None:
        pairs = ((juror.pk, defi.pk) for juror in jurors for defi in defis)
    return _conflicts(jurors=jurors, organisation_of=organisation_of, pairs=pairs)


def _conflicts(
    *, jurors: Sequence[Juror], organisation_of: Mapping[int, int], pairs: Iterable[Pair]
) -> dict[Pair, Conflict]:
    """The pairs in conflict (see `conflict_index`), the défis given by their organisation: values, not instances."""
    links = affiliations(jurors=jurors, organisation_ids=set(organisation_of.values()))
    rows = ConflictOfInterest.objects.filter(juror__in=[juror.pk for juror in jurors]).values_list(
        "juror_id", "defi_id", "organisation_id", "source"
    )
    on_defi: dict[Pair, Conflict] = {}
    on_organisation: dict[tuple[int, int | None], Conflict] = {}
    for juror_id, defi_id, organisation_id, source in rows:
        if defi_id is not None:
            on_defi[(juror_id, defi_id)] = Conflict(ConflictCode.DECLARED)
        elif source == ConflictOfInterest.Source.DECLARED:
            on_organisation[(juror_id, organisation_id)] = Conflict(ConflictCode.DECLARED)
    index = {}
    for juror_id, defi_id in pairs:
        organisation_id = organisation_of[defi_id]
        conflict = (
            on_defi.get((juror_id, defi_id))
            or on_organisation.get((juror_id, organisation_id))
            or links.conflict(juror_id, organisation_id)
        )
        if conflict is not None:
            index[(juror_id, defi_id)] = conflict
    return index


def conflicts_of(*, edition: Edition) -> QuerySet[ConflictOfInterest]:
    """The recorded conflicts of the edition's jurors, for the team."""
    return (
        ConflictOfInterest.objects.filter(juror__edition=edition)
        .select_related("juror__user", "organisation", "defi", "ministry")
        .order_by("juror__email", "organisation__name", "defi__title", "pk")
    )


# The jury ------------------------------------------------------------------------------------------


def seats_of(*, user: User) -> QuerySet[Juror]:
    """The person's jury seats and the invitations sent to their address, newest edition first."""
    if not user.is_authenticated:
        return Juror.objects.none()
    return (
        Juror.objects.filter(Q(user=user) | Q(user__isnull=True, email__iexact=user.email))
        .select_related("edition__programme")
        .order_by("-edition__year", "edition__name")
    )


def accepted_seat(*, user: User, edition_slug: str) -> Juror | None:
    """The person's accepted seat on the edition's jury, with the edition's phases, or None."""
    if not user.is_authenticated:
        return None
    return (
        Juror.objects.filter(user=user, edition__slug=edition_slug, status=Juror.Status.ACCEPTED)
        .select_related("edition")
        .prefetch_related("edition__phases")
        .first()
    )


def jurors_of(*, edition: Edition) -> QuerySet[Juror]:
    """The edition's jurors with their load and the reviews they submitted."""
    return (
        Juror.objects.filter(edition=edition)
        .select_related("user", "organisation")
        .annotate(
            assigned=Count("assignments", distinct=True),
            submitted=Count(
                "assignments", filter=Q(assignments__review__status=Review.Status.SUBMITTED), distinct=True
            ),
        )
        .order_by("status", "email")
    )


def accepted_jurors(*, edition: Edition) -> list[Juror]:
    """The jurors who accepted, in the order of their ids (the assignment's tie order)."""
    return list(
        Juror.objects.filter(edition=edition, status=Juror.Status.ACCEPTED)
        .select_related("user", "organisation")
        .order_by("pk")
    )


# The juror's side ----------------------------------------------------------------------------------


def _readable_by(juror: Juror) -> QuerySet[Defi]:
    """The défis of the juror's edition that the jury reviews and the juror has no conflict with: the
    one scope of every juror page that names a défi (queue, review, attachments)."""
    return conflict_free(Defi.objects.filter(edition_id=juror.edition_id, status=Defi.Status.SUBMITTED), juror=juror)


def queue_of(*, juror: Juror) -> QuerySet[Assignment]:
    """The défis assigned to the juror, minus any they are in conflict with, each with its review's
    state and the number of criteria scored."""
    return (
        Assignment.objects.filter(juror=juror, defi__in=_readable_by(juror))
        .select_related("defi__organisation", "defi__demarche", "review")
        .annotate(scored=Count("review__scores", filter=Q(review__scores__value__isnull=False)))
        .order_by("defi__title", "defi_id")
    )


def assignment_to_review(*, juror: Juror, defi_id: int) -> Assignment | None:
    """The juror's assignment to the défi with what the review page shows, or None if the défi is
    not assigned to them, not submitted, or in conflict with them."""
    return (
        Assignment.objects.filter(juror=juror, defi__in=_readable_by(juror).filter(pk=defi_id))
        .select_related("juror__edition__observatory_edition", "defi__organisation", "defi__demarche")
        .prefetch_related(
            Prefetch(
                "defi__answers",
                queryset=Answer.objects.select_related("question").order_by("question__position", "question_id"),
            ),
            Prefetch("defi__attachments", queryset=Attachment.objects.order_by("created_at", "pk")),
        )
        .first()
    )


def review_of(*, assignment: Assignment) -> Review | None:
    """The juror's review of the assignment with its scores, or None before the first save."""
    return (
        Review.objects.filter(assignment=assignment)
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
        .first()
    )


def biddable_defis(*, juror: Juror) -> QuerySet[Defi]:
    """The défis a juror may state a preference on: the edition's submitted ones without conflict."""
    return conflict_free(reviewable_defis(edition=juror.edition), juror=juror)


def bids_of(*, juror: Juror) -> dict[int, str]:
    """The juror's preferences, by défi id."""
    return dict(Bid.objects.filter(juror=juror).values_list("defi_id", "preference"))


def indicators_for(*, defi: Defi, edition: Edition) -> list[IndicatorSet]:
    """The démarche's observatory indicators, the edition's own observatory edition first."""
    if defi.demarche_id is None:
        return []
    sets = list(
        IndicatorSet.objects.filter(demarche_id=defi.demarche_id)
        .select_related("edition")
        .order_by("-edition__published_on", "-edition__slug")
    )
    sets.sort(key=lambda item: item.edition_id != edition.observatory_edition_id)
    return sets


def others_visible(*, settings: JurySettings, own: Review | None) -> bool:
    """Whether the juror may read the other jurors' reviews, by the edition's setting."""
    visibility = settings.scores_visibility
    if visibility == JurySettings.ScoresVisibility.ALWAYS:
        return True
    return (
        visibility == JurySettings.ScoresVisibility.AFTER_OWN_REVIEW
        and own is not None
        and own.status == Review.Status.SUBMITTED
    )


def other_reviews(*, assignment: Assignment) -> list[Review]:
    """The other jurors' submitted reviews of the same défi, with their scores."""
    return list(
        Review.objects.filter(assignment__defi_id=assignment.defi_id, status=Review.Status.SUBMITTED)
        .exclude(assignment_id=assignment.pk)
        .select_related("assignment__juror__user")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
        .order_by("assignment__juror__email")
    )


# The team's side -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    juror: Juror
    assignment: Assignment | None
    conflict: Conflict | None
    bid: str


@dataclass(frozen=True)
class MatrixRow:
    defi: Defi
    cells: list[Cell]
    assigned: int


@dataclass(frozen=True)
class Matrix:
    jurors: list[Juror]
    rows: list[MatrixRow]
    loads: dict[int, int]

    @property
    def columns(self) -> list[tuple[Juror, int]]:
        return [(juror, self.loads[juror.pk]) for juror in self.jurors]


def assignment_matrix(*, edition: Edition) -> Matrix:
    """Défis × accepted jurors: who is assigned (and how), who is in conflict, who bid what."""
    jurors = accepted_jurors(edition=edition)
    defis = list(reviewable_defis(edition=edition))
    conflicts = conflict_index(jurors=jurors, defis=defis)
    assignments = {
        (a.juror_id, a.defi_id): a for a in Assignment.objects.filter(juror__edition=edition).select_related("review")
    }
    bids = dict(
        ((juror_id, defi_id), preference)
        for juror_id, defi_id, preference in Bid.objects.filter(juror__edition=edition).values_list(
            "juror_id", "defi_id", "preference"
        )
    )
    rows = []
    for defi in defis:
        cells = [
            Cell(
                juror,
                assignments.get((juror.pk, defi.pk)),
                conflicts.get((juror.pk, defi.pk)),
                bids.get((juror.pk, defi.pk), Bid.Preference.NEUTRAL),
            )
            for juror in jurors
        ]
        rows.append(MatrixRow(defi, cells, sum(1 for cell in cells if cell.assignment is not None)))
    loads = {juror.pk: 0 for juror in jurors}
    for juror_id, _defi_id in assignments:
        if juror_id in loads:
            loads[juror_id] += 1
    return Matrix(jurors=jurors, rows=rows, loads=loads)


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
    conflicts = _conflicts(jurors=jurors, organisation_of=organisation_of, pairs=values_of) if jurors else {}
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
