"""Independent checks of placement plans, written apart from the solver so they can judge it.

`broken_rules` recounts a plan against the problem from scratch; `best_possible` finds the
optimum of a tiny problem by trying every assignment.
"""

import itertools

import numpy as np

from accords.placement import Agreements, Pairs, Plan, Policy, Problem, Slots, Units


def one_agreement(
    sizes,
    capacities,
    *,
    features,
    compatible=None,
    quota=1_000,
    budget=1_000_000,
    fee=0,
    cost_per_unit=0,
) -> Problem:
    """A round with one agreement; features are units × slots matrices."""
    sizes, capacities = np.asarray(sizes), np.asarray(capacities)
    shape = (sizes.size, capacities.size)
    compatible = np.ones(shape, dtype=bool) if compatible is None else compatible
    return Problem(
        units=Units(ids=np.array([f"U{i}" for i in range(sizes.size)]), sizes=sizes),
        slots=Slots(
            ids=np.array([f"S{j}" for j in range(capacities.size)]),
            agreement=np.zeros(capacities.size, dtype=int),
            capacity=capacities,
            cost_per_person=np.full(capacities.size, fee),
            cost_per_unit=np.full(capacities.size, cost_per_unit),
        ),
        agreements=Agreements(ids=np.array(["A"]), capacity=[quota], budget=[budget]),
        pairs=Pairs.from_matrix(
            compatible, {name: np.broadcast_to(v, shape) for name, v in features.items()}
        ),
    )


def pair_score_matrix(problem: Problem, policy: Policy) -> np.ndarray:
    """Units × slots scores straight from the definition; NaN where a pair is not compatible."""
    n_units, n_slots = problem.units.ids.size, problem.slots.ids.size
    scores = np.full((n_units, n_slots), np.nan)
    for p, (u, s) in enumerate(zip(problem.pairs.unit, problem.pairs.slot, strict=True)):
        total = sum(w * problem.pairs.features[f][p] for f, w in policy.weights.items())
        scores[u, s] = total * (problem.units.sizes[u] if policy.per_person else 1)
    return scores


def broken_rules(problem: Problem, plan: Plan) -> list[str]:
    """Every rule of placement the plan breaks, counted afresh from its assignments."""
    unit_index = {uid: i for i, uid in enumerate(problem.units.ids.tolist())}
    slot_index = {sid: j for j, sid in enumerate(problem.slots.ids.tolist())}
    compatible = set(zip(problem.pairs.unit.tolist(), problem.pairs.slot.tolist(), strict=True))
    broken = []
    if len(set(plan.unit_ids.tolist())) != len(plan):
        broken.append("a unit is placed twice")
    seats = np.zeros(problem.slots.ids.size, dtype=np.int64)
    people = np.zeros(problem.agreements.ids.size, dtype=np.int64)
    money = np.zeros(problem.agreements.ids.size, dtype=np.int64)
    for uid, sid in plan.assignments.items():
        u, s = unit_index[uid], slot_index[sid]
        if (u, s) not in compatible:
            broken.append(f"{uid} placed in incompatible {sid}")
        size, a = int(problem.units.sizes[u]), int(problem.slots.agreement[s])
        seats[s] += size
        people[a] += size
        money[a] += size * problem.slots.cost_per_person[s] + problem.slots.cost_per_unit[s]
    if np.any(seats > problem.slots.capacity):
        broken.append("a slot is over capacity")
    if np.any(people > problem.agreements.capacity):
        broken.append("an agreement is over its quota")
    if np.any(money > problem.agreements.budget):
        broken.append("an agreement is over budget")
    return broken


def plan_score(problem: Problem, policy: Policy, plan: Plan) -> float:
    scores = pair_score_matrix(problem, policy)
    units = {uid: i for i, uid in enumerate(problem.units.ids.tolist())}
    slots = {sid: j for j, sid in enumerate(problem.slots.ids.tolist())}
    return float(sum(scores[units[u], slots[s]] for u, s in plan.assignments.items()))


def best_possible(problem: Problem, policy: Policy) -> float:
    """The optimum by trying every assignment (each unit: some compatible slot, or none)."""
    scores = pair_score_matrix(problem, policy)
    n_units, n_slots = scores.shape
    options = [[-1] + np.flatnonzero(~np.isnan(scores[u])).tolist() for u in range(n_units)]
    choice = np.array(list(itertools.product(*options)), dtype=np.int64).reshape(-1, n_units)
    sizes = problem.units.sizes
    slot_people = np.stack([(choice == s) @ sizes for s in range(n_slots)], axis=1)
    per_person, per_unit = problem.slots.cost_per_person, problem.slots.cost_per_unit
    slot_money = np.stack(
        [(choice == s) @ (sizes * per_person[s] + per_unit[s]) for s in range(n_slots)], axis=1
    )
    feasible = np.all(slot_people <= problem.slots.capacity, axis=1)
    for a in range(problem.agreements.ids.size):
        of_a = problem.slots.agreement == a
        feasible &= slot_people[:, of_a].sum(axis=1) <= problem.agreements.capacity[a]
        feasible &= slot_money[:, of_a].sum(axis=1) <= problem.agreements.budget[a]
    placed = choice >= 0
    gained = np.where(placed, scores[np.arange(n_units), np.maximum(choice, 0)], 0.0)
    return float(gained.sum(axis=1)[feasible].max())
