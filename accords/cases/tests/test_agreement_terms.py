"""The registry's agreements as the engine reads them: the shipped terms, not test doubles."""

from datetime import date

import pytest

from accords.cases.facts import engine_columns, facts_from_case_file
from accords.cases.screening import agreement_terms
from accords.cases.tests.conftest import case_doc
from accords.law.evaluate import explain
from accords.registry.models import Agreement, Term

pytestmark = pytest.mark.django_db


def _gates(doc: dict, key: str, on: date) -> dict[str, dict]:
    terms = agreement_terms(Agreement.objects.get(key=key), on)
    case = engine_columns(facts_from_case_file(doc), receiving=terms.receiving_state, as_of=on)
    return {g["gate"]: g for g in explain(case.row(0, named=True), terms, on)["gates"]}


def _national_of(country: str) -> dict:
    return case_doc(person={"nationalities": [country], "country_of_birth": country})


def test_ghana_takes_only_west_african_nationals(reference_data):
    on = date(2025, 9, 15)
    salvadoran = _gates(_national_of("SV"), "us-ghana", on)["agreement.nationality"]
    assert salvadoran["outcome"] == "block"
    nigerian = _gates(_national_of("NG"), "us-ghana", on)["agreement.nationality"]
    assert nigerian["outcome"] == "pass"
    # Mali left ECOWAS in January 2025, before the arrangement.
    malian = _gates(_national_of("ML"), "us-ghana", on)["agreement.nationality"]
    assert malian["outcome"] == "block"


def test_an_accepts_only_condition_the_engine_cannot_check_is_refused_not_ignored(
    reference_data,
):
    ghana = Agreement.objects.get(key="us-ghana")
    Term.objects.filter(agreement=ghana, key="only-west-african-nationals").update(
        category="region:atlantis"
    )
    with pytest.raises(ValueError, match='cannot check "accepts only region:atlantis"'):
        agreement_terms(ghana, date(2025, 9, 15))


def test_a_charge_dismissed_years_ago_does_not_bar_uganda_but_a_conviction_does(reference_data):
    on = date(2025, 9, 15)
    dismissed = case_doc(criminal_history=[
        {"kind": "charge", "offence_category": "assault", "on": "2019-03-01",
         "charge_outcome": "dismissed"}])  # fmt: skip
    assert _gates(dismissed, "us-uganda", on)["agreement.exclusions"]["outcome"] == "pass"
    convicted = case_doc(criminal_history=[
        {"kind": "conviction", "offence_category": "assault", "on": "2019-03-01"}])  # fmt: skip
    assert _gates(convicted, "us-uganda", on)["agreement.exclusions"]["outcome"] == "block"


@pytest.mark.parametrize(
    ("on", "outcome"),
    [
        (date(2023, 6, 1), "pending"),  # removals barred by Rule 39 and the litigation
        (date(2024, 1, 10), "pending"),  # ruled unlawful; the treaty not yet in force
        (date(2024, 5, 1), "pass"),  # the treaty and the Safety of Rwanda Act in force
        (date(2024, 8, 1), "block"),  # ended by the new government
    ],
)
def test_the_uk_rwanda_partnership_operates_only_while_the_registry_says_it_was_in_force(
    reference_data, on, outcome
):
    in_force = _gates(case_doc(), "uk-rwanda", on)["agreement.in_force"]
    assert in_force["outcome"] == outcome, in_force


def test_palau_takes_only_people_never_charged_so_a_dismissed_charge_bars_it(reference_data):
    # Palau's memorandum: people "never charged with a crime" (the registry's words), which is
    # more than no pending case: a charge dismissed years ago still bars Palau, not Rwanda.
    on = date(2026, 1, 15)
    dismissed = case_doc(criminal_history=[
        {"kind": "charge", "offence_category": "theft", "on": "2019-03-01",
         "charge_outcome": "dismissed"}])  # fmt: skip
    palau = _gates(dismissed, "us-palau", on)["agreement.exclusions"]
    assert palau["outcome"] == "block"
    assert palau["reason"] == "the agreement excludes people ever charged with a crime"
    assert _gates(dismissed, "us-rwanda", on)["agreement.exclusions"]["outcome"] == "pass"
    assert _gates(case_doc(), "us-palau", on)["agreement.exclusions"]["outcome"] == "pass"
