"""United States transfers as scenarios, on dates either side of each change in the law."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from accords.law.tests.scenario import (
    US_RWANDA,
    US_RWANDA_WITH_ASSURANCES,
    US_UGANDA,
    at,
    decision,
    gate,
    us_ready,
)


@pytest.mark.parametrize(
    "on",
    [date(2025, 3, 20), date(2025, 5, 1), date(2025, 6, 24), date(2025, 7, 10), date(2026, 1, 15)],
)
def test_a_case_that_meets_every_condition_is_cleared(on):
    assert decision(us_ready(on), US_RWANDA, on) == "cleared"


class TestTheFinalJudgmentAndItsStays:
    """D.V.D. v. DHS: the final judgment of 2026-02-25 stayed itself 15 days; the First Circuit's
    administrative stay (reported, 2026-03-10/11) and its stay pending appeal (2-1, about
    2026-03-17, unconfirmed) kept it from taking effect: the ICE memo of 2025-07-09 governs."""

    @staticmethod
    def served(on, hours_before):
        return us_ready(on, notice_served_at=at(on, 0) - timedelta(hours=hours_before))

    @pytest.mark.parametrize(
        ("on", "cited", "confidence"),
        [
            (date(2026, 3, 1), "stayed itself for 15 days", "reported"),
            (date(2026, 3, 13), "administrative stay", "reported"),
            (date(2026, 3, 20), "stay of the D.V.D. v. DHS final judgment pending appeal", "unconfirmed"),
            (date(2026, 12, 1), "pending appeal", "unconfirmed"),
        ],
    )  # fmt: skip
    def test_the_july_2025_memo_governs_with_the_stay_cited(self, on, cited, confidence):
        notice = gate(self.served(on, 25), US_RWANDA, on, "us.notice")
        assert notice["outcome"] == "pass"
        assert notice["rule"]["kind"] == "hours_before"
        assert notice["rule"]["parameters"]["hours"] == 24
        assert "ICE memorandum of 2025-07-09" in notice["citation"]
        assert cited in notice["citation"]
        assert notice["rule"]["confidence"] == confidence
        assert notice["unconfirmed"] is (confidence == "unconfirmed")

    def test_on_the_13th_of_march_a_case_gets_the_memo_procedure_not_the_judgments(self):
        on = date(2026, 3, 13)
        # 24 hours' notice, not the injunction's 10 days: served 30 hours ahead, it may go.
        assert decision(self.served(on, 30), US_RWANDA, on) == "cleared"
        twelve_hours = gate(self.served(on, 12), US_RWANDA, at(on), "us.notice")
        assert twelve_hours["outcome"] == "pending"
        assert twelve_hours["reason"] == "the 24-hour notice period is running"
        assert "administrative stay" in twelve_hours["citation"]
        # credible assurances: no notice at all, as the memo says
        unserved = us_ready(on, notice_served_at=None)
        assert gate(unserved, US_RWANDA_WITH_ASSURANCES, on, "us.notice")["outcome"] == "pass"
        # counsel need not be served under the memo (the injunction required it)
        no_counsel = {**self.served(on, 30), "notice_served_on_counsel": False}
        assert gate(no_counsel, US_RWANDA, on, "us.notice")["outcome"] == "pass"

    def test_the_day_before_the_judgment_the_same_memo_is_cited_alone(self):
        on = date(2026, 2, 24)
        notice = gate(self.served(on, 25), US_RWANDA, on, "us.notice")
        assert notice["citation"] == "ICE memorandum of 2025-07-09 on third-country removals"
        assert notice["rule"]["confidence"] == "official"


class TestCatProtectionForOwnCountryTransferToAThirdCountryWithoutNotice:
    """CAT protection from El Salvador; proposed for Rwanda; no notice of Rwanda served."""

    @staticmethod
    def protected(on, **changes):
        return us_ready(on, **{"cat_countries": ["SV"], "notice_served_at": None, **changes})

    def test_while_the_injunction_stood_the_notice_gate_waits_for_ten_days_notice(self):
        on = date(2025, 5, 1)
        case = self.protected(on)
        notice = gate(case, US_RWANDA_WITH_ASSURANCES, on, "us.notice")
        assert notice["outcome"] == "pending"
        assert notice["reason"] == "no written notice of the destination was served"
        assert "10 days to raise a fear claim" in notice["clears_by"]
        assert gate(case, US_RWANDA, on, "us.cat")["outcome"] == "pass"
        assert decision(case, US_RWANDA, on) == "pending"

    def test_notice_served_during_the_injunction_clears_ten_days_later(self):
        on = date(2025, 5, 1)
        case = self.protected(on, notice_served_at=at(date(2025, 4, 25)))
        notice = gate(case, US_RWANDA, on, "us.notice")
        assert (notice["outcome"], notice["earliest_clear"]) == ("pending", date(2025, 5, 6))
        assert gate(case, US_RWANDA, date(2025, 5, 6), "us.notice")["outcome"] == "pass"

    def test_after_the_supreme_court_stay_credible_assurances_need_no_notice(self):
        on = date(2025, 6, 24)
        case = self.protected(on)
        assert gate(case, US_RWANDA_WITH_ASSURANCES, on, "us.notice")["outcome"] == "pass"
        assert decision(case, US_RWANDA_WITH_ASSURANCES, on) == "cleared"

    def test_after_the_stay_without_assurances_notice_must_still_be_served(self):
        on = date(2025, 6, 24)
        assert gate(self.protected(on), US_RWANDA, on, "us.notice")["outcome"] == "pending"
        served = self.protected(on, notice_served_at=at(date(2025, 6, 23)))
        assert gate(served, US_RWANDA, on, "us.notice")["outcome"] == "pass"

    def test_from_the_ice_memo_without_assurances_notice_comes_24_hours_ahead(self):
        served = self.protected(date(2025, 7, 21), notice_served_at=at(date(2025, 7, 20), 10))
        notice = gate(served, US_RWANDA, date(2025, 7, 21), "us.notice")
        assert (notice["outcome"], notice["earliest_clear"]) == ("pending", date(2025, 7, 22))
        assert gate(served, US_RWANDA, at(date(2025, 7, 21), 10), "us.notice")["outcome"] == "pass"
        assert gate(served, US_RWANDA, date(2025, 7, 22), "us.notice")["outcome"] == "pass"

    def test_in_exigent_cases_with_access_to_counsel_six_hours_suffice(self):
        # ICE memo of 2025-07-09: 6 hours "in exigent circumstances" where the person has
        # access to counsel; counsel of record alone is not access during those hours.
        served = self.protected(
            date(2025, 7, 21), notice_served_at=at(date(2025, 7, 21), 1), notice_exigent=True,
            notice_counsel_access=True,
        )  # fmt: skip
        assert gate(served, US_RWANDA, at(date(2025, 7, 21), 8), "us.notice")["outcome"] == "pass"
        assert gate(served, US_RWANDA, at(date(2025, 7, 21), 6), "us.notice")["outcome"] == (
            "pending"
        )

    def test_in_exigent_cases_without_access_to_counsel_the_24_hours_stand(self):
        served = self.protected(
            date(2025, 7, 21), notice_served_at=at(date(2025, 7, 21), 1), notice_exigent=True,
            has_counsel=True, notice_counsel_access=False,
        )  # fmt: skip
        notice = gate(served, US_RWANDA, at(date(2025, 7, 21), 8), "us.notice")
        assert notice["outcome"] == "pending" and "24-hour" in notice["reason"]
        assert gate(served, US_RWANDA, at(date(2025, 7, 22), 1), "us.notice")["outcome"] == "pass"

    def test_protection_from_el_salvador_blocks_a_transfer_there_and_onward_risk_matters(self):
        on = date(2025, 7, 10)
        case = self.protected(on)
        salvador = replace(US_RWANDA, receiving_state="SV")
        assert gate(case, salvador, on, "us.cat")["outcome"] == "block"
        no_onward_bar = replace(US_RWANDA, bars_onward_refoulement=False)
        chain = gate(case, no_onward_bar, on, "us.no_chain_refoulement")
        assert chain["outcome"] == "block"


def test_a_notice_naming_another_country_or_in_a_language_not_understood_does_not_count():
    on = date(2025, 5, 1)
    other = us_ready(on, notice_destination="SS")
    assert gate(other, US_RWANDA, on, "us.notice")["reason"] == "the notice does not name RW"
    unread = us_ready(on, notice_in_language_understood=False)
    assert gate(unread, US_RWANDA, on, "us.notice")["outcome"] == "pending"
    no_counsel = us_ready(on, notice_served_on_counsel=False)
    assert "counsel" in gate(no_counsel, US_RWANDA, on, "us.notice")["reason"]


def test_before_the_restraining_order_no_notice_rule_applied():
    on = date(2025, 3, 20)
    case = us_ready(on, notice_served_at=None)
    assert gate(case, US_RWANDA, on, "us.notice")["outcome"] == "pass"
    assert gate(case, US_RWANDA, date(2025, 3, 28), "us.notice")["outcome"] == "pending"


def test_the_injunction_did_not_reach_expedited_orders():
    on = date(2025, 5, 1)
    expedited = us_ready(on, order_basis="expedited", notice_served_at=None)
    assert gate(expedited, US_RWANDA, on, "us.notice")["outcome"] == "pass"


def test_a_stay_granted_the_day_before_the_proposed_date_blocks_it():
    on = date(2025, 7, 15)
    stay = {"granted_by": "court of appeals", "from": on - timedelta(days=1)}
    case = us_ready(on, stays=[stay])
    no_stay = gate(case, US_RWANDA, on, "us.no_stay")
    assert (no_stay["outcome"], no_stay["earliest_clear"]) == ("block", None)
    assert decision(case, US_RWANDA, on) == "blocked"
    ending = us_ready(on, stays=[{**stay, "until": date(2025, 7, 20)}])
    assert gate(ending, US_RWANDA, on, "us.no_stay")["earliest_clear"] == date(2025, 7, 21)
    assert gate(ending, US_RWANDA, date(2025, 7, 21), "us.no_stay")["outcome"] == "pass"


def test_the_appeal_period_stays_removal_and_keeps_the_order_from_being_final():
    on = date(2025, 5, 1)
    fresh = us_ready(on, order_date=date(2025, 4, 20), order_final_on=None)
    final = gate(fresh, US_RWANDA, on, "us.final_order")
    assert (final["outcome"], final["earliest_clear"]) == ("pending", date(2025, 5, 21))
    assert gate(fresh, US_RWANDA, on, "us.no_stay")["outcome"] == "block"
    assert decision(fresh, US_RWANDA, date(2025, 5, 21)) == "cleared"
    appealed = us_ready(on, order_final_on=None, appeal_pending=True)
    assert gate(appealed, US_RWANDA, on, "us.final_order")["outcome"] == "pending"
    assert gate(appealed, US_RWANDA, on, "us.no_stay")["outcome"] == "block"
    assert gate(us_ready(on, order_basis=None), US_RWANDA, on, "us.final_order")["outcome"] == (
        "block"
    )


def test_a_charge_dismissed_years_ago_is_not_a_conviction():
    on = date(2025, 9, 1)
    dismissed_in_2019 = us_ready(on, convictions=[], pending_charges=False)
    exclusions = gate(dismissed_in_2019, US_UGANDA, on, "agreement.exclusions")
    assert exclusions["outcome"] == "pass"
    convicted = us_ready(on, convictions=["drugs"])
    assert gate(convicted, US_UGANDA, on, "agreement.exclusions")["outcome"] == "block"


def test_the_agreement_excludes_child_sex_offenders_and_open_criminal_cases():
    on = date(2025, 9, 1)
    offender = us_ready(on, convictions=["child_sex_offence"])
    row = gate(offender, US_RWANDA, on, "agreement.exclusions")
    assert (row["outcome"], row["reason"]) == (
        "block",
        "the agreement excludes people convicted of child sex offence",
    )
    charged = us_ready(on, pending_charges=True)
    assert gate(charged, US_RWANDA, on, "agreement.exclusions")["outcome"] == "block"


def test_an_unaccompanied_minor_under_an_agreement_excluding_them_is_blocked():
    on = date(2025, 9, 1)
    child = us_ready(on, unaccompanied_minor=True, birth_date=date(2010, 5, 1))
    assert gate(child, US_UGANDA, on, "agreement.exclusions")["outcome"] == "block"
    assert decision(child, US_UGANDA, on) == "blocked"


def test_a_transfer_to_the_persons_own_country_is_not_a_third_country_transfer():
    on = date(2025, 9, 1)
    rwandan = us_ready(on, nationalities=["RW", "BE"])
    row = gate(rwandan, US_RWANDA, on, "third_country")
    assert row["outcome"] == "block"
    assert "return, not a third-country transfer" in row["reason"]


def test_an_agreement_for_west_african_nationals_only():
    on = date(2025, 9, 15)
    ghana = replace(
        US_UGANDA,
        id="us-gh",
        receiving_state="GH",
        excluded=frozenset(),
        allowed_nationalities=frozenset({"NG", "SN", "GM", "TG"}),
    )
    salvadoran = gate(us_ready(on), ghana, on, "agreement.nationality")
    assert salvadoran["outcome"] == "block"
    nigerian = gate(us_ready(on, nationalities=["NG"]), ghana, on, "agreement.nationality")
    assert nigerian["outcome"] == "pass"


def test_the_agreement_must_be_in_force_on_the_day():
    before = date(2025, 8, 1)
    row = gate(us_ready(before), US_UGANDA, before, "agreement.in_force")
    assert (row["outcome"], row["earliest_clear"]) == ("pending", date(2025, 8, 21))


def test_the_statutory_country_sequence():
    on = date(2025, 5, 1)
    unasked = us_ready(on, country_requests=[])
    assert gate(unasked, US_RWANDA, on, "us.country_sequence")["outcome"] == "pending"
    asked = us_ready(
        on,
        country_requests=[{"country": "SV", "asked_on": date(2025, 4, 20), "answer": "no_answer"}],
    )
    awaiting = gate(asked, US_RWANDA, on, "us.country_sequence")
    assert (awaiting["outcome"], awaiting["earliest_clear"]) == ("pending", date(2025, 5, 21))
    assert gate(asked, US_RWANDA, date(2025, 5, 21), "us.country_sequence")["outcome"] == "pass"
    accepted = us_ready(
        on, country_requests=[{"country": "SV", "asked_on": date(2025, 4, 2), "answer": "accepted"}]
    )
    assert gate(accepted, US_RWANDA, on, "us.country_sequence")["outcome"] == "block"
    designated = us_ready(on, order_designated_countries=["SV", "RW"], country_requests=[])
    assert gate(designated, US_RWANDA, on, "us.country_sequence")["outcome"] == "pass"


def test_acceptance_by_name():
    on = date(2025, 5, 1)
    assert gate(us_ready(on, accepted_on=None), US_RWANDA, on, "us.receiving_acceptance")[
        "outcome"
    ] == ("pending")
    declined = us_ready(on, accepted_on=None, acceptance_declined=True)
    assert gate(declined, US_RWANDA, on, "us.receiving_acceptance")["outcome"] == "block"


def test_withholding_of_removal_to_the_receiving_state_blocks():
    on = date(2025, 5, 1)
    case = us_ready(on, withholding_countries=["RW"])
    assert gate(case, US_RWANDA, on, "us.withholding")["outcome"] == "block"


class TestFearOfTheReceivingState:
    @staticmethod
    def afraid(on, **changes):
        return us_ready(on, fear_stated=True, fear_country="RW", **changes)

    def test_before_the_litigation_a_stated_fear_waited_for_screening_whatever_the_assurances(
        self,
    ):
        on = date(2025, 3, 20)
        case = self.afraid(on)
        fear = gate(case, US_RWANDA_WITH_ASSURANCES, on, "us.fear_claim")
        assert (fear["outcome"], fear["reason"]) == (
            "pending",
            "the stated fear has not been referred for screening",
        )

    def test_a_positive_screening_blocks(self):
        on = date(2025, 8, 1)
        case = self.afraid(on, fear_outcome="positive", fear_screened_on=date(2025, 7, 30))
        assert gate(case, US_RWANDA, on, "us.fear_claim")["outcome"] == "block"

    def test_under_the_injunction_a_negative_finding_leaves_fifteen_days_to_move_to_reopen(self):
        on = date(2025, 5, 1)
        case = self.afraid(
            on,
            fear_referred_on=date(2025, 4, 20),
            fear_interview_noticed_at=at(date(2025, 4, 21)),
            fear_screened_on=date(2025, 4, 25),
            fear_outcome="negative",
        )
        fear = gate(case, US_RWANDA, on, "us.fear_claim")
        assert (fear["outcome"], fear["earliest_clear"]) == ("pending", date(2025, 5, 11))
        assert gate(case, US_RWANDA, date(2025, 5, 11), "us.fear_claim")["outcome"] == "pass"
        short = {**case, "fear_interview_noticed_at": at(date(2025, 4, 23))}
        assert "72 hours" in gate(short, US_RWANDA, date(2025, 6, 1), "us.fear_claim")["reason"]

    def test_under_the_guidance_a_volunteered_fear_waits_for_screening_unless_assured(self):
        on = date(2025, 7, 10)
        case = self.afraid(on, fear_referred_on=date(2025, 7, 9), fear_outcome="pending")
        assert gate(case, US_RWANDA, on, "us.fear_claim")["outcome"] == "pending"
        assured = gate(case, US_RWANDA_WITH_ASSURANCES, on, "us.fear_claim")
        assert assured["outcome"] == "pass"


def test_a_timely_motion_to_reopen_with_a_stay_request_blocks():
    on = date(2025, 5, 1)
    timely = us_ready(
        on,
        order_final_on=date(2025, 2, 10),
        reopen_motion_filed_on=date(2025, 4, 1),
        reopen_motion_stay_requested=True,
    )
    assert gate(timely, US_RWANDA, on, "us.reopen_window")["outcome"] == "block"
    late = {**timely, "order_final_on": date(2024, 2, 10)}
    assert gate(late, US_RWANDA, on, "us.reopen_window")["outcome"] == "pass"
    changed = {**late, "reopen_motion_grounds": "changed_country_conditions"}
    assert gate(changed, US_RWANDA, on, "us.reopen_window")["outcome"] == "block"
    no_stay_asked = {**timely, "reopen_motion_stay_requested": False}
    assert gate(no_stay_asked, US_RWANDA, on, "us.reopen_window")["outcome"] == "pass"


def test_a_petition_for_review_with_a_stay_motion_blocks():
    on = date(2025, 5, 1)
    petition = us_ready(
        on,
        order_final_on=date(2025, 4, 1),
        review_petition_filed_on=date(2025, 4, 15),
        review_petition_stay_requested=True,
    )
    assert gate(petition, US_RWANDA, on, "us.judicial_review")["outcome"] == "block"
    without_motion = {**petition, "review_petition_stay_requested": False}
    assert gate(without_motion, US_RWANDA, on, "us.judicial_review")["outcome"] == "pass"


def test_assurances_are_recorded_and_never_block():
    on = date(2025, 7, 10)
    row = gate(us_ready(on), US_RWANDA_WITH_ASSURANCES, on, "us.assurances")
    assert row["outcome"] == "pass"
    assert "found credible" in row["reason"]
    assert gate(us_ready(on), US_RWANDA, on, "us.assurances")["outcome"] == "pass"


class TestFearClaimAcrossTheTimeline:
    """us.fear_claim passes, blocks and waits on dates either side of each change."""

    afraid = staticmethod(TestFearOfTheReceivingState.afraid)

    @pytest.mark.parametrize(
        "on",
        [date(2025, 3, 20), date(2025, 5, 1), date(2025, 6, 30), date(2025, 7, 20),
         date(2026, 3, 20)],
    )  # fmt: skip
    def test_a_positive_finding_blocks_under_every_rule(self, on):
        case = self.afraid(
            on, fear_referred_on=on - timedelta(days=10),
            fear_interview_noticed_at=at(on - timedelta(days=9)),
            fear_screened_on=on - timedelta(days=5), fear_outcome="positive",
        )  # fmt: skip
        assert gate(case, US_RWANDA, on, "us.fear_claim")["outcome"] == "block"

    @pytest.mark.parametrize("on", [date(2025, 3, 20), date(2025, 6, 30), date(2025, 7, 20)])
    def test_under_screening_a_negative_finding_clears_at_once(self, on):
        case = self.afraid(on, fear_referred_on=on - timedelta(days=3),
                           fear_screened_on=on - timedelta(days=1), fear_outcome="negative")  # fmt: skip
        assert gate(case, US_RWANDA, on, "us.fear_claim")["outcome"] == "pass"

    def test_between_the_stay_and_the_ice_memo_a_referred_fear_waits_for_its_screening(self):
        on = date(2025, 6, 30)
        case = self.afraid(on, fear_referred_on=date(2025, 6, 29), fear_outcome="pending")
        assert gate(case, US_RWANDA, on, "us.fear_claim")["outcome"] == "pending"

    def test_under_the_stays_of_the_final_judgment_a_negative_screening_clears_at_once(self):
        on = date(2026, 3, 20)
        case = self.afraid(
            on, fear_referred_on=date(2026, 3, 13),
            fear_screened_on=date(2026, 3, 18), fear_outcome="negative",
        )  # fmt: skip
        fear = gate(case, US_RWANDA, on, "us.fear_claim")
        # Not the injunction's fifteen days to move to reopen: the memo's screening governs.
        assert fear["outcome"] == "pass"
        assert fear["rule"]["kind"] == "screening"
        assert "pending appeal" in fear["citation"]
        assert fear["unconfirmed"]
        on_the_13th = gate(case, US_RWANDA, date(2026, 3, 13), "us.fear_claim")
        assert "administrative stay" in on_the_13th["citation"]
        assert not on_the_13th["unconfirmed"]


class TestNoticeForExpeditedOrders:
    """The restraining order covered every final order; the injunction's class did not include
    expedited removal orders."""

    @staticmethod
    def expedited(on, **changes):
        return us_ready(on, **{"order_basis": "expedited", "notice_served_at": None, **changes})

    def test_under_the_restraining_order_an_expedited_order_needs_notice(self):
        on = date(2025, 4, 10)
        notice = gate(self.expedited(on), US_RWANDA, on, "us.notice")
        assert notice["outcome"] == "pending"
        served = self.expedited(on, notice_served_at=at(date(2025, 3, 29)),
                                notice_destination="RW", notice_in_language_understood=True,
                                notice_served_on_counsel=True)  # fmt: skip
        assert gate(served, US_RWANDA, on, "us.notice")["outcome"] == "pass"

    def test_under_the_injunction_an_expedited_order_is_outside_its_class(self):
        on = date(2025, 4, 25)
        notice = gate(self.expedited(on), US_RWANDA, on, "us.notice")
        assert notice["outcome"] == "pass" and "outside the class" in notice["reason"]

    def test_between_the_judgment_and_the_end_of_its_stay_the_ice_memo_still_applies(self):
        served = us_ready(date(2026, 3, 5), notice_served_at=at(date(2026, 3, 4), 10))
        early = gate(served, US_RWANDA, at(date(2026, 3, 5), 9), "us.notice")
        assert early["outcome"] == "pending"  # 23 hours after service: the memo's 24 not yet
        assert gate(served, US_RWANDA, at(date(2026, 3, 5), 11), "us.notice")["outcome"] == "pass"
