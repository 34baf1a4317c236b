"""Interchangeable units, grouped so the model counts classes of units instead of naming people.

Why this is exact, not an approximation. The model sees a unit only through its size and its
row of (slot, score) pairs: capacity and budget use depend on the size and the slot, the
objective on the score. Two units with the same size and the same row are interchangeable:
swapping them in any plan gives a plan with the same objective that uses the same capacity and
money. So the model may choose, for each class of such units and each slot, a whole number of
them (at most as many as the class has), and any choice of concrete members realises it. The
optimum over counts is the optimum over people.

Pairs scoring zero or less are left out before grouping: such a placement adds nothing and uses
capacity and money (both never negative), so dropping it from any plan keeps the plan feasible
and its score no lower. Some optimum never uses them, and leaving them out merges more units.

Domain features are categorical (language spoken yes/no, family ties yes/no, service need
categories), so 100,000 units fall into a few thousand classes: in the benchmark, 5,000,000
yes/no choices become 125,564 counts over 4,645 classes. If the features make every unit
unique, every class has one member and the model is the plain one: still exact, only slower.
"""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Classes:
    """Units grouped into classes, and each class's compatible slots with their scores.

    Class pairs are sorted by class, then slot. Within a class, members keep the caller's
    order, and counts are turned into people by taking members in that order: when a class
    cannot be placed in full, the units listed first go first (list oldest referrals first).
    """

    of_unit: np.ndarray
    count: np.ndarray
    size: np.ndarray
    pair_class: np.ndarray
    pair_slot: np.ndarray
    pair_score: np.ndarray

    def __len__(self) -> int:
        return self.count.size

    def expand(self, pair_count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Units and their slots for a count per class pair, ordered by unit."""
        placed = np.bincount(self.pair_class, weights=pair_count, minlength=len(self))
        placed = placed.astype(np.int64)
        members = np.argsort(self.of_unit, kind="stable")
        start = np.cumsum(self.count) - self.count
        member_class = self.of_unit[members]
        rank = np.arange(members.size) - start[member_class]
        units = members[rank < placed[member_class]]
        slots = np.repeat(self.pair_slot, pair_count)
        order = np.argsort(units, kind="stable")
        return units[order], slots[order]


def group_units(
    sizes: np.ndarray, pair_unit: np.ndarray, pair_slot: np.ndarray, pair_score: np.ndarray
) -> Classes:
    """Group units that are identical in size and in their row of positive-scoring pairs."""
    worth = pair_score > 0
    unit, slot, score = pair_unit[worth], pair_slot[worth], pair_score[worth]
    # Pairs usually arrive in unit order already; a stable sort on one key notices that.
    order = np.argsort(unit * (int(slot.max(initial=0)) + 1) + slot, kind="stable")
    unit, slot, score = unit[order], slot[order], score[order]

    n_units = sizes.size
    degree = np.bincount(unit, minlength=n_units)
    width = int(degree.max()) if unit.size else 0
    first = np.cumsum(degree) - degree
    column = np.arange(unit.size) - first[unit]

    # One fixed-width byte string per unit: size, slots (padded with -1), scores (padded with
    # 0). Equal strings mean equal inputs to the model; np.unique finds them in one sort.
    row = np.zeros((n_units, 1 + 2 * width), dtype=np.int64)
    row[:, 0] = sizes
    row[:, 1 : 1 + width] = -1
    row[unit, 1 + column] = slot
    row[unit, 1 + width + column] = score.view(np.int64)
    keys = row.view(np.dtype((np.void, row.itemsize * row.shape[1]))).ravel()
    _, representative, of_unit, count = np.unique(
        keys, return_index=True, return_inverse=True, return_counts=True
    )

    rep_degree = degree[representative]
    pair_class = np.repeat(np.arange(representative.size), rep_degree)
    rep_column = np.arange(pair_class.size) - np.repeat(
        np.cumsum(rep_degree) - rep_degree, rep_degree
    )
    rep_unit = representative[pair_class]
    return Classes(
        of_unit=of_unit.ravel(),
        count=count,
        size=sizes[representative],
        pair_class=pair_class,
        pair_slot=row[rep_unit, 1 + rep_column],
        pair_score=row[rep_unit, 1 + width + rep_column].view(np.float64),
    )
