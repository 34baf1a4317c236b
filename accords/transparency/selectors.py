"""Reads of the public statistics. Everyone, signed in or not and in whatever role, sees the
same published tables: there is nothing in them to scope, since they hold only what the
disclosure rules let out (`models.Publication`)."""

from datetime import date
from decimal import Decimal

import pycountry

from accords.core.validation import USER_ASSIGNED_STATES
from accords.core.words import money
from accords.transparency.charts import monthly_chart
from accords.transparency.families import family_labels
from accords.transparency.measures import MONEY, UNKNOWN_CITIZENSHIP
from accords.transparency.models import Publication
from accords.transparency.tables import ALL, MONTH, PUBLISHED, SUPPRESSED, TO_DATE

ALL_LABEL = "All agreements"
STATUS_LABELS = {
    PUBLISHED: "published",
    SUPPRESSED: "suppressed",
    "withheld": "withheld: it would reveal a suppressed count",
}
PERIOD_LABELS = {MONTH: "in the month", TO_DATE: "to date"}


def publication_latest() -> Publication | None:
    return Publication.objects.first()


def country_name(code: str) -> str:
    if code == UNKNOWN_CITIZENSHIP:
        return "not on record"
    if code in USER_ASSIGNED_STATES:
        return USER_ASSIGNED_STATES[code]
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name if country else code


def part_column(measure: dict) -> str:
    """The column a measure's parts go in: each kind of breakdown has its own, so a
    citizenship is never read as a receiving country."""
    if measure["unit"] == MONEY:
        return "currency"
    return measure["parts"].replace(" ", "_")


def part_label(measure: dict, part: str) -> str:
    if measure["parts"] == "citizenship":
        return country_name(part)
    if measure["parts"] == "safeguard":
        return family_labels().get(part, part)
    return part


def figure_text(measure: dict, value, status: str, part: str = "") -> str:
    """A published figure as people read it: a count with its thousands, an amount in its
    currency, a dash for a suppressed count."""
    if status != PUBLISHED:
        return "–" if status == SUPPRESSED else "withheld"
    if measure["unit"] == MONEY:
        return money(Decimal(value), part)
    return f"{value:,}"


def csv_columns(publication: Publication) -> list[str]:
    parts = []
    for measure in publication.measures:
        column = part_column(measure) if measure["parts"] or measure["unit"] == MONEY else ""
        if column and column not in parts:
            parts.append(column)
    return ["month", "agreement", "agreement_name", "departure_country", "receiving_country",
            "measure", "measure_label", *parts, "period", "value", "status"]  # fmt: skip


def csv_rows(publication: Publication):
    """The published cells as the rows of the CSV and the API: removal-record fields each in
    its own column (departure country, receiving country, citizenship)."""
    measures = {m["key"]: m for m in publication.measures}
    agreements = {a["key"]: a for a in publication.agreements}
    columns = csv_columns(publication)
    for row in publication.rows:
        measure = measures[row["measure"]]
        agreement = agreements.get(row["agreement"], {})
        found = dict.fromkeys(columns, "")
        found.update(
            month=row["month"], agreement="" if row["agreement"] == ALL else row["agreement"],
            agreement_name=agreement.get("name", ALL_LABEL),
            departure_country=agreement.get("departure_country", ""),
            receiving_country=agreement.get("receiving_country", ""),
            measure=row["measure"], measure_label=measure["label"], period=row["period"],
            value="" if row["value"] is None else row["value"], status=row["status"],
        )  # fmt: skip
        if row["part"]:
            found[part_column(measure)] = row["part"]
        yield found


def _month_label(month: str) -> str:
    year, number = month.split("-")
    return date(int(year), int(number), 1).strftime("%B %Y")


def statistics_page(publication: Publication, threshold: int) -> tuple[list[dict], list[str]]:
    """One section per agreement (all agreements first): a chart of the months, a table of
    every measure per month and to date, and each breakdown to date and in the last month."""
    measures = {m["key"]: m for m in publication.measures}
    cells = {(r["agreement"], r["measure"], r["part"], r["period"], r["month"]):
             (r["value"], r["status"]) for r in publication.rows}  # fmt: skip
    months = sorted({r["month"] for r in publication.rows})
    plain = [m for m in publication.measures if not m["parts"] and m["unit"] != MONEY]
    money = [m for m in publication.measures if m["unit"] == MONEY]
    breakdowns = [m for m in publication.measures if m["parts"] and m["unit"] != MONEY]
    rows = [{"key": ALL, "name": ALL_LABEL, "route": ""}] + [
        {"key": a["key"], "name": a["name"],
         "route": f"from {a['departure_country_name']} to {a['receiving_country_name']}"}
        for a in publication.agreements
    ]  # fmt: skip

    def shown(agreement, measure, part, period, month):
        value, status = cells.get((agreement, measure["key"], part, period, month), (0, PUBLISHED))
        return {"text": figure_text(measure, value, status, part), "status": status}

    sections = []
    for row in rows:
        key = row["key"]
        counts = [m["key"] for m in plain]  # the chart draws people; money has its table
        figures = {(m, k): cells.get((key, k, "", MONTH, m), (0, PUBLISHED))[0]
                   for m in months for k in counts}  # fmt: skip
        chart = monthly_chart(months, figures, {k: measures[k]["label"] for k in counts}, threshold)
        table = [
            {"month": _month_label(m),
             "cells": [shown(key, x, "", MONTH, m) for x in plain]}
            for m in reversed(months)
        ]  # fmt: skip
        last = months[-1]
        to_date = [shown(key, x, "", TO_DATE, last) for x in plain]
        spent = [
            {"label": x["label"], "amounts": [
                shown(key, x, p, TO_DATE, last)["text"]
                for p in sorted({r["part"] for r in publication.rows if r["measure"] == x["key"]})
            ]}
            for x in money
        ]  # fmt: skip
        broken = []
        for x in breakdowns:
            parts = sorted({r["part"] for r in publication.rows if r["measure"] == x["key"]},
                           key=lambda p: part_label(x, p))  # fmt: skip
            broken.append({
                "label": x["label"], "parts": x["parts"],
                "rows": [{"part": part_label(x, p), "month": shown(key, x, p, MONTH, last),
                          "to_date": shown(key, x, p, TO_DATE, last)} for p in parts],
            })  # fmt: skip
        sections.append({**row, "chart": chart, "table": table, "to_date": to_date,
                         "money": spent, "breakdowns": broken,
                         "last_month": _month_label(last)})  # fmt: skip
    return sections, [m["label"] for m in plain]
