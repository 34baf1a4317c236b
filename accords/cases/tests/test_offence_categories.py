"""Offence categories are one controlled vocabulary: the case file, the model and the
agreements' exclusions speak its words, and anything else is refused with the list."""

import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from accords.cases.casefile import case_file_problems, csv_row_to_case_file
from accords.cases.models import CriminalRecord, Person
from accords.cases.services import CaseFileErrors, case_import
from accords.cases.tests.conftest import case_doc
from accords.law.columns import EXCLUSION_CATEGORIES, AgreementTerms, ForcePeriod
from accords.law.offences import offence_categories
from accords.registry.models import Term

ROOT = Path(__file__).resolve().parents[3]
AGREEMENTS = ROOT / "accords" / "registry" / "data" / "agreements"


def _convicted(category: str) -> dict:
    return case_doc(criminal_history=[
        {"kind": "conviction", "offence_category": category, "on": "2015-01-01"}
    ])  # fmt: skip


def test_a_documented_category_is_accepted():
    assert case_file_problems(_convicted("child_sex_offence")) == []


@pytest.mark.parametrize("spelled", ["child sex offence", "child_sexual_abuse", "Theft", "drugs"])
def test_a_category_spelled_otherwise_is_refused_with_the_list(spelled):
    [problem] = case_file_problems(_convicted(spelled))
    assert problem.field == "criminal_history[0].offence_category"
    for category in ("homicide", "child_sex_offence", "illegal_reentry", "other"):
        assert category in problem.message


def test_a_csv_conviction_is_held_to_the_same_list():
    doc = csv_row_to_case_file({"case_number": "C-1", "given_name": "A", "family_name": "B",
                                "birth_date": "1990-01-01", "nationalities": "HN",
                                "convictions": "theft;shoplifting", "convicted_on": "2015-01-01"})  # fmt: skip
    [problem] = case_file_problems(doc)
    assert problem.field == "criminal_history[1].offence_category"


@pytest.mark.django_db
def test_an_import_with_an_unknown_category_writes_nothing(reference_data):
    with pytest.raises(CaseFileErrors) as refused:
        case_import(actor=None, records=[(1, _convicted("burglary"))], source="t")
    assert "homicide" in str(refused.value.problems[0])
    assert not Person.objects.filter(case_number="T-0001").exists()


@pytest.mark.django_db
def test_the_model_refuses_an_unknown_category(reference_data):
    case_import(actor=None, records=[(1, _convicted("theft"))], source="t")
    record = CriminalRecord.objects.get(person__case_number="T-0001")
    record.offence_category = "car theft"
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    assert "offence_category" in refused.value.message_dict


@given(st.text(max_size=80))
def test_only_the_listed_words_pass(word):
    problems = case_file_problems(_convicted(word))
    assert (problems == []) == (word in offence_categories())


def test_the_schema_the_docs_and_the_data_list_the_same_categories():
    schema = (ROOT / "accords" / "cases" / "case-file.schema.json").read_text()
    item = json.loads(schema)["properties"]["criminal_history"]["items"]
    assert item["properties"]["offence_category"]["enum"] == list(offence_categories())
    documented = re.findall(r"^\| `([a-z_]+)` \| ([^|]+) \| [^|]+ \|$", (ROOT / "docs" /
                            "offence-categories.md").read_text(), re.M)  # fmt: skip
    assert [(key, label.strip()) for key, label in documented] == list(offence_categories().items())


def test_every_exclusion_of_a_conviction_in_the_registry_uses_a_listed_word():
    excluded = [
        term["category"].removeprefix("conviction:")
        for path in sorted(AGREEMENTS.glob("*.yaml"))
        for term in yaml.safe_load(path.read_text()).get("terms", [])
        if term.get("category", "").startswith("conviction:")
    ]
    assert excluded, "the registry excludes at least one conviction (Rwanda: child sex offences)"
    assert set(excluded) <= set(offence_categories())


def test_an_agreement_excluding_an_unlisted_conviction_is_refused():
    with pytest.raises(ValueError, match="unknown exclusion"):
        AgreementTerms(id="x", regime="us", sending_state="US", receiving_state="RW",
                       in_force=(ForcePeriod(began=date(2025, 1, 1)),),
                       excluded=frozenset({"conviction:child_sexual_abuse"}))  # fmt: skip
    term = Term(kind=Term.Kind.ELIGIBILITY, rule=Term.Rule.EXCLUDES, category="conviction:sex")
    with pytest.raises(ValidationError) as refused:
        term.clean()
    assert "child_sex_offence" in refused.value.message_dict["category"][0]


def test_the_docs_list_every_exclusion_the_engine_reads():
    documented = re.findall(r"^\| `([a-z_]+)` \| [^|]+ \|$", (ROOT / "docs" /
                            "offence-categories.md").read_text(), re.M)  # fmt: skip
    assert set(documented) - set(offence_categories()) == EXCLUSION_CATEGORIES
