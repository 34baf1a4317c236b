"""UK–Rwanda relocations as scenarios, on dates either side of each ruling and statute."""

from datetime import date, timedelta

import pytest

from accords.law.tests.scenario import UK_RWANDA, at, decision, gate, uk_ready


def test_before_the_supreme_court_ruling_a_ready_case_is_cleared():
    on = date(2023, 6, 1)
    assert gate(uk_ready(on), UK_RWANDA, on, "uk.safe_country")["outcome"] == "pass"
    assert decision(uk_ready(on), UK_RWANDA, on) == "cleared"


def test_between_the_ruling_and_the_act_rwanda_does_not_count_as_safe():
    on = date(2024, 1, 15)
    safe = gate(uk_ready(on), UK_RWANDA, on, "uk.safe_country")
    assert safe["outcome"] == "block"
    assert "UKSC 42" in safe["citation"]
    assert decision(uk_ready(on), UK_RWANDA, on) == "blocked"


def test_once_the_court_of_appeal_ruled_removal_stopped_until_the_act():
    on = date(2023, 7, 1)
    assert gate(uk_ready(on), UK_RWANDA, on, "uk.safe_country")["outcome"] == "block"


def test_from_the_safety_of_rwanda_act_rwanda_is_deemed_safe():
    on = date(2024, 5, 1)
    assert gate(uk_ready(on), UK_RWANDA, on, "uk.safe_country")["outcome"] == "pass"
    assert decision(uk_ready(on), UK_RWANDA, on) == "cleared"


def test_after_the_partnership_ended_no_transfer_clears():
    on = date(2024, 8, 1)
    in_force = gate(uk_ready(on), UK_RWANDA, on, "agreement.in_force")
    assert (in_force["outcome"], in_force["earliest_clear"]) == ("block", None)
    assert decision(uk_ready(on), UK_RWANDA, on) == "blocked"


@pytest.mark.parametrize(
    ("facts", "outcome"),
    [
        ({"unaccompanied_minor": True}, "block"),
        ({"in_family_with_children": True}, "block"),
        ({"asylum_claim_on": date(2021, 12, 1)}, "block"),
        ({"dangerous_journey": False}, "block"),
        ({"age_disputed": True}, "pending"),
        ({"age_disputed": True, "age_dispute_resolved_on": date(2023, 1, 5)}, "pass"),
        ({}, "pass"),
    ],
)
def test_who_is_within_the_scheme(facts, outcome):
    on = date(2023, 6, 1)
    assert gate(uk_ready(on, **facts), UK_RWANDA, on, "uk.scheme_eligible")["outcome"] == outcome


def test_failed_asylum_seekers_came_within_the_scheme_on_13_may_2024():
    refused = {"inadmissible_on": None, "asylum_refused_on": date(2023, 9, 1)}
    before, after = date(2024, 5, 10), date(2024, 5, 13)
    assert gate(uk_ready(before, **refused), UK_RWANDA, before, "uk.inadmissible")["outcome"] == (
        "pending"
    )
    assert gate(uk_ready(after, **refused), UK_RWANDA, after, "uk.inadmissible")["outcome"] == (
        "pass"
    )


def test_the_notice_of_intent_gives_seven_days_in_detention_and_fourteen_outside():
    on = date(2024, 5, 5)
    served = {"intent_notice_served_on": date(2024, 5, 1)}
    detained = gate(uk_ready(on, detained=True, **served), UK_RWANDA, on, "uk.notice_of_intent")
    assert (detained["outcome"], detained["earliest_clear"]) == ("pending", date(2024, 5, 9))
    free = gate(uk_ready(on, **served), UK_RWANDA, on, "uk.notice_of_intent")
    assert free["earliest_clear"] == date(2024, 5, 16)
    unserved = uk_ready(on, intent_notice_served_on=None)
    assert gate(unserved, UK_RWANDA, on, "uk.notice_of_intent")["outcome"] == "pending"


def test_removal_directions_give_72_hours_including_two_working_days_in_detention():
    monday = date(2024, 5, 13)
    case = uk_ready(monday, detained=True, removal_directions_notified_at=at(monday, 10))
    notice = gate(case, UK_RWANDA, monday + timedelta(days=2), "uk.removal_notice")
    assert (notice["outcome"], notice["earliest_clear"]) == ("pending", date(2024, 5, 17))
    assert gate(case, UK_RWANDA, at(date(2024, 5, 16), 11), "uk.removal_notice")["outcome"] == (
        "pass"
    )
    friday = date(2024, 5, 17)
    weekend = uk_ready(friday, detained=True, removal_directions_notified_at=at(friday, 9))
    # 72 hours end on Monday morning, but Monday and Tuesday are the two working days
    late = gate(weekend, UK_RWANDA, at(friday, 10), "uk.removal_notice")
    assert late["earliest_clear"] == date(2024, 5, 22)
    outside = uk_ready(monday, removal_directions_notified_at=at(monday, 10))
    assert gate(outside, UK_RWANDA, at(monday, 11), "uk.removal_notice")["earliest_clear"] == date(
        2024, 5, 21
    )


def test_a_rule_39_indication_binds_until_a_minister_may_decide_not_to_comply():
    indicated = {"rule39_in_force": True, "rule39_disapplied_by_minister": True}
    before, after = date(2024, 4, 1), date(2024, 5, 1)
    assert gate(uk_ready(before, **indicated), UK_RWANDA, before, "uk.rule39")["outcome"] == (
        "block"
    )
    assert gate(uk_ready(after, **indicated), UK_RWANDA, after, "uk.rule39")["outcome"] == "pass"
    complied = uk_ready(after, rule39_in_force=True)
    assert gate(complied, UK_RWANDA, after, "uk.rule39")["outcome"] == "block"


def test_a_pending_compelling_circumstances_claim_blocks_from_the_act():
    claim = {"compelling_claim_pending": True}
    before, after = date(2024, 4, 1), date(2024, 5, 1)
    assert gate(uk_ready(before, **claim), UK_RWANDA, before, "uk.compelling_circumstances")[
        "outcome"
    ] == ("pass")
    assert gate(uk_ready(after, **claim), UK_RWANDA, after, "uk.compelling_circumstances")[
        "outcome"
    ] == ("block")


def test_a_domestic_court_order_bars_removal_while_it_stands():
    on = date(2024, 5, 1)
    until_further_order = uk_ready(on, stays=[{"granted_by": "High Court", "from": on,
                                               "until": None}])  # fmt: skip
    barred = gate(until_further_order, UK_RWANDA, on, "uk.no_court_order")
    assert (barred["outcome"], barred["earliest_clear"]) == ("block", None)
    assert decision(until_further_order, UK_RWANDA, on) == "blocked"
    for_a_week = uk_ready(on, stays=[{"granted_by": "Upper Tribunal", "from": on,
                                      "until": on + timedelta(days=7)}])  # fmt: skip
    assert gate(for_a_week, UK_RWANDA, on, "uk.no_court_order")["earliest_clear"] == (
        on + timedelta(days=8)
    )
    assert (
        gate(for_a_week, UK_RWANDA, on + timedelta(days=8), "uk.no_court_order")["outcome"]
        == "pass"
    )
    assert gate(uk_ready(on), UK_RWANDA, on, "uk.no_court_order")["outcome"] == "pass"
