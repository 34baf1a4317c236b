"""The synthetic caseload: the same seed gives the same cases, every case file is valid, and
the mix holds the situations the safeguards engine must tell apart."""

from datetime import date

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accords.cases.casefile import case_file_problems
from accords.cases.facts import engine_columns, facts_from_case_file
from accords.demo.caseload import CHUNK, case_files, caseload_chunks
from accords.demo.origins import DESTINATIONS

COUNSEL = frozenset({"counsel", "counsel.two"})
AS_OF = date(2025, 10, 1)


@pytest.fixture(scope="module")
def caseload() -> dict[str, pl.DataFrame]:
    """Twenty thousand cases of seed 2026, as the generator's tables."""
    chunks = list(caseload_chunks(20_000, 2026))
    return {name: pl.concat([chunk[name] for chunk in chunks]) for name in chunks[0]}


def test_the_same_seed_gives_the_same_case_files_and_another_seed_other_ones():
    first = list(case_files(200, 5, counsel=sorted(COUNSEL)))
    assert first == list(case_files(200, 5, counsel=sorted(COUNSEL)))
    assert first != list(case_files(200, 6, counsel=sorted(COUNSEL)))


def test_a_smaller_caseload_is_the_start_of_a_larger_one_across_chunks():
    small = list(case_files(CHUNK + 40, 9))
    assert small == list(case_files(CHUNK + 300, 9))[: CHUNK + 40]


def test_every_generated_case_file_is_valid_and_numbered_once():
    docs = list(case_files(2000, 2026, counsel=sorted(COUNSEL)))
    problems = [p for doc in docs for p in case_file_problems(doc, counsel=COUNSEL)]
    assert problems == []
    assert len({doc["case_number"] for doc in docs}) == 2000
    assert {doc["person"]["counsel"] for doc in docs} == {None, *COUNSEL}


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), n=st.integers(0, 40), more=st.integers(1, 40))
def test_any_seed_and_size_gives_valid_case_files_that_extend_consistently(seed, n, more):
    docs = list(case_files(n + more, seed, counsel=["counsel"]))
    assert len(docs) == n + more
    assert list(case_files(n, seed, counsel=["counsel"])) == docs[:n]
    for doc in docs:
        assert case_file_problems(doc, counsel=frozenset({"counsel"})) == []
        assert doc["case_number"].startswith(f"S{seed}-")


def test_families_travel_with_children_and_some_minors_are_alone(caseload):
    persons = caseload["persons"].with_columns(
        minor=pl.col("birth_date").dt.offset_by("18y") > AS_OF
    )
    families = persons.filter(pl.col("family").is_not_null()).group_by("family").agg(
        size=pl.len(), children=pl.col("minor").sum(), adults=(~pl.col("minor")).sum(),
        surnames=pl.col("family_name").n_unique(),
    )  # fmt: skip
    assert families["size"].max() == 6 and families["size"].min() >= 1
    with_children = families.filter(pl.col("children") > 0)
    assert with_children.height > 100
    assert with_children.filter(pl.col("adults") == 0).is_empty()
    alone = persons.filter(pl.col("unaccompanied_minor"))
    assert alone.height > 100
    assert alone["family"].null_count() == alone.height
    assert alone["minor"].mean() > 0.5  # some have turned 18 since


def test_nationalities_mix_with_dual_nationals_and_stateless_people(caseload):
    persons = caseload["persons"]
    held = persons["nationalities"].list.len()
    assert 0.005 < (held == 0).mean() < 0.02
    assert 0.02 < (held == 2).mean() < 0.1
    first = persons["nationalities"].list.first().value_counts(sort=True)
    assert first["nationalities"][0] == "MX"
    assert {"GT", "HN", "SV", "VE", "CU", "NI", "CO", "EC", "HT", "IN", "CN", "GH", "AF"} <= set(
        first["nationalities"].drop_nulls()
    )
    assert 0.35 < persons["counsel"].is_not_null().mean() < 0.45


def test_orders_are_mostly_final_in_every_way_the_law_knows(caseload):
    orders = caseload["removal_orders"]
    assert set(orders["basis"]) == {"INA240", "INA241a5", "INA238b", "expedited", "uk_removal"}
    assert set(orders["final_how"]) == {
        "", "bia_dismissed", "appeal_waived", "no_appeal", "in_absentia",
        "voluntary_departure_overstayed",
    }  # fmt: skip
    assert 0.03 < orders["final_on"].null_count() / orders.height < 0.1
    assert orders.filter(pl.col("appeal_pending"))["final_on"].null_count() > 0
    assert (orders["in_absentia"] == (orders["final_how"] == "in_absentia")).all()


def test_protections_name_the_persons_own_country(caseload):
    protected = caseload["protections"].join(caseload["persons"], on="case")
    assert 0.06 < protected.height / caseload["persons"].height < 0.12
    own = protected.select(
        pl.col("nationalities").list.contains(pl.col("country"))
        | (pl.col("country") == pl.col("country_of_birth"))
    ).to_series()
    assert own.all()
    assert set(protected["kind"]) == {"withholding", "cat_withholding", "cat_deferral"}


def test_charges_that_ended_without_a_conviction_are_never_recorded_as_convictions(caseload):
    history = caseload["criminal_history"]
    outcomes = history.group_by("kind", "charge_outcome").len()
    assert set(outcomes.select("kind", "charge_outcome").iter_rows()) == {
        ("conviction", ""), ("charge", "dismissed"), ("charge", "withdrawn"),
        ("charge", "acquitted"), ("charge", "pending"),
    }  # fmt: skip
    doc = next(
        doc
        for doc in case_files(2000, 2026)
        if [r["charge_outcome"] for r in doc.get("criminal_history", [])] == ["dismissed"]
    )
    columns = engine_columns(facts_from_case_file(doc), receiving="RW", as_of=AS_OF)
    assert columns["convictions"].to_list() == [[]]
    assert columns["pending_charges"].to_list() == [False]


def test_proceedings_stays_notices_and_answers_cover_each_situation(caseload):
    proceedings, stays = caseload["proceedings"], caseload["stays"]
    assert set(proceedings["kind"]) == {"appeal", "motion_to_reopen", "petition_for_review",
                                        "habeas"}  # fmt: skip
    asked = proceedings.filter(pl.col("stay_requested"))
    assert set(asked["kind"]) >= {"motion_to_reopen", "petition_for_review"}
    assert stays["valid_until"].null_count() > 0  # open-ended
    assert stays.filter(pl.col("valid_until") < AS_OF).height > 0  # expired
    assert stays.filter(pl.col("valid_from") > date(2025, 6, 1)).height > 0  # recent
    notices = caseload["notices"]
    assert set(notices["destination"]) == set(DESTINATIONS)
    assert 0.05 < (~notices["understood"]).mean() < 0.2
    assert (notices.filter(~pl.col("understood"))["interpreter_language"] == "").all()
    assert set(caseload["fear_claims"]["outcome"]) == {"pending", "positive", "negative"}
    assert set(caseload["acceptances"]["decision"]) == {"accepted", "declined"}
    assert set(caseload["country_requests"]["answer"]) == {"accepted", "refused", "no_answer"}
    served = notices["served_at"]
    assert served.min().year == 2025 and served.max().year == 2026


def test_a_small_share_are_uk_cases_with_claims_made_2022_to_2024(caseload):
    uk = caseload["uk"]
    assert 0.01 < uk.height / caseload["persons"].height < 0.06
    claims = uk["asylum_claim_on"]
    assert claims.min() >= date(2022, 1, 1) and claims.max() <= date(2024, 12, 31)
    assert uk["inadmissible_on"].null_count() < uk.height
    assert uk["intent_notice_served_on"].null_count() < uk.height
    assert uk["rule39_in_force"].any() and uk["age_disputed"].any()
    uk_orders = caseload["removal_orders"].filter(pl.col("basis") == "uk_removal")
    assert set(uk_orders["case"]) <= set(uk["case"])
