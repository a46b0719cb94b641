"""Reads of the jury: settings, criteria, conflicts, seats, queues, reviews, bids and the assignment matrix."""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

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
    Juror,
    JurySettings,
    Review,
    Score,
)

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
    return conflicts_of_pairs(jurors=jurors, organisation_of=organisation_of, pairs=pairs)


def conflicts_of_pairs(
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
