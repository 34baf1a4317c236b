"""The public statistics: nothing the demo's page publishes is a small or unrounded count,
money is exact, every gate has a family, and another app adds a measure with one function.
What each measure counts in a small programme is in test_statistics_programme.py."""

import io
import re
from datetime import date
from decimal import Decimal

import polars as pl
import pytest
from django.core.management import call_command
from django.utils import timezone

from accords.law.regime import REGIMES_DIR
from accords.transfers.tests import stages
from accords.transparency import measures
from accords.transparency.families import families, family_of_gates
from accords.transparency.measures import MEASURES, MONEY
from accords.transparency.models import Publication
from accords.transparency.protection import Rules, rounded
from accords.transparency.services import statistics_publish
from accords.transparency.tables import series_build

RULES = Rules(base=10, threshold=11)


def _published(publication: Publication) -> dict[tuple, int | None]:
    return {(date.fromisoformat(r["month"] + "-01"), r["agreement"], r["measure"], r["part"],
             r["period"]): r["value"] for r in publication.rows}  # fmt: skip


NUMBER = re.compile(r"^\d{1,3}(,\d{3})*$")


@pytest.mark.django_db
def test_the_demo_page_shows_no_count_below_11_and_none_unrounded(client):
    """Every figure on the page is a multiple of ten or a dash, and behind every figure
    shown lies a count of 0 or of 11 and more (a 10 on the page stands for 11 to 14)."""
    from accords.demo.transfers import demo_transfers_ensure

    stages.world_make()
    demo_transfers_ensure()
    call_command("statistics", "publish", stdout=io.StringIO())
    page = client.get("/statistics/").content.decode()
    cells = re.findall(r"<t[dh] class=\"(?:published|suppressed|withheld)\">([^<]*)</t[dh]>", page)
    titles = re.findall(r"<title>[^<]*: ([^<]*)</title>", page)
    assert cells and titles
    for text in cells + titles:
        if text not in ("–", "withheld", "suppressed"):
            assert NUMBER.match(text) and int(text.replace(",", "")) % 10 == 0, text
    frames = {key: m.compute() for key, m in MEASURES.items()}
    series = series_build(frames, MEASURES, timezone.localdate())
    shown = _published(Publication.objects.get())
    assert any(v is None for v in shown.values())
    for (month, *cell), value in shown.items():
        if MEASURES[cell[1]].unit == MONEY:  # public money, published exactly
            continue
        count = series.counts[month][tuple(cell)]
        if value is not None:
            assert count == 0 or count >= 11, (month, cell, count)
            assert value == rounded(count, 10)


@pytest.mark.django_db
def test_money_is_exact_and_withheld_only_where_it_would_reveal_a_suppressed_count(monkeypatch):
    """A lump sum paid is published to the cent; a fee per person sent, where the count of
    people sent is suppressed, is withheld (the fee would give the count back)."""
    month = timezone.localdate().replace(day=1)

    def frame(value, **columns):
        return lambda: pl.DataFrame({"agreement": ["us-rwanda"], "month": [month],
                                     **columns, "value": [value]})  # fmt: skip

    monkeypatch.setattr(measures, "MEASURES", {})
    monkeypatch.setattr("accords.transparency.services.MEASURES", measures.MEASURES)
    measures.measure("sent", "People sent")(frame(2))
    measures.measure("paid", "Money paid", unit=MONEY)(
        frame(Decimal("1234567.89"), currency=["USD"])
    )
    measures.measure("fees", "Fees per person sent", unit=MONEY, follows="sent")(
        frame(Decimal("12000.00"), currency=["USD"])
    )
    figures = _published(statistics_publish(actor=None))
    assert figures[month, "us-rwanda", "paid", "USD", "month"] == "1234567.89"
    assert figures[month, "*", "paid", "USD", "to_date"] == "1234567.89"
    assert figures[month, "us-rwanda", "sent", "", "month"] is None
    assert figures[month, "us-rwanda", "fees", "USD", "month"] is None
    assert figures[month, "*", "fees", "USD", "to_date"] is None


def test_every_gate_of_every_regime_has_a_family():
    gates = set()
    for path in REGIMES_DIR.glob("*.yaml"):
        gates |= set(re.findall(r"^  - id: (\S+)$", path.read_text(), re.M))
    assert len(gates) > 20
    grouped = {g for f in families() for g in f.get("gates", ())}
    assert gates <= grouped, gates - grouped
    assert family_of_gates(["us.notice", "us.no_stay"]) == "stay"
    assert family_of_gates(["a.gate.nobody.grouped"]) == "other"


def test_another_app_adds_a_measure_with_one_function(monkeypatch):
    monkeypatch.setattr(measures, "MEASURES", {})
    measures.measure("arrivals_stayed", "Arrivals who stayed")(lambda: None)
    assert list(measures.MEASURES) == ["arrivals_stayed"]
    assert measures.MEASURES["arrivals_stayed"].unit == "people"
