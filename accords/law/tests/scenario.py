"""Agreements and ready-to-go cases that the scenario tests change one fact at a time."""

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from accords.law.columns import AgreementTerms, Assurances, ForcePeriod
from accords.law.evaluate import explain

US_RWANDA = AgreementTerms(
    id="us-rw",
    regime="us",
    sending_state="US",
    receiving_state="RW",
    in_force=(ForcePeriod(date(2025, 3, 1)),),
    excluded=frozenset({"pending_case", "serving_sentence", "conviction:child_sex_offence"}),
    bars_onward_refoulement=True,
)
US_RWANDA_WITH_ASSURANCES = replace(
    US_RWANDA, assurances=Assurances(date(2025, 3, 1), credible=True, bars_onward_removal=True)
)
US_UGANDA = AgreementTerms(
    id="us-ug",
    regime="us",
    sending_state="US",
    receiving_state="UG",
    in_force=(ForcePeriod(date(2025, 8, 21)),),
    excluded=frozenset({"criminal_record", "unaccompanied_minor"}),
)
UK_RWANDA = AgreementTerms(
    id="uk-rw",
    regime="uk",
    sending_state="GB",
    receiving_state="RW",
    in_force=(ForcePeriod(date(2022, 4, 14), date(2024, 7, 6)),),
    excluded=frozenset({"unaccompanied_minor", "family_with_children"}),
)


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour))


def us_ready(on: date, **changes) -> dict:
    """A Salvadoran with a final order, whom El Salvador refused and Rwanda accepted by name,
    served notice naming Rwanda eleven days before `on`: every US gate passes on `on`."""
    case = {
        "case_id": "p1",
        "nationalities": ["SV"],
        "order_basis": "INA240",
        "order_date": date(2024, 1, 10),
        "order_final_on": date(2024, 2, 10),
        "order_designated_countries": ["SV"],
        "country_requests": [
            {"country": "SV", "asked_on": date(2025, 1, 2), "answer": "refused"},
        ],
        "accepted_on": date(2025, 3, 15),
        "has_counsel": True,
        "notice_served_at": at(on - timedelta(days=11)),
        "notice_destination": "RW",
        "notice_in_language_understood": True,
        "notice_served_on_counsel": True,
    }
    return {**case, **changes}


def uk_ready(on: date, **changes) -> dict:
    """An asylum claimant who crossed by small boat in 2022, declared inadmissible, served a
    notice of intent and removal directions well before `on`: every UK gate passes on `on`
    while the partnership stood and Rwanda counted as safe."""
    case = {
        "case_id": "p2",
        "nationalities": ["AF"],
        "asylum_claim_on": date(2022, 5, 1),
        "dangerous_journey": True,
        "inadmissible_on": date(2022, 6, 1),
        "intent_notice_served_on": on - timedelta(days=30),
        "removal_directions_notified_at": at(on - timedelta(days=10)),
    }
    return {**case, **changes}


def gate(case: dict, agreement: AgreementTerms, on: date | datetime, gate_id: str) -> dict:
    """One gate's row, through the single-case explanation (the bulk path on one row)."""
    return next(g for g in explain(case, agreement, on)["gates"] if g["gate"] == gate_id)


def decision(case: dict, agreement: AgreementTerms, on: date | datetime) -> str:
    return explain(case, agreement, on)["decision"]
