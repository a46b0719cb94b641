"""The arithmetic of the ranking, as pure functions (no database).

A review's score is the weighted mean of its criteria, each read as the share of its scale that
the juror gave (so that a 0–5 and a 1–10 criterion weigh what their weights say), out of 100;
it is exact (fractions). A défi's score is the mean of its submitted reviews' scores; its spread
is their standard deviation (population: 0 for a single review).

Normalisation corrects severe and lenient jurors: each review's score becomes its z-score among
the juror's own reviews of the edition, (score − the juror's mean) / the juror's standard
deviation; a juror whose reviews all have the same score (or who wrote one) tells nothing of
their severity and counts 0. The défi's normalised score is the mean of its z-scores (summed
with `math.fsum`, so that it does not depend on the order of the reviews).

Order: the best score first; equal scores next by more reviews, then by the défi's id, so that
the order never depends on the database; défis without a submitted review come last. Equal
scores share a rank (1, 2, 2, 4) and are flagged as tied.

Means and deviations are exact: the scores are written as integers over one common denominator,
and each float is the correctly rounded value of the exact fraction (what `float(Fraction)` gives),
without the cost of fraction arithmetic on thousands of reviews.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

# Floating scores (normalised) equal to this many decimals are a tie.
TIE_DECIMALS = 9


@dataclass(frozen=True)
class Scale:
    """A criterion as the arithmetic sees it."""

    criterion_id: int
    weight: Decimal | Fraction | int
    minimum: int
    maximum: int


class ReviewScore(NamedTuple):
    """The score of one submitted review (0–100). Named tuples, like `Ranked`: thousands are made,
    and cached, on each ranking."""

    defi_id: int
    juror_id: int
    score: Fraction


class Ranked(NamedTuple):
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


def _over_common_denominator(values: Sequence[Fraction]) -> tuple[list[int], int]:
    """The numerators of `values` over their least common denominator, and that denominator."""
    denominator = math.lcm(*{value.denominator for value in values}) if values else 1
    return [value.numerator * (denominator // value.denominator) for value in values], denominator


def _pstdev(numerators: Sequence[int], denominator: int) -> float:
    """The population standard deviation of numerator / denominator values, from the exact variance."""
    count, total = len(numerators), sum(numerators)
    squares = sum(numerator * numerator for numerator in numerators)
    # Σ(x − mean)² / n = (nΣx² − (Σx)²) / n², over denominator²; int / int is correctly rounded.
    return math.sqrt((count * squares - total * total) / (count * count * denominator * denominator))


def _float_pstdev(values: Sequence[float]) -> float:
    """The population standard deviation of floats, exact until the square root (as with fractions)."""
    ratios = [value.as_integer_ratio() for value in values]
    denominator = max(ratio[1] for ratio in ratios)  # powers of two: the largest is their lcm
    return _pstdev([numerator * (denominator // divisor) for numerator, divisor in ratios], denominator)


def _z_scores(reviews: Sequence[ReviewScore], numerators: Sequence[int], denominator: int) -> list[float]:
    """Each review's z-score among its juror's reviews, in the order of `reviews`."""
    by_juror: dict[int, list[int]] = defaultdict(list)
    for index, review in enumerate(reviews):
        by_juror[review.juror_id].append(index)
    result = [0.0] * len(reviews)
    for indexes in by_juror.values():
        own = [numerators[index] for index in indexes]
        count, total = len(own), sum(own)
        deviation = _pstdev(own, denominator)
        if deviation > 0:
            for index in indexes:
                # score − mean = (n·x − Σx) / (n·denominator), rounded once like float(Fraction).
                result[index] = ((count * numerators[index] - total) / (count * denominator)) / deviation
    return result


def z_scores(reviews: Iterable[ReviewScore]) -> dict[tuple[int, int], float]:
    """Each review's z-score among its juror's reviews, keyed by (défi id, juror id)."""
    reviews = list(reviews)
    numerators, denominator = _over_common_denominator([review.score for review in reviews])
    z = _z_scores(reviews, numerators, denominator)
    return {(review.defi_id, review.juror_id): value for review, value in zip(reviews, z, strict=True)}


_Row = tuple[bool, int | float, int, int, float | None, float | None]  # sort key…, score, spread


def _raw_rows(by_defi: Mapping[int, list[int]], denominator: int) -> list[_Row]:
    """(no score, −mean, −reviews, défi id, score, spread); the mean compared exactly, as a multiple
    of the least common multiple of the numbers of reviews."""
    common = math.lcm(*{len(numerators) for numerators in by_defi.values() if numerators})
    rows: list[_Row] = []
    for defi_id, numerators in by_defi.items():
        count = len(numerators)
        if not count:
            rows.append((True, 0, 0, defi_id, None, None))
            continue
        total = sum(numerators)
        score = total / (count * denominator)
        rows.append((False, -total * (common // count), -count, defi_id, score, _pstdev(numerators, denominator)))
    return rows


def _normalised_rows(by_defi: Mapping[int, list[float]]) -> list[_Row]:
    rows: list[_Row] = []
    for defi_id, values in by_defi.items():
        count = len(values)
        if not count:
            rows.append((True, 0, 0, defi_id, None, None))
            continue
        score = round(math.fsum(values) / count, TIE_DECIMALS)
        rows.append((False, -score, -count, defi_id, score, _float_pstdev(values)))
    return rows


def rank_defis(*, defi_ids: Iterable[int], reviews: Sequence[ReviewScore], normalise: bool = False) -> list[Ranked]:
    """Every défi with its score, spread, number of reviews and rank, best first (see the module)."""
    numerators, denominator = _over_common_denominator([review.score for review in reviews])
    rows: list[_Row]
    if normalise:
        z_by_defi: dict[int, list[float]] = {defi_id: [] for defi_id in defi_ids}
        for review, z in zip(reviews, _z_scores(reviews, numerators, denominator), strict=True):
            z_by_defi.setdefault(review.defi_id, []).append(z)
        rows = _normalised_rows(z_by_defi)
    else:
        by_defi: dict[int, list[int]] = {defi_id: [] for defi_id in defi_ids}
        for review, numerator in zip(reviews, numerators, strict=True):
            by_defi.setdefault(review.defi_id, []).append(numerator)
        rows = _raw_rows(by_defi, denominator)
    rows.sort(key=lambda row: row[:4])
    ranked: list[Ranked] = []
    for index, (unscored, key, count, defi_id, score, spread) in enumerate(rows):
        tied_before = index > 0 and not unscored and rows[index - 1][:2] == (False, key)
        tied_after = index + 1 < len(rows) and not unscored and rows[index + 1][:2] == (False, key)
        rank = None if unscored else (ranked[-1].rank if tied_before else index + 1)
        ranked.append(Ranked(defi_id, rank, score, spread, -count, tied_before or tied_after))
    return ranked
