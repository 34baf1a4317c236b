"""The registry's update of December 2026 (design/AGREEMENTS.md, "Update, December 2026"), one
scenario per agreement and fact, from its source: what the agreement's page and the API show,
and what the engine decides where a term is a gate."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accords.cases.facts import engine_columns, facts_from_case_file
from accords.cases.screening import agreement_terms, agreements_in_force
from accords.cases.tests.conftest import case_doc
from accords.law.evaluate import explain
from accords.registry.models import Agreement, Credit, Term
from accords.registry.selectors import bars_onward_removal
from accords.registry.services import partial_date

pytestmark = pytest.mark.django_db

# Every fact of the update, with the source and confidence it is credited to.
UPDATE_FACTS = [
    ("us-cameroon", "status", ("in_force", "2026-01-14"), "press-cameroon-first-group-2026", "reported"),
    ("us-cameroon", "transfer", "2026-01-14", "press-cameroon-first-group-2026", "reported"),
    ("us-cameroon", "transfer", "2026-02-16", "press-cameroon-second-group-2026", "reported"),
    ("us-equatorial-guinea", "term", "money-lump-sum", "press-guardian-equatorial-guinea-2025", "reported"),
    ("us-equatorial-guinea", "term", "monitoring-onward-removals-despite-asylum", "eg-justice-onward-removals", "reported"),
    ("us-equatorial-guinea", "transfer", "2025-12", "eg-justice-onward-removals", "reported"),
    ("us-eswatini", "transfer", "2025-10", "press-eswatini-second-group-2025", "reported"),
    ("us-eswatini", "term", "service-held-pending-repatriation", "press-eswatini-second-group-2025", "reported"),
    ("us-ghana", "transfer", "2025-09-06", "press-modern-ghana-2025-09-19", "reported"),
    ("us-ghana", "transfer", "2025-09-06", "press-devdiscourse-ghana-2025-09-15", "reported"),
    ("us-ghana", "term", "service-detention-military-camp", "press-modern-ghana-2025-09-19", "reported"),
    ("us-ghana", "term", "monitoring-lawsuits", "press-devdiscourse-ghana-2025-09-15", "reported"),
    ("us-uganda", "status", ("signed", "2025-07-29"), "press-daily-monitor-uganda-2025-09-10", "reported"),
    ("us-uganda", "status", ("preliminary", "2025-08-21"), "press-uganda-agreement-2025", "reported"),
    ("us-uganda", "term", "only-approved-by-receiving-state", "press-daily-monitor-uganda-2025-09-10", "reported"),
    ("us-uganda", "term", "assurance-no-return-before-claim-decided", "press-daily-monitor-uganda-2025-09-10", "reported"),
    ("us-uganda", "term", "assurance-no-return-before-claim-decided", "press-reuters-guardian-uganda-2025", "reported"),
    ("us-uganda", "term", "excludes-unaccompanied-minors", "press-daily-monitor-uganda-2025-09-10", "reported"),
    ("us-uganda", "term", "duration-ended-in-writing", "press-daily-monitor-uganda-2025-09-10", "reported"),
    ("us-rwanda", "transfer", "2025-08", "press-rwanda-first-arrivals-2025", "reported"),
    ("us-rwanda", "term", "service-training", "press-rwanda-first-arrivals-2025", "reported"),
    ("us-rwanda", "term", "service-health", "press-rwanda-first-arrivals-2025", "reported"),
    ("us-kosovo", "status", ("in_force", "2025-12"), "press-reuters-kosovo-2025-12-12", "reported"),
    ("us-kosovo", "transfer", "2025-12", "press-reuters-kosovo-2025-12-12", "reported"),
    ("us-kosovo", "term", "service-onward-transport", "press-reuters-kosovo-2025-12-12", "reported"),
    ("us-palau", "status", ("signed", "2025-12-24"), "palau-us-statements-2025-12-24", "reported"),
    ("us-palau", "term", "capacity-total", "palau-us-statements-2025-12-24", "reported"),
    ("us-palau", "term", "money-grant", "palau-us-statements-2025-12-24", "reported"),
    ("us-palau", "term", "money-pension-system", "palau-us-statements-2025-12-24", "reported"),
    ("us-palau", "term", "money-policing", "palau-us-statements-2025-12-24", "reported"),
    ("us-palau", "term", "excludes-criminal-charges", "palau-us-statements-2025-12-24", "reported"),
    ("us-palau", "term", "only-approved-by-receiving-state", "palau-us-statements-2025-12-24", "reported"),
    ("us-paraguay", "status", ("signed", "2025-08-14"), "federal-register-us-paraguay-2025", "reported"),
    ("us-paraguay", "transfer", "2026-01-21", "third-country-deportation-watch-2026-01-21", "reported"),
    ("us-belize", "status", ("signed", "2025-10-20"), "press-latin-america-reports-belize-2025", "reported"),
    ("us-belize", "term", "duration-two-years", "press-latin-america-reports-belize-2025", "reported"),
    ("us-belize", "term", "only-approved-by-receiving-state", "press-latin-america-reports-belize-2025", "reported"),
    ("us-honduras", "status", ("preliminary", "2025-06-26"), "press-cbs-honduras-guatemala-2025", "unconfirmed"),
    ("us-honduras", "status", ("disputed", "2025-06-26"), "honduras-guatemala-denials-2025", "unconfirmed"),
    ("us-honduras", "term", "capacity-announced", "press-cbs-honduras-guatemala-2025", "unconfirmed"),
    ("us-guatemala", "status", ("preliminary", "2025-06-26"), "press-cbs-honduras-guatemala-2025", "unconfirmed"),
    ("us-guatemala", "status", ("disputed", "2025-06-26"), "honduras-guatemala-denials-2025", "unconfirmed"),
    ("nl-uganda", "status", ("preliminary", "2025-09-25"), "nl-government-uganda-return-hub-2025", "reported"),
    ("nl-uganda", "term", "service-onward-transport", "nl-government-uganda-return-hub-2025", "reported"),
    ("it-albania", "status", ("signed", "2023"), "cjeu-press-release-103-25", "official"),
    ("it-albania", "term", "service-detention-centres", "cjeu-press-release-103-25", "official"),
    ("it-albania", "term", "monitoring-cjeu-safe-countries", "cjeu-press-release-103-25", "official"),
    ("it-albania", "term", "monitoring-ag-opinion-detention", "curia-ag-opinion-c-414-25", "official"),
]  # fmt: skip


def _day(text: str) -> date:
    return partial_date(text, field="on")[0]


@pytest.mark.parametrize("fact", UPDATE_FACTS, ids=lambda f: f"{f[0]}:{f[1]}:{f[2]}:{f[3]}")
def test_every_fact_of_the_update_is_credited_to_its_source_with_its_confidence(
    reference_data, fact
):
    key, kind, which, source, confidence = fact
    credits = Credit.objects.filter(source__key=source, confidence=confidence)
    if kind == "term":
        lookup = {"term__agreement__key": key, "term__key": which}
    elif kind == "status":
        status, on = which
        lookup = {"status_change__agreement__key": key, "status_change__status": status,
                  "status_change__on": _day(on)}  # fmt: skip
    else:
        lookup = {"reported_transfer__agreement__key": key, "reported_transfer__on": _day(which)}
    assert credits.filter(**lookup).exists(), fact


def _api(client, key: str) -> dict:
    response = client.get(f"/api/agreements/{key}")
    assert response.status_code == 200
    return response.json()


def _page(client, key: str) -> str:
    response = client.get(f"/agreements/{key}/")
    assert response.status_code == 200
    return response.content.decode()


def _gates(doc: dict, key: str, on: date) -> dict[str, dict]:
    """Every gate for a case file under the shipped agreement, as the engine decides it."""
    terms = agreement_terms(Agreement.objects.get(key=key), on)
    case = engine_columns(facts_from_case_file(doc), receiving=terms.receiving_state, as_of=on)
    return {g["gate"]: g for g in explain(case.row(0, named=True), terms, on)["gates"]}


def _protected_from_home(receiving: str) -> dict:
    """A Honduran holding withholding of removal to Honduras, accepted by `receiving`."""
    return case_doc(
        protections=[{"kind": "withholding", "country": "HN", "granted_on": "2024-06-01"}],
        acceptances=[
            {"receiving_state": receiving, "decision": "accepted", "decided_on": "2025-07-01"}
        ],  # fmt: skip
    )


# --- Cameroon ------------------------------------------------------------------------------


def test_cameroon_has_no_public_agreement_but_transfers_from_january_2026(client, reference_data):
    cameroon = _api(client, "us-cameroon")
    assert (cameroon["status"], cameroon["arrangement"], cameroon["kind"]) == (
        "in_force", "third_country_removal", "not_reported",
    )  # fmt: skip
    assert cameroon["terms"] == []
    people = [(t["on"], t["people"]) for t in cameroon["reported_transfers"]]
    assert people == [("2026-01-14", 9), ("2026-02-16", 8)]
    assert "8 of them held US protection orders" in cameroon["reported_transfers"][0]["text"]
    page = _page(client, "us-cameroon")
    assert "No agreement has been made public" in page and "on arrival: not reported" in page


def test_under_cameroon_a_person_protected_from_home_is_blocked_as_nothing_bars_sending_on(
    reference_data,
):
    on = date(2026, 2, 1)
    gates = _gates(_protected_from_home("CM"), "us-cameroon", on)
    assert gates["agreement.in_force"]["outcome"] == "pass"
    assert gates["us.no_chain_refoulement"]["outcome"] == "block"
    assert bars_onward_removal(Agreement.objects.get(key="us-cameroon"), on) is None


# --- Equatorial Guinea, Eswatini, Ghana, Rwanda, Kosovo, Palau ---------------------------


def test_equatorial_guinea_paid_from_the_mra_fund_and_sent_people_onward(client, reference_data):
    terms = {t["key"]: t for t in _api(client, "us-equatorial-guinea")["terms"]}
    assert "Migration and Refugee Assistance" in terms["money-lump-sum"]["text"]
    assert terms["money-lump-sum"]["amount"] == "7500000.00"
    assert "despite asylum petitions" in terms["monitoring-onward-removals-despite-asylum"]["text"]
    assert "EG Justice" in _page(client, "us-equatorial-guinea")


def test_eswatini_holds_a_second_group_in_prison_pending_repatriation(client, reference_data):
    eswatini = _api(client, "us-eswatini")
    assert [t["people"] for t in eswatini["reported_transfers"]] == [5, 10]
    held = next(t for t in eswatini["terms"] if t["key"] == "service-held-pending-repatriation")
    assert "correctional service pending repatriation" in held["text"]
    assert "Jamaica" in held["text"] and "IOM" in held["text"]


def test_ghana_held_fourteen_at_a_military_camp_and_was_sued(client, reference_data):
    ghana = _api(client, "us-ghana")
    later = next(t for t in ghana["reported_transfers"] if t["on"] == "2025-09-06")
    assert "13 Nigerians and 1 Gambian" in later["text"]
    assert later["people"] is None, "the same 14 people: not counted twice"
    terms = {t["key"]: t for t in ghana["terms"]}
    assert terms["service-detention-military-camp"]["service"] == "detention"
    assert "US federal court" in terms["monitoring-lawsuits"]["text"]
    # The gate the agreement's nationality term sets is unchanged: a Nigerian passes.
    nigerian = case_doc(person={"nationalities": ["NG"], "country_of_birth": "NG"})
    assert _gates(nigerian, "us-ghana", date(2025, 9, 15))["agreement.nationality"]["outcome"] == (
        "pass"
    )


def test_rwanda_received_seven_in_august_2025_three_wishing_to_go_home(client, reference_data):
    august = next(
        t for t in _api(client, "us-rwanda")["reported_transfers"] if t["on"] == "2025-08-01"
    )
    assert august["people"] == 7 and "three wished to return" in august["text"]


@pytest.mark.parametrize(
    ("on", "outcome"), [(date(2025, 11, 15), "pending"), (date(2026, 1, 15), "pass")]
)
def test_kosovo_is_in_force_from_its_first_arrivals_in_december_2025(reference_data, on, outcome):
    assert _gates(case_doc(), "us-kosovo", on)["agreement.in_force"]["outcome"] == outcome
    kosovo = Agreement.objects.get(key="us-kosovo")
    assert (kosovo in agreements_in_force(on)) is (outcome == "pass")


def test_kosovo_gives_temporary_protection(client, reference_data):
    onward = next(t for t in _api(client, "us-kosovo")["terms"] if t["kind"] == "service")
    assert "temporary protection" in onward["text"]


def test_palau_memorandum_of_24_december_2025_and_its_three_payments(client, reference_data):
    palau = _api(client, "us-palau")
    assert {(s["status"], s["on"]) for s in palau["status_history"]} >= {("signed", "2025-12-24")}
    money = {t["key"]: t["amount"] for t in palau["terms"] if t["kind"] == "money"}
    assert money == {"money-grant": "7500000.00", "money-pension-system": "6000000.00",
                     "money-policing": "2000000.00"}  # fmt: skip
    capacity = next(t for t in palau["terms"] if t["kind"] == "capacity")
    assert capacity["quantity"] == 75


def test_palau_refuses_a_person_with_a_pending_charge(reference_data):
    # "Never charged with a crime" reaches the engine as its pending-case exclusion
    # (accords/cases/screening.py, _SAME_AS): a charge long dismissed is not seen.
    on = date(2026, 1, 10)
    charged = case_doc(criminal_history=[
        {"kind": "charge", "offence_category": "theft", "on": "2025-10-01",
         "charge_outcome": "pending"}])  # fmt: skip
    assert _gates(charged, "us-palau", on)["agreement.exclusions"]["outcome"] == "block"
    assert _gates(case_doc(), "us-palau", on)["agreement.exclusions"]["outcome"] == "pass"


# --- Uganda: two signing facts, an exclusion the engine reads, a bar on return -----------


def test_uganda_keeps_both_dates_reported_for_the_agreement(client, reference_data):
    history = [(s["status"], s["on"]) for s in _api(client, "us-uganda")["status_history"]]
    assert history == [("signed", "2025-07-29"), ("preliminary", "2025-08-21")]
    page = _page(client, "us-uganda")
    assert "July 29, 2025" in page and "Aug. 21, 2025" in page  # the page's language's dates
    assert "Daily Monitor (Uganda)" in page


def test_uganda_excludes_unaccompanied_minors_through_the_engine(reference_data):
    on = date(2025, 9, 15)
    child = case_doc(person={"unaccompanied_minor": True, "birth_date": "2010-05-01"})
    row = _gates(child, "us-uganda", on)["agreement.exclusions"]
    assert (row["outcome"], row["reason"]) == (
        "block",
        "the agreement excludes unaccompanied minors",
    )
    assert _gates(case_doc(), "us-uganda", on)["agreement.exclusions"]["outcome"] == "pass"


def test_uganda_bars_return_home_until_a_protection_claim_is_decided(client, reference_data):
    uganda = Agreement.objects.get(key="us-uganda")
    bar = bars_onward_removal(uganda, date(2025, 9, 1))
    assert bar is not None and bar.key == "assurance-no-return-before-claim-decided"
    assert bar.category == Term.Assurance.NO_ONWARD_REMOVAL_BEFORE_CLAIM_DECIDED
    assert bars_onward_removal(uganda, date(2025, 7, 28)) is None, "before it was signed"
    api = next(t for t in _api(client, "us-uganda")["terms"] if t["kind"] == "assurance")
    assert (api["category"], api["given"]) == ("no_onward_removal_before_claim_decided", True)
    page = _page(client, "us-uganda")
    assert "no onward removal or return home before the protection claim is decided" in page
    assert "no_onward_removal_before_claim_decided" not in page, "words, not keys"


def test_a_bar_only_until_the_claim_is_decided_does_not_clear_chain_refoulement(reference_data):
    # Uganda may still send a person home once a claim there is refused: the engine's gate
    # for people protected from another country stays closed, as under Cameroon.
    terms = agreement_terms(Agreement.objects.get(key="us-uganda"), date(2025, 9, 15))
    assert terms.bars_onward_refoulement is False
    gates = _gates(_protected_from_home("UG"), "us-uganda", date(2025, 9, 15))
    assert gates["us.no_chain_refoulement"]["outcome"] == "block"


def test_an_outright_bar_comes_before_a_bar_until_the_claim_is_decided(reference_data):
    uk = Agreement.objects.get(key="uk-rwanda")
    assert bars_onward_removal(uk, date(2023, 12, 4)) is None
    assert bars_onward_removal(uk, date(2024, 5, 1)).category == Term.Assurance.NO_ONWARD_REMOVAL
    Term.objects.create(agreement=uk, key="conditional", kind="assurance", given=True,
                        category=Term.Assurance.NO_ONWARD_REMOVAL_BEFORE_CLAIM_DECIDED,
                        text="A weaker bar.")  # fmt: skip
    assert bars_onward_removal(uk, date(2024, 5, 1)).key == "assurance-no-onward-removal"
    assert bars_onward_removal(uk, date(2023, 1, 1)).key == "conditional"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(on=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
def test_the_bar_holds_exactly_from_the_day_it_was_given(reference_data, on):
    # Any day at all, the first and the last a date can hold included: the answer never
    # fails, and it is the term valid that day (the shared data is only read).
    bar = bars_onward_removal(Agreement.objects.get(key="us-uganda"), on)
    assert (bar is not None) is (on >= date(2025, 7, 29))


# --- Paraguay, Belize, Honduras, Guatemala: asylum cooperative agreements ----------------


def test_paraguay_is_an_asylum_cooperative_agreement_with_no_transfer_known(client, reference_data):
    paraguay = _api(client, "us-paraguay")
    assert (paraguay["arrangement"], paraguay["status"]) == ("asylum_cooperative", "signed")
    assert [(t["on"], t["people"]) for t in paraguay["reported_transfers"]] == [("2026-01-21", 0)]
    gate = _gates(case_doc(), "us-paraguay", date(2026, 1, 21))["agreement.in_force"]
    assert gate["outcome"] == "block"
    assert "Asylum cooperative agreement" in _page(client, "us-paraguay")


def test_belize_lasts_two_years_and_awaits_ratification(client, reference_data):
    belize = _api(client, "us-belize")
    duration = next(t for t in belize["terms"] if t["kind"] == "duration")
    assert (duration["valid_from"], duration["valid_until"]) == ("2025-10-20", "2027-10-19")
    assert "ratification" in belize["status_history"][0]["note"]
    assert belize["arrangement"] == "asylum_cooperative"
    gate = _gates(case_doc(), "us-belize", date(2025, 11, 1))["agreement.in_force"]
    assert gate["outcome"] == "block"
    assert "Duration and ending" in _page(client, "us-belize")


@pytest.mark.parametrize("key", ["us-honduras", "us-guatemala"])
def test_honduras_and_guatemala_were_announced_then_denied(client, reference_data, key):
    agreement = _api(client, key)
    assert agreement["status"] == "disputed"
    history = agreement["status_history"]
    assert [s["status"] for s in history] == ["preliminary", "disputed"]
    assert {c["confidence"] for s in history for c in s["sources"]} == {"unconfirmed"}
    assert "Disputed (announced, then denied)" in _page(client, key)
    gate = _gates(case_doc(), key, date(2025, 7, 1))["agreement.in_force"]
    assert gate["outcome"] == "block"


def test_the_disputed_are_listed_by_their_status(client, reference_data):
    disputed = client.get("/api/agreements?status=disputed").json()
    assert {a["key"] for a in disputed} == {"us-honduras", "us-guatemala"}


# --- Return hubs: recorded, never screened -------------------------------------------------


def test_return_hubs_are_recorded_with_their_sources_and_never_screened(client, reference_data):
    hubs = client.get("/api/agreements?arrangement=return_hub").json()
    assert {a["key"] for a in hubs} == {"nl-uganda", "it-albania"}
    assert {a["regime"] for a in hubs} == {""}
    assert not Agreement.objects.screened().filter(key__in=["nl-uganda", "it-albania"]).exists()
    page = _page(client, "it-albania")
    assert "Transit or return hub" in page and "none in Accords (not screened)" in page
    assert "Court of Justice of the European Union" in page
    # Even in force, an agreement no regime governs stays out of the screening.
    albania = Agreement.objects.get(key="it-albania")
    albania.statuses.create(status="in_force", on=date(2024, 10, 1))
    assert albania not in agreements_in_force(date(2025, 1, 1))


def test_the_list_filters_by_kind_of_arrangement_in_words(client, reference_data):
    page = client.get("/agreements/", {"arrangement": "asylum_cooperative"}).content.decode()
    for key in ("us-paraguay", "us-belize", "us-honduras", "us-guatemala", "us-uganda"):
        assert f'href="/agreements/{key}/"' in page
    assert 'href="/agreements/us-cameroon/"' not in page
    assert "<td>Asylum cooperative agreement</td>" in page and "asylum_cooperative</td>" not in page
    assert "In force" in client.get("/agreements/").content.decode()
    response = client.get("/api/agreements?arrangement=holiday")
    assert response.status_code == 422 and "arrangement" in str(response.json()["detail"])


def test_every_shipped_agreement_states_its_arrangement_and_regime():
    from accords.registry.reference import DATA_DIR

    for path in (DATA_DIR / "agreements").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "\narrangement: " in text and "\nregime: " in text, path.name
