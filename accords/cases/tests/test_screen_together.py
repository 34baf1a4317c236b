"""Screening every agreement in one pass (a few cases: the people a write touched) decides
exactly as screening them one by one (a whole caseload): `screen_frames(together=...)`."""

from datetime import date

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accords.cases.facts import TABLES, facts_from_case_file
from accords.cases.screening import agreements_in_force_with_terms, screen_frames
from accords.cases.tests.conftest import case_doc
from accords.cases.tests.test_facts import case_files
from accords.law.evaluate import decide_together

# Receiving states of agreements in force in 2025 and 2026, and one with none.
STATES = st.sampled_from(["RW", "SZ", "SV", "UG", "GH", "GQ", "CM", "HN", "GB"])


@st.composite
def caseloads(draw) -> dict[str, pl.DataFrame]:
    """A few synthetic people whose notices, answers and fear claims concern various states."""
    docs = draw(st.lists(case_files(), min_size=1, max_size=4))
    frames = {name: [] for name in TABLES}
    for number, doc in enumerate(docs, start=1):
        doc["case_number"] = f"P-{number}"
        for notice in doc["notices"]:
            notice["destination"] = draw(STATES)
        for answer in doc["acceptances"]:
            answer["receiving_state"] = draw(STATES)
        for claim in doc["fear_claims"]:
            claim["country"] = draw(STATES)
        for name, frame in facts_from_case_file(doc, person_id=number).items():
            frames[name].append(frame)
    return {name: pl.concat(parts, how="vertical_relaxed") for name, parts in frames.items()}


@pytest.mark.django_db
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(tables=caseloads(), on=st.dates(date(2025, 3, 1), date(2026, 11, 30)))
def test_every_agreement_at_once_decides_as_one_by_one(reference_data, tables, on):
    read = agreements_in_force_with_terms(on)
    agreements, terms = [a for a, _ in read], [t for _, t in read]
    assert len({t.receiving_state for t in terms}) > 1  # several states: the case that matters
    together = list(screen_frames(tables, agreements, on, terms=terms, together=True))
    apart = list(screen_frames(tables, agreements, on, terms=terms, together=False))
    for (agreement, evaluation, decisions), (same, alone, decided) in zip(
        together, apart, strict=True
    ):
        assert agreement == same
        assert decisions.equals(decided), agreement.key
        assert evaluation.rows().equals(alone.rows()), agreement.key


def test_a_day_with_no_agreement_in_force_screens_nothing():
    """A screening on a day no agreement is in force (`accords screen --as-of` an early day)
    decides nothing, in one pass or agreement by agreement."""
    tables = facts_from_case_file(case_doc())
    for together in (True, False):
        assert list(screen_frames(tables, [], date(2020, 1, 1), terms=[], together=together)) == []
    none = decide_together([])
    assert none.is_empty()
    assert none.columns == ["case_id", "decision", "blocked_by", "pending_on", "earliest_clear",
                            "regime_version"]  # fmt: skip
