"""The placement solver: assign units to slots under capacities and budgets, by a recorded policy.

A *unit* is a family travelling together (or one person alone); it counts by its size in
people and is placed whole or not at all. A *slot* is an agreement's quota for a period or a
flight's seats, with a capacity in people; slots belong to *agreements*, each with a total
capacity in people and a budget in money (integer minor units). Placing a unit in a slot costs
its agreement `cost_per_person[slot] × size + cost_per_unit[slot]`.

The caller lists the compatible unit × slot pairs (the safeguards engine and the agreement's
eligibility decide them) and each pair's feature values. A `Policy` weighs the features; the
solver maximises the total score and returns a `Plan` that carries the policy with it.

    from accords.placement import Agreements, Pairs, Policy, Problem, Slots, Units, solve

    problem = Problem(
        units=Units(ids=["F-1", "P-2"], sizes=[4, 1]),
        slots=Slots(ids=["2025-06 A"], agreement=[0], capacity=[5], cost_per_person=[150_000]),
        agreements=Agreements(ids=["A"], capacity=[500], budget=[60_000_000]),
        pairs=Pairs(
            unit=[0, 1],
            slot=[0, 0],
            features={"language_spoken": [1.0, 0.0], "family_ties": [0.0, 1.0]},
        ),
    )
    policy = Policy(
        name="integration", version=1, weights={"language_spoken": 2.0, "family_ties": 1.0}
    )
    plan = solve(problem, policy, time_limit=30)
    plan.assignments              # {"F-1": "2025-06 A", "P-2": "2025-06 A"}
    plan.proven_optimal           # True: no plan under this policy scores higher
    plan.placement("F-1")         # slot, people, score and each feature's part in it
    plan.policy.as_record()       # store with the plan

`greedy(problem, policy)` is the baseline (best score per person first) that the exact solver
is measured against. Nothing here touches the database.
"""

from accords.placement.plan import Placement, Plan
from accords.placement.problem import Agreements, Pairs, Policy, Problem, ProblemError, Slots, Units
from accords.placement.solver import PlacementError, greedy, solve

__all__ = [
    "Agreements",
    "Pairs",
    "Placement",
    "PlacementError",
    "Plan",
    "Policy",
    "Problem",
    "ProblemError",
    "Slots",
    "Units",
    "greedy",
    "solve",
]
