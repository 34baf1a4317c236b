"""The placement solver: assign units to slots under capacities and budgets, by a recorded policy.

Pure Python over numpy arrays; nothing here touches the database.

The round (`Problem`, every column checked on construction; errors name the field):

- `Units(ids, sizes)`: a unit is a family travelling together, or one person alone; it counts
  by its size in people and is placed whole or not at all.
- `Slots(ids, agreement, capacity, cost_per_person, cost_per_unit=None)`: an agreement's quota
  for a period, a flight's seats. `agreement` indexes `Agreements`; `capacity` is in people.
  Placing a unit costs its agreement `cost_per_person × size + cost_per_unit`.
- `Agreements(ids, capacity, budget)`: a total in people and a budget in money. Money is in
  integer minor units (cents), so a budget check is exact.
- `Pairs(unit, slot, features)`: the compatible unit × slot pairs, by index, and each pair's
  feature values (`{"language_spoken": array, ...}`, one value per pair). The caller decides
  compatibility (the safeguards engine clears a referral by the slot's date; the agreement's
  eligibility admits the unit). `Pairs.from_matrix(compatible, features)` takes units × slots
  matrices instead.

The policy: `Policy(name, version, weights, per_person=True)`. A pair's score is
Σ weight × feature, times the unit's size when `per_person`. A placement scoring zero or less
is never made. `policy.as_record()` is the plain form to store with the plan.

The solvers:

- `solve(problem, policy, *, time_limit=60.0) -> Plan`: the maximum total score, proven
  optimal unless the time limit (seconds) cuts it short; a plan cut short is still sound and
  scores at least as well as `greedy`.
- `greedy(problem, policy) -> Plan`: the baseline, best score per person first.

The answer (`Plan`): `assignments` (unit id → slot id); row by row in unit order `unit_ids`,
`slot_ids`, `people`, `scores` and `contributions` (feature → each placement's part of its
score); `placement(unit_id)` (a `Placement` with slot, people, score and contributions, or None
if unplaced); `objective`; `bound` (no plan scores above it); `proven_optimal`; `status`;
`method`; `classes` (interchangeable classes the model counted); `seconds` per step; `policy`.

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
    plan.assignments            # {"F-1": "2025-06 A", "P-2": "2025-06 A"}
    plan.placement("F-1")       # Placement(..., people=4, score=8.0, contributions={...})

Why it is fast and still exact: units identical in everything the model sees are grouped and
counted rather than chosen one by one (classes.py), and the LP relaxation usually proves the
rounded plan optimal outright (solver.py).
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
