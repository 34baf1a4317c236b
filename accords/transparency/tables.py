"""From the measures' numbers to the published tables, month by month.

Each month's table has a row per agreement and one for all agreements, and for every measure
(and every part of a breakdown) two cells: the month's count and the count to date. Its
relations are what anyone can check: the all-agreements row is the sum of the agreements,
a breakdown's parts add up to its total, and the count to date is last month's to date plus
this month. Counts of people go through `protection.protect` one month after the other, each
with the previous month's table as published; money is copied exactly (see `measures`).

Nothing but the published figures leaves this module: a row never carries a true count that
was suppressed or rounded.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import polars as pl

from accords.transparency.measures import MONEY, Measure
from accords.transparency.protection import Protected, Relation, Rules, protect

ALL = "*"
MONTH, TO_DATE = "month", "to_date"
PUBLISHED, SUPPRESSED, WITHHELD = "published", "suppressed", "withheld"


def _months(first: date, last: date) -> list[date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


@dataclass
class Series:
    """Every month's true counts, in the cells the tables publish."""

    months: list[date]
    agreements: list[str]
    parts: dict[str, list[str]]  # measure -> its parts ([""] when it has none)
    counts: dict[date, dict[tuple, int]] = field(default_factory=dict)
    money: dict[date, dict[tuple, Decimal]] = field(default_factory=dict)


def _with_part(frame: pl.DataFrame) -> pl.DataFrame:
    """A breakdown's parts, a money measure's currencies, or one part "" for the rest."""
    if "currency" in frame.columns:
        return frame.rename({"currency": "part"})
    return frame if "part" in frame.columns else frame.with_columns(part=pl.lit(""))


def series_build(
    frames: dict[str, pl.DataFrame], measures: dict[str, Measure], as_of: date
) -> Series:
    """Lay the measures' frames out as monthly cells, from the first month with anything in
    it to the month of `as_of`; a cell is (agreement, measure, part, period)."""
    frames = {k: _with_part(f) for k, f in frames.items()}
    present = [f for f in frames.values() if not f.is_empty()]
    if not present:
        return Series([], [], {})
    first = min(f["month"].min() for f in present)
    months = _months(first, max(as_of.replace(day=1), first))
    agreements = sorted({a for f in present for a in f["agreement"].to_list()})
    # A breakdown with nothing in it has no parts (and no cells); any other measure one, "".
    parts = {
        k: sorted(set(f["part"].to_list())) or ([] if measures[k].parts else [""])
        for k, f in frames.items()
    }
    found = Series(months, agreements, parts)
    for key, frame in frames.items():
        money = measures[key].unit == MONEY
        store = found.money if money else found.counts
        zero = Decimal(0) if money else 0
        by_cell = {
            (r["month"], r["agreement"], r["part"]): r["value"] for r in frame.iter_rows(named=True)
        }
        running: dict[tuple, object] = {}
        for month in months:
            cells = store.setdefault(month, {})
            for part in parts[key]:
                total_month = total_to_date = zero
                for agreement in agreements:
                    value = by_cell.get((month, agreement, part), zero)
                    if money:
                        value = Decimal(value)
                    running[agreement, part] = running.get((agreement, part), zero) + value
                    cells[agreement, key, part, MONTH] = value
                    cells[agreement, key, part, TO_DATE] = running[agreement, part]
                    total_month += value
                    total_to_date += running[agreement, part]
                cells[ALL, key, part, MONTH] = total_month
                cells[ALL, key, part, TO_DATE] = total_to_date
    return found


def relations_within(series: Series, measures: dict[str, Measure], month: date) -> list[Relation]:
    """The all-agreements sums and the breakdowns' sums of one month's table of people."""
    found = []
    rows = [*series.agreements, ALL]
    people = [k for k in series.parts if measures[k].unit != MONEY]
    for key in people:
        for part in series.parts[key]:
            for period in (MONTH, TO_DATE):
                parts = tuple((month, a, key, part, period) for a in series.agreements)
                found.append(Relation((month, ALL, key, part, period), parts))
        total = measures[key].total
        if total and series.parts[key]:
            for row in rows:
                for period in (MONTH, TO_DATE):
                    parts = tuple((month, row, key, p, period) for p in series.parts[key])
                    found.append(Relation((month, row, total, "", period), parts))
    return found


def relations_across(series: Series, measures: dict[str, Measure], month: date,
                     previous: date | None) -> list[Relation]:  # fmt: skip
    """To date = the previous month's to date + this month (the first month: this month)."""
    found = []
    for key in (k for k in series.parts if measures[k].unit != MONEY):
        for part in series.parts[key]:
            for row in [*series.agreements, ALL]:
                before = ((previous, row, key, part, TO_DATE),) if previous else ()
                found.append(Relation((month, row, key, part, TO_DATE),
                                      (*before, (month, row, key, part, MONTH))))  # fmt: skip
    return found


@dataclass
class Published:
    """One month's published figures: a count (rounded), None (suppressed), or an amount."""

    month: date
    figures: dict[tuple, int | Decimal | None]
    status: dict[tuple, str]
    protected: Protected


def tables_publish(series: Series, measures: dict[str, Measure], rules: Rules) -> list[Published]:
    """Protect every month's table of people in order, each with the previous one as
    published; copy money, withheld where the count it follows is suppressed."""
    found: list[Published] = []
    for index, month in enumerate(series.months):
        previous = found[-1] if found else None
        relations = relations_within(series, measures, month) + relations_across(
            series, measures, month, previous.month if previous else None
        )
        context, context_primary = {}, set()
        if previous:
            before = series.months[index - 2] if index >= 2 else None
            relations += relations_within(series, measures, previous.month)
            if before is None:
                relations += relations_across(series, measures, previous.month, None)
            context = {(previous.month, *k): v for k, v in previous.protected.published.items()}
            context_primary = {(previous.month, *k) for k in previous.protected.primary}
        values = {(month, *k): v for k, v in series.counts[month].items()}
        protected = protect(
            values, relations, rules, context=context, context_primary=context_primary
        )
        protected = Protected(
            {k[1:]: v for k, v in protected.published.items()},
            {k[1:] for k in protected.primary},
            {k[1:] for k in protected.secondary},
        )
        figures: dict[tuple, int | Decimal | None] = dict(protected.published)
        status = {k: SUPPRESSED if v is None else PUBLISHED for k, v in figures.items()}
        for cell, amount in series.money.get(month, {}).items():
            row, key, part, period = cell
            follows = measures[key].follows
            hidden = follows and protected.published.get((row, follows, "", period), 0) is None
            figures[cell] = None if hidden else amount
            status[cell] = WITHHELD if hidden else PUBLISHED
        found.append(Published(month, figures, status, protected))
    return found
