"""Solving a placement round exactly (HiGHS), and the greedy baseline it is measured against.

`solve` works in three steps on the programme of programme.py:

1. The LP relaxation gives prices for seats, quotas and money, and from them a bound no plan
   can beat (recomputed here, so solver tolerances cannot overstate it).
2. The LP's counts, rounded down and topped up greedily, give a plan. When budgets are fees
   per person this plan usually meets the bound, which proves it optimal without branching.
   A fixed cost per family turns a budget into a knapsack, and then it rarely does.
3. Otherwise each column whose reduced score shows that using it at all would fall below that
   plan is dropped (exact: no better plan uses it), and HiGHS's branch and bound finishes the
   smaller programme from that plan, proving optimality or stopping at the time limit.

People and money are integers, so every limit of the chosen counts is checked again exactly
before a plan is returned.
"""

import time
from dataclasses import dataclass
from importlib.metadata import version

import highspy
import numpy as np

from accords.placement.classes import Classes, group_units
from accords.placement.plan import Plan, plan_from
from accords.placement.problem import Policy, Problem
from accords.placement.programme import Programme, programme

# The bound is met when the plan is within floating-point rounding of it.
BOUND_TOLERANCE = 1e-9


class PlacementError(RuntimeError):
    """Counts from a solver break a limit; no plan is returned for them."""


@dataclass(frozen=True)
class _Round:
    """A problem scored under a policy and grouped into classes, shared by both solvers."""

    problem: Problem
    policy: Policy
    parts: dict[str, np.ndarray]
    scores: np.ndarray
    classes: Classes
    people: np.ndarray
    agreement: np.ndarray
    cost: np.ndarray
    upper: np.ndarray
    seconds: dict[str, float]

    def value(self, counts: np.ndarray) -> float:
        return float(self.classes.pair_score @ counts)


def _prepare(problem: Problem, policy: Policy) -> _Round:
    started = time.perf_counter()
    parts = problem.contributions(policy)
    scores = sum(parts.values(), np.zeros(problem.pairs.unit.size))
    classes = group_units(problem.units.sizes, problem.pairs.unit, problem.pairs.slot, scores)

    slots, agreements = problem.slots, problem.agreements
    slot = classes.pair_slot
    members = classes.count[classes.pair_class]
    people = classes.size[classes.pair_class]
    agreement = slots.agreement[slot]
    cost = slots.cost_per_person[slot] * people + slots.cost_per_unit[slot]
    affordable = agreements.budget[agreement] // np.maximum(cost, 1)
    upper = np.minimum.reduce(
        [
            members,
            slots.capacity[slot] // people,
            agreements.capacity[agreement] // people,
            np.where(cost > 0, affordable, members),
        ]
    )
    return _Round(
        problem=problem,
        policy=policy,
        parts=parts,
        scores=scores,
        classes=classes,
        people=people,
        agreement=agreement,
        cost=cost,
        upper=upper,
        seconds={"group": time.perf_counter() - started},
    )


def _usage(r: _Round, counts: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """What the counts use of each limit, beside the limit, in exact integers."""
    n_slots, n_agreements = r.problem.slots.ids.size, r.problem.agreements.ids.size

    def total(index, weights, n):
        sums = np.zeros(n, dtype=np.int64)
        np.add.at(sums, index, weights * counts)
        return sums

    return {
        "members of a class": (total(r.classes.pair_class, 1, len(r.classes)), r.classes.count),
        "slot capacity": (total(r.classes.pair_slot, r.people, n_slots), r.problem.slots.capacity),
        "agreement capacity": (
            total(r.agreement, r.people, n_agreements),
            r.problem.agreements.capacity,
        ),
        "agreement budget": (total(r.agreement, r.cost, n_agreements), r.problem.agreements.budget),
    }


def _broken_limits(r: _Round, counts: np.ndarray) -> list[str]:
    broken = [name for name, (used, limit) in _usage(r, counts).items() if np.any(used > limit)]
    return broken + (["a negative count"] if np.any(counts < 0) else [])


def _top_up(r: _Round, counts: np.ndarray) -> np.ndarray:
    """Add members greedily, best score per person first, wherever they still fit.

    From zero this is the baseline. Taking a class pair's members together is the
    unit-by-unit greedy with ties between identical units broken by the caller's order.
    """
    usage = _usage(r, counts)
    left = {name: (limit - used).tolist() for name, (used, limit) in usage.items()}
    members, seats = left["members of a class"], left["slot capacity"]
    quota, money = left["agreement capacity"], left["agreement budget"]
    classes = r.classes
    order = np.lexsort((classes.pair_slot, classes.pair_class, -classes.pair_score / r.people))
    pair_class, pair_slot = classes.pair_class.tolist(), classes.pair_slot.tolist()
    people, agreement, cost = r.people.tolist(), r.agreement.tolist(), r.cost.tolist()
    counts = counts.copy()
    for k in order.tolist():
        c, s, a, size = pair_class[k], pair_slot[k], agreement[k], people[k]
        n = min(members[c], seats[s] // size, quota[a] // size)
        if cost[k]:
            n = min(n, money[a] // cost[k])
        if n > 0:
            counts[k] += n
            members[c] -= n
            seats[s] -= n * size
            quota[a] -= n * size
            money[a] -= n * cost[k]
    return counts


def _plan(r: _Round, counts: np.ndarray, started: float, **outcome) -> Plan:
    broken = _broken_limits(r, counts)
    if broken:
        raise PlacementError(f"counts break limits: {broken}")
    expanding = time.perf_counter()
    units, slots = r.classes.expand(counts)
    seconds = {**r.seconds, "expand": time.perf_counter() - expanding}
    seconds["total"] = time.perf_counter() - started
    return plan_from(
        r.problem,
        r.policy,
        r.parts,
        r.scores,
        units,
        slots,
        classes=len(r.classes),
        seconds=seconds,
        **outcome,
    )


def greedy(problem: Problem, policy: Policy) -> Plan:
    """The baseline: fill the best-scoring places per person first; proves nothing."""
    started = time.perf_counter()
    r = _prepare(problem, policy)
    counts = _top_up(r, np.zeros(r.classes.pair_class.size, dtype=np.int64))
    return _plan(
        r,
        counts,
        started,
        bound=float("nan"),
        proven_optimal=False,
        status="Greedy",
        method="greedy",
    )


def _programme(r: _Round) -> Programme:
    return programme(
        pair_class=r.classes.pair_class,
        pair_slot=r.classes.pair_slot,
        pair_score=r.classes.pair_score,
        class_members=r.classes.count,
        people=r.people,
        agreement=r.agreement,
        cost=r.cost,
        upper=r.upper,
        slot_capacity=r.problem.slots.capacity,
        agreement_capacity=r.problem.agreements.capacity,
        agreement_budget=r.problem.agreements.budget,
    )


def _relaxation(r: _Round, model: Programme, time_limit: float) -> tuple[np.ndarray, np.ndarray]:
    """The LP relaxation's counts (rounded down to a feasible plan) and its row prices."""
    everything = np.ones(model.score.size, dtype=bool)
    highs = model.highs(everything, integer=False, time_limit=time_limit)
    highs.run()
    solution = highs.getSolution()
    n_rows = model.row_limit.size
    price = np.array(solution.row_dual) if solution.dual_valid else np.zeros(n_rows)
    if not solution.value_valid:
        return np.zeros(model.score.size, dtype=np.int64), price
    counts = np.floor(np.array(solution.col_value) + 1e-9).astype(np.int64)
    counts = np.clip(counts, 0, r.upper)
    # Rounding down keeps every limit unless the LP overstepped one within its tolerance.
    return (np.zeros_like(counts) if _broken_limits(r, counts) else counts), price


def solve(problem: Problem, policy: Policy, *, time_limit: float = 60.0) -> Plan:
    """The best plan under the policy, proven optimal unless the time limit cuts it short.

    A plan cut short scores at least as well as the greedy baseline, which is one of the
    plans the solver starts from.
    """
    started = time.perf_counter()
    deadline = started + time_limit
    r = _prepare(problem, policy)
    nothing = np.zeros(r.classes.pair_class.size, dtype=np.int64)
    if nothing.size == 0:
        outcome = {"bound": 0.0, "status": "Optimal", "method": "nothing scores above zero"}
        return _plan(r, nothing, started, proven_optimal=True, **outcome)

    building = time.perf_counter()
    model = _programme(r)
    r.seconds["model"] = time.perf_counter() - building

    relaxing = time.perf_counter()
    rounded, price = _relaxation(r, model, deadline - relaxing)
    best = max([_top_up(r, nothing), _top_up(r, rounded)], key=r.value)
    bound, reduced = model.bound(price)
    r.seconds["relaxation"] = time.perf_counter() - relaxing
    method = f"HiGHS {version('highspy')}"
    if r.value(best) >= bound - BOUND_TOLERANCE * max(1.0, abs(bound)):
        outcome = {"status": "Optimal", "method": f"{method}, LP bound met"}
        return _plan(r, best, started, bound=bound, proven_optimal=True, **outcome)

    branching = time.perf_counter()
    keep = (bound + reduced >= r.value(best) - BOUND_TOLERANCE * max(1.0, abs(bound))) | (best > 0)
    highs = model.highs(keep, integer=True, time_limit=deadline - branching)
    highs.setSolution(int(keep.sum()), np.arange(keep.sum(), dtype=np.int32), best[keep] * 1.0)
    highs.run()
    r.seconds["branch and bound"] = time.perf_counter() - branching
    status = highs.getModelStatus()
    info = highs.getInfo()
    counts, proven = best, False
    if info.primal_solution_status == int(highspy.SolutionStatus.kSolutionStatusFeasible):
        found = nothing.copy()
        found[keep] = np.rint(highs.getSolution().col_value).astype(np.int64)
        # HiGHS works to a tolerance; its counts are used only if they keep every limit exactly.
        if not _broken_limits(r, found):
            counts = max([best, found], key=r.value)
            proven = status == highspy.HighsModelStatus.kOptimal
    # No plan better than `best` uses a dropped column, so HiGHS's bound on the rest is global.
    bound = min(bound, max(float(info.mip_dual_bound), r.value(best)))
    return _plan(
        r,
        counts,
        started,
        bound=bound,
        proven_optimal=proven,
        status=highs.modelStatusToString(status),
        method=f"{method}, branch and bound on {int(keep.sum()):,} of {keep.size:,} counts",
    )
