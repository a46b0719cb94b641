"""Properties of the balanced assignment (pure function, no database)."""

import itertools
import random
from dataclasses import dataclass

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


Node = tuple[str, int]
SOURCE, SINK = ("source", 0), ("sink", 0)


@dataclass
class Arc:
    tail: Node
    head: Node
    capacity: int
    cost: int


def min_cost_flow(problem: dict) -> tuple[int, int]:  # type: ignore[type-arg]
    """The best (sum of squared loads, bid cost) by successive shortest paths on the network source →
    défi → juror → sink, where a juror's n-th défi costs U·(2·n − 1) (the growth of n²) and U
    outweighs every bid: an exact oracle, written independently of the solver."""
    kept_load = {juror: sum(1 for kept, _defi in problem["kept"] if kept == juror) for juror in problem["jurors"]}
    need = {
        defi: max(0, min(problem["k"], eligible(problem, defi)) - sum(1 for _j, d in problem["kept"] if d == defi))
        for defi in problem["defis"]
    }
    unit = 2 * sum(need.values()) + 1
    arcs: list[Arc] = []  # arc i ^ 1 is the reverse of arc i

    def add(tail: Node, head: Node, capacity: int, cost: int) -> None:
        arcs.extend([Arc(tail, head, capacity, cost), Arc(head, tail, 0, -cost)])

    for defi in problem["defis"]:
        add(SOURCE, ("defi", defi), need[defi], 0)
        for juror in problem["jurors"]:
            if (juror, defi) not in problem["conflicts"] and (juror, defi) not in problem["kept"]:
                add(("defi", defi), ("juror", juror), 1, BID_COSTS[problem["bids"].get((juror, defi), "neutral")])
    for juror, load in kept_load.items():
        for n in range(load + 1, load + len(problem["defis"]) + 1):
            add(("juror", juror), SINK, 1, unit * (2 * n - 1))
    for _unit in range(sum(need.values())):
        augment_along_a_cheapest_path(arcs)
    loads, bid_cost = dict(kept_load), 0
    for arc in arcs[::2]:
        if arc.tail[0] == "defi" and arc.capacity == 0:
            loads[arc.head[1]] += 1
            bid_cost += arc.cost
    return sum(load * load for load in loads.values()), bid_cost


def augment_along_a_cheapest_path(arcs: list[Arc]) -> None:
    """Push one unit from the source to the sink along a cheapest residual path (Bellman-Ford: while
    each unit follows a cheapest path, the residual network has no negative cycle)."""
    distance: dict[Node, int] = {SOURCE: 0}
    via: dict[Node, int] = {}
    changed = True
    while changed:
        changed = False
        for index, arc in enumerate(arcs):
            if not arc.capacity or arc.tail not in distance:
                continue
            candidate = distance[arc.tail] + arc.cost
            if arc.head not in distance or candidate < distance[arc.head]:
                distance[arc.head], via[arc.head] = candidate, index
                changed = True
    node = SINK
    while node != SOURCE:
        arcs[via[node]].capacity -= 1
        arcs[via[node] ^ 1].capacity += 1
        node = arcs[via[node]].tail


@settings(max_examples=150, deadline=None)  # the oracle, not the solver, is slow
@given(problems(max_defis=12, max_jurors=6))
def test_assignment_matches_an_exact_min_cost_flow_on_larger_problems(problem: dict) -> None:  # type: ignore[type-arg]
    plan = balanced_assignment(**problem)

    squares = sum(load * load for load in plan.loads.values())
    assert (squares, plan.bid_cost) == min_cost_flow(problem)


@given(problems(), st.randoms(use_true_random=False))
def test_assignment_is_the_same_whatever_the_order_of_kept_pairs_and_bids(problem: dict, rng: random.Random) -> None:  # type: ignore[type-arg]
    shuffled = dict(problem)
    shuffled["kept"] = rng.sample(sorted(problem["kept"]), len(problem["kept"]))
    shuffled["bids"] = dict(rng.sample(sorted(problem["bids"].items()), len(problem["bids"])))

    assert balanced_assignment(**shuffled) == balanced_assignment(**problem)


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


def test_assignment_swaps_defis_between_jurors_to_honour_a_wish() -> None:
    # Taken in the order of the ids, défi 1 would go to juror 10 and défi 2 to juror 20: only the
    # swap gives juror 10 the défi they want, at the same balance.
    plan = balanced_assignment(defis=[1, 2], jurors=[10, 20], conflicts=[], k=1, bids={(10, 2): "want"})

    assert plan.added == frozenset({(10, 2), (20, 1)})
    assert plan.bid_cost == 1


def test_assignment_gives_the_extra_defi_to_the_juror_whose_bids_it_suits() -> None:
    # Four assignments for three jurors: one juror gets two. Only juror 10 taking both défis lets
    # them have the one they want while juror 30 avoids défi 2.
    plan = balanced_assignment(
        defis=[1, 2], jurors=[10, 20, 30], conflicts=[], k=2, bids={(10, 1): "want", (30, 2): "avoid"}
    )

    assert plan.added == frozenset({(10, 1), (10, 2), (20, 2), (30, 1)})
    assert plan.loads == {10: 2, 20: 1, 30: 1}
    assert plan.bid_cost == 3


def test_assignment_passes_defis_along_a_chain_of_jurors_to_honour_a_wish() -> None:
    # One juror stays without a défi. Only juror 20 taking défi 2 and juror 30 défi 1 honours the
    # wish without giving juror 10 the défi they avoid: an exchange through all three jurors.
    plan = balanced_assignment(
        defis=[1, 2], jurors=[10, 20, 30], conflicts=[], k=1, bids={(10, 1): "avoid", (20, 2): "want"}
    )

    assert plan.added == frozenset({(20, 2), (30, 1)})
    assert plan.bid_cost == 1


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


def test_assignment_of_60_defis_with_uneven_conflicts_kept_pairs_and_bids_matches_the_exact_optimum() -> None:
    # Half the jurors conflict with most défis and three carry kept assignments: the greedy start is
    # neither balanced nor best for the bids here, so the rebalancing and the exchanges both work.
    rng = random.Random(2028)
    defis, jurors = list(range(1, 61)), list(range(1001, 1011))
    conflicts = {(juror, defi) for juror in jurors for defi in defis if rng.random() < (0.6 if juror % 2 else 0.05)}
    bids = {
        (juror, defi): rng.choice(["want", "avoid", "avoid", "neutral"])
        for juror in jurors
        for defi in defis
        if rng.random() < 0.5
    }
    kept = set(rng.sample(sorted({(juror, defi) for juror in jurors[:3] for defi in defis} - conflicts), 12))
    problem = {"defis": defis, "jurors": jurors, "conflicts": conflicts, "bids": bids, "kept": kept, "k": 3}

    plan = balanced_assignment(**problem)

    squares = sum(load * load for load in plan.loads.values())
    assert (squares, plan.bid_cost) == min_cost_flow(problem) == (3252, 140)
