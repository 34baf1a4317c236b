"""Disclosure control proven on random tables: no published table, alone or together with the
previous month's, lets anyone pin down a count of 1 to 10; and the audit that says so finds
what a brute-force search finds."""

import itertools
from datetime import date

import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accords.transparency.measures import Measure
from accords.transparency.protection import (
    Relation,
    Rules,
    attacker_ranges,
    cell_bounds,
    exposed,
    protect,
    rounded,
)
from accords.transparency.tables import (
    SUPPRESSED,
    relations_across,
    relations_within,
    series_build,
    tables_publish,
)

RULES = Rules(base=10, threshold=11)
MEASURES = {
    "referred": Measure("referred", "Referred", compute=None),
    "departed": Measure("departed", "Departed", compute=None),
    "departed_by": Measure("departed_by", "Departed by citizenship", compute=None,
                           parts="citizenship", total="departed"),
}  # fmt: skip
# Counts of people in a small programme: mostly small, now and then not.
COUNT = st.one_of(st.integers(0, 12), st.integers(0, 60))


@st.composite
def caseloads(draw):
    """Two to three months of counts under one to three agreements, with a breakdown of
    departures into two or three citizenships."""
    agreements = [f"a{i}" for i in range(draw(st.integers(1, 3)))]
    months = [date(2026, m, 1) for m in range(1, draw(st.integers(2, 3)) + 1)]
    citizenships = ["PE", "HN", "SV"][: draw(st.integers(2, 3))]
    referred, departed = [], []
    for agreement, month in itertools.product(agreements, months):
        referred.append((agreement, month, draw(COUNT)))
        for citizenship in citizenships:
            departed.append((agreement, month, citizenship, draw(COUNT)))
    referred_frame = pl.DataFrame(referred, schema=["agreement", "month", "value"], orient="row")
    by = pl.DataFrame(departed, schema=["agreement", "month", "part", "value"], orient="row")
    total = by.group_by(["agreement", "month"]).agg(pl.col("value").sum())
    return {"referred": referred_frame, "departed": total, "departed_by": by}, months[-1]


def _combined(published, series, month, previous, first):
    """Everything published about `month`, and about `previous` when given: figures and the
    relations anyone can write down between them."""
    relations = relations_within(series, MEASURES, month.month)
    figures = {(month.month, *k): v for k, v in month.protected.published.items()}
    primary = {(month.month, *k) for k in month.protected.primary}
    if previous is None:
        return figures, relations, primary
    relations += relations_across(series, MEASURES, month.month, previous.month)
    relations += relations_within(series, MEASURES, previous.month)
    if first:
        relations += relations_across(series, MEASURES, previous.month, None)
    figures |= {(previous.month, *k): v for k, v in previous.protected.published.items()}
    primary |= {(previous.month, *k) for k in previous.protected.primary}
    return figures, relations, primary


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(caseloads())
def test_no_table_alone_or_with_the_previous_month_pins_a_small_count(caseload):
    frames, as_of = caseload
    series = series_build(frames, MEASURES, as_of)
    tables = tables_publish(series, MEASURES, RULES)
    for index, table in enumerate(tables):
        true = series.counts[table.month]
        for cell, figure in table.protected.published.items():
            if figure is None:
                assert table.status[cell] == SUPPRESSED
                continue
            assert figure % RULES.base == 0, (cell, figure)
            assert figure == rounded(true[cell], RULES.base)
            assert not 0 < true[cell] < RULES.threshold, (cell, true[cell])
        for previous in (None, tables[index - 1] if index else None):
            figures, relations, primary = _combined(
                table.protected.published, series, table, previous, first=index == 1
            )
            ranges = attacker_ranges(figures, relations, primary, RULES)
            assert not exposed(ranges, RULES), {k: ranges[k] for k in exposed(ranges, RULES)}
            for key, (low, high) in ranges.items():  # the true count is always in its range
                month, *cell = key
                assert low <= series.counts[month][tuple(cell)] <= high


def test_a_lone_suppressed_cell_in_a_row_is_found_and_its_neighbour_suppressed_too():
    """Naive suppression hides 3 but publishes 60 and the total 63 exactly; without rounding,
    subtraction gives it back. The audit finds it, and protection hides a second cell."""
    exact = Rules(base=1, threshold=11)
    values = {"a": 3, "b": 60, "total": 63}
    relations = [Relation("total", ("a", "b"))]
    naive = {"a": None, "b": 60, "total": 63}
    assert attacker_ranges(naive, relations, ["a"], exact) == {"a": (3, 3)}
    assert exposed(attacker_ranges(naive, relations, ["a"], exact), exact) == ["a"]
    protected = protect(values, relations, exact)
    assert protected.secondary == {"b"}
    assert not exposed(attacker_ranges(protected.published, relations, ["a"], exact), exact)


def test_one_subtraction_of_rounded_figures_leaves_ten_values_and_is_enough():
    """A row of 7 and 15, total 22: published 20 and 20, so the 7 lies between 0 and 9: as
    many values as "1 to 10" holds, and nothing else is suppressed."""
    values = {"small": 7, "other": 15, "total": 22}
    relations = [Relation("total", ("small", "other"))]
    protected = protect(values, relations, RULES)
    assert protected.published == {"small": None, "other": 20, "total": 20}
    assert attacker_ranges(protected.published, relations, ["small"], RULES) == {"small": (0, 9)}


def test_two_rounded_subtractions_together_pin_a_small_count_and_a_neighbour_goes():
    """The 7 is in a row (7 + 15 = 22) and a column (7 + 11 = 18). Each alone leaves 0-9 or
    1-13; together 1-9, nine values: exposed. Protection hides the 11 as well."""
    values = {"a": 7, "b": 15, "row": 22, "c": 11, "column": 18}
    relations = [Relation("row", ("a", "b")), Relation("column", ("a", "c"))]
    primary_only = {"a": None, "b": 20, "row": 20, "c": 10, "column": 20}
    assert attacker_ranges(primary_only, relations, ["a"], RULES) == {"a": (1, 9)}
    protected = protect(values, relations, RULES)
    assert protected.secondary == {"c"}
    ranges = attacker_ranges(protected.published, relations, ["a", "c"], RULES)
    assert not exposed({"a": ranges["a"]}, RULES)


def test_the_previous_months_total_to_date_is_taken_into_account():
    """Last month 11 people to date (published 10: 11 to 14); this month 3 more, 14 to date,
    also published as 10: the difference would pin this month's 3 between 0 and 3. Alone,
    the month's table would publish its total to date; with last month's, it is hidden."""
    previous = {("m1", "to_date"): 10}
    values = {("m2", "month"): 3, ("m2", "to_date"): 14}
    relations = [Relation(("m2", "to_date"), (("m1", "to_date"), ("m2", "month")))]
    pinned = attacker_ranges({**previous, ("m2", "month"): None, ("m2", "to_date"): 10},
                             relations, [("m2", "month")], RULES)  # fmt: skip
    assert pinned == {("m2", "month"): (0, 3)}
    protected = protect(values, relations, RULES, context=previous)
    assert protected.published[("m2", "to_date")] is None
    alone = protect(values, [], RULES)
    assert alone.published[("m2", "to_date")] == 10


def test_what_one_published_figure_says_of_its_count():
    assert cell_bounds(0, RULES) == (0, 0)
    assert cell_bounds(10, RULES) == (11, 14)
    assert cell_bounds(20, RULES) == (15, 24)
    assert cell_bounds(None, RULES)[0] == 0
    assert [rounded(n, 10) for n in (0, 4, 5, 14, 15, 1213067)] == [0, 0, 10, 10, 20, 1213070]


TWO_BY_TWO = [
    Relation("r1", ("a", "b")), Relation("r2", ("c", "d")),
    Relation("c1", ("a", "c")), Relation("c2", ("b", "d")), Relation("T", ("r1", "r2")),
]  # fmt: skip
LIMIT = 30


def _brute_force(figures: dict) -> dict[str, tuple[int, int]]:
    """Every 2 x 2 table of counts up to LIMIT consistent with the figures, searched whole."""
    grid = np.stack(np.meshgrid(*[np.arange(LIMIT + 1)] * 4, indexing="ij"), -1).reshape(-1, 4)
    a, b, c, d = grid.T
    cells = {"a": a, "b": b, "c": c, "d": d, "r1": a + b, "r2": c + d, "c1": a + c,
             "c2": b + d, "T": a + b + c + d}  # fmt: skip
    keep = np.ones(len(grid), dtype=bool)
    for name, figure in figures.items():
        low, high = cell_bounds(figure, RULES)
        keep &= (cells[name] >= low) & (cells[name] <= high)
    return {k: (int(v[keep].min()), int(v[keep].max())) for k, v in cells.items() if keep.any()}


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.integers(0, 14), min_size=4, max_size=4),
       st.sets(st.sampled_from(["a", "b", "c", "d", "r1", "r2", "c1", "c2", "T"])))  # fmt: skip
def test_the_audit_finds_what_a_brute_force_search_finds(counts, hidden):
    a, b, c, d = counts
    true = {"a": a, "b": b, "c": c, "d": d, "r1": a + b, "r2": c + d, "c1": a + c,
            "c2": b + d, "T": a + b + c + d}  # fmt: skip
    small = {k for k, v in true.items() if 0 < v < RULES.threshold}
    figures = {k: None if k in hidden | small else rounded(v, 10) for k, v in true.items()}
    searched = _brute_force(figures)
    targets = [k for k in "abcd" if figures[k] is None]
    solved = attacker_ranges(figures, TWO_BY_TWO, targets, RULES)
    for key in targets:  # the search stops at LIMIT: compare below it
        low, high = searched[key]
        assert solved[key][0] == low
        assert min(solved[key][1], LIMIT) == high
