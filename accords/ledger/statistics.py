"""The ledger's public measures: money committed and paid under each agreement, per month and
currency, exact. A payment may be per person (a fee, a stipend), so what was paid is withheld
wherever the month's departures are suppressed: dividing it by a known rate would give a small
count back."""

import polars as pl

from accords.ledger.selectors import ledger_totals_by_agreement_month
from accords.transparency.measures import MONEY, measure

_MONEY_SCHEMA = {"agreement": pl.String, "month": pl.Date, "currency": pl.String,
                 "value": pl.Decimal(scale=2)}  # fmt: skip


def _money(field: str) -> pl.DataFrame:
    rows = [(r["agreement"], r["month"], r["currency"], r[field])
            for r in ledger_totals_by_agreement_month() if r[field]]  # fmt: skip
    return pl.DataFrame(rows, schema=_MONEY_SCHEMA, orient="row")


@measure("money_committed", "Money committed", unit=MONEY)
def money_committed() -> pl.DataFrame:
    return _money("committed")


@measure("money_paid", "Money paid", unit=MONEY, follows="departures")
def money_paid() -> pl.DataFrame:
    return _money("paid")
