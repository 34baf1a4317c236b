"""The case column contract: typed frames from plain records, and checks on frames built elsewhere."""

from datetime import date, datetime

import polars as pl
import pytest

from accords.law.columns import (
    CASE_SCHEMA,
    AgreementTerms,
    ForcePeriod,
    cases_frame,
    conform_cases,
)


def test_missing_facts_become_their_defaults():
    frame = cases_frame([{"case_id": "c", "order_date": "2025-01-02"}])
    row = frame.row(0, named=True)
    assert frame.schema == pl.Schema(CASE_SCHEMA)
    assert row["order_date"] == date(2025, 1, 2)
    assert row["detained"] is False and row["fear_stated"] is False
    assert row["stays"] == [] and row["convictions"] == []
    assert row["accepted_on"] is None and row["notice_served_at"] is None


def test_dates_and_datetimes_inside_lists_of_records_are_read_from_iso_text():
    frame = cases_frame(
        [
            {
                "case_id": "c",
                "stays": [{"granted_by": "IJ", "from": "2025-05-01"}],
                "notice_served_at": "2025-07-20T10:00",
            }
        ]
    )
    row = frame.row(0, named=True)
    assert row["stays"] == [
        {"granted_by": "IJ", "from": date(2025, 5, 1), "until": None, "country": None}
    ]
    assert row["notice_served_at"] == datetime(2025, 7, 20, 10)


def test_an_unknown_column_is_an_error_naming_it():
    with pytest.raises(ValueError, match="unknown column\\(s\\) convicted"):
        cases_frame([{"case_id": "c", "convicted": True}])


def test_a_frame_from_the_database_is_completed_and_checked():
    frame = conform_cases(pl.DataFrame({"case_id": ["a"], "detained": [None]}))
    assert frame.schema == pl.Schema(CASE_SCHEMA)
    assert frame["detained"].to_list() == [False]
    with pytest.raises(ValueError, match="column detained is Int64, expected Boolean"):
        conform_cases(pl.DataFrame({"case_id": ["a"], "detained": [1]}))
    with pytest.raises(ValueError, match="case_id is required"):
        conform_cases(pl.DataFrame({"detained": [True]}))


def test_an_agreement_with_an_unknown_exclusion_is_refused():
    with pytest.raises(ValueError, match="unknown exclusion"):
        AgreementTerms(
            id="a",
            regime="us",
            sending_state="US",
            receiving_state="RW",
            in_force=(ForcePeriod(date(2025, 1, 1)),),
            excluded=frozenset({"criminal"}),
        )
