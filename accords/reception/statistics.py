"""Reception's public measures: what became of the people handed over, and the refoulement
alerts, counted per agreement and month (the statistics round and suppress them)."""

import polars as pl

from accords.reception.models import Outcome
from accords.reception.selectors.oversight import refoulement_alerts_by_agreement_month
from accords.transparency.measures import SCHEMA, _by_month, measure


def _standing() -> list[tuple]:
    """(agreement, day, outcome) of each outcome that stands: none corrected it since."""
    return list(
        Outcome.objects.filter(corrected_by__isnull=True).values_list(
            "arrival__agreement__key", "on", "kind"
        )
    )


@measure("outcomes", "Arrivals with an outcome recorded")
def outcomes() -> pl.DataFrame:
    return _by_month([(key, on) for key, on, _ in _standing()])


@measure("outcomes_by_kind", "Arrivals by outcome", parts="outcome", total="outcomes")
def outcomes_by_kind() -> pl.DataFrame:
    return _by_month([(key, on, str(Outcome.Kind(kind).label)) for key, on, kind in _standing()],
                     part=True)  # fmt: skip


@measure("refoulement_alerts", "People removed onward against a protection or the agreement")
def refoulement_alerts() -> pl.DataFrame:
    rows = refoulement_alerts_by_agreement_month()
    if not rows:
        return pl.DataFrame(schema=SCHEMA)
    return pl.DataFrame(
        [(r["agreement"], r["month"], r["people"]) for r in rows], schema=SCHEMA, orient="row"
    )
