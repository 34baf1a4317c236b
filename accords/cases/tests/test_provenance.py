"""Where each fact came from decides what it may establish (docs/provenance.md): an import may
bring the sending state's own records, but not the receiving state's answer, and a notice from
the sending state's system only with the served document's reference and SHA-256. `accords
check` is a what-if on a file's facts as given, and says so."""

import json
from datetime import date

import pytest
from django.core.management import call_command

from accords.cases.models import Acceptance, Notice, Person, Provenance
from accords.cases.screening import case_explanation
from accords.cases.services import CaseFileErrors, case_import
from accords.cases.tests.conftest import answered_in_accords, case_doc
from accords.registry.models import Agreement

ON = date(2025, 9, 1)


def _gate(number: str, gate: str) -> dict:
    person = Person.objects.get(case_number=number)
    explained = case_explanation(person, Agreement.objects.get(key="us-rwanda"), ON)
    return next(g for g in explained["gates"] if g["gate"] == gate)


def _undocumented(doc: dict) -> dict:
    for notice in doc["notices"]:
        del notice["document_reference"], notice["document_sha256"]
    return doc


@pytest.mark.django_db
def test_an_imported_notice_counts_only_with_its_served_document(reference_data):
    documented, reported = case_doc("N-1"), _undocumented(case_doc("N-2"))
    case_import(actor=None, records=[(1, documented), (2, reported)], source="t")
    assert _gate("N-1", "us.notice")["outcome"] == "pass"
    assert _gate("N-2", "us.notice")["outcome"] == "pending"
    assert Notice.objects.get(person__case_number="N-2").provenance == Provenance.IMPORT


@pytest.mark.django_db
def test_an_imported_answer_is_a_report_and_the_receiving_state_s_own_answer_counts(
    reference_data,
):
    case_import(actor=None, records=[(1, case_doc("A-1"))], source="t")
    assert Acceptance.objects.get().provenance == Provenance.IMPORT
    assert _gate("A-1", "us.receiving_acceptance")["outcome"] == "pending"
    answered_in_accords("A-1")
    assert _gate("A-1", "us.receiving_acceptance")["outcome"] == "pass"


@pytest.mark.django_db
def test_a_new_import_keeps_what_accords_recorded_and_replaces_what_files_brought(
    reference_data, accounts
):
    case_import(actor=None, records=[(1, case_doc("K-1"))], source="t")
    kept = answered_in_accords("K-1", decided_on="2025-08-21")
    changed = case_doc("K-1", acceptances=[
        {"receiving_state": "RW", "decision": "declined", "decided_on": "2025-08-22",
         "reasons": "reported only"}
    ])  # fmt: skip
    case_import(actor=None, records=[(1, changed)], source="t")
    answers = Acceptance.objects.order_by("decided_on")
    assert [(a.provenance, a.decision) for a in answers] == [
        (Provenance.WORKFLOW, "accepted"), (Provenance.IMPORT, "declined")
    ]  # fmt: skip
    assert answers[0].pk == kept.pk
    assert _gate("K-1", "us.receiving_acceptance")["outcome"] == "pass"


@pytest.mark.django_db
def test_a_notice_reference_comes_with_its_hash_and_the_hash_is_sha_256(reference_data):
    half = case_doc("H-1")
    del half["notices"][0]["document_sha256"]
    bad_hash = case_doc("H-2")
    bad_hash["notices"][0]["document_sha256"] = "not-a-hash"
    with pytest.raises(CaseFileErrors) as refused:
        case_import(actor=None, records=[(1, half), (2, bad_hash)], source="t")
    fields = {p.field for p in refused.value.problems}
    assert {p.line for p in refused.value.problems} == {1, 2}
    assert any("notices[0]" in f for f in fields)
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_check_decides_on_the_file_as_given_and_says_it_is_a_what_if(
    tmp_path, reference_data, capsys
):
    """The file's own answer and undocumented notice count in a what-if, and it says so."""
    path = tmp_path / "case.json"
    path.write_text(json.dumps(_undocumented(case_doc())))
    with pytest.raises(SystemExit) as exited:
        call_command("check", str(path), "--agreement", "us-rwanda", "--on", "2025-09-01")
    result = json.loads(capsys.readouterr().out)
    assert exited.value.code == 0 and result["decision"] == "cleared"
    assert result["what_if"].startswith("What-if: decided on the file's facts as given")
    with pytest.raises(SystemExit):
        call_command("check", str(path), "--agreement", "us-rwanda", "--on", "2025-09-01",
                     "--explain")  # fmt: skip
    assert "What-if" in capsys.readouterr().out.splitlines()[1]


@pytest.mark.django_db
def test_the_case_page_shows_an_imported_answer_as_a_report(reference_data, login):
    case_import(actor=None, records=[(1, _undocumented(case_doc("C-1")))], source="t")
    page = login("sending.officer").get("/cases/C-1/?agreement=us-rwanda&on=2025-09-01")
    text = page.content.decode().replace("&#x27;", "'")
    assert "Rwanda accepted the person by name (reported by the sending state's import: not an " \
           "answer)" in text  # fmt: skip
    assert "reported by the sending state's import without the served document" in text
    assert "accepted this person by name" not in text
