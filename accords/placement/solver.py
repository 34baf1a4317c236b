"""Solving a placement round exactly (HiGHS), and the greedy baseline it is measured against.

`solve` works in steps on the programme of programme.py, stopping as soon as one proves
its plan optimal:

1. The LP relaxation (by column generation) gives prices for seats, quotas and money, and
   from them a bound no plan can beat, computed here so solver tolerances cannot overstate it.
2. The LP's counts, rounded down and topped up greedily, give a plan. When budgets are fees
   per person this plan usually meets the bound, which proves it optimal without branching.
3. Otherwise HiGHS branches and bounds over the columns the LP generated, a small share of
   all, where a plan meeting the bound is usually found fast (half the time left).
4. Otherwise every column whose reduced score shows that any plan using it falls below the
   best plan so far is dropped (exact: no better plan uses it), and HiGHS branches and
   bounds over the rest until it proves optimality or the time limit stops it.

A fixed cost per family turns a budget into a knapsack; then step 4 is usually needed and
may not finish. A plan that is not proven optimal comes with the best bound proven.
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
# HiGHS sets up a branch and bound without watching the clock, at about 20,000 counts a second
# on the benchmark machine (559,040 counts: 29 s before the first node), and its time limit
# then overruns by about that much. The set-up is allowed for, and at most half the time left.
COUNTS_SET_UP_PER_SECOND = 20_000


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


def _rounded_down(r: _Round, counts: np.ndarray) -> np.ndarray:
    """The LP's counts rounded down: a plan, unless the LP overstepped a limit within tolerance."""
    whole = np.clip(np.floor(counts + 1e-9).astype(np.int64), 0, r.upper)
    return np.zeros_like(whole) if _broken_limits(r, whole) else whole


def _branch_and_bound(
    r: _Round, model: Programme, columns: np.ndarray, start: np.ndarray, time_limit: float
) -> tuple[np.ndarray, bool, float, str]:
    """HiGHS's best counts on the given columns from a starting plan, whether it proved them
    optimal there, its bound there and its status."""
    n_cols = int(columns.sum())
    set_up = n_cols / COUNTS_SET_UP_PER_SECOND
    if set_up > time_limit / 2:
        return start, False, float("inf"), "Not branched: too many counts for the time left"
    highs = model.highs(columns, integer=True, time_limit=time_limit - set_up)
    highs.setSolution(n_cols, np.arange(n_cols, dtype=np.int32), start[columns] * 1.0)
    highs.run()
    info = highs.getInfo()
    status = highs.getModelStatus()
    said = highs.modelStatusToString(status)
    if info.primal_solution_status == int(highspy.SolutionStatus.kSolutionStatusFeasible):
        found = np.zeros_like(start)
        found[columns] = np.rint(highs.getSolution().col_value).astype(np.int64)
        # HiGHS works to a tolerance; its counts are used only if they keep every limit exactly.
        if not _broken_limits(r, found) and r.value(found) >= r.value(start):
            optimal = status == highspy.HighsModelStatus.kOptimal
            return found, optimal, float(info.mip_dual_bound), said
    return start, False, float(info.mip_dual_bound), said


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
    baseline = _top_up(r, nothing)
    # The LP starts from the greedy plan's columns and each class's best-scoring one.
    every = np.ones(nothing.size, dtype=bool)
    start = (baseline > 0) | model.best_per_class(model.score, every, how_many=1)
    relaxation = model.relax(start, deadline)
    best = max([baseline, _top_up(r, _rounded_down(r, relaxation.counts))], key=r.value)
    bound = relaxation.bound
    r.seconds["relaxation"] = time.perf_counter() - relaxing
    tolerance = BOUND_TOLERANCE * max(1.0, abs(bound))
    method = f"HiGHS {version('highspy')}, "

    def finish(counts, **outcome):
        return _plan(r, counts, started, bound=bound, **outcome)

    if r.value(best) >= bound - tolerance:
        return finish(best, proven_optimal=True, status="Optimal", method=method + "LP bound met")

    searching = time.perf_counter()
    generated = relaxation.generated | (best > 0)
    best, *_ = _branch_and_bound(r, model, generated, best, (deadline - searching) / 2)
    r.seconds["search near the LP"] = time.perf_counter() - searching
    if r.value(best) >= bound - tolerance:
        method += "LP bound met near the LP optimum"
        return finish(best, proven_optimal=True, status="Optimal", method=method)

    branching = time.perf_counter()
    # Dropping columns whose reduced score shows any plan using them falls below `best`
    # loses no better plan; the bound on what is left is then the bound on everything.
    keep = (bound + relaxation.reduced >= r.value(best) - tolerance) | (best > 0)
    counts, proven, kept_bound, status = _branch_and_bound(
        r, model, keep, best, deadline - branching
    )
    r.seconds["branch and bound"] = time.perf_counter() - branching
    bound = min(bound, max(kept_bound, r.value(best)))
    method += f"branch and bound over {int(keep.sum()):,} of {keep.size:,} counts"
    return finish(counts, proven_optimal=proven, status=status, method=method)
