"""What each gate's rule kinds say, written as ordered branches over whole columns.

A gate's rule is a list of `Branch`es: the first whose condition holds decides the outcome for a
case, and the last has no condition (it is the "otherwise"). Conditions and dates are polars
expressions over the case columns of `columns.py`, so one rule runs on a million cases at once;
`evaluate.py` turns the branches into the result rows. Parameters come from the dated rule
version in the regime file; nothing here knows a date of the timeline.

Time: the transfer is considered at `moment` (the start of the `as_of` day unless a datetime is
given). A dated fact counts once its day has come. A window of N days from a dated fact runs
through the Nth day after it and clears the day after that; a window in hours from a timestamp
clears at its exact end, and its `earliest` day is the first day that starts after that end.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import polars as pl

from accords.law.columns import AgreementTerms
from accords.law.offences import offence_label
from accords.law.regime import RuleVersion

PASS, BLOCK, PENDING = "pass", "block", "pending"

c = pl.col


@dataclass(frozen=True)
class Branch:
    outcome: str
    reason: str
    when: pl.Expr | None = None  # None: the otherwise branch, always last
    clears_by: str = ""
    earliest: pl.Expr | None = None  # the day it clears by time alone, if it will


@dataclass(frozen=True)
class Context:
    agreement: AgreementTerms
    day: date
    moment: datetime

    @property
    def receiving(self) -> str:
        return self.agreement.receiving_state

    @property
    def credible_assurances(self) -> bool:
        a = self.agreement.assurances
        return a is not None and a.credible and a.given_on <= self.day


def days(n: int | pl.Expr) -> pl.Expr:
    """A span of days, to add to a timestamp."""
    return pl.duration(days=n)


def plus_days(day: pl.Expr, n: int | pl.Expr) -> pl.Expr:
    """A date n days later (as whole-day arithmetic, which is much cheaper than durations)."""
    return (day.cast(pl.Int32) + n).cast(pl.Date)


def on_record(column: str, ctx: Context) -> pl.Expr:
    """The dated fact exists and its day has come (null counts as not on record)."""
    return (c(column) <= ctx.day).fill_null(False)


def served_by(column: str, ctx: Context) -> pl.Expr:
    """The timestamped act happened at or before the moment considered."""
    return (c(column) <= ctx.moment).fill_null(False)


def clears_after(start: pl.Expr, n: int | pl.Expr) -> pl.Expr:
    """The day a window of n days from a dated fact has fully run."""
    return plus_days(start, n + 1)


_DAY = 86_400_000_000  # microseconds


def first_day_after(instant: pl.Expr) -> pl.Expr:
    """The first day starting at or after an instant (a timestamp in microseconds)."""
    micros = instant.cast(pl.Datetime("us")).cast(pl.Int64)
    return ((micros + (_DAY - 1)) // _DAY).cast(pl.Int32).cast(pl.Date)


def holds(column: str, country: str) -> pl.Expr:
    return c(column).list.contains(country)


# --- gates every regime shares -------------------------------------------------------------


def in_force(ctx: Context, version: RuleVersion) -> list[Branch]:
    periods = ctx.agreement.in_force
    if any(p.began <= ctx.day and (p.ended is None or ctx.day < p.ended) for p in periods):
        return [Branch(PASS, "the agreement is in force")]
    starts = [p.began for p in periods if p.began > ctx.day]
    if starts:
        return [
            Branch(
                PENDING,
                "the agreement is not yet in force",
                clears_by="the agreement enters into force",
                earliest=pl.lit(min(starts)),
            )
        ]
    return [
        Branch(
            BLOCK,
            "the agreement is not in force on this date",
            clears_by="the agreement is brought back into force",
        )
    ]


_EXCLUSIONS = {
    "unaccompanied_minor": (c("unaccompanied_minor"), "unaccompanied minors", ""),
    "family_with_children": (c("in_family_with_children"), "families with children", ""),
    "pending_case": (
        c("pending_charges"),
        "people with a pending criminal case",
        "the criminal case closes without a conviction",
    ),
    "serving_sentence": (
        c("serving_sentence"),
        "people serving a sentence",
        "the sentence is served",
    ),
    "criminal_record": (c("convictions").list.len() > 0, "people with a criminal record", ""),
    # "never charged with a crime" (Palau): a charge of any outcome, dismissed or acquitted too
    "criminal_charges": (c("ever_charged"), "people ever charged with a crime", ""),
}


def exclusions(ctx: Context, version: RuleVersion) -> list[Branch]:
    branches = []
    for category in sorted(ctx.agreement.excluded):
        if category.startswith("conviction:"):
            offence = category.removeprefix("conviction:")
            when = holds("convictions", offence)
            who, clears = f"people convicted of {offence_label(offence)}", ""
        else:
            when, who, clears = _EXCLUSIONS[category]
        clears = clears or "none: the person is outside this agreement"
        branches.append(Branch(BLOCK, f"the agreement excludes {who}", when, clears))
    return [*branches, Branch(PASS, "the person is in no category the agreement excludes")]


def nationality(ctx: Context, version: RuleVersion) -> list[Branch]:
    allowed = ctx.agreement.allowed_nationalities
    if allowed is None:
        return [Branch(PASS, "the agreement accepts any nationality")]
    holds_one = c("nationalities").list.set_intersection(pl.lit(sorted(allowed))).list.len() > 0
    return [
        Branch(
            BLOCK,
            f"the agreement accepts only nationals of {', '.join(sorted(allowed))}",
            ~holds_one,
            "none: the person is outside this agreement",
        ),
        Branch(PASS, "the person holds a nationality the agreement accepts"),
    ]


def not_own_nationality(ctx: Context, version: RuleVersion) -> list[Branch]:
    return [
        Branch(
            BLOCK,
            f"{ctx.receiving} is a country of the person's own nationality: that is a return,"
            " not a third-country transfer",
            holds("nationalities", ctx.receiving),
            "none: use the ordinary removal route to the country of nationality",
        ),
        Branch(PASS, f"the person is not a national of {ctx.receiving}"),
    ]


RuleFunction = Callable[[Context, RuleVersion], list[Branch]]


@dataclass(frozen=True)
class Derivation:
    """Plain columns a gate's branches read, derived first from list columns (`lists.py`).

    `common(cases, day, version)` sees only the columns that are the same for every receiving
    state, so its work is done once for all agreements on a day; `for_state(common, receiving)`,
    when given, turns that into one receiving state's columns. Without it, `common` returns the
    columns themselves.
    """

    common: Callable[[pl.DataFrame, date, RuleVersion], Any]
    for_state: Callable[[Any, str], pl.DataFrame] | None = None


SHARED_RULES: dict[str, RuleFunction] = {
    "agreement.in_force": in_force,
    "agreement.exclusions": exclusions,
    "agreement.nationality": nationality,
    "third_country": not_own_nationality,
}
