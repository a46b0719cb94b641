"""The arithmetic of the ranking (pure functions, no database)."""

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from defis.reviews.ranking import TIE_DECIMALS, Ranked, ReviewScore, Scale, rank_defis, review_score, z_scores

SCALES = [
    Scale(criterion_id=1, weight=Decimal(2), minimum=0, maximum=5),
    Scale(criterion_id=2, weight=Decimal(1), minimum=0, maximum=5),
]


def test_review_score_weighs_each_criterion_as_a_share_of_its_scale() -> None:
    # (2 × 5/5 + 1 × 2/5) / 3 = 0.8
    assert review_score(values={1: 5, 2: 2}, scales=SCALES) == Fraction(80)


def test_review_score_reads_scales_that_do_not_start_at_zero() -> None:
    scales = [Scale(1, 1, 1, 10), Scale(2, 1, 0, 5)]

    assert review_score(values={1: 10, 2: 0}, scales=scales) == Fraction(50)


def test_review_score_refuses_a_score_out_of_its_scale() -> None:
    with pytest.raises(ValueError, match="out of"):
        review_score(values={1: 6, 2: 0}, scales=SCALES)


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(1, 9)), min_size=1, max_size=5), st.integers(1, 50))
def test_review_score_does_not_change_when_every_weight_is_multiplied(
    criteria: list[tuple[int, int]], factor: int
) -> None:
    scales = [Scale(index, weight, 0, 5) for index, (_value, weight) in enumerate(criteria)]
    scaled = [Scale(index, weight * factor, 0, 5) for index, (_value, weight) in enumerate(criteria)]
    values = {index: value for index, (value, _weight) in enumerate(criteria)}

    assert review_score(values=values, scales=scales) == review_score(values=values, scales=scaled)


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(1, 9)), min_size=1, max_size=5))
def test_review_score_lies_between_its_lowest_and_highest_criterion(criteria: list[tuple[int, int]]) -> None:
    scales = [Scale(index, weight, 0, 5) for index, (_value, weight) in enumerate(criteria)]
    values = {index: value for index, (value, _weight) in enumerate(criteria)}
    shares = [Fraction(100 * value, 5) for value in values.values()]

    assert min(shares) <= review_score(values=values, scales=scales) <= max(shares)


@given(st.integers(0, 4), st.integers(1, 5), st.integers(1, 8), st.integers(1, 8))
def test_a_heavier_criterion_pulls_the_score_towards_it(low: int, gap: int, light: int, extra: int) -> None:
    high, heavy = min(low + gap, 5), light + extra
    heavy_first = review_score(values={1: high, 2: low}, scales=[Scale(1, heavy, 0, 5), Scale(2, light, 0, 5)])
    light_first = review_score(values={1: high, 2: low}, scales=[Scale(1, light, 0, 5), Scale(2, heavy, 0, 5)])

    assert heavy_first > light_first


def reviews_strategy() -> st.SearchStrategy[list[ReviewScore]]:
    pair = st.tuples(st.integers(1, 8), st.integers(1, 5))  # (défi, juror)
    return (
        st.lists(pair, unique=True, max_size=25)
        .flatmap(
            lambda pairs: st.tuples(
                st.just(pairs),
                st.lists(st.fractions(0, 100, max_denominator=12), min_size=len(pairs), max_size=len(pairs)),
            )
        )
        .map(lambda drawn: [ReviewScore(defi, juror, score) for (defi, juror), score in zip(*drawn, strict=True)])
    )


@given(reviews_strategy())
def test_ranking_scores_are_the_mean_of_the_reviews(reviews: list[ReviewScore]) -> None:
    ranked = {row.defi_id: row for row in rank_defis(defi_ids=range(1, 9), reviews=reviews)}

    for defi_id in range(1, 9):
        scores = [review.score for review in reviews if review.defi_id == defi_id]
        if scores:
            assert ranked[defi_id].score == pytest.approx(float(sum(scores) / len(scores)))
            assert ranked[defi_id].reviews == len(scores)
            mean = sum(scores) / len(scores)
            assert ranked[defi_id].spread == pytest.approx(
                math.sqrt(float(sum((s - mean) ** 2 for s in scores) / len(scores)))
            )
        else:
            assert (ranked[defi_id].score, ranked[defi_id].rank, ranked[defi_id].reviews) == (None, None, 0)


@given(reviews_strategy(), st.booleans())
def test_ranking_is_ordered_best_first_then_by_reviews_then_by_id(reviews: list[ReviewScore], normalise: bool) -> None:
    ranked = rank_defis(defi_ids=range(1, 9), reviews=reviews, normalise=normalise)

    keys = [(row.score is None, -(row.score or 0), -row.reviews, row.defi_id) for row in ranked]
    assert keys == sorted(keys)
    assert {row.defi_id for row in ranked} == set(range(1, 9))


@given(reviews_strategy(), st.booleans())
def test_ranking_does_not_depend_on_the_order_of_the_reviews(reviews: list[ReviewScore], normalise: bool) -> None:
    forward = rank_defis(defi_ids=range(1, 9), reviews=reviews, normalise=normalise)
    backward = rank_defis(defi_ids=reversed(range(1, 9)), reviews=list(reversed(reviews)), normalise=normalise)

    assert [(row.defi_id, row.rank, row.tied) for row in forward] == [
        (row.defi_id, row.rank, row.tied) for row in backward
    ]


@given(reviews_strategy(), st.integers(1, 5), st.fractions(Fraction(1, 4), 4), st.fractions(-50, 50))
def test_normalisation_ignores_how_severe_or_lenient_a_juror_is(
    reviews: list[ReviewScore], juror: int, scale: Fraction, shift: Fraction
) -> None:
    # A juror who scores everything a·x + b (a > 0) ranks the défis as one who scores x.
    harsher = [
        ReviewScore(review.defi_id, review.juror_id, review.score * scale + shift)
        if review.juror_id == juror
        else review
        for review in reviews
    ]

    before, after = z_scores(reviews), z_scores(harsher)
    assert before.keys() == after.keys()
    for key, value in before.items():
        assert after[key] == pytest.approx(value, abs=1e-9)


def test_normalisation_corrects_a_severe_juror() -> None:
    # A severe juror reviews défis 1 and 3 (40 and 20), a lenient one défis 2 and 4 (80 and 100). Raw,
    # the lenient juror's défis come first; normalised, each juror's favourite ties at the top.
    reviews = [
        ReviewScore(1, 1, Fraction(40)),
        ReviewScore(3, 1, Fraction(20)),
        ReviewScore(2, 2, Fraction(80)),
        ReviewScore(4, 2, Fraction(100)),
    ]

    raw = rank_defis(defi_ids=[1, 2, 3, 4], reviews=reviews)
    normalised = rank_defis(defi_ids=[1, 2, 3, 4], reviews=reviews, normalise=True)

    assert [row.defi_id for row in raw] == [4, 2, 1, 3]
    assert [(row.defi_id, row.rank, row.tied, row.score) for row in normalised] == [
        (1, 1, True, 1.0),
        (4, 1, True, 1.0),
        (2, 3, True, -1.0),
        (3, 3, True, -1.0),
    ]


def test_a_juror_who_gives_every_defi_the_same_score_counts_zero_when_normalised() -> None:
    reviews = [ReviewScore(1, 1, Fraction(60)), ReviewScore(2, 1, Fraction(60))]

    assert z_scores(reviews) == {(1, 1): 0.0, (2, 1): 0.0}


def test_ties_share_a_rank_and_are_ordered_by_reviews_then_id() -> None:
    reviews = [
        ReviewScore(5, 1, Fraction(70)),
        ReviewScore(3, 1, Fraction(70)),
        ReviewScore(3, 2, Fraction(70)),
        ReviewScore(4, 1, Fraction(70)),
        ReviewScore(9, 1, Fraction(90)),
    ]

    ranked = rank_defis(defi_ids=[3, 4, 5, 9, 7], reviews=reviews)

    assert ranked == [
        Ranked(defi_id=9, rank=1, score=90.0, spread=0.0, reviews=1, tied=False),
        Ranked(defi_id=3, rank=2, score=70.0, spread=0.0, reviews=2, tied=True),
        Ranked(defi_id=4, rank=2, score=70.0, spread=0.0, reviews=1, tied=True),
        Ranked(defi_id=5, rank=2, score=70.0, spread=0.0, reviews=1, tied=True),
        Ranked(defi_id=7, rank=None, score=None, spread=None, reviews=0, tied=False),
    ]


def test_equal_means_over_different_numbers_of_reviews_tie() -> None:
    reviews = [ReviewScore(1, 1, Fraction(60)), ReviewScore(2, 1, Fraction(50)), ReviewScore(2, 2, Fraction(70))]

    ranked = rank_defis(defi_ids=[1, 2], reviews=reviews)

    assert [(row.defi_id, row.rank, row.tied, row.reviews) for row in ranked] == [(2, 1, True, 2), (1, 1, True, 1)]


@given(reviews_strategy())
def test_raw_scores_and_spreads_are_the_exact_fractions_rounded_once(reviews: list[ReviewScore]) -> None:
    ranked = {row.defi_id: row for row in rank_defis(defi_ids=range(1, 9), reviews=reviews)}

    for defi_id, row in ranked.items():
        scores = [review.score for review in reviews if review.defi_id == defi_id]
        if scores:
            mean = sum(scores, Fraction(0)) / len(scores)
            variance = sum(((score - mean) ** 2 for score in scores), Fraction(0)) / len(scores)
            assert (row.score, row.spread) == (float(mean), math.sqrt(float(variance)))


@given(reviews_strategy())
def test_z_scores_are_the_exact_distances_rounded_once(reviews: list[ReviewScore]) -> None:
    z = z_scores(reviews)

    for juror_id in {review.juror_id for review in reviews}:
        own = [review for review in reviews if review.juror_id == juror_id]
        mean = sum((review.score for review in own), Fraction(0)) / len(own)
        deviation = math.sqrt(float(sum(((review.score - mean) ** 2 for review in own), Fraction(0)) / len(own)))
        for review in own:
            expected = float(review.score - mean) / deviation if deviation > 0 else 0.0
            assert z[(review.defi_id, juror_id)] == expected


@given(reviews_strategy())
def test_normalised_scores_are_the_mean_z_score_and_spreads_exact(reviews: list[ReviewScore]) -> None:
    z = z_scores(reviews)
    ranked = {row.defi_id: row for row in rank_defis(defi_ids=range(1, 9), reviews=reviews, normalise=True)}

    for defi_id, row in ranked.items():
        values = [z[(review.defi_id, review.juror_id)] for review in reviews if review.defi_id == defi_id]
        if values:
            exact = [Fraction(value) for value in values]
            mean = sum(exact, Fraction(0)) / len(exact)
            variance = sum(((value - mean) ** 2 for value in exact), Fraction(0)) / len(exact)
            assert row.score == round(math.fsum(values) / len(values), TIE_DECIMALS)
            assert row.spread == math.sqrt(float(variance))
