"""The column engine and the plain reference evaluator agree on random cases and dates."""

from datetime import date, datetime, time, timedelta

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from accords.law.columns import (
    RECEIVING_COLUMNS,
    AgreementTerms,
    Assurances,
    ForcePeriod,
    cases_frame,
)
from accords.law.evaluate import Assessor, assess, decide, evaluate, gate_lists
from accords.law.tests.reference import reference_decision, reference_outcomes

COUNTRIES = ["RW", "SV", "GT", "HN", "VE", "MX", "SS"]
BASES = [None, "INA240", "INA241a5", "INA238b", "expedited"]

some_dates = st.dates(date(2024, 6, 1), date(2027, 3, 1))
some_instants = st.datetimes(datetime(2024, 6, 1), datetime(2027, 3, 1))
countries = st.lists(st.sampled_from(COUNTRIES), max_size=3)


def maybe(strategy):
    return st.none() | strategy


stays = st.lists(
    st.fixed_dictionaries(
        {"granted_by": st.sampled_from(["IJ", "BIA", "court"]), "from": maybe(some_dates)},
        optional={"until": maybe(some_dates), "country": maybe(st.sampled_from(COUNTRIES))},
    ),
    max_size=2,
)
requests = st.lists(
    st.fixed_dictionaries(
        {
            "country": st.sampled_from(COUNTRIES),
            "asked_on": maybe(some_dates),
            "answer": st.sampled_from(["accepted", "refused", "no_answer", "unclear"]),
        }
    ),
    max_size=4,
)

# each case field drawn from a small domain, so that the branches of every gate are reached
case_fields = {
    "nationalities": countries,
    "unaccompanied_minor": st.booleans(),
    "in_family_with_children": st.booleans(),
    "detained": st.booleans(),
    "has_counsel": st.booleans(),
    "order_basis": st.sampled_from(BASES),
    "order_date": maybe(some_dates),
    "order_final_on": maybe(some_dates),
    "order_in_absentia": st.booleans(),
    "order_designated_countries": countries,
    "appeal_pending": st.booleans(),
    "withholding_countries": countries,
    "cat_countries": countries,
    "stays": stays,
    "reopen_motion_filed_on": maybe(some_dates),
    "reopen_motion_stay_requested": st.booleans(),
    "reopen_motion_grounds": st.sampled_from(
        [None, "changed_country_conditions", "exceptional_circumstances", "other"]
    ),
    "review_petition_filed_on": maybe(some_dates),
    "review_petition_stay_requested": st.booleans(),
    "notice_served_at": maybe(some_instants),
    "notice_destination": maybe(st.sampled_from(COUNTRIES)),
    "notice_in_language_understood": st.booleans(),
    "notice_served_on_counsel": st.booleans(),
    "notice_exigent": st.booleans(),
    "notice_counsel_access": st.booleans(),
    "assured_credibly": st.booleans(),
    "assured_no_onward_removal": st.booleans(),
    "fear_stated": st.booleans(),
    "fear_country": maybe(st.sampled_from(COUNTRIES)),
    "fear_referred_on": maybe(some_dates),
    "fear_interview_noticed_at": maybe(some_instants),
    "fear_screened_on": maybe(some_dates),
    "fear_outcome": st.sampled_from([None, "positive", "negative", "pending", "none"]),
    "protection_proceedings_ended": st.booleans(),
    "accepted_on": maybe(some_dates),
    "acceptance_declined": st.booleans(),
    "country_requests": requests,
    "convictions": st.lists(st.sampled_from(["child_sex_offence", "violent", "drugs"]), max_size=2),
    "pending_charges": st.booleans(),
    "ever_charged": st.booleans(),
    "serving_sentence": st.booleans(),
    "asylum_claim_on": maybe(st.dates(date(2021, 6, 1), date(2024, 6, 1))),
    "asylum_refused_on": maybe(st.dates(date(2022, 1, 1), date(2025, 1, 1))),
    "inadmissible_on": maybe(st.dates(date(2022, 1, 1), date(2025, 1, 1))),
    "dangerous_journey": st.booleans(),
    "age_disputed": st.booleans(),
    "age_dispute_resolved_on": maybe(st.dates(date(2022, 1, 1), date(2025, 1, 1))),
    "intent_notice_served_on": maybe(st.dates(date(2022, 4, 1), date(2025, 1, 1))),
    "removal_directions_notified_at": maybe(
        st.datetimes(datetime(2022, 4, 1), datetime(2025, 1, 1))
    ),
    "rule39_in_force": st.booleans(),
    "rule39_disapplied_by_minister": st.booleans(),
    "compelling_claim_pending": st.booleans(),
}
cases = st.lists(st.fixed_dictionaries({}, optional=case_fields), min_size=1, max_size=12)

exclusions = st.frozensets(
    st.sampled_from(
        [
            "unaccompanied_minor",
            "family_with_children",
            "pending_case",
            "serving_sentence",
            "criminal_record",
            "conviction:child_sex_offence",
        ]
    )
)


@st.composite
def agreements(draw):
    regime = draw(st.sampled_from(["us", "uk"]))
    began = draw(st.dates(date(2022, 1, 1), date(2026, 6, 1)))
    ended = draw(maybe(st.dates(began + timedelta(days=1), date(2027, 6, 1))))
    assurances = draw(maybe(st.builds(Assurances, some_dates, st.booleans(), st.booleans())))
    return AgreementTerms(
        id="a",
        regime=regime,
        sending_state="US" if regime == "us" else "GB",
        receiving_state=draw(st.sampled_from(["RW", "SV", "GT"])),
        in_force=(ForcePeriod(began, ended),),
        excluded=draw(exclusions),
        allowed_nationalities=draw(maybe(st.frozensets(st.sampled_from(COUNTRIES), min_size=1))),
        bars_onward_refoulement=draw(st.booleans()),
        assurances=assurances,
    )


@st.composite
def moments(draw, agreement):
    # the brief's span for both regimes, and the UK partnership's own years for the UK
    start = date(2025, 1, 1) if agreement.regime == "us" else date(2022, 4, 1)
    day = draw(st.dates(start, date(2026, 12, 31)))
    at = draw(maybe(st.times()))
    return day if at is None else datetime.combine(day, at)


@st.composite
def screenings(draw):
    agreement = draw(agreements())
    return draw(cases), agreement, draw(moments(agreement))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(screenings())
def test_engine_agrees_with_the_reference_on_every_gate(screening):
    records, agreement, as_of = screening
    frame = cases_frame([{"case_id": f"c{i}", **r} for i, r in enumerate(records)])
    results = evaluate(frame, agreement, as_of)
    decisions = {row["case_id"]: row for row in decide(results).iter_rows(named=True)}
    by_case = {}
    for row in results.iter_rows(named=True):
        by_case.setdefault(row["case_id"], {})[row["gate"]] = (
            row["outcome"],
            row["earliest_clear"],
        )
    for case in frame.to_dicts():
        expected = reference_outcomes(case, agreement, as_of)
        assert by_case[case["case_id"]] == expected, case
        assert decisions[case["case_id"]]["decision"] == reference_decision(expected)


@settings(max_examples=50, deadline=None)
@given(screenings(), st.randoms(use_true_random=False))
def test_decide_does_not_depend_on_row_order(screening, random):
    records, agreement, as_of = screening
    frame = cases_frame([{"case_id": f"c{i}", **r} for i, r in enumerate(records)])
    results = evaluate(frame, agreement, as_of)
    order = list(range(results.height))
    random.shuffle(order)
    shuffled = results[order]
    assert_frame_equal(
        decide(results).sort("case_id"), decide(shuffled).sort("case_id"), check_row_order=True
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(screenings())
def test_the_bulk_path_decides_as_the_rows_do(screening):
    """`decide` on the evaluation's arrays (the bulk screen) and on its rows agree, and the
    rows not passed are exactly the rows whose outcome is not pass."""
    records, agreement, as_of = screening
    frame = cases_frame([{"case_id": f"c{i}", **r} for i, r in enumerate(records)])
    evaluation = assess(frame, agreement, as_of)
    rows = evaluation.rows()
    assert_frame_equal(decide(evaluation), decide(rows), check_row_order=True)
    named = gate_lists(decide(evaluation))
    for outcome, column in (("block", "blocked_by"), ("pending", "pending_on")):
        listed = {r["case_id"]: r[column] for r in named.iter_rows(named=True)}
        for case_id in listed:
            gates = rows.filter((pl.col("case_id") == case_id) & (pl.col("outcome") == outcome))
            assert listed[case_id] == gates["gate"].cast(pl.String).to_list()
    assert_frame_equal(
        evaluation.rows(passed=False).sort("case_id", "gate"),
        rows.filter(pl.col("outcome") != "pass").sort("case_id", "gate"),
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(screenings())
def test_the_running_clocks_are_the_pending_rows_with_a_day(screening):
    """`running` (read from the gates' shares, as counsel's deadlines are) holds exactly the
    rows pending with a day they could clear, as spelled out gate by gate."""
    records, agreement, as_of = screening
    frame = cases_frame([{"case_id": f"c{i}", **r} for i, r in enumerate(records)])
    evaluation = assess(frame, agreement, as_of)
    rows = evaluation.rows().filter(
        (pl.col("outcome") == "pending") & pl.col("earliest_clear").is_not_null()
    )
    as_text = [pl.col(c).cast(pl.String) for c in ("gate", "outcome", "reason", "citation",
                                                   "clears_by", "regime_version")]  # fmt: skip
    assert_frame_equal(
        evaluation.running().with_columns(as_text).sort("case_id", "gate"),
        rows.with_columns(as_text).sort("case_id", "gate"),
    )


def test_a_day_means_its_first_instant():
    agreement = AgreementTerms(
        id="a",
        regime="us",
        sending_state="US",
        receiving_state="RW",
        in_force=(ForcePeriod(date(2025, 1, 1)),),
    )
    frame = cases_frame([{"case_id": "c"}])
    as_day = evaluate(frame, agreement, date(2025, 8, 1))
    as_instant = evaluate(frame, agreement, datetime.combine(date(2025, 8, 1), time()))
    assert_frame_equal(as_day, as_instant)
    assert pl.Series(as_day["gate"]).n_unique() == as_day.height


@st.composite
def screenings_of_several(draw):
    """Cases under several agreements on one date: the facts that depend on the receiving
    state drawn for each state, the others once."""
    agreements_drawn = draw(st.lists(agreements(), min_size=2, max_size=5))
    day = draw(st.dates(date(2025, 1, 1), date(2026, 12, 31)))
    records = draw(cases)
    states = {a.receiving_state for a in agreements_drawn}
    by_state = st.fixed_dictionaries(
        {}, optional={k: v for k, v in case_fields.items() if k in RECEIVING_COLUMNS}
    )
    facts = {state: draw(st.lists(by_state, min_size=len(records), max_size=len(records)))
             for state in states}  # fmt: skip

    def columns_for(state):
        return cases_frame(
            [
                {
                    "case_id": f"c{i}",
                    **{k: v for k, v in r.items() if k not in RECEIVING_COLUMNS},
                    **facts[state][i],
                }  # fmt: skip
                for i, r in enumerate(records)
            ]
        )

    return columns_for, agreements_drawn, day


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(screenings_of_several())
def test_agreements_assessed_together_are_assessed_as_alone(screening):
    """What one Assessor shares between agreements changes no outcome: each agreement's rows
    and decisions are those of assessing it alone on its own state's columns."""
    columns_for, agreements_drawn, day = screening
    assessor = Assessor(columns_for, day)
    for agreement in agreements_drawn:
        together = assessor.assess(agreement)
        alone = assess(columns_for(agreement.receiving_state), agreement, day)
        assert_frame_equal(together.rows(), alone.rows())
        assert_frame_equal(decide(together), decide(alone))
