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

It is a min-cost flow (source → défi → juror → sink) with a convex cost on each juror's load,
U·load², where the balance unit U outweighs every bid together, plus the bids' costs. Successive
shortest paths over the whole bipartite graph took more than a minute on 2,000 défis × 120
jurors, so the solver starts from a good assignment and improves it until the optimality
condition of convex-cost flows holds (no negative cycle in the residual graph):

- greedy, the most constrained défi first (fewest jurors without conflict, then id): each défi
  takes the jurors it still needs, by bid among those below the average load, then least loaded
  first, then by id;
- rebalancing: while a juror loaded t or more can pass one défi on, through a chain of moves (a
  défi of theirs goes to a juror without conflict who is not on it, who passes one of theirs on,
  and so on), to a juror loaded t − 2 or less, the chain is applied. With no such chain for any t
  the loads are decreasingly minimal (Frank and Murota's characterisation), so the sum of squares
  is minimal;
- negative cycle cancelling on the residual graph compressed onto the jurors plus a node S for
  the sink: an arc u → v (u gives one of its added défis d to v, who has no conflict with d and
  is not on it) weighs the least cost(v, d) − cost(u, d); S → u (u has one défi less) weighs
  −U·(2·load(u) − 1), only if u has an added défi; v → S (v has one more) weighs U·(2·load(v) + 1).
  A simple cycle of this graph is an exchange that can be applied, each arc choosing its défi on
  the state before the exchange (each juror gives at most one défi and takes at most one; two
  arcs giving the same défi give it to two different jurors), and it changes the cost by the
  cycle's weight; a simple cycle of the full residual graph maps onto one of this graph that
  costs no more. So the plan is optimal (least sum of squares, then least bid cost) once the
  compressed graph has no negative cycle: the optimality condition of convex-cost flows (Ahuja,
  Magnanti and Orlin, Network Flows, chapter 14). Cycles are found by a queue-based Bellman-Ford,
  several without a common node per pass, which resumes from its last distances after the
  exchanges; only the arcs of the jurors they touched are computed again.

Jurors and défis are numbered in the order of their ids; a set of jurors is an int bitmask.
"""

from collections import deque
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice

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
    defi_set, juror_set = frozenset(defi_ids), frozenset(juror_ids)
    kept_set = frozenset(pair for pair in kept if pair[0] in juror_set and pair[1] in defi_set)
    if kept_set & conflict_set:
        raise ConflictingKeptAssignment(sorted(kept_set & conflict_set))
    solver = _Solver(defi_ids, juror_ids, conflict_set, bids, k, kept_set)
    solver.fill()
    solver.rebalance()
    solver.cancel_negative_cycles()
    return solver.plan()


def _bits(mask: int) -> Iterator[int]:
    """The indices of the jurors in a bitmask, in increasing order."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


class _Solver:
    """The assignment being improved: `on[d]` is the bitmask of the jurors on défi d (kept or
    added), `added[j]` the défis added to juror j (the only ones that can move)."""

    def __init__(
        self,
        defi_ids: list[int],
        juror_ids: list[int],
        conflicts: frozenset[Pair],
        bids: Mapping[Pair, str],
        k: int,
        kept: frozenset[Pair],
    ) -> None:
        self.defi_ids, self.juror_ids, self.k, self.kept = defi_ids, juror_ids, k, kept
        defi_index = {defi: d for d, defi in enumerate(defi_ids)}
        juror_index = {juror: j for j, juror in enumerate(juror_ids)}
        conflicted: list[set[int]] = [set() for _ in defi_ids]
        for juror, defi in conflicts:
            if juror in juror_index and defi in defi_index:
                conflicted[defi_index[defi]].add(juror_index[juror])
        self.eligible = [len(juror_ids) - len(jurors) for jurors in conflicted]  # how many jurors, by défi
        self.eligible_mask = [(1 << len(juror_ids)) - 1 - sum(1 << j for j in jurors) for jurors in conflicted]
        self.on = [0] * len(defi_ids)
        self.load = [0] * len(juror_ids)
        for juror, defi in sorted(kept):
            self.on[defi_index[defi]] |= 1 << juror_index[juror]
            self.load[juror_index[juror]] += 1
        self.need = [max(0, min(k, eligible) - self.on[d].bit_count()) for d, eligible in enumerate(self.eligible)]
        self.added: list[set[int]] = [set() for _ in juror_ids]
        # The bids that are not neutral, by défi: the cost of each juror, and the jurors of each cost.
        self.bid: list[dict[int, int]] = [{} for _ in defi_ids]
        for (juror, defi), preference in bids.items():
            cost = BID_COSTS.get(preference, NEUTRAL_COST)
            if cost != NEUTRAL_COST and juror in juror_index and defi in defi_index:
                self.bid[defi_index[defi]][juror_index[juror]] = cost
        self.bid_masks = [
            [(cost, sum(1 << j for j, c in by_juror.items() if c == cost)) for cost in sorted(set(by_juror.values()))]
            for by_juror in self.bid
        ]
        # One unit of balance must outweigh every bid together.
        self.balance_unit = 2 * sum(self.need) + 1
        self.sink = len(juror_ids)

    def cost(self, j: int, d: int) -> int:
        return self.bid[d].get(j, NEUTRAL_COST)

    def move(self, d: int, giver: int, taker: int) -> None:
        """Défi d passes from `giver` to `taker` (loads are the caller's business)."""
        self.added[giver].discard(d)
        self.added[taker].add(d)
        self.on[d] ^= (1 << giver) | (1 << taker)

    def fill(self) -> None:
        """Greedy, the most constrained défi first (fewest jurors without conflict, then id). A good
        start for the bids saves most exchanges; the rebalancing makes the loads exact anyway."""
        average = -(-(sum(self.need) + sum(self.load)) // max(1, len(self.juror_ids)))
        by_load: dict[int, int] = {}  # the jurors of each load
        for j, load in enumerate(self.load):
            by_load[load] = by_load.get(load, 0) | 1 << j
        for d in sorted(range(len(self.defi_ids)), key=lambda d: (self.eligible[d], d)):
            for j in list(islice(self.candidates(d, by_load, average), self.need[d])):
                self.take(d, j, by_load)

    def take(self, d: int, j: int, by_load: dict[int, int]) -> None:
        """Juror j takes défi d in the greedy, which keeps the jurors grouped by load."""
        self.added[j].add(d)
        self.on[d] |= 1 << j
        by_load[self.load[j]] ^= 1 << j
        if not by_load[self.load[j]]:
            del by_load[self.load[j]]
        self.load[j] += 1
        by_load[self.load[j]] = by_load.get(self.load[j], 0) | 1 << j

    def candidates(self, d: int, by_load: Mapping[int, int], average: int) -> Iterator[int]:
        """The jurors free for défi d in the greedy's order: those below the average load by bid,
        then load, then id; the others by load, then bid, then id."""
        free = self.eligible_mask[d] & ~self.on[d]
        neutral = free
        by_bid = []
        for cost, mask in self.bid_masks[d]:
            by_bid.append((cost, free & mask))
            neutral &= ~mask
        by_bid = sorted([*by_bid, (NEUTRAL_COST, neutral)])
        loads = sorted(by_load)
        below = [(mask, load) for _cost, mask in by_bid for load in loads if load < average]
        above = [(mask, load) for load in loads if load >= average for _cost, mask in by_bid]
        for mask, load in [*below, *above]:
            yield from _bits(mask & by_load[load])

    def rebalance(self) -> None:
        """Move défis along chains from the most loaded jurors to ones loaded two less, until none exists."""
        if not self.juror_ids:
            return
        threshold = max(self.load)
        while threshold - min(self.load) >= 2:
            chain = self.chain(threshold)
            if chain is None:
                threshold -= 1
                continue
            for d, giver, taker in chain:
                self.move(d, giver, taker)
            self.load[chain[0][1]] -= 1
            self.load[chain[-1][2]] += 1
            threshold = max(self.load)

    def chain(self, threshold: int) -> list[tuple[int, int, int]] | None:
        """The shortest chain of (défi, giver, taker) moves from a juror loaded ≥ threshold to one
        loaded ≤ threshold − 2, by a breadth-first search over the jurors."""
        sources = [j for j, load in enumerate(self.load) if load >= threshold]
        light = sum(1 << j for j, load in enumerate(self.load) if load <= threshold - 2)
        reached_from: dict[int, tuple[int, int]] = {}
        visited = sum(1 << j for j in sources)
        queue = deque(sources)
        while queue:
            giver = queue.popleft()
            for d in sorted(self.added[giver]):
                fresh = self.eligible_mask[d] & ~self.on[d] & ~visited
                visited |= fresh
                reached_from.update((taker, (d, giver)) for taker in _bits(fresh))
                if fresh & light:
                    return self.unwind(reached_from, next(_bits(fresh & light)))
                queue.extend(_bits(fresh))
        return None

    @staticmethod
    def unwind(reached_from: Mapping[int, tuple[int, int]], taker: int) -> list[tuple[int, int, int]]:
        steps = []
        while taker in reached_from:
            d, giver = reached_from[taker]
            steps.append((d, giver, taker))
            taker = giver
        return steps[::-1]

    # Negative cycles of the compressed residual graph ------------------------------------------

    def cancel_negative_cycles(self) -> None:
        """Apply improving exchanges until the compressed residual graph has no negative cycle."""
        rows = [self.row(j) for j in range(len(self.juror_ids))] + [self.sink_row()]
        search = _CycleSearch(rows)
        while cycles := self.short_cycles(rows) or search.find_cycles():
            # Cycles without a common node exchange different jurors' défis: each stays valid, and
            # as cheap, after the others are applied.
            touched = sorted(set().union(*(self.exchange(cycle) for cycle in cycles)))
            for j in touched:
                rows[j] = self.row(j)
            rows[self.sink] = self.sink_row()
            search.restart([*touched, self.sink])

    def short_cycles(self, rows: list[list[tuple[int, int]]]) -> list[list[int]]:
        """The negative cycles of two jurors (a swap) or of two jurors and the sink (u passes a défi
        to v, loaded one less), without a common node, the most negative first: most exchanges
        are of these kinds, and they are found without the search's passes."""
        weights, sink = [dict(row) for row in rows], self.sink
        found = []
        for u in range(sink):
            for v, weight in rows[u]:
                if v == sink:
                    continue
                if u < v and u in weights[v] and weight + weights[v][u] < 0:
                    found.append((weight + weights[v][u], [u, v]))
                if u in weights[sink] and weights[sink][u] + weight + weights[v][sink] < 0:
                    found.append((weights[sink][u] + weight + weights[v][sink], [sink, u, v]))
        chosen: list[list[int]] = []
        used: set[int] = set()
        for _weight, cycle in sorted(found):
            if used.isdisjoint(cycle):
                chosen.append(cycle)
                used.update(cycle)
        return chosen

    def row(self, u: int) -> list[tuple[int, int]]:
        """The arcs out of juror u, as (head, weight): to each juror who can take one of u's added
        défis, the cheapest such transfer, then to the sink."""
        levels: dict[int, int] = {}
        for d in self.added[u]:
            free = self.eligible_mask[d] & ~self.on[d]
            give = self.bid[d].get(u, NEUTRAL_COST)
            for cost, mask in self.bid_masks[d]:
                if free & mask:
                    levels[cost - give] = levels.get(cost - give, 0) | (free & mask)
                free &= ~mask
            if free:
                levels[NEUTRAL_COST - give] = levels.get(NEUTRAL_COST - give, 0) | free
        arcs: list[tuple[int, int]] = []
        seen = 0
        for weight in sorted(levels):
            arcs.extend((v, weight) for v in _bits(levels[weight] & ~seen))
            seen |= levels[weight]
        arcs.append((self.sink, self.balance_unit * (2 * self.load[u] + 1)))
        return arcs

    def sink_row(self) -> list[tuple[int, int]]:
        """The arcs out of the sink: each juror with an added défi can have one less."""
        return [(u, -self.balance_unit * (2 * self.load[u] - 1)) for u in range(len(self.juror_ids)) if self.added[u]]

    def exchange(self, cycle: list[int]) -> set[int]:
        """Apply the exchange of a cycle (each arc chooses its défi on the state before any move);
        returns the jurors whose arcs changed."""
        arcs = list(zip(cycle, [*cycle[1:], cycle[0]], strict=True))
        sink = self.sink
        moves = [(self.transfer(giver, taker), giver, taker) for giver, taker in arcs if sink not in (giver, taker)]
        for giver, taker in arcs:
            if giver == sink:
                self.load[taker] -= 1
            elif taker == sink:
                self.load[giver] += 1
        touched = set(cycle) - {sink}
        for d, giver, taker in moves:
            self.move(d, giver, taker)
            touched.update(_bits(self.on[d]))
        return touched

    def transfer(self, giver: int, taker: int) -> int:
        """The défi realising the arc giver → taker: the cheapest, then the first by id."""
        return min(
            (self.cost(taker, d) - self.cost(giver, d), d)
            for d in self.added[giver]
            if (self.eligible_mask[d] & ~self.on[d]) >> taker & 1
        )[1]

    def plan(self) -> Plan:
        added = frozenset((self.juror_ids[j], self.defi_ids[d]) for j, defis in enumerate(self.added) for d in defis)
        shortfalls = tuple(
            Shortfall(
                defi_id=defi,
                wanted=self.k,
                eligible=self.eligible[d],
                conflicted=len(self.juror_ids) - self.eligible[d],
            )
            for d, defi in enumerate(self.defi_ids)
            if self.eligible[d] < self.k
        )
        return Plan(
            added=added,
            kept=self.kept,
            loads={juror: self.load[j] for j, juror in enumerate(self.juror_ids)},
            shortfalls=shortfalls,
            bid_cost=sum(self.cost(j, d) for j, defis in enumerate(self.added) for d in defis),
            per_defi={defi: self.on[d].bit_count() for d, defi in enumerate(self.defi_ids)},
        )


class _CycleSearch:
    """Bellman-Ford from a virtual root joined to every node by a free arc, queue-based: an arc that
    closes a cycle in the tree of parents closes a negative cycle, whose nodes are then set aside
    until the end of the pass, so that one pass finds several cycles without a common node. The
    distances are kept from one pass to the next: any start is valid, and after the exchanges only
    the arcs out of the nodes they touched, or into the nodes set aside, can be too short."""

    def __init__(self, rows: list[list[tuple[int, int]]]) -> None:
        self.rows = rows  # the arcs out of each node, as (head, weight); updated by the caller
        self.distance = [0] * len(rows)
        self.parent = [-1] * len(rows)
        self.queue, self.queued = deque(range(len(rows))), [True] * len(rows)
        self.aside = [False] * len(rows)
        self.waiting: set[int] = set()  # nodes with an arc into a node set aside still to relax

    def push(self, node: int) -> None:
        if not self.queued[node]:
            self.queue.append(node)
            self.queued[node] = True

    def restart(self, touched: Iterable[int]) -> None:
        """Start a new pass after the weights of the arcs out of `touched` changed."""
        self.parent = [-1] * len(self.rows)  # built on the old weights, the tree proves nothing any more
        self.aside = [False] * len(self.rows)
        for node in [*touched, *sorted(self.waiting)]:
            self.push(node)
        self.waiting.clear()

    def find_cycles(self) -> list[list[int]]:
        """Negative cycles without a common node, each as its nodes in arc order, found in one pass;
        none once no distance drops, which proves that there is no negative cycle."""
        found: list[list[int]] = []
        while self.queue:
            u = self.queue.popleft()
            self.queued[u] = False
            if not self.aside[u]:
                found.extend(self.relax(u))
        return found

    def relax(self, u: int) -> list[list[int]]:
        """Relax the arcs out of u; the cycle closed by one of them, if any (u is on it)."""
        distance, parent = self.distance, self.parent
        for v, weight in self.rows[u]:
            if distance[u] + weight >= distance[v]:
                continue
            if self.aside[v]:
                self.waiting.add(u)
                continue
            distance[v], parent[v] = distance[u] + weight, u
            cycle = self.closed_cycle(v)
            if cycle is not None:
                for node in cycle:
                    self.aside[node], parent[node] = True, -1
                return [cycle]  # u's other arcs wait for the next pass, as u is touched
            self.push(v)
        return []

    def closed_cycle(self, v: int) -> list[int] | None:
        """The cycle through v in the tree of parents, if v's new parent descends from v."""
        path = [self.parent[v]]
        while path[-1] != v:
            if self.parent[path[-1]] == -1:
                return None
            path.append(self.parent[path[-1]])
        return path[::-1]  # v, then each node's child, down to v's parent
