"""Disclosure control for tables of counts of people: round every count, suppress the small
ones, and suppress more until nothing published pins a small one down.

A table is a set of cells (any hashable key) with their true counts, and relations between
them (`Relation`: a total is the sum of its parts: the all-agreements row, a breakdown's
parts, the month added to the previous month's total to date). The rules (`Rules`, read
from `disclosure.yaml`) say how counts are rounded and which are too small to show.

What an outsider knows of a cell from what is published (`cell_bounds`):

- a published 0 is 0 (counts from 1 to `threshold - 1` are never published);
- a published rounded count r is a count from r - base/2 to r + base/2 - 1 that is not
  small (DHS: 5 to 14 are published as 10, and we publish nothing under 11, so 11 to 14);
- a suppressed cell is any count from 0 up.

Together with the relations (this month's table and the previous month's published one),
the outsider can work out for each suppressed cell the least and the greatest count it can
hold: a pair of integer programmes (`attacker_ranges`, HiGHS).

**The criterion.** A cell suppressed for being small (1 to `threshold - 1`, "1 to 10") is
protected when the range the outsider can work out holds at least as many whole numbers as
the suppression mark itself stands for (`threshold - 1`, ten): max - min + 1 >= threshold - 1.
Such a range either is 1 to 10 or reaches a count of 11 or more (a count that would have been
published), and it is never narrower than one rounding step, so the tables tell the outsider
no more about the cell than the mark does. Adding the previous month's table only adds
constraints, so a cell protected with it is protected by this month's table alone.

Secondary suppression (`protect`) is audit-driven: suppress the small cells, work out every
range, and while a small cell is exposed, suppress for it the smallest published cell that
shares a relation with it (CMS: no cell may let a value of 1 to 10 be derived); repeat. The
result is checked by the same audit that finds exposures, so it holds by construction; the
hypothesis test in `tests/test_protection.py` checks it on random tables.

Why by hand: the well-kept cell-suppression tools (tau-Argus, sdcTable, GaussSuppression) are
Java and R programs; none is a Python library this project could call. The integer
programmes themselves are HiGHS's.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import highspy
import numpy as np

Key = Hashable
# A count no table of people reaches; "no upper bound" for the solver.
UNBOUNDED = 10**12


@dataclass(frozen=True)
class Rules:
    """Counts are rounded to the nearest `base` (1: not rounded); counts from 1 to
    `threshold - 1` are suppressed (`threshold` 0 or 1: none)."""

    base: int = 10
    threshold: int = 11

    @property
    def protected_width(self) -> int:
        """How many whole numbers a small cell's range must hold (see the module's doc)."""
        return max(self.threshold - 1, 1)


@dataclass(frozen=True)
class Relation:
    total: Key
    parts: tuple[Key, ...]


def rounded(count: int, base: int) -> int:
    """Round half up to the nearest `base`, as DHS does: 0-4 to 0, 5-14 to 10."""
    return (count + base // 2) // base * base


def is_small(count: int, rules: Rules) -> bool:
    return 0 < count < rules.threshold


def cell_bounds(published: int | None, rules: Rules) -> tuple[int, int]:
    """The counts a cell can hold, as far as its own published figure says."""
    if published is None:
        return 0, UNBOUNDED
    high = published + rules.base - 1 - rules.base // 2
    if published == 0:
        # 0 and the counts that round to 0; small ones among them are never published.
        return 0, 0 if rules.threshold > high else high
    # Only a count of 1 or more rounds up to a figure above 0, and it is not a small one.
    return max(published - rules.base // 2, rules.threshold, 1), high


def publish(values: dict[Key, int], suppressed: set[Key], rules: Rules) -> dict[Key, int | None]:
    return {k: None if k in suppressed else rounded(v, rules.base) for k, v in values.items()}


def _components(keys: list[Key], relations: list[Relation]) -> dict[Key, Key]:
    parent = {k: k for k in keys}

    def root(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for relation in relations:
        first = root(relation.total)
        for part in relation.parts:
            parent[root(part)] = first
    return {k: root(k) for k in keys}


def attacker_ranges(
    published: dict[Key, int | None], relations: list[Relation], targets: Iterable[Key],
    rules: Rules,
) -> dict[Key, tuple[int, int]]:  # fmt: skip
    """For each target cell, the least and greatest whole count it can hold given every
    published figure and every relation: what an outsider can work out, no more."""
    targets = list(targets)
    keys = list(published)
    component = _components(keys, relations)
    by_component: dict[Key, list[Key]] = {}
    for key in keys:
        by_component.setdefault(component[key], []).append(key)
    ranges: dict[Key, tuple[int, int]] = {}
    wanted: dict[Key, list[Key]] = {}
    for target in targets:
        wanted.setdefault(component[target], []).append(target)
    for root, cells in wanted.items():
        members = by_component[root]
        inside = [r for r in relations if component[r.total] == root]
        ranges.update(_solve(members, inside, cells, published, rules))
    return ranges


def _solve(members, relations, targets, published, rules) -> dict[Key, tuple[int, int]]:
    if not relations:
        return {t: cell_bounds(published[t], rules) for t in targets}
    column = {k: i for i, k in enumerate(members)}
    n = len(members)
    bounds = np.array([cell_bounds(published[k], rules) for k in members], dtype=float)
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.addVars(n, bounds[:, 0], bounds[:, 1])
    for relation in relations:
        index = [column[relation.total], *(column[p] for p in relation.parts)]
        coefficients = [1.0, *([-1.0] * len(relation.parts))]
        highs.addRow(0.0, 0.0, len(index), np.array(index, dtype=np.int32),
                     np.array(coefficients))  # fmt: skip
    found = {}
    for target in targets:
        ends = []
        highs.changeColCost(column[target], 1.0)
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            highs.changeObjectiveSense(sense)
            ends.append(_optimum(highs, n, target))
        highs.changeColCost(column[target], 0.0)
        found[target] = (ends[0], ends[1])
    return found


def _optimum(highs: highspy.Highs, n: int, target) -> int:
    """The integer programme's optimum. The linear relaxation first: sums of cells with
    whole bounds mostly have whole vertices, and a whole optimum of the relaxation is the
    integer optimum; only when it is not are the cells made integers (far slower)."""
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise ArithmeticError(f"the published table is inconsistent at {target!r}")
    values = np.asarray(highs.getSolution().col_value)
    if np.allclose(values, np.round(values), atol=1e-7, rtol=0):
        return round(highs.getInfo().objective_function_value)
    every = np.arange(n, dtype=np.int32)
    highs.changeColsIntegrality(n, every, np.array([highspy.HighsVarType.kInteger] * n))
    highs.run()
    status, value = highs.getModelStatus(), highs.getInfo().objective_function_value
    highs.changeColsIntegrality(n, every, np.array([highspy.HighsVarType.kContinuous] * n))
    if status != highspy.HighsModelStatus.kOptimal:
        raise ArithmeticError(f"the published table is inconsistent at {target!r}")
    return round(value)


def exposed(ranges: dict[Key, tuple[int, int]], rules: Rules) -> list[Key]:
    """The cells whose range is narrower than the criterion allows."""
    return [k for k, (low, high) in ranges.items() if high - low + 1 < rules.protected_width]


@dataclass
class Protected:
    published: dict[Key, int | None]
    primary: set[Key]
    secondary: set[Key]


def protect(
    values: dict[Key, int], relations: list[Relation], rules: Rules, *,
    context: dict[Key, int | None] | None = None, context_primary: Iterable[Key] = (),
) -> Protected:  # fmt: skip
    """Round and suppress one table. `context` is the previous month's table as published
    (the relations may name its cells); its small cells (`context_primary`) are kept
    protected too: this table must not give them away either."""
    context = context or {}
    primary = {k for k, v in values.items() if is_small(v, rules)}
    suppressed = set(primary)
    guarded = primary | set(context_primary)
    touching: dict[Key, list[Relation]] = {}
    for relation in relations:
        for key in (relation.total, *relation.parts):
            touching.setdefault(key, []).append(relation)
    while True:
        published = {**context, **publish(values, suppressed, rules)}
        targets = [k for k in guarded if published.get(k, 0) is None]
        at_risk = exposed(attacker_ranges(published, relations, targets, rules), rules)
        if not at_risk:
            return Protected(publish(values, suppressed, rules), primary, suppressed - primary)
        added = set()
        for key in sorted(at_risk, key=repr):
            complement = _complement(key, values, suppressed | added, touching)
            if complement is not None:
                added.add(complement)
        if not added:  # nothing left that could widen a range: every cell is suppressed
            raise ArithmeticError("a small cell stays exposed with every cell suppressed")
        suppressed |= added


def _complement(key, values, suppressed, touching) -> Key | None:
    """The published cell to suppress for an exposed one: the smallest non-zero count
    (zeros last) among the cells sharing a relation with it, else among their neighbours',
    else in the whole table."""
    seen, frontier = {key}, [key]
    for _ in range(2):
        neighbours = {
            other
            for k in frontier
            for relation in touching.get(k, ())
            for other in (relation.total, *relation.parts)
        } - seen
        candidates = [k for k in neighbours if k in values and k not in suppressed]
        if candidates:
            return min(candidates, key=lambda k: (values[k] == 0, values[k], repr(k)))
        seen |= neighbours
        frontier = list(neighbours)
    rest = [k for k in values if k not in suppressed]
    return min(rest, key=lambda k: (values[k] == 0, values[k], repr(k))) if rest else None
