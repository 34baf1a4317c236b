"""The programme's own policy as a layer over the law: shown beside it, never merged into it."""

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from accords.law.evaluate import explain
from accords.law.policy import ProgrammePolicy, dated
from accords.law.tests.scenario import US_RWANDA, US_RWANDA_WITH_ASSURANCES, at, us_ready

CHOSEN = dict(chosen_by="sending.supervisor (Sending supervisor)", chosen_on=date(2026, 2, 27))
TEN_DAYS = dated([ProgrammePolicy(begins=date(2026, 3, 1), notice_days=10, **CHOSEN)])
WITH_POLICY = replace(US_RWANDA, policies=TEN_DAYS)
ON = date(2026, 3, 13)  # under the First Circuit's administrative stay: the ICE memo governs


def _gate(result, gate_id):
    return next(g for g in result["gates"] if g["gate"] == gate_id)


def served(days_before: float) -> dict:
    return us_ready(ON, notice_served_at=at(ON, 0) - timedelta(days=days_before))


def test_the_law_requires_24_hours_and_this_programme_gives_10_days():
    result = explain(served(2), WITH_POLICY, ON)
    law, programme = _gate(result, "us.notice"), _gate(result, "programme.notice")
    assert law["outcome"] == "pass"  # the law's gate says what the law requires
    assert "ICE memorandum of 2025-07-09" in law["citation"]
    assert law["programme"] == (
        "the law requires 24 hours' notice (6 if exigent); this programme gives 10 days' notice"
        " (programme policy chosen by sending.supervisor (Sending supervisor) on 2026-02-27)"
    )
    assert result["programme"] == [law["programme"]]
    assert programme["outcome"] == "pending"
    assert programme["reason"] == "this programme gives 10 days' notice; they are running"
    assert programme["citation"] == (
        "programme policy chosen by sending.supervisor (Sending supervisor) on 2026-02-27"
    )
    assert programme["earliest_clear"] == ON + timedelta(days=8)
    assert programme["rule"]["parameters"] == {"notice_days": 10}
    assert "not law" in programme["description"]
    # the decision waits for the programme; the law's verdict alone is kept beside it
    assert (result["decision"], result["law_decision"]) == ("pending", "cleared")
    assert result["earliest_clear"] == ON + timedelta(days=8)


def test_once_the_programmes_days_have_run_both_pass():
    result = explain(served(10), WITH_POLICY, ON)
    assert _gate(result, "programme.notice")["outcome"] == "pass"
    assert (result["decision"], result["law_decision"]) == ("cleared", "cleared")


def test_before_the_policy_begins_the_law_alone_decides():
    on = date(2026, 2, 20)
    result = explain(us_ready(on, notice_served_at=at(on, 0) - timedelta(days=2)), WITH_POLICY, on)
    programme = _gate(result, "programme.notice")
    assert programme["outcome"] == "pass" and programme["rule"] is None
    assert programme["reason"] == "no programme policy beyond the law on this date"
    assert _gate(result, "us.notice")["programme"] is None and result["programme"] == []
    assert result["decision"] == "cleared"


def test_a_later_version_returns_to_the_law_alone():
    policies = dated([*TEN_DAYS, ProgrammePolicy(begins=ON, notice_days=None, **CHOSEN)])
    result = explain(served(2), replace(US_RWANDA, policies=policies), ON)
    assert _gate(result, "programme.notice")["outcome"] == "pass"
    assert result["decision"] == "cleared"
    day_before = ON - timedelta(days=1)
    earlier = us_ready(day_before, notice_served_at=at(day_before, 0) - timedelta(days=2))
    assert explain(earlier, replace(US_RWANDA, policies=policies), day_before)["decision"] == (
        "pending"
    )


def test_where_the_law_requires_no_notice_the_programme_still_gives_its_own():
    agreement = replace(US_RWANDA_WITH_ASSURANCES, policies=TEN_DAYS)
    result = explain(us_ready(ON, notice_served_at=None), agreement, ON)
    assert _gate(result, "us.notice")["outcome"] == "pass"
    assert _gate(result, "us.notice")["programme"].startswith(
        "the law requires no notice (credible diplomatic assurances); this programme gives 10"
    )
    programme = _gate(result, "programme.notice")
    assert programme["outcome"] == "pending"
    assert programme["reason"] == "this programme gives 10 days' notice; none naming RW was served"
    assert "at least 10 days before departure" in programme["clears_by"]
    assert (result["decision"], result["law_decision"]) == ("pending", "cleared")


def test_an_agreement_without_a_policy_has_no_programme_gate():
    result = explain(served(2), US_RWANDA, ON)
    assert all(g["gate"] != "programme.notice" for g in result["gates"])
    assert result["decision"] == result["law_decision"] == "cleared"


@settings(max_examples=60, deadline=None)
@given(
    hours_before=st.integers(0, 24 * 40),
    notice_days=st.integers(1, 60),
    day=st.dates(date(2025, 1, 1), date(2027, 12, 31)),
    protected=st.booleans(),
)
def test_a_policy_never_changes_the_laws_verdict_and_never_clears_what_the_law_holds(
    hours_before, notice_days, day, protected
):
    case = us_ready(day, notice_served_at=at(day, 0) - timedelta(hours=hours_before))
    if protected:
        case["withholding_countries"] = ["RW"]
    policies = dated([ProgrammePolicy(begins=date(2025, 1, 1), notice_days=notice_days, **CHOSEN)])
    law_alone = explain(case, US_RWANDA, day)
    with_policy = explain(case, replace(US_RWANDA, policies=policies), day)
    assert with_policy["law_decision"] == law_alone["decision"]
    for gate in law_alone["gates"]:
        assert _gate(with_policy, gate["gate"])["outcome"] == gate["outcome"]
    if with_policy["decision"] == "cleared":
        assert law_alone["decision"] == "cleared"
        assert hours_before >= 24 * notice_days
    if law_alone["decision"] == "blocked":
        assert with_policy["decision"] == "blocked"
