"""Properties of the balanced assignment (pure function, no database)."""

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from defis.reviews.balancing import (
    BID_COSTS,
    ConflictingKeptAssignment,
    Plan,
    Shortfall,
    balanced_assignment,
)

PREFERENCES = ["want", "neutral", "avoid"]


@st.composite
def problems(
    draw: st.DrawFn, max_defis: int = 12, max_jurors: int = 7, conflicts: bool = True, kept: bool = True
) -> dict:  # type: ignore[type-arg]
    defis = draw(st.lists(st.integers(1, 10_000), min_size=0, max_size=max_defis, unique=True))
    jurors = draw(st.lists(st.integers(1, 10_000), min_size=0, max_size=max_jurors, unique=True))
    pairs = [(juror, defi) for juror in jurors for defi in defis]
    conflict_set = set(draw(st.lists(st.sampled_from(pairs), unique=True))) if conflicts and pairs else set()
    free = [pair for pair in pairs if pair not in conflict_set]
    kept_set = set(draw(st.lists(st.sampled_from(free), unique=True, max_size=4))) if kept and free else set()
    bids = draw(st.dictionaries(st.sampled_from(pairs), st.sampled_from(PREFERENCES))) if pairs else {}
    k = draw(st.integers(1, 4))
    return {"defis": defis, "jurors": jurors, "conflicts": conflict_set, "kept": kept_set, "bids": bids, "k": k}


def eligible(problem: dict, defi: int) -> int:  # type: ignore[type-arg]
    return sum(1 for juror in problem["jurors"] if (juror, defi) not in problem["conflicts"])


def per_defi(plan: Plan, defi: int) -> int:
    return sum(1 for _juror, assigned in plan.pairs if assigned == defi)


@given(problems())
def test_assignment_never_assigns_a_conflict(problem: dict) -> None:  # type: ignore[type-arg]
    plan = balanced_assignment(**problem)

    assert plan.pairs & problem["conflicts"] == set()
    assert plan.added & problem["kept"] == set()


@given(problems())
def test_assignment_gives_each_defi_k_jurors_or_every_juror_without_conflict(problem: dict) -> None:  # type: ignore[type-arg]
    plan = balanced_assignment(**problem)

    for defi in problem["defis"]:
        kept = sum(1 for _juror, assigned in problem["kept"] if assigned == defi)
        assert per_defi(plan, defi) == max(kept, min(problem["k"], eligible(problem, defi)))


@given(problems())
def test_assignment_reports_exactly_the_defis_that_cannot_reach_k_and_why(problem: dict) -> None:  # type: ignore[type-arg]
    plan = balanced_assignment(**problem)

    expected = {
        Shortfall(
            defi_id=defi,
            wanted=problem["k"],
            eligible=eligible(problem, defi),
            conflicted=len(problem["jurors"]) - eligible(problem, defi),
        )
        for defi in problem["defis"]
        if eligible(problem, defi) < problem["k"]
    }
    assert set(plan.shortfalls) == expected


@given(problems(conflicts=False, kept=False))
def test_assignment_without_conflicts_balances_loads_within_one(problem: dict) -> None:  # type: ignore[type-arg]
    plan = balanced_assignment(**problem)

    assert plan.spread <= 1
    assert sum(plan.loads.values()) == len(problem["defis"]) * min(problem["k"], len(problem["jurors"]))


@given(problems(), st.randoms(use_true_random=False))
def test_assignment_is_the_same_whatever_the_order_of_the_input(problem: dict, rng: random.Random) -> None:  # type: ignore[type-arg]
    shuffled = dict(problem)
    shuffled["defis"] = rng.sample(problem["defis"], len(problem["defis"]))
    shuffled["jurors"] = rng.sample(problem["jurors"], len(problem["jurors"]))
    shuffled["conflicts"] = list(problem["conflicts"])
    rng.shuffle(shuffled["conflicts"])

    assert balanced_assignment(**shuffled) == balanced_assignment(**problem)


def brute_force(problem: dict) -> tuple[int, int]:  # type: ignore[type-arg]
    """The best (sum of squared loads, bid cost) over every assignment that meets the coverage rule."""
    options = []
    for defi in problem["defis"]:
        free = [
            juror
            for juror in problem["jurors"]
            if (juror, defi) not in problem["conflicts"] and (juror, defi) not in problem["kept"]
        ]
        kept = sum(1 for _juror, assigned in problem["kept"] if assigned == defi)
        need = max(0, min(problem["k"], eligible(problem, defi)) - kept)
        options.append([[(juror, defi) for juror in combination] for combination in itertools.combinations(free, need)])
    best = None
    for choice in itertools.product(*options):
        pairs = [pair for chosen in choice for pair in chosen]
        loads = {
            juror: sum(1 for kept_juror, _defi in problem["kept"] if kept_juror == juror) for juror in problem["jurors"]
        }
        for juror, _defi in pairs:
            loads[juror] += 1
        key = (
            sum(load * load for load in loads.values()),
            sum(BID_COSTS[problem["bids"].get(pair, "neutral")] for pair in pairs),
        )
        best = key if best is None or key < best else best
    assert best is not None
    return best


@settings(max_examples=300)
@given(problems(max_defis=4, max_jurors=4))
def test_assignment_is_as_balanced_as_the_conflicts_allow_then_honours_bids(problem: dict) -> None:  # type: ignore[type-arg]
    plan = balanced_assignment(**problem)

    squares = sum(load * load for load in plan.loads.values())
    assert (squares, plan.bid_cost) == brute_force(problem)


@settings(max_examples=300)
@given(problems(max_defis=4, max_jurors=4))
def test_assignment_highest_load_is_the_lowest_possible(problem: dict) -> None:  # type: ignore[type-arg]
    # The square-sum minimiser also minimises the highest load (a decreasingly minimal element).
    plan = balanced_assignment(**problem)
    options = []
    for defi in problem["defis"]:
        free = [
            juror
            for juror in problem["jurors"]
            if (juror, defi) not in problem["conflicts"] and (juror, defi) not in problem["kept"]
        ]
        kept = sum(1 for _juror, assigned in problem["kept"] if assigned == defi)
        need = max(0, min(problem["k"], eligible(problem, defi)) - kept)
        options.append(list(itertools.combinations(free, need)))
    best = None
    for choice in itertools.product(*options):
        loads = {
            juror: sum(1 for kept_juror, _defi in problem["kept"] if kept_juror == juror) for juror in problem["jurors"]
        }
        for chosen in choice:
            for juror in chosen:
                loads[juror] += 1
        highest = max(loads.values(), default=0)
        best = highest if best is None else min(best, highest)

    assert max(plan.loads.values(), default=0) == best


def test_assignment_honours_a_wish_when_balance_allows() -> None:
    plan = balanced_assignment(
        defis=[1, 2], jurors=[10, 20], conflicts=[], k=1, bids={(20, 1): "want", (10, 2): "want", (10, 1): "avoid"}
    )

    assert plan.added == frozenset({(20, 1), (10, 2)})
    assert plan.bid_cost == 0


def test_assignment_never_trades_balance_for_a_wish() -> None:
    # Juror 10 wants both défis; with K = 1 the loads must still be one each.
    plan = balanced_assignment(
        defis=[1, 2], jurors=[10, 20], conflicts=[], k=1, bids={(10, 1): "want", (10, 2): "want"}
    )

    assert plan.loads == {10: 1, 20: 1}


def test_assignment_breaks_ties_by_ids() -> None:
    plan = balanced_assignment(defis=[3, 1, 2], jurors=[30, 10, 20], conflicts=[], k=1)

    assert sorted(plan.added) == [(10, 1), (20, 2), (30, 3)]


def test_assignment_reports_a_defi_whose_jurors_are_all_in_conflict() -> None:
    plan = balanced_assignment(defis=[1, 2], jurors=[10, 20, 30], conflicts=[(10, 1), (20, 1)], k=2)

    assert plan.shortfalls == (Shortfall(defi_id=1, wanted=2, eligible=1, conflicted=2),)
    assert {pair for pair in plan.added if pair[1] == 1} == {(30, 1)}


def test_assignment_keeps_the_given_assignments_and_counts_them() -> None:
    plan = balanced_assignment(defis=[1, 2], jurors=[10, 20], conflicts=[], k=1, kept=[(10, 1), (10, 2)])

    assert plan.added == frozenset()
    assert plan.loads == {10: 2, 20: 0}


def test_assignment_refuses_to_keep_a_conflict() -> None:
    with pytest.raises(ConflictingKeptAssignment):
        balanced_assignment(defis=[1], jurors=[10], conflicts=[(10, 1)], k=1, kept=[(10, 1)])


def test_assignment_of_200_defis_to_20_jurors_with_conflicts_is_balanced() -> None:
    rng = random.Random(2020)
    defis, jurors = list(range(1, 201)), list(range(1001, 1021))
    conflicts = {(juror, defi) for juror in jurors for defi in defis if rng.random() < 0.1}

    plan = balanced_assignment(defis=defis, jurors=jurors, conflicts=conflicts, k=3)

    assert plan.spread <= 1
    assert plan.shortfalls == ()
    assert len(plan.added) == 600
