"""What the public statistics count: a registry of measures, each a function returning one
number per agreement and month (and, for a breakdown, per part).

A measure returns a polars frame with the columns `agreement` (its key), `month` (the first
day of the month) and `value`, plus `part` for a breakdown (a citizenship, a gate family).
The transfer measures are here; another app adds its own by defining, in its module
`statistics.py` (imported when the apps are ready), one function each:

    @measure("arrivals_stayed", "Arrivals who stayed")
    def arrivals_stayed() -> pl.DataFrame: ...

    @measure("money_paid", "Money paid", unit=MONEY)
    def money_paid() -> pl.DataFrame: ...   # with a `currency` column, `value` a Decimal

**Money is not people.** Counts of people are rounded and suppressed (`disclosure.yaml`).
Money under an agreement is public money, and its exact amount is what the public needs to
follow it: amounts are published exactly, in their currency, neither rounded nor suppressed.
Where an amount is paid per person (a fee per person transferred, a stipend), dividing it by
the rate would give the count back; such a measure names the count it `follows`, and its cell
is withheld wherever that count is suppressed.

Fields of removal records follow the public removal data people already use (ICE's removals
as published by the Deportation Data Project): departure date (here its month), citizenship,
departure country and receiving country. Citizenship is the person's first nationality on
record; the receiving country is the agreement's receiving state. They are two columns and
never one: a transfer is to a third country, not the person's own.
"""

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from accords.transfers.models import ManifestEntry, Referral
from accords.transparency.families import family_of_gates

PEOPLE, MONEY = "people", "money"
UNKNOWN_CITIZENSHIP = "unknown"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    compute: Callable[[], pl.DataFrame]
    unit: str = PEOPLE
    # A breakdown: what its parts are, and the measure they add up to.
    parts: str = ""
    total: str = ""
    # Money counted per person: the count whose suppression withholds it.
    follows: str = ""


MEASURES: dict[str, Measure] = {}


def measure(key: str, label: str, **options):
    """Register a measure under `key` (see the module's doc)."""

    def register(compute):
        MEASURES[key] = Measure(key, label, compute, **options)
        return compute

    return register


SCHEMA = {"agreement": pl.String, "month": pl.Date, "value": pl.Int64}


def _by_month(rows: list[tuple], *, part: bool = False) -> pl.DataFrame:
    """(agreement, moment or day[, part]) rows counted per agreement, month (and part)."""
    names = ["agreement", "when", *(["part"] if part else [])]
    frame = pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None)
    if frame.is_empty():
        return pl.DataFrame(schema={**SCHEMA, **({"part": pl.String} if part else {})})
    when = pl.col("when")
    if frame.schema["when"] != pl.Date:
        when = when.dt.replace_time_zone(None).dt.date()
    keys = ["agreement", "month", *(["part"] if part else [])]
    return (
        frame.with_columns(month=when.dt.truncate("1mo"))
        .group_by(keys)
        .agg(value=pl.len().cast(pl.Int64))
        .sort(keys)
    )


@measure("referrals", "Referrals")
def referrals() -> pl.DataFrame:
    return _by_month(list(Referral.objects.values_list("agreement__key", "referred_at")))


def _answers(decision: str) -> pl.DataFrame:
    answered = Referral.objects.filter(acceptance__decision=decision)
    return _by_month(list(answered.values_list("agreement__key", "acceptance__decided_on")))


@measure("acceptances", "Accepted by the receiving state")
def acceptances() -> pl.DataFrame:
    return _answers("accepted")


@measure("declines", "Declined by the receiving state")
def declines() -> pl.DataFrame:
    return _answers("declined")


def _departed():
    return ManifestEntry.objects.filter(departed_at__isnull=False)


@measure("departures", "Departures")
def departures() -> pl.DataFrame:
    return _by_month(list(_departed().values_list("referral__agreement__key", "departed_at")))


@measure("departures_by_citizenship", "Departures by citizenship", parts="citizenship",
         total="departures")  # fmt: skip
def departures_by_citizenship() -> pl.DataFrame:
    rows = _departed().values_list(
        "referral__agreement__key", "departed_at", "referral__person__nationalities"
    )
    return _by_month(
        [(key, at, (held or [UNKNOWN_CITIZENSHIP])[0]) for key, at, held in rows], part=True
    )


@measure("hand_overs", "Handed over to the receiving state")
def hand_overs() -> pl.DataFrame:
    handed = ManifestEntry.objects.filter(handed_over_at__isnull=False)
    return _by_month(list(handed.values_list("referral__agreement__key", "handed_over_at")))


def _taken_off() -> list[tuple]:
    """(agreement, departure moment, family) of each person taken off at a departure. A
    referral withdrawn before the flight left is not taken off by the departure."""
    entries = ManifestEntry.objects.filter(
        status=ManifestEntry.Status.REMOVED, manifest__departed_at__isnull=False
    ).values_list("referral__agreement__key", "manifest__departed_at", "removed_reason")
    found = []
    for key, at, reasons in entries:
        gates = [r["gate"] for r in reasons if isinstance(r, dict) and "gate" in r]
        if gates:
            found.append((key, at, family_of_gates(gates)))
    return found


@measure("taken_off", "Taken off at departure")
def taken_off() -> pl.DataFrame:
    return _by_month([row[:2] for row in _taken_off()])


@measure("taken_off_by_family", "Taken off at departure, by safeguard", parts="safeguard",
         total="taken_off")  # fmt: skip
def taken_off_by_family() -> pl.DataFrame:
    return _by_month(_taken_off(), part=True)
