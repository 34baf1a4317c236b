"""A deliberately plain evaluator of one case at a time, to check the column engine against.

Every gate is written again here with ordinary `if`s over one case dict, from the same regime
files (the law as data) but sharing no rule code with `accords/law/us.py`, `uk.py` or
`lists.py`. It is slow and obvious on purpose; the property tests require that it and
`evaluate` agree on every gate of every case.
"""

from datetime import date, datetime, time, timedelta

import numpy as np

from accords.law.columns import AgreementTerms
from accords.law.regime import load_regime


def _ceil_day(instant: datetime) -> date:
    return instant.date() if instant.time() == time() else instant.date() + timedelta(days=1)


def _on_or_before(value: date | None, day: date) -> bool:
    return value is not None and value <= day


class Reference:
    def __init__(self, case: dict, agreement: AgreementTerms, as_of: date | datetime):
        self.case = case
        self.agreement = agreement
        self.moment = as_of if isinstance(as_of, datetime) else datetime.combine(as_of, time())
        self.day = self.moment.date()
        self.r = agreement.receiving_state

    def credible_assurances(self) -> bool:
        a = self.agreement.assurances
        return a is not None and a.credible and a.given_on <= self.day

    def outcomes(self) -> dict[str, tuple[str, date | None]]:
        results = {}
        for gate in load_regime(self.agreement.regime).gates:
            version = gate.version_on(self.day)
            if version is None:
                results[gate.id] = ("pending", None)
                continue
            method = getattr(self, gate.id.replace(".", "_"))
            results[gate.id] = method(version.kind, version.parameters)
        return results

    # --- shared ----------------------------------------------------------------------------

    def agreement_in_force(self, kind, p):
        for period in self.agreement.in_force:
            if period.began <= self.day and (period.ended is None or self.day < period.ended):
                return ("pass", None)
        later = [period.began for period in self.agreement.in_force if period.began > self.day]
        if later:
            return ("pending", min(later))
        return ("block", None)

    def agreement_exclusions(self, kind, p):
        k = self.case
        for category in self.agreement.excluded:
            if category == "unaccompanied_minor" and k["unaccompanied_minor"]:
                return ("block", None)
            if category == "family_with_children" and k["in_family_with_children"]:
                return ("block", None)
            if category == "pending_case" and k["pending_charges"]:
                return ("block", None)
            if category == "serving_sentence" and k["serving_sentence"]:
                return ("block", None)
            if category == "criminal_charges" and k["ever_charged"]:
                return ("block", None)
            if category == "criminal_record" and len(k["convictions"]) > 0:
                return ("block", None)
            if category.startswith("conviction:") and category[11:] in k["convictions"]:
                return ("block", None)
        return ("pass", None)

    def agreement_nationality(self, kind, p):
        allowed = self.agreement.allowed_nationalities
        if allowed is None:
            return ("pass", None)
        for nationality in self.case["nationalities"]:
            if nationality in allowed:
                return ("pass", None)
        return ("block", None)

    def third_country(self, kind, p):
        if self.r in self.case["nationalities"]:
            return ("block", None)
        return ("pass", None)

    # --- United States ---------------------------------------------------------------------

    def us_final_order(self, kind, p):
        k = self.case
        if k["order_basis"] is None:
            return ("block", None)
        if k["order_date"] is not None and k["order_date"] > self.day:
            return ("block", None)
        if _on_or_before(k["order_final_on"], self.day):
            return ("pass", None)
        if k["order_basis"] in p["final_when_entered"] or k["order_in_absentia"]:
            return ("pass", None)
        if k["appeal_pending"]:
            return ("pending", None)
        if k["order_date"] is None:
            return ("pending", None)
        final_from = k["order_date"] + timedelta(days=p["appeal_days"] + 1)
        if final_from > self.day:
            return ("pending", final_from)
        return ("pass", None)

    def _stays_in_force(self):
        """None when no stay is in force; else the outcome: blocked, until when if known."""
        in_force = []
        for stay in self.case["stays"]:
            if stay.get("country") not in (None, self.r):
                continue  # a stay of removal to another country only
            started = stay["from"] is None or stay["from"] <= self.day
            running = stay["until"] is None or stay["until"] >= self.day
            if started and running:
                in_force.append(stay)
        if not in_force:
            return None
        if any(stay["until"] is None for stay in in_force):
            return ("block", None)
        return ("block", max(stay["until"] for stay in in_force) + timedelta(days=1))

    def us_no_stay(self, kind, p):
        k = self.case
        stayed = self._stays_in_force()
        if stayed:
            return stayed
        if k["appeal_pending"]:
            return ("block", None)
        entered = _on_or_before(k["order_date"], self.day)
        if (
            entered
            and k["order_basis"] == "INA240"
            and not k["order_in_absentia"]
            and not _on_or_before(k["order_final_on"], self.day)
        ):
            appeal_ends = k["order_date"] + timedelta(days=p["appeal_days"] + 1)
            if appeal_ends > self.day:
                return ("block", appeal_ends)
        if entered and k["order_basis"] == "INA238b":
            waiting_ends = k["order_date"] + timedelta(days=p["administrative_order_days"] + 1)
            if waiting_ends > self.day:
                return ("block", waiting_ends)
        return ("pass", None)

    def us_country_sequence(self, kind, p):
        k = self.case
        if self.r in k["order_designated_countries"]:
            return ("pass", None)
        protected = set(k["withholding_countries"]) | set(k["cat_countries"])
        to_check = set(k["order_designated_countries"]) | set(k["nationalities"])
        to_check = to_check - {self.r} - protected
        latest = {}
        for request in k["country_requests"]:
            if request["country"] is None or not _on_or_before(request["asked_on"], self.day):
                continue
            current = latest.get(request["country"])
            if current is None or request["asked_on"] >= current["asked_on"]:
                latest[request["country"]] = request
        accepted, not_asked, awaiting = False, False, []
        for country in to_check:
            request = latest.get(country)
            if request is None:
                not_asked = True
                continue
            lapses = request["asked_on"] + timedelta(days=p["no_answer_days"] + 1)
            if request["answer"] == "accepted":
                accepted = True
            elif request["answer"] == "no_answer" and lapses > self.day:
                awaiting.append(lapses)
            elif request["answer"] not in ("refused", "no_answer"):
                not_asked = True
        if accepted:
            return ("block", None)
        if not_asked:
            return ("pending", None)
        if awaiting:
            return ("pending", max(awaiting))
        return ("pass", None)

    def us_receiving_acceptance(self, kind, p):
        if self.case["acceptance_declined"]:
            return ("block", None)
        if _on_or_before(self.case["accepted_on"], self.day):
            return ("pass", None)
        return ("pending", None)

    def us_withholding(self, kind, p):
        if self.r in self.case["withholding_countries"]:
            return ("block", None)
        return ("pass", None)

    def us_cat(self, kind, p):
        if self.r in self.case["cat_countries"]:
            return ("block", None)
        return ("pass", None)

    def us_no_chain_refoulement(self, kind, p):
        a = self.agreement
        if a.bars_onward_refoulement:
            return ("pass", None)
        if a.assurances and a.assurances.bars_onward_removal and a.assurances.given_on <= self.day:
            return ("pass", None)
        if self.case["assured_no_onward_removal"]:
            return ("pass", None)
        for country in self.case["withholding_countries"] + self.case["cat_countries"]:
            if country != self.r:
                return ("block", None)
        return ("pass", None)

    def us_notice(self, kind, p):
        k = self.case
        if kind == "none":
            return ("pass", None)
        if kind == "hours_before" and p["none_with_credible_assurances"]:
            if self.credible_assurances() or k["assured_credibly"]:
                return ("pass", None)
        if self.r in k["order_designated_countries"]:
            return ("pass", None)
        if kind == "days_to_claim_fear" and k["order_basis"] not in p["order_bases"]:
            return ("pass", None)
        served_at = k["notice_served_at"]
        if served_at is None or served_at > self.moment:
            return ("pending", None)
        if k["notice_destination"] != self.r:
            return ("pending", None)
        if p["language_required"] and not k["notice_in_language_understood"]:
            return ("pending", None)
        if p["counsel_required"] and k["has_counsel"] and not k["notice_served_on_counsel"]:
            return ("pending", None)
        if kind == "hours_before":
            hours = p["hours"]
            if k["notice_exigent"] and k["notice_counsel_access"]:
                hours = p["exigent_hours"]
            ends = served_at + timedelta(hours=hours)
        else:
            ends = served_at + timedelta(days=p["days"])
        if ends > self.moment:
            return ("pending", _ceil_day(ends))
        return ("pass", None)

    def us_fear_claim(self, kind, p):
        k = self.case
        if kind == "screening" and p["none_with_credible_assurances"]:
            if self.credible_assurances() or k["assured_credibly"]:
                return ("pass", None)
        if not k["fear_stated"]:
            return ("pass", None)
        if k["fear_country"] is not None and k["fear_country"] != self.r:
            return ("pass", None)
        if k["protection_proceedings_ended"]:
            return ("pass", None)
        screened_on = k["fear_screened_on"]
        if k["fear_outcome"] == "positive":
            if screened_on is None or screened_on <= self.day:
                return ("block", None)
        negative = k["fear_outcome"] == "negative" and _on_or_before(screened_on, self.day)
        if kind == "screening":
            if negative:
                return ("pass", None)
        else:
            if negative:
                noticed = k["fear_interview_noticed_at"]
                interview = datetime.combine(screened_on, time())
                hours = timedelta(hours=p["interview_notice_hours"])
                if noticed is None or noticed + hours > interview:
                    return ("pending", None)
                reopen_ends = screened_on + timedelta(days=p["reopen_days_after_negative"] + 1)
                if reopen_ends > self.day:
                    return ("pending", reopen_ends)
                return ("pass", None)
        return ("pending", None)

    def us_reopen_window(self, kind, p):
        k = self.case
        filed, final = k["reopen_motion_filed_on"], k["order_final_on"]
        if not _on_or_before(filed, self.day) or not k["reopen_motion_stay_requested"]:
            return ("pass", None)
        grounds = k["reopen_motion_grounds"]
        timely = final is None or grounds == "changed_country_conditions"
        if not timely and filed <= final + timedelta(days=p["days"]):
            timely = True
        if not timely and k["order_in_absentia"] and grounds == "exceptional_circumstances":
            timely = filed <= final + timedelta(days=p["in_absentia_days"])
        return ("block", None) if timely else ("pass", None)

    def us_judicial_review(self, kind, p):
        k = self.case
        filed, final = k["review_petition_filed_on"], k["order_final_on"]
        if not _on_or_before(filed, self.day) or not k["review_petition_stay_requested"]:
            return ("pass", None)
        if final is None or filed <= final + timedelta(days=p["filing_days"]):
            return ("block", None)
        return ("pass", None)

    def us_assurances(self, kind, p):
        return ("pass", None)

    # --- United Kingdom --------------------------------------------------------------------

    def uk_inadmissible(self, kind, p):
        if _on_or_before(self.case["inadmissible_on"], self.day):
            return ("pass", None)
        if p["refused_claims_included"] and _on_or_before(self.case["asylum_refused_on"], self.day):
            return ("pass", None)
        return ("pending", None)

    def uk_scheme_eligible(self, kind, p):
        k = self.case
        if k["age_disputed"] and not _on_or_before(k["age_dispute_resolved_on"], self.day):
            return ("pending", None)
        if k["unaccompanied_minor"] or k["in_family_with_children"]:
            return ("block", None)
        if not _on_or_before(k["asylum_claim_on"], self.day):
            return ("block", None)
        if k["asylum_claim_on"] < p["claims_from"] or not k["dangerous_journey"]:
            return ("block", None)
        return ("pass", None)

    def uk_notice_of_intent(self, kind, p):
        served = self.case["intent_notice_served_on"]
        if not _on_or_before(served, self.day):
            return ("pending", None)
        window = p["detained_days"] if self.case["detained"] else p["not_detained_days"]
        ends = served + timedelta(days=window + 1)
        if ends > self.day:
            return ("pending", ends)
        return ("pass", None)

    def uk_removal_notice(self, kind, p):
        notified = self.case["removal_directions_notified_at"]
        if notified is None or notified > self.moment:
            return ("pending", None)
        if self.case["detained"]:
            period_ends = notified + timedelta(hours=p["detained_hours"])
        else:
            period_ends = notified + timedelta(days=p["not_detained_days"])
        working_days_run = notified.date()
        if p["working_days"] > 0:
            counted, day = 0, notified.date()
            while counted < p["working_days"]:
                day += timedelta(days=1)
                if np.is_busday(day):
                    counted += 1
            working_days_run = day + timedelta(days=1)
        if period_ends > self.moment or working_days_run > self.day:
            return ("pending", max(_ceil_day(period_ends), working_days_run))
        return ("pass", None)

    def uk_rule39(self, kind, p):
        barred = self.case["rule39_in_force"]
        if kind == "minister_decides" and self.case["rule39_disapplied_by_minister"]:
            barred = False
        return ("block", None) if barred else ("pass", None)

    def uk_no_court_order(self, kind, p):
        return self._stays_in_force() or ("pass", None)

    def uk_safe_country(self, kind, p):
        return ("pass", None) if self.r in p["safe_states"] else ("block", None)

    def uk_compelling_circumstances(self, kind, p):
        if kind == "pending_claim_bars" and self.case["compelling_claim_pending"]:
            return ("block", None)
        return ("pass", None)


def reference_outcomes(
    case: dict, agreement: AgreementTerms, as_of: date | datetime
) -> dict[str, tuple[str, date | None]]:
    """Each gate's (outcome, earliest_clear) for one fully populated case record."""
    return Reference(case, agreement, as_of).outcomes()


def reference_decision(outcomes: dict[str, tuple[str, date | None]]) -> str:
    found = {outcome for outcome, _ in outcomes.values()}
    return "blocked" if "block" in found else "pending" if "pending" in found else "cleared"
