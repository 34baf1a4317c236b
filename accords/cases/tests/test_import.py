"""Importing case files: validated first, reported by line and field, all or nothing."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accords.audit.models import AuditEntry
from accords.cases.casefile import CSV_COLUMNS
from accords.cases.models import CriminalRecord, Person, Protection, RemovalOrder
from accords.cases.reading import CaseFileUnreadable, read_case_files
from accords.cases.services import CaseFileErrors, case_import
from accords.cases.tests.conftest import case_doc


def _jsonl(tmp_path, docs, name="cases.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n")
    return path


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing(tmp_path, capsys):
    path = _jsonl(tmp_path, [case_doc("A-1"), case_doc("A-2")])
    call_command("import", str(path))
    assert "2 created" in capsys.readouterr().out
    rows = (Person.objects.count(), RemovalOrder.objects.count())
    call_command("import", str(path))
    assert "2 unchanged" in capsys.readouterr().out
    assert (Person.objects.count(), RemovalOrder.objects.count()) == rows


@pytest.mark.django_db
def test_a_changed_case_file_replaces_that_cases_facts(tmp_path):
    call_command("import", str(_jsonl(tmp_path, [case_doc("A-1")])))
    changed = case_doc("A-1", protections=[
        {"kind": "cat_deferral", "country": "HN", "granted_on": "2024-06-01"}
    ])  # fmt: skip
    result = case_import(actor=None, records=[(1, changed)], source="t")
    assert result["updated"] == 1
    assert Protection.objects.get().country == "HN"
    assert RemovalOrder.objects.count() == 1


@pytest.mark.django_db
def test_every_bad_record_is_reported_by_line_and_field_and_nothing_is_written(tmp_path, capsys):
    bad_date = case_doc("B-2", person={"birth_date": "1990-02-30"})
    unknown_country = case_doc("B-3", person={"nationalities": ["QQ"]})
    backwards = case_doc("B-4")
    backwards["removal_orders"][0]["final_on"] = "2024-01-01"
    missing = case_doc("B-5")
    del missing["person"]["family_name"]
    path = tmp_path / "cases.jsonl"
    lines = [json.dumps(case_doc("B-1")), json.dumps(bad_date), json.dumps(unknown_country),
             json.dumps(backwards), json.dumps(missing), "{not json"]  # fmt: skip
    path.write_text("\n".join(lines))
    with pytest.raises(CommandError, match="6 problem|5 problem"):
        call_command("import", str(path))
    errors = capsys.readouterr().err
    assert "cases.jsonl:2: person.birth_date" in errors
    assert 'cases.jsonl:3: person.nationalities[0]: unknown ISO 3166-1 country code "QQ"' in errors
    assert "cases.jsonl:4: removal_orders[0].final_on: 2024-01-01 is before 2024-06-01" in errors
    assert "cases.jsonl:5" in errors and "family_name" in errors
    assert "cases.jsonl:6" in errors and "not JSON" in errors
    assert not Person.objects.exists()
    assert not AuditEntry.objects.filter(action="case.import_chunk").exists()


@pytest.mark.django_db
def test_skip_invalid_imports_the_good_records_only(tmp_path, capsys):
    path = _jsonl(tmp_path, [case_doc("C-1"), case_doc("C-2", person={"nationalities": ["QQ"]})])
    call_command("import", str(path), "--skip-invalid")
    out = capsys.readouterr().out
    assert "1 created" in out and "1 skipped" in out
    assert list(Person.objects.values_list("case_number", flat=True)) == ["C-1"]


@pytest.mark.django_db
def test_a_case_number_twice_in_one_file_is_an_error():
    with pytest.raises(CaseFileErrors) as refused:
        case_import(actor=None, records=[(1, case_doc("D-1")), (2, case_doc("D-1"))], source="t")
    assert refused.value.problems[0].line == 2
    assert refused.value.problems[0].field == "case_number"


@pytest.mark.django_db
def test_a_conviction_cannot_carry_a_charge_outcome():
    doc = case_doc("E-1", criminal_history=[
        {"kind": "conviction", "offence_category": "theft", "on": "2015-01-01",
         "charge_outcome": "dismissed"}
    ])  # fmt: skip
    with pytest.raises(CaseFileErrors, match="a dismissed charge is a charge"):
        case_import(actor=None, records=[(1, doc)], source="t")


@pytest.mark.django_db
def test_unknown_counsel_is_named():
    doc = case_doc("F-1", person={"counsel": "nobody"})
    with pytest.raises(CaseFileErrors, match='no counsel "nobody"'):
        case_import(actor=None, records=[(1, doc)], source="t")


CSV_HEADER = ",".join(CSV_COLUMNS)


def _csv_row(**values) -> str:
    return ",".join(values.get(c, "") for c in CSV_COLUMNS)


@pytest.mark.django_db
def test_csv_rows_import_as_case_files(tmp_path, capsys):
    row = _csv_row(
        case_number="G-1", given_name="Csv", family_name="Person", birth_date="1979-01-01",
        nationalities="VE;CO", languages="es", detained="true", order_basis="INA240",
        order_entered_on="2023-01-05", order_final_on="2023-02-05", order_final_how="no_appeal",
        protection_kind="withholding", protection_countries="VE",
        protection_granted_on="2023-01-05", convictions="theft", convicted_on="2012-03-04",
    )  # fmt: skip
    path = tmp_path / "cases.csv"
    path.write_text(CSV_HEADER + "\n" + row + "\n")
    call_command("import", str(path))
    person = Person.objects.get(case_number="G-1")
    assert person.nationalities == ["VE", "CO"] and person.detained
    assert person.protections.get().kind == "withholding"
    assert CriminalRecord.objects.get().kind == "conviction"
    call_command("import", str(path))
    assert "1 unchanged" in capsys.readouterr().out


@pytest.mark.django_db
def test_csv_errors_name_the_column_the_user_wrote(tmp_path, capsys):
    path = tmp_path / "cases.csv"
    row = _csv_row(case_number="H-1", given_name="A", family_name="B", birth_date="01/02/1990",
                   nationalities="HN")  # fmt: skip
    path.write_text(CSV_HEADER + "\n" + row + "\n")
    with pytest.raises(CommandError):
        call_command("import", str(path))
    assert "cases.csv:2: birth_date:" in capsys.readouterr().err


def test_an_undocumented_csv_column_is_refused():
    with pytest.raises(CaseFileUnreadable) as refused:
        read_case_files(b"case_number,shoe_size\nX,9\n", name="x.csv")
    assert refused.value.problem.field == "shoe_size"


@pytest.mark.django_db
def test_an_answer_cannot_lapse_before_it_was_given():
    doc = case_doc("D-1")
    doc["acceptances"][0]["lapsed_on"] = "2025-08-01"  # answered on 2025-08-20
    with pytest.raises(CaseFileErrors) as raised:
        case_import(actor=None, records=[(1, doc)], source="t")
    assert [str(p) for p in raised.value.problems] == [
        "line 1: acceptances[0].lapsed_on: 2025-08-01 is before 2025-08-20"
    ]
    assert not Person.objects.exists()
