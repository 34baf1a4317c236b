"""The engine never fails on a date the validation lets through: every dated fact anywhere in
the range some kind of date accepts (1900 to a stay's latest end), on any day the gates may be
run for, under every regime, one case explained and the same case screened in bulk. And the
case page shows a case whose facts sit at the edges of those ranges."""

from datetime import date, datetime, time

import polars as pl
import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accords.cases.services import case_import
from accords.cases.tests.conftest import case_doc
from accords.core import validation as kinds
from accords.law.columns import CASE_SCHEMA, cases_frame
from accords.law.evaluate import assess, decide, explain, gate_lists
from accords.law.tests.scenario import UK_RWANDA, US_RWANDA_WITH_ASSURANCES, US_UGANDA

AGREEMENTS = [US_RWANDA_WITH_ASSURANCES, US_UGANDA, UK_RWANDA]
FIRST, LAST = kinds.EARLIEST_DAY, kinds.latest_stay_end()

days = st.dates(FIRST, LAST)
moments = st.datetimes(datetime.combine(FIRST, time()), datetime.combine(LAST, time.max))
DATE_COLUMNS = [n for n, t in CASE_SCHEMA.items() if t == pl.Date]
MOMENT_COLUMNS = [n for n, t in CASE_SCHEMA.items() if isinstance(t, pl.Datetime)]


@st.composite
def extreme_cases(draw) -> dict:
    """A case whose every dated fact is anywhere in the accepted range, or absent."""
    case = {"case_id": "x", "nationalities": draw(st.sampled_from([[], ["SV"], ["RW"]]))}
    for column in DATE_COLUMNS:
        case[column] = draw(st.none() | days)
    for column in MOMENT_COLUMNS:
        case[column] = draw(st.none() | moments)
    case["stays"] = [
        {"granted_by": "BIA", "from": draw(days), "until": draw(st.none() | days)}
        for _ in range(draw(st.integers(0, 2)))
    ]
    case["country_requests"] = [{"country": "SV", "asked_on": draw(days), "answer": "refused"}]
    case["fear_stated"] = draw(st.booleans())
    case["notice_destination"] = draw(st.sampled_from(["RW", "UG"]))
    case["notice_in_language_understood"] = True
    return case


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=extreme_cases(),
    agreement=st.sampled_from(AGREEMENTS),
    on=st.dates(FIRST, kinds.latest_planned_day()) | st.sampled_from([FIRST, LAST]),
)
def test_no_accepted_date_makes_the_engine_fail(case, agreement, on):
    explained = explain(case, agreement, on)
    assert explained["decision"] in ("cleared", "pending", "blocked")
    days_shown = [explained["earliest_clear"], *(g["earliest_clear"] for g in explained["gates"])]
    assert all(day is None or isinstance(day, date) for day in days_shown)
    # The bulk screen, on the same case as a one-row frame, says the same.
    decisions = gate_lists(decide(assess(cases_frame([case]), agreement, on)))
    bulk = decisions.row(0, named=True)
    assert (bulk["decision"], bulk["earliest_clear"]) == (
        explained["decision"],
        explained["earliest_clear"],
    )


def _stay_gate(until: date) -> dict:
    stay = {"granted_by": "BIA", "from": date(2026, 1, 1), "until": until}
    explained = explain({"case_id": "x", "stays": [stay]}, US_UGANDA, date(2026, 1, 5))
    return next(g for g in explained["gates"] if g["gate"] == "us.no_stay")


def test_a_day_to_clear_past_the_last_day_a_date_can_name_reads_as_no_date():
    assert _stay_gate(date(2027, 1, 1))["earliest_clear"] == date(2027, 1, 2)
    endless = _stay_gate(date(9999, 12, 31))  # stored before the validation refused it
    assert endless["outcome"] == "block" and endless["earliest_clear"] is None


@pytest.mark.django_db
@pytest.mark.parametrize("on", [FIRST, "today", kinds.latest_planned_day()])
def test_the_case_page_shows_a_case_at_the_edges_of_every_range(reference_data, login, on):
    today = timezone.localdate().isoformat()
    doc = case_doc(
        "EDGE-1",
        person={"birth_date": FIRST.isoformat()},
        stays=[{"granted_by": "BIA", "valid_from": FIRST.isoformat(),
                "valid_until": LAST.isoformat()},
               {"granted_by": "IJ", "valid_from": today}],
        fear_claims=[{"country": "RW", "stated_on": today, "referred_on": today,
                      "interview_noticed_at": timezone.now().isoformat()}],
        proceedings=[{"kind": "motion_to_reopen", "filed_on": FIRST.isoformat()}],
    )  # fmt: skip
    case_import(actor=None, records=[(1, doc)], source="test")
    client = login("sending.officer")
    day = timezone.localdate() if on == "today" else on
    for agreement in ("us-rwanda", "uk-rwanda"):
        page = client.get(f"/cases/EDGE-1/?agreement={agreement}&on={day.isoformat()}")
        assert page.status_code == 200 and not page.context["form"].errors
