"""The balanced assignment of défis to jurors, as a pure function (no database).

The rules, in order of priority (DESIGN.md, stage 3):

1. a pair in conflict is never assigned, whatever else happens;
2. each défi gets at least K jurors, or every juror without a conflict with it when there are
   fewer: those défis are reported with the reason, and no rule is bent to reach K;
3. the jurors' loads are as even as the conflicts allow: the solution minimises the sum of the
   squared loads, which on these problems also minimises the highest load and maximises the lowest
   (the loads form an M-convex set, whose square-sum minimisers are its "decreasingly minimal"
   elements: Frank and Murota, 2022), so that without conflicts the loads differ by at most one;
4. among the most even solutions, the jurors' bids are honoured as much as possible;
5. the same input gives the same output, whatever the order it comes in: everything is read in
   the order of the ids.

It is a min-cost flow (source → défi → juror → sink) solved by successive shortest paths, with a
convex cost on each juror's load and the bids as small costs that never outweigh one unit of
balance.
"""

from collections import deque
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import cast

# The cost of giving a juror a défi, by their bid: a wish is free, a reluctance costs most.
BID_COSTS = {"want": 0, "neutral": 1, "avoid": 2}
NEUTRAL_COST = BID_COSTS["neutral"]

Pair = tuple[int, int]  # (juror id, défi id)


@dataclass(frozen=True)
class Shortfall:
    """A défi that cannot get K jurors: only `eligible` jurors have no conflict with it."""

    defi_id: int
    wanted: int
    eligible: int
    conflicted: int


@dataclass(frozen=True)
class Plan:
    """The assignments to create (`added`), on top of the ones kept, and what could not be done."""

    added: frozenset[Pair]
    kept: frozenset[Pair]
    loads: Mapping[int, int]
    shortfalls: tuple[Shortfall, ...] = ()
    bid_cost: int = 0
    per_defi: Mapping[int, int] = field(default_factory=dict)

    @property
    def pairs(self) -> frozenset[Pair]:
        return self.added | self.kept

    @property
    def spread(self) -> int:
        """The highest load minus the lowest (0 without jurors)."""
        return max(self.loads.values()) - min(self.loads.values()) if self.loads else 0


class ConflictingKeptAssignment(ValueError):
    """A kept assignment is in conflict: the caller must remove it first, the plan never keeps one."""


def balanced_assignment(
    *,
    defis: Iterable[int],
    jurors: Iterable[int],
    conflicts: Collection[Pair],
    bids: Mapping[Pair, str] | None = None,
    k: int,
    kept: Collection[Pair] = (),
) -> Plan:
    """Assign each défi to K jurors without conflict, with loads as even as possible, then bids honoured."""
    if k < 1:
        raise ValueError("k must be at least 1")
    defi_ids, juror_ids = sorted(set(defis)), sorted(set(jurors))
    conflict_set, bids = frozenset(conflicts), bids or {}
    kept_set = frozenset(pair for pair in kept if pair[0] in juror_ids and pair[1] in defi_ids)
    if kept_set & conflict_set:
        raise ConflictingKeptAssignment(sorted(kept_set & conflict_set))
    solver = _Solver(defi_ids, juror_ids, conflict_set, bids, k, kept_set)
    solver.solve()
    return solver.plan()


class _Solver:
    """Successive shortest paths on the bipartite graph, with Bellman-Ford (SPFA) over the residual
    graph; the cost of a juror's next unit of load is its marginal convex cost."""

    def __init__(
        self,
        defi_ids: list[int],
        juror_ids: list[int],
        conflicts: frozenset[Pair],
        bids: Mapping[Pair, str],
        k: int,
        kept: frozenset[Pair],
    ) -> None:
        self.defi_ids, self.juror_ids, self.k = defi_ids, juror_ids, k
        self.kept = kept
        n_jurors = len(juror_ids)
        # Candidate edges of each défi: jurors without a conflict and not already kept on it.
        self.eligible = [
            [j for j, juror in enumerate(juror_ids) if (juror, defi) not in conflicts] for defi in defi_ids
        ]
        kept_count = [
            sum(1 for j in self.eligible[d] if (juror_ids[j], defi) in kept) for d, defi in enumerate(defi_ids)
        ]
        self.edges = [
            [j for j in self.eligible[d] if (juror_ids[j], defi) not in kept] for d, defi in enumerate(defi_ids)
        ]
        self.cost = [
            {j: BID_COSTS.get(bids.get((juror_ids[j], defi), "neutral"), NEUTRAL_COST) for j in self.edges[d]}
            for d, defi in enumerate(defi_ids)
        ]
        self.need = [max(0, min(k, len(self.eligible[d])) - kept_count[d]) for d in range(len(defi_ids))]
        self.load = [sum(1 for pair in kept if pair[0] == juror) for juror in juror_ids]
        self.flow: list[set[int]] = [set() for _ in defi_ids]  # jurors added to each défi
        self.assigned_to: list[set[int]] = [set() for _ in range(n_jurors)]  # défis added to each juror
        # One unit of balance must outweigh every bid together.
        self.balance_unit = 2 * sum(self.need) + 1

    def marginal(self, j: int) -> int:
        """The cost of one more défi for juror j: the growth of load² is 2·load + 1."""
        return self.balance_unit * (2 * self.load[j] + 1)

    def solve(self) -> None:
        while any(self.need):
            path = self.shortest_path()
            if path is None:  # cannot happen: each défi needs no more jurors than it has without conflict
                raise RuntimeError("no augmenting path")
            self.augment(path)

    def shortest_path(self) -> list[tuple[int, int]] | None:
        """The cheapest residual path from a défi still in need to the sink, as (défi, juror) steps:
        forward steps add the pair, the steps between them take a pair back."""
        n_defis, n_jurors = len(self.defi_ids), len(self.juror_ids)
        infinity = None
        dist_defi: list[int | None] = [0 if self.need[d] else infinity for d in range(n_defis)]
        dist_juror: list[int | None] = [infinity] * n_jurors
        via_defi: list[int] = [-1] * n_jurors  # the défi each juror was reached from
        via_juror: list[int] = [-1] * n_defis  # the juror each défi was reached from (backward)
        queue = deque(("d", d) for d in range(n_defis) if self.need[d])
        queued = {item for item in queue}
        while queue:
            side, node = queue.popleft()
            queued.discard((side, node))
            if side == "d":
                base = cast(int, dist_defi[node])  # queued only once reached
                for j in self.edges[node]:
                    if j in self.flow[node]:
                        continue
                    candidate = base + self.cost[node][j]
                    current = dist_juror[j]
                    if current is None or candidate < current:
                        dist_juror[j], via_defi[j] = candidate, node
                        if ("j", j) not in queued:
                            queue.append(("j", j))
                            queued.add(("j", j))
            else:
                base = cast(int, dist_juror[node])
                for d in sorted(self.assigned_to[node]):
                    candidate = base - self.cost[d][node]
                    current = dist_defi[d]
                    if current is None or candidate < current:
                        dist_defi[d], via_juror[d] = candidate, node
                        if ("d", d) not in queued:
                            queue.append(("d", d))
                            queued.add(("d", d))
        best: tuple[int, int] | None = None
        for j in range(n_jurors):
            reached = dist_juror[j]
            if reached is not None and (best is None or reached + self.marginal(j) < best[0]):
                best = (reached + self.marginal(j), j)
        if best is None:
            return None
        steps: list[tuple[int, int]] = []
        j = best[1]
        while True:
            d = via_defi[j]
            steps.append((d, j))
            if self.need[d] and via_juror[d] == -1:
                break
            previous = via_juror[d]
            if previous == -1:
                break
            j = previous
        return steps

    def augment(self, steps: list[tuple[int, int]]) -> None:
        # steps run from the sink back: (d, j) adds juror j to défi d; between two steps the pair
        # (next défi, its juror) is taken back, so that each juror on the path keeps its load
        # except the last one reached, and the défi at the start gets one more juror.
        end_juror = steps[0][1]
        for index, (d, j) in enumerate(steps):
            self.flow[d].add(j)
            self.assigned_to[j].add(d)
            if index + 1 < len(steps):
                _, previous_juror = steps[index + 1]
                # défi d was reached backward from previous_juror: it gives that juror up.
                self.flow[d].discard(previous_juror)
                self.assigned_to[previous_juror].discard(d)
        start_defi = steps[-1][0]
        self.need[start_defi] -= 1
        self.load[end_juror] += 1

    def plan(self) -> Plan:
        added = frozenset(
            (self.juror_ids[j], self.defi_ids[d]) for d in range(len(self.defi_ids)) for j in self.flow[d]
        )
        loads = {juror: self.load[j] for j, juror in enumerate(self.juror_ids)}
        shortfalls = tuple(
            Shortfall(
                defi_id=defi,
                wanted=self.k,
                eligible=len(self.eligible[d]),
                conflicted=len(self.juror_ids) - len(self.eligible[d]),
            )
            for d, defi in enumerate(self.defi_ids)
            if len(self.eligible[d]) < self.k
        )
        bid_cost = sum(self.cost[d][j] for d in range(len(self.defi_ids)) for j in self.flow[d])
        per_defi = {
            defi: len(self.flow[d]) + sum(1 for pair in self.kept if pair[1] == defi)
            for d, defi in enumerate(self.defi_ids)
        }
        return Plan(
            added=added, kept=self.kept, loads=loads, shortfalls=shortfalls, bid_cost=bid_cost, per_defi=per_defi
        )
