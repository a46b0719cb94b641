"""The arithmetic of the ranking, as pure functions (no database).

A review's score is the weighted mean of its criteria, each read as the share of its scale that
the juror gave (so that a 0–5 and a 1–10 criterion weigh what their weights say), out of 100;
it is exact (fractions). A défi's score is the mean of its submitted reviews' scores; its spread
is their standard deviation (population: 0 for a single review).

Normalisation corrects severe and lenient jurors: each review's score becomes its z-score among
the juror's own reviews of the edition, (score − the juror's mean) / the juror's standard
deviation; a juror whose reviews all have the same score (or who wrote one) tells nothing of
their severity and counts 0. The défi's normalised score is the mean of its z-scores.

Order: the best score first; equal scores next by more reviews, then by the défi's id, so that
the order never depends on the database; défis without a submitted review come last. Equal
scores share a rank (1, 2, 2, 4) and are flagged as tied.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

# Floating scores (normalised) equal to this many decimals are a tie.
TIE_DECIMALS = 9


@dataclass(frozen=True)
class Scale:
    """A criterion as the arithmetic sees it."""

    criterion_id: int
    weight: Decimal | Fraction | int
    minimum: int
    maximum: int


@dataclass(frozen=True)
class ReviewScore:
    """The score of one submitted review (0–100)."""

    defi_id: int
    juror_id: int
    score: Fraction


@dataclass(frozen=True)
class Ranked:
    defi_id: int
    rank: int | None
    score: float | None
    spread: float | None
    reviews: int
    tied: bool


def review_score(*, values: Mapping[int, int], scales: Sequence[Scale]) -> Fraction:
    """The weighted mean of a complete review, out of 100; a criterion without a value is an error."""
    total_weight = sum((Fraction(scale.weight) for scale in scales), Fraction(0))
    if total_weight <= 0:
        raise ValueError("no criterion to score")
    weighted = Fraction(0)
    for scale in scales:
        value = values[scale.criterion_id]
        if not scale.minimum <= value <= scale.maximum:
            raise ValueError(f"score {value} out of {scale.minimum}–{scale.maximum}")
        weighted += Fraction(scale.weight) * Fraction(value - scale.minimum, scale.maximum - scale.minimum)
    return 100 * weighted / total_weight


def _mean(values: Sequence[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def _pstdev(values: Sequence[Fraction] | Sequence[float]) -> float:
    exact = [Fraction(value) for value in values]
    mean = _mean(exact)
    return math.sqrt(sum((value - mean) ** 2 for value in exact) / len(exact))


def z_scores(reviews: Iterable[ReviewScore]) -> dict[tuple[int, int], float]:
    """Each review's z-score among its juror's reviews, keyed by (défi id, juror id)."""
    by_juror: dict[int, list[ReviewScore]] = defaultdict(list)
    for review in reviews:
        by_juror[review.juror_id].append(review)
    result = {}
    for juror_reviews in by_juror.values():
        scores = [review.score for review in juror_reviews]
        mean, deviation = _mean(scores), _pstdev(scores)
        for review in juror_reviews:
            z = float(review.score - mean) / deviation if deviation > 0 else 0.0
            result[(review.defi_id, review.juror_id)] = z
    return result


def _mean_and_spread(values: Sequence[Fraction] | Sequence[float]) -> tuple[Fraction | float, float]:
    return sum(values) / len(values), _pstdev(values)


def rank_defis(*, defi_ids: Iterable[int], reviews: Sequence[ReviewScore], normalise: bool = False) -> list[Ranked]:
    """Every défi with its score, spread, number of reviews and rank, best first (see the module)."""
    raw: dict[int, list[Fraction]] = {defi_id: [] for defi_id in defi_ids}
    normalised: dict[int, list[float]] = {defi_id: [] for defi_id in raw}
    z = z_scores(reviews) if normalise else {}
    for review in reviews:
        raw.setdefault(review.defi_id, []).append(review.score)
        if normalise:
            normalised.setdefault(review.defi_id, []).append(z[(review.defi_id, review.juror_id)])
    Row = tuple[Fraction | float | None, int, int, float | None]  # (key, reviews, défi id, spread)
    rows: list[Row] = []
    for defi_id in raw:
        values = normalised[defi_id] if normalise else raw[defi_id]
        if not values:
            rows.append((None, 0, defi_id, None))
            continue
        mean, spread = _mean_and_spread(values)
        key = round(float(mean), TIE_DECIMALS) if normalise else mean
        rows.append((key, len(values), defi_id, spread))
    rows.sort(key=lambda row: (row[0] is None, -(row[0] or 0), -row[1], row[2]))
    ranked: list[Ranked] = []
    for index, (value, count, defi_id, deviation) in enumerate(rows):
        previous = rows[index - 1][0] if index else None
        following = rows[index + 1][0] if index + 1 < len(rows) else None
        tied = value is not None and value in (previous, following)
        rank = None if value is None else (ranked[-1].rank if index and value == previous else index + 1)
        ranked.append(
            Ranked(
                defi_id=defi_id,
                rank=rank,
                score=None if value is None else float(value),
                spread=deviation,
                reviews=count,
                tied=tied,
            )
        )
    return ranked
