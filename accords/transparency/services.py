"""Publishing the public statistics: the one write of this app."""

import time

from django.utils import timezone

from accords.core.actions import action
from accords.registry.models import Agreement
from accords.transparency.measures import MEASURES
from accords.transparency.models import Publication
from accords.transparency.rules import protection_rules, rules_in_force
from accords.transparency.tables import ALL, series_build, tables_publish


def _measures() -> list[dict]:
    return [{"key": m.key, "label": m.label, "unit": m.unit, "parts": m.parts, "total": m.total,
             "follows": m.follows} for m in MEASURES.values()]  # fmt: skip


def _agreements(keys: list[str]) -> list[dict]:
    found = Agreement.objects.filter(key__in=keys).select_related(
        "sending_state", "receiving_state"
    )
    return [
        {"key": a.key, "name": a.name,
         "departure_country": a.sending_state_id, "departure_country_name": a.sending_state.name,
         "receiving_country": a.receiving_state_id,
         "receiving_country_name": a.receiving_state.name}
        for a in sorted(found, key=lambda a: a.name)
    ]  # fmt: skip


def _plain(value):
    return value if value is None or isinstance(value, int) else str(value)


@action("statistics.publish")
def statistics_publish(*, actor) -> Publication:
    """Count every measure up to today, protect the counts of people month by month under
    the disclosure rules in force today, and keep the published tables (only them)."""
    started = time.perf_counter()
    today = timezone.localdate()
    frames = {key: m.compute() for key, m in MEASURES.items()}
    series = series_build(frames, MEASURES, today)
    tables = tables_publish(series, MEASURES, protection_rules(today))
    rows = []
    for table in tables:
        month = table.month.strftime("%Y-%m")
        for (row, key, part, period), value in sorted(table.figures.items()):
            rows.append({"month": month, "agreement": row, "measure": key, "part": part,
                         "period": period, "value": _plain(value),
                         "status": table.status[row, key, part, period]})  # fmt: skip
    summary = {
        "months": len(tables),
        "cells": len(rows),
        "suppressed_small": sum(len(t.protected.primary) for t in tables),
        "suppressed_to_protect": sum(len(t.protected.secondary) for t in tables),
        "seconds": round(time.perf_counter() - started, 3),
    }
    return Publication.objects.create(
        as_of=today, rules=rules_in_force(today), measures=_measures(),
        agreements=_agreements([a for a in series.agreements if a != ALL]), rows=rows,
        summary=summary,
    )  # fmt: skip
