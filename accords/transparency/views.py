"""The public statistics page and its CSV: open to everyone, signed in or not."""

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from accords.transparency import selectors

# A spreadsheet runs a cell that starts like a formula; a published name never should.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _threshold(publication) -> int:
    found = [r["parameters"].get("threshold") for r in publication.rules]
    return next((t for t in found if t), 0)


def statistics(request):
    publication = selectors.publication_latest()
    context = {"publication": publication}
    if publication is not None:
        sections, columns = selectors.statistics_page(publication, _threshold(publication))
        context |= {"sections": sections, "columns": columns,
                    "threshold": _threshold(publication)}  # fmt: skip
    return render(request, "transparency/statistics.html", context)


def _safe(value):
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else value


def statistics_csv(request):
    publication = selectors.publication_latest()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = (
        f"accords-statistics-{publication.as_of}.csv" if publication else "accords-statistics.csv"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    if publication is None:
        return response
    columns = selectors.csv_columns(publication)
    writer = csv.DictWriter(response, fieldnames=columns)
    writer.writeheader()
    for row in selectors.csv_rows(publication):
        writer.writerow({k: _safe(v) for k, v in row.items()})
    return response


urlpatterns = [
    path("statistics/", statistics, name="statistics"),
    path("statistics/statistics.csv", statistics_csv, name="statistics_csv"),
]
