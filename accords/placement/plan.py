"""A placement plan: who goes where, why, under which policy, and how sure the solver is.

A plan keeps its policy so that it can be stored with it and any placement can later be
explained: each placement carries the part every weighted feature played in its score.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from accords.placement.problem import Policy, Problem


@dataclass(frozen=True)
class Placement:
    """One unit in one slot, and the reasons in the policy's own terms."""

    unit_id: object
    slot_id: object
    people: int
    score: float
    contributions: dict[str, float]


@dataclass(frozen=True)
class Plan:
    """The placements (one row per placed unit, in the caller's unit order) and the outcome.

    `objective` is the plan's total score. `bound` is a score no plan can beat, as far as the
    solver has proven; `proven_optimal` says the two meet (to floating-point rounding), so no
    plan under this policy scores higher. `method` and `status` say how the solver got there.
    The greedy baseline proves nothing and its bound is NaN.
    """

    policy: Policy
    unit_ids: np.ndarray
    slot_ids: np.ndarray
    people: np.ndarray
    scores: np.ndarray
    contributions: dict[str, np.ndarray]
    objective: float
    bound: float
    proven_optimal: bool
    status: str
    method: str
    classes: int
    seconds: dict[str, float]

    def __len__(self) -> int:
        return self.unit_ids.size

    @cached_property
    def assignments(self) -> dict:
        """Unit id → slot id, for every placed unit."""
        return dict(zip(self.unit_ids.tolist(), self.slot_ids.tolist(), strict=True))

    @cached_property
    def _row(self) -> dict:
        return {unit_id: row for row, unit_id in enumerate(self.unit_ids.tolist())}

    @property
    def people_placed(self) -> int:
        return int(self.people.sum())

    def placement(self, unit_id) -> Placement | None:
        """Where the unit goes and why, or None if the plan leaves it unplaced."""
        row = self._row.get(unit_id)
        return None if row is None else self._placement(row)

    def placements(self) -> Iterator[Placement]:
        """Every placement with its reasons, in unit order: the plan page's rows."""
        return (self._placement(row) for row in range(len(self)))

    def _placement(self, row: int) -> Placement:
        return Placement(
            unit_id=self.unit_ids[row : row + 1].tolist()[0],
            slot_id=self.slot_ids[row : row + 1].tolist()[0],
            people=int(self.people[row]),
            score=float(self.scores[row]),
            contributions={name: float(part[row]) for name, part in self.contributions.items()},
        )


def plan_from(
    problem: Problem,
    policy: Policy,
    parts: dict[str, np.ndarray],
    scores: np.ndarray,
    units: np.ndarray,
    slots: np.ndarray,
    **outcome,
) -> Plan:
    """Assemble a plan from placed unit and slot indices and the pair scores behind them."""
    n_slots = max(problem.slots.ids.size, 1)
    pair_key = problem.pairs.unit * n_slots + problem.pairs.slot
    by_key = np.argsort(pair_key)
    pair = by_key[np.searchsorted(pair_key, units * n_slots + slots, sorter=by_key)]
    placed_scores = scores[pair]
    return Plan(
        policy=policy,
        unit_ids=problem.units.ids[units],
        slot_ids=problem.slots.ids[slots],
        people=problem.units.sizes[units],
        scores=placed_scores,
        contributions={name: part[pair] for name, part in parts.items()},
        objective=float(placed_scores.sum()),
        **outcome,
    )
