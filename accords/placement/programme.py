"""The integer programme behind a placement round, its LP relaxation and a bound it proves.

For each class of interchangeable units c and compatible slot s, x[c,s] counts the members
of c placed in s (classes.py explains why counting is exact):

    maximise    Σ score[c,s] · x[c,s]
    subject to  Σ_s x[c,s]                   ≤ members[c]     each unit placed at most once
                Σ_c size[c] · x[c,s]          ≤ capacity[s]    a slot's seats, in people
                Σ_{s of a} size[c] · x[c,s]   ≤ capacity[a]    an agreement's quota, in people
                Σ_{s of a} cost[c,s] · x[c,s] ≤ budget[a]      an agreement's money
                0 ≤ x[c,s] ≤ upper[c,s], whole

A family is one unit weighted by its size, so it is never split and never squeezed into a slot
with fewer seats than it has people. Each (class, slot) pair is a column of the programme.
"""

import time
from dataclasses import dataclass

import highspy
import numpy as np

# A column is worth adding to the LP when its reduced score is above this.
PRICE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Relaxation:
    """The LP relaxation as far as it got: counts per column, a proven bound, reduced scores,
    and the columns it generated."""

    counts: np.ndarray
    bound: float
    reduced: np.ndarray
    generated: np.ndarray


@dataclass(frozen=True)
class Programme:
    """Each column has at most four entries, one per kind of row; `group` is its class."""

    score: np.ndarray
    upper: np.ndarray
    group: np.ndarray
    row: np.ndarray
    coefficient: np.ndarray
    present: np.ndarray
    row_limit: np.ndarray

    def highs(self, columns: np.ndarray, *, integer: bool, time_limit: float) -> highspy.Highs:
        """HiGHS loaded with the given columns, as integers or as the LP relaxation."""
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("time_limit", max(time_limit, 0.0))
        # Zero gap: "optimal" must mean no better plan exists, not one within 0.01%.
        highs.setOptionValue("mip_rel_gap", 0.0)
        # HiGHS's presolve does not watch the clock (on 100,000 units it overran a 30 s limit
        # by 15 s) and, measured on these programmes, made no solve faster.
        highs.setOptionValue("presolve", "off")
        kind = highspy.HighsVarType.kInteger if integer else highspy.HighsVarType.kContinuous
        n_cols = int(np.count_nonzero(columns))
        n_entries, starts, rows, coefficients = self._entries(columns)
        highs.passModel(
            n_cols,
            self.row_limit.size,
            n_entries,
            int(highspy.MatrixFormat.kColwise),
            int(highspy.ObjSense.kMaximize),
            0.0,
            *self._bounds(columns),
            np.full(self.row_limit.size, -highs.inf),
            self.row_limit.astype(np.float64),
            starts,
            rows,
            coefficients,
            np.full(n_cols, int(kind), dtype=np.int32),
        )
        return highs

    def relax(self, start: np.ndarray, deadline: float) -> Relaxation:
        """The LP relaxation by column generation, from the given columns.

        Why not all columns at once: with hundreds of thousands of them HiGHS's dual simplex
        was seen to spend over a minute on one iteration, past any time limit, and most
        columns are never worth using. Prices from the LP over a few columns per class show
        which other columns are worth more than the capacity and money they use; the best
        of those are added and the LP is solved again, from where it was, until none is
        left, and then the LP is optimal over all columns. Every round's prices give a valid
        bound, so stopping at the deadline still leaves a sound one.
        """
        active = start.copy()
        generated = np.flatnonzero(active)
        highs = self.highs(active, integer=False, time_limit=deadline - time.perf_counter())
        bound, reduced = self.bound(np.zeros(self.row_limit.size))
        counts = np.zeros(self.score.size)
        while True:
            highs.setOptionValue("time_limit", max(deadline - time.perf_counter(), 0.0))
            highs.run()
            solution = highs.getSolution()
            if solution.value_valid:
                counts = np.zeros(self.score.size)
                counts[generated] = solution.col_value
            if not solution.dual_valid:
                break
            priced_bound, priced = self.bound(np.array(solution.row_dual))
            if priced_bound < bound:
                bound, reduced = priced_bound, priced
            worth = ~active & (priced > PRICE_TOLERANCE)
            if not worth.any() or time.perf_counter() >= deadline:
                break
            added = self.best_per_class(priced, worth, how_many=2)
            n_entries, starts, rows, coefficients = self._entries(added)
            highs.addCols(
                int(added.sum()), *self._bounds(added), n_entries, starts, rows, coefficients
            )
            generated = np.concatenate([generated, np.flatnonzero(added)])
            active |= added
        return Relaxation(counts=counts, bound=bound, reduced=reduced, generated=active)

    def bound(self, row_price: np.ndarray) -> tuple[float, np.ndarray]:
        """An upper bound on every plan's score, and each column's reduced score.

        For any prices y ≥ 0 on the rows and any feasible x, weak duality gives
        score·x ≤ y·limit + Σ reduced·x with reduced = score − Aᵀy, and so
        score·x ≤ y·limit + Σ max(reduced, 0)·upper. Prices from the LP relaxation make
        this the LP bound, but it holds for any prices: it is computed here rather than
        taken from the LP solver, so solver tolerances cannot make it claim too much.
        It also bounds every plan using a column: such a plan scores at most
        bound + reduced for that column.
        """
        price = np.maximum(np.nan_to_num(row_price), 0.0)
        charged = np.where(self.present, price[np.maximum(self.row, 0)] * self.coefficient, 0.0)
        reduced = self.score - charged.sum(axis=1)
        total = price @ self.row_limit + np.maximum(reduced, 0.0) @ self.upper
        return float(total), reduced

    def best_per_class(self, value: np.ndarray, among: np.ndarray, how_many: int) -> np.ndarray:
        """The columns of highest value among the given ones, at most `how_many` per class."""
        index = np.flatnonzero(among)
        index = index[np.lexsort((-value[index], self.group[index]))]
        group = self.group[index]
        rank = np.arange(index.size) - np.searchsorted(group, group)
        chosen = np.zeros(self.score.size, dtype=bool)
        chosen[index[rank < how_many]] = True
        return chosen

    def _bounds(self, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        upper = self.upper[columns].astype(np.float64)
        return self.score[columns], np.zeros(upper.size), upper

    def _entries(self, columns: np.ndarray) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
        present = self.present[columns]
        per_column = present.sum(axis=1)
        return (
            int(per_column.sum()),
            (np.cumsum(per_column) - per_column).astype(np.int32),
            self.row[columns][present].astype(np.int32),
            self.coefficient[columns][present].astype(np.float64),
        )


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
        group=pair_class,
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
