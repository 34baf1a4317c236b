"""The integer programme behind a placement round, as the arrays HiGHS takes, and its LP bound.

For each class of interchangeable units c and compatible slot s, x[c,s] counts the members
of c placed in s (classes.py explains why counting is exact):

    maximise    Σ score[c,s] · x[c,s]
    subject to  Σ_s x[c,s]                   ≤ members[c]     each unit placed at most once
                Σ_c size[c] · x[c,s]          ≤ capacity[s]    a slot's seats, in people
                Σ_{s of a} size[c] · x[c,s]   ≤ capacity[a]    an agreement's quota, in people
                Σ_{s of a} cost[c,s] · x[c,s] ≤ budget[a]      an agreement's money
                0 ≤ x[c,s] ≤ upper[c,s], whole

A family is one unit weighted by its size, so it is never split and never squeezed into a slot
with fewer seats than it has people.
"""

from dataclasses import dataclass

import highspy
import numpy as np


@dataclass(frozen=True)
class Programme:
    """Columns are class pairs; each column has at most four entries, one per kind of row."""

    score: np.ndarray
    upper: np.ndarray
    row: np.ndarray
    coefficient: np.ndarray
    present: np.ndarray
    row_limit: np.ndarray

    def highs(self, columns: np.ndarray, *, integer: bool, time_limit: float) -> highspy.Highs:
        """HiGHS loaded with the given columns, as integers or as the LP relaxation."""
        present = self.present[columns]
        entries = present.sum(axis=1)
        n_cols = int(present.shape[0])
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("time_limit", max(time_limit, 0.0))
        # Zero gap: "optimal" must mean no better plan exists, not one within 0.01%.
        highs.setOptionValue("mip_rel_gap", 0.0)
        # HiGHS's presolve does not watch the clock (on 100,000 units it overran a 30 s limit
        # by 15 s) and, measured on these programmes, made no solve faster.
        highs.setOptionValue("presolve", "off")
        kind = highspy.HighsVarType.kInteger if integer else highspy.HighsVarType.kContinuous
        highs.passModel(
            n_cols,
            self.row_limit.size,
            int(present.sum()),
            int(highspy.MatrixFormat.kColwise),
            int(highspy.ObjSense.kMaximize),
            0.0,
            self.score[columns],
            np.zeros(n_cols),
            self.upper[columns].astype(np.float64),
            np.full(self.row_limit.size, -highs.inf),
            self.row_limit.astype(np.float64),
            (np.cumsum(entries) - entries).astype(np.int32),
            self.row[columns][present].astype(np.int32),
            self.coefficient[columns][present].astype(np.float64),
            np.full(n_cols, int(kind), dtype=np.int32),
        )
        return highs

    def bound(self, row_price: np.ndarray) -> tuple[float, np.ndarray]:
        """An upper bound on every plan's score, and each column's reduced score.

        For any prices y ≥ 0 on the rows and any feasible x, weak duality gives
        score·x ≤ y·limit + Σ reduced·x with reduced = score − Aᵀy, and so
        score·x ≤ y·limit + Σ max(reduced, 0)·upper. Prices from the LP relaxation make
        this the LP bound, but it holds for any prices: it is recomputed here rather than
        taken from the LP solver, so solver tolerances cannot make it claim too much.
        It also gives each column's reduced score: a plan placing at least one member of a
        column scores at most bound + reduced for that column.
        """
        price = np.maximum(np.nan_to_num(row_price), 0.0)
        charged = np.where(self.present, price[np.maximum(self.row, 0)] * self.coefficient, 0.0)
        reduced = self.score - charged.sum(axis=1)
        total = price @ self.row_limit + np.maximum(reduced, 0.0) @ self.upper
        return float(total), reduced


def programme(
    *,
    pair_class: np.ndarray,
    pair_slot: np.ndarray,
    pair_score: np.ndarray,
    class_members: np.ndarray,
    people: np.ndarray,
    agreement: np.ndarray,
    cost: np.ndarray,
    upper: np.ndarray,
    slot_capacity: np.ndarray,
    agreement_capacity: np.ndarray,
    agreement_budget: np.ndarray,
) -> Programme:
    n_classes, n_slots = class_members.size, slot_capacity.size
    n_agreements = agreement_capacity.size
    # A class with one compatible slot is limited by its column bound alone; only classes
    # spread over several slots need a row saying each member is placed at most once.
    spread = np.bincount(pair_class, minlength=n_classes) > 1
    class_row = np.full(n_classes, -1)
    class_row[spread] = np.arange(spread.sum())
    first_slot_row = int(spread.sum())
    first_quota_row = first_slot_row + n_slots
    first_budget_row = first_quota_row + n_agreements
    # Money is counted in the largest unit dividing every cost in the agreement: the same
    # constraint, exactly, with coefficients small enough for the solver's tolerances.
    money_unit = np.zeros(n_agreements, dtype=np.int64)
    np.gcd.at(money_unit, agreement, cost)
    money_unit = np.maximum(money_unit, 1)

    row_of_class = class_row[pair_class]
    always = np.ones(pair_class.size, dtype=bool)
    return Programme(
        score=pair_score,
        upper=upper,
        row=np.stack(
            [
                row_of_class,
                first_slot_row + pair_slot,
                first_quota_row + agreement,
                first_budget_row + agreement,
            ],
            axis=1,
        ),
        coefficient=np.stack(
            [always, people, people, cost // money_unit[agreement]], axis=1
        ).astype(np.float64),
        present=np.stack([row_of_class >= 0, always, always, cost > 0], axis=1),
        row_limit=np.concatenate(
            [
                class_members[spread],
                slot_capacity,
                agreement_capacity,
                agreement_budget // money_unit,
            ]
        ).astype(np.float64),
    )
