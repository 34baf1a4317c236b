"""What the case-file format can say since issue 14, each from its source: assurances about
one person (8 CFR 208.18(c)), counsel of record outside Accords, the family's children (the
UK scheme's exclusion), a stay's scope and a request for a stay that is no stay (8 CFR
241.6), checked by `accords check` and by the workflow's screening alike."""

import json
from datetime import date

import pytest

from accords.cases.casefile import case_file_problems
from accords.cases.facts import engine_columns, facts_from_database
from accords.cases.management.commands.check import _explanation
from accords.cases.models import Counsel, FamilyMember, Person, Stay, StayRequest
from accords.cases.services import case_import
from accords.cases.tests.conftest import case_doc

RWANDA_ASSURES = {
    "receiving_state": "RW", "agreement": "us-rwanda", "given_on": "2025-08-01",
    "assures": ["no_torture", "no_onward_removal"], "credible": True,
    "document_reference": "DA-RW-2025-017",
}  # fmt: skip
OUTSIDE_COUNSEL = {
    "name": "Ada Placeholder", "bar_number": "NY-555001", "bar": "New York State Bar",
    "address": "1 Example Plaza\nNew York, NY 10001",
}  # fmt: skip


def _gate(tmp_path, doc: dict, on: str, gate: str, agreement: str = "us-rwanda") -> dict:
    path = tmp_path / f"{doc['case_number']}.json"
    path.write_text(json.dumps(doc))
    result = _explanation(path, agreement, on)
    return next(g for g in result["gates"] if g["gate"] == gate)


# --- diplomatic assurances per person (8 CFR 208.18(c); ICE memo of 2025-07-09) -------------


@pytest.mark.django_db
def test_two_people_under_one_agreement_on_one_date_differ_by_their_assurances(
    tmp_path, reference_data
):
    # Under the ICE memo no notice is needed where credible assurances exist; otherwise 24
    # hours. Both were served at 09:00 on 25 August; at noon only the assured one may go.
    plain = case_doc("A-1")
    assured = case_doc("A-2", assurances=[RWANDA_ASSURES])
    on = "2025-08-25T12:00Z"
    assert _gate(tmp_path, plain, on, "us.notice")["outcome"] == "pending"
    notice = _gate(tmp_path, assured, on, "us.notice")
    assert notice["outcome"] == "pass" and "about this person" in notice["reason"]
    assert "about this person, found credible" in _gate(tmp_path, assured, on,
                                                         "us.assurances")["reason"]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [{"receiving_state": "UG"}, {"credible": False}, {"given_on": "2025-08-26"}],
    ids=["another state's", "not found credible", "given after the moment"],
)
def test_assurances_that_do_not_count(tmp_path, reference_data, change):
    doc = case_doc("A-3", assurances=[{**RWANDA_ASSURES, **change}])
    assert _gate(tmp_path, doc, "2025-08-25T12:00Z", "us.notice")["outcome"] == "pending"


@pytest.mark.django_db
def test_an_assurance_of_no_onward_removal_answers_protection_from_another_country(
    tmp_path, reference_data
):
    protected = {"protections": [{"kind": "cat_deferral", "country": "SV",
                                  "granted_on": "2024-01-10"}]}  # fmt: skip
    doc = case_doc("A-4", **protected)
    assert _gate(tmp_path, doc, "2025-09-01", "us.no_chain_refoulement")["outcome"] == "block"
    no_torture_only = {**RWANDA_ASSURES, "assures": ["no_torture"]}
    doc = case_doc("A-5", assurances=[no_torture_only], **protected)
    assert _gate(tmp_path, doc, "2025-09-01", "us.no_chain_refoulement")["outcome"] == "block"
    doc = case_doc("A-6", assurances=[RWANDA_ASSURES], **protected)
    assert _gate(tmp_path, doc, "2025-09-01", "us.no_chain_refoulement")["outcome"] == "pass"


def test_an_assurance_names_what_it_assures_from_the_list_and_its_document():
    wrong = case_doc(assurances=[{**RWANDA_ASSURES, "assures": ["good_food"]}])
    assert case_file_problems(wrong)[0].field == "assurances[0].assures[0]"
    missing = {k: v for k, v in RWANDA_ASSURES.items() if k != "document_reference"}
    assert "document_reference" in case_file_problems(case_doc(assurances=[missing]))[0].message


@pytest.mark.django_db
def test_imported_assurances_reach_the_workflows_screening(reference_data):
    case_import(actor=None, records=[(1, case_doc("A-7", assurances=[RWANDA_ASSURES]))],
                source="t")  # fmt: skip
    person = Person.objects.get(case_number="A-7")
    tables = facts_from_database([person.pk])
    columns = engine_columns(tables, receiving="RW", as_of=date(2025, 9, 1)).row(0, named=True)
    assert columns["assured_credibly"] and columns["assured_no_onward_removal"]
    assert not engine_columns(tables, receiving="UG", as_of=date(2025, 9, 1))["assured_credibly"][0]


# --- counsel of record outside Accords (D.V.D. orders: notice to counsel) -------------------

INJUNCTION = "2025-05-20T12:00Z"  # the 10-day notice to person and counsel (D.V.D., 2025-05-21)


def _noticed(number: str, **notice) -> dict:
    doc = case_doc(number, person={"counsel": OUTSIDE_COUNSEL})
    doc["notices"][0].update(served_at="2025-05-01T09:00:00Z", **notice)
    return doc


@pytest.mark.django_db
def test_a_file_naming_counsel_outside_accords_is_accepted_and_counsel_recorded(reference_data):
    doc = case_doc("C-1", person={"counsel": OUTSIDE_COUNSEL})
    assert case_import(actor=None, records=[(1, doc)], source="t")["created"] == 1
    person = Person.objects.get(case_number="C-1")
    assert person.counsel_id is None
    assert person.counsel_of_record.bar_number == "NY-555001"
    # the same counsel in another file is the same counsel
    case_import(actor=None, records=[(1, case_doc("C-2", person={"counsel": OUTSIDE_COUNSEL}))],
                source="t")  # fmt: skip
    assert Counsel.objects.filter(bar_number="NY-555001").count() == 1


def test_a_linked_account_must_be_counsel_in_accords():
    doc = case_doc(person={"counsel": {**OUTSIDE_COUNSEL, "account": "nobody"}})
    [problem] = case_file_problems(doc, counsel=frozenset({"counsel"}))
    assert problem.field == "person.counsel.account"
    assert case_file_problems(case_doc(person={"counsel": "nobody"}))[0].field == "person.counsel"


@pytest.mark.django_db
def test_the_notice_must_reach_that_counsel(tmp_path, reference_data):
    on_person = _gate(tmp_path, _noticed("C-3"), INJUNCTION, "us.notice")
    assert on_person["outcome"] == "pending"
    assert on_person["reason"] == "the notice was not served on counsel of record"
    served = _noticed("C-4", served_on="person_and_counsel", counsel_service="mail",
                      counsel_bar_number="NY-555001")  # fmt: skip
    assert _gate(tmp_path, served, INJUNCTION, "us.notice")["outcome"] == "pass"
    earlier_counsel = _noticed("C-5", served_on="person_and_counsel", counsel_service="mail",
                               counsel_bar_number="NY-000001")  # fmt: skip
    assert _gate(tmp_path, earlier_counsel, INJUNCTION, "us.notice")["outcome"] == "pending"


# --- family composition (UK: no families with children under 18) ---------------------------

UK_ELIGIBLE = {
    "asylum_claim_on": "2023-03-01", "inadmissible_on": "2023-06-01", "dangerous_journey": True,
}  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    "born,outcome", [("2010-05-01", "block"), ("2006-04-30", "pass")],
    ids=["a child of 13", "a child who turned 18 the day before"],
)  # fmt: skip
def test_one_file_knows_the_family_has_children(tmp_path, reference_data, born, outcome):
    doc = case_doc("F-1", uk=UK_ELIGIBLE,
                   person={"family_members": [{"relation": "child", "birth_date": born}]})  # fmt: skip
    gate = _gate(tmp_path, doc, "2024-05-01", "uk.scheme_eligible", agreement="uk-rwanda")
    assert gate["outcome"] == outcome
    if outcome == "block":
        assert gate["reason"] == "families with children under 18 are outside the scheme"


@pytest.mark.django_db
def test_the_family_named_in_a_file_reaches_the_workflows_screening(reference_data):
    doc = case_doc("F-2", person={"family_members": [
        {"relation": "child", "birth_date": "2015-02-02", "case_number": "F-3"},
        {"relation": "spouse", "birth_date": "1985-01-01"},
    ]})  # fmt: skip
    case_import(actor=None, records=[(1, doc)], source="t")
    person = Person.objects.get(case_number="F-2")
    assert FamilyMember.objects.filter(person=person).count() == 2
    tables = facts_from_database([person.pk])
    columns = engine_columns(tables, receiving="GB", as_of=date(2024, 5, 1))
    assert columns["in_family_with_children"][0]
    # the same family before the child was born had no child
    assert not engine_columns(tables, receiving="GB", as_of=date(2014, 5, 1))[
        "in_family_with_children"
    ][0]


# --- a stay's scope, and a request for a stay (8 CFR 241.6; Nken v. Holder) ---------------


def _stayed(number: str, scope: str | None) -> dict:
    stay = {"granted_by": "court of appeals", "valid_from": "2025-08-01"}
    if scope:
        stay["scope"] = scope
    return case_doc(number, stays=[stay])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "scope,outcome",
    [(None, "block"), ("all_removals", "block"), ("RW", "block"), ("SV", "pass")],
)
def test_a_stay_bars_every_removal_or_removal_to_one_country(
    tmp_path, reference_data, scope, outcome
):
    assert _gate(tmp_path, _stayed("S-1", scope), "2025-09-01", "us.no_stay")["outcome"] == outcome


@pytest.mark.django_db
def test_a_stay_of_one_country_reaches_the_workflows_screening(reference_data):
    case_import(actor=None, records=[(1, _stayed("S-2", "SV"))], source="t")
    person = Person.objects.get(case_number="S-2")
    assert Stay.objects.get(person=person).scope == "SV"
    tables = facts_from_database([person.pk])
    [stay] = engine_columns(tables, receiving="RW", as_of=date(2025, 9, 1))["stays"][0]
    assert stay["country"] == "SV"


def test_a_stay_scope_is_all_removals_or_a_country():
    [problem] = case_file_problems(_stayed("S-3", "removal to any country"))
    assert problem.field == "stays[0].scope"


@pytest.mark.django_db
def test_a_request_to_ice_for_a_stay_is_recorded_and_never_read_as_a_stay(tmp_path, reference_data):
    doc = case_doc("S-4", stay_requests=[
        {"requested_of": "ICE", "filed_on": "2025-08-20"},
        {"requested_of": "ICE", "filed_on": "2025-06-01", "decided_on": "2025-06-20",
         "outcome": "denied"},
    ])  # fmt: skip
    gate = _gate(tmp_path, doc, "2025-09-01", "us.no_stay")
    assert gate["outcome"] == "pass"
    case_import(actor=None, records=[(1, doc)], source="t")
    person = Person.objects.get(case_number="S-4")
    assert StayRequest.objects.filter(person=person).count() == 2
    assert not Stay.objects.filter(person=person).exists()
    backwards = case_doc(stay_requests=[{"filed_on": "2025-08-20", "decided_on": "2025-08-01"}])
    assert case_file_problems(backwards)[0].field == "stay_requests[0].decided_on"


# --- the case page reads words, not keys ---------------------------------------------------


@pytest.mark.django_db
def test_the_case_page_says_what_the_new_facts_are_in_words(reference_data, accounts, login):
    doc = case_doc(
        "W-1",
        assurances=[RWANDA_ASSURES],
        stays=[{"granted_by": "BIA", "valid_from": "2025-08-01", "scope": "SV"}],
        stay_requests=[{"filed_on": "2025-07-01"}],
        criminal_history=[{"kind": "conviction", "offence_category": "dui", "on": "2015-01-01"}],
    )
    case_import(actor=None, records=[(1, doc)], source="t")
    page = login("sending.officer").get("/cases/W-1/").content.decode()
    assert "Rwanda gave assurances about this person (no torture, no onward removal" in page
    assert "Stay of removal to El Salvador granted by BIA" in page
    assert "Stay requested of ICE (a request is no stay)" in page
    assert "Conviction: driving under the influence" in page
    assert "no_onward_removal" not in page
