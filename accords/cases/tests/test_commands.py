"""`accords check` and `accords screen` as an officer runs them."""

import json
import sys
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connections

from accords.__main__ import main as accords_main
from accords.cases.management.commands.check import considered
from accords.cases.models import Decision, Screening
from accords.cases.screening import case_explanation
from accords.cases.services import case_import
from accords.cases.tests.conftest import answered_in_accords, case_doc


def _check(tmp_path, doc, *args):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(SystemExit) as exited:
        call_command("check", str(path), *args)
    return exited.value.code


@pytest.mark.django_db
def test_check_exits_1_and_says_why_when_blocked(tmp_path, reference_data, capsys):
    protected = case_doc(protections=[
        {"kind": "cat_deferral", "country": "RW", "granted_on": "2024-06-01"}
    ])  # fmt: skip
    code = _check(tmp_path, protected, "--agreement", "us-rwanda", "--on", "2025-09-01")
    assert code == 1
    result = json.loads(capsys.readouterr().out)
    assert result["decision"] == "blocked"
    cat = next(g for g in result["gates"] if g["gate"] == "us.cat")
    assert cat["outcome"] == "block" and "8 CFR 208.16" in cat["citation"]


@pytest.mark.django_db
def test_check_exits_0_when_every_gate_passes(tmp_path, reference_data, capsys):
    code = _check(tmp_path, case_doc(), "--agreement", "us-rwanda", "--on", "2025-09-01",
                  "--explain")  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    assert "CLEARED" in out


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args,message",
    [
        (["--agreement", "nowhere", "--on", "2025-09-01"], "no agreement 'nowhere'"),
        (["--agreement", "us-rwanda", "--on", "1 Sept"], "is not a date"),
        (["--agreement", "us-rwanda", "--on", "9999-12-31"], "at most 5 years ahead"),
    ],
)
def test_check_exits_2_for_bad_input(tmp_path, reference_data, capsys, args, message):
    assert _check(tmp_path, case_doc(), *args) == 2
    assert message in capsys.readouterr().err


@pytest.mark.django_db
def test_check_exits_2_naming_the_bad_field(tmp_path, reference_data, capsys):
    doc = case_doc(person={"birth_date": "yesterday"})
    assert _check(tmp_path, doc, "--agreement", "us-rwanda", "--on", "2025-09-01") == 2
    assert "person.birth_date" in capsys.readouterr().err


@pytest.mark.django_db
def test_screen_stores_a_decision_per_case_and_agreement_in_force(reference_data, capsys):
    protected = case_doc("S-2", protections=[
        {"kind": "withholding", "country": "RW", "granted_on": "2024-06-01"}
    ])  # fmt: skip
    case_import(actor=None, records=[(1, case_doc("S-1")), (2, protected)], source="t")
    answered_in_accords("S-1")
    answered_in_accords("S-2")
    call_command("screen", "--as-of", "2025-09-01")
    screening = Screening.objects.get()
    in_force = screening.summary["agreements"]
    assert "us-rwanda" in in_force and "uk-rwanda" not in in_force
    assert Decision.objects.count() == 2 * len(in_force)
    assert (
        Decision.objects.get(person__case_number="S-1", agreement__key="us-rwanda").outcome
        == "cleared"
    )
    blocked = Decision.objects.get(person__case_number="S-2", agreement__key="us-rwanda")
    assert blocked.outcome == "blocked" and ",us.withholding," in blocked.gate_ids
    assert blocked.regime_version == screening.regime_versions["us"]
    # the summary counts, gate by gate, what the stored decisions say
    stored = Counter((g["outcome"], g["gate"]) for d in Decision.objects.all() for g in d.gates)
    for outcome, counts in (("block", "blocked_by_gate"), ("pending", "pending_on_gate")):
        expected = {gate: n for (said, gate), n in stored.items() if said == outcome}
        assert screening.summary[counts] == expected
    assert screening.summary["decisions"] == dict(
        Counter(Decision.objects.values_list("outcome", flat=True))
    )
    captured = capsys.readouterr()
    assert "cleared" in captured.out and "us.withholding" in captured.out
    assert "screening: 100%" in captured.err  # the progress bar, one step an agreement


@pytest.mark.django_db
def test_screen_counts_pending_cases_by_what_would_clear_them(reference_data, capsys):
    no_answer = case_doc("S-3", acceptances=[])  # Rwanda has not yet accepted this person
    case_import(actor=None, records=[(1, no_answer)], source="t")
    call_command("screen", "--as-of", "2025-09-01")
    summary = Screening.objects.get().summary
    rwanda = Decision.objects.get(person__case_number="S-3", agreement__key="us-rwanda")
    waiting = next(g for g in rwanda.gates if g["gate"] == "us.receiving_acceptance")
    assert waiting["outcome"] == "pending" and waiting["clears_by"]
    assert summary["pending_clears_by"][waiting["clears_by"]] >= 1
    assert sum(summary["pending_clears_by"].values()) >= summary["decisions"]["pending"]
    out = capsys.readouterr().out
    assert "by what would clear them" in out and waiting["clears_by"] in out


@pytest.mark.django_db
def test_check_runs_as_a_command_with_its_exit_status(
    tmp_path, reference_data, monkeypatch, capsys
):
    """Through the `accords` entry point, as the shell calls it, to the status it exits with.
    In this process, on the test database: a process of its own paid Django's start-up and
    every migration, and proved nothing more about the status."""
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case_doc()))

    def accords(*args) -> int:
        monkeypatch.setattr(sys, "argv", ["accords", *args])
        # A command run from the command line closes every connection when it ends, which
        # would end the test's own transaction on PostgreSQL.
        monkeypatch.setattr(connections, "close_all", lambda: None)
        with pytest.raises(SystemExit) as exited:
            accords_main()
        return exited.value.code

    assert accords("check", str(path), "--agreement", "us-rwanda", "--on", "2025-09-01") == 0
    capsys.readouterr()
    assert accords("check", str(path), "--agreement", "us-rwanda", "--on", "2025-05-01") == 1
    assert '"decision": "pending"' in capsys.readouterr().out
    assert accords("check", str(path), "--agreement", "nowhere", "--on", "2025-09-01") == 2


@pytest.mark.django_db
def test_each_stored_decision_says_what_the_case_page_says(reference_data):
    """What a screening stores of each gate not passed (through its notes, each kept once)
    is what the one-case explanation gives for that case, agreement and date."""
    docs = [
        case_doc("N-1"),
        case_doc("N-2", acceptances=[]),
        case_doc("N-3", protections=[
            {"kind": "cat_deferral", "country": "SZ", "granted_on": "2024-06-01"}
        ], notices=[]),
    ]  # fmt: skip
    case_import(actor=None, records=list(enumerate(docs, 1)), source="t")
    call_command("screen", "--as-of", "2025-09-01")
    screening = Screening.objects.get()
    said = ("gate", "outcome", "reason", "citation", "clears_by")
    for decision in Decision.objects.select_related("person", "agreement"):
        explained = case_explanation(decision.person, decision.agreement, screening.as_of)
        expected = [
            {**{k: gate[k] for k in said},
             "earliest_clear": gate["earliest_clear"] and gate["earliest_clear"].isoformat()}
            for gate in explained["gates"] if gate["outcome"] != "pass"
        ]  # fmt: skip
        assert decision.gates == expected, decision
        assert decision.outcome == explained["decision"]
    assert any(d.gates for d in Decision.objects.all())
    notes = [tuple(n.values()) for n in screening.notes]
    assert len(notes) == len(set(notes)) > 0


# --- a moment, not only a date (issue 14) ---------------------------------------------------


def _served_at(moment: str, **notice) -> dict:
    doc = case_doc()
    doc["notices"][0].update(served_at=moment, **notice)
    return doc


@pytest.mark.django_db
def test_the_24_hour_notice_is_checked_at_a_time_of_day(tmp_path, reference_data, capsys):
    # ICE memo of 2025-07-09: notice at least 24 hours before removal. Served 09:00 UTC.
    doc = _served_at("2025-08-25T09:00:00Z")
    assert _check(tmp_path, doc, "--agreement", "us-rwanda", "--on", "2025-08-26T08:59Z") == 1
    notice = next(g for g in json.loads(capsys.readouterr().out)["gates"]
                  if g["gate"] == "us.notice")  # fmt: skip
    assert notice["outcome"] == "pending" and "24-hour" in notice["reason"]
    # the same instant written in another zone is the same moment
    assert _check(tmp_path, doc, "--agreement", "us-rwanda", "--on",
                  "2025-08-26T04:00-05:00") == 0  # fmt: skip


@pytest.mark.django_db
def test_six_hours_suffice_in_exigent_circumstances_with_access_to_counsel(
    tmp_path, reference_data, capsys
):
    doc = _served_at("2025-08-25T09:00:00Z", exigent=True, counsel_access=True)
    assert _check(tmp_path, doc, "--agreement", "us-rwanda", "--on", "2025-08-25T14:59Z") == 1
    assert _check(tmp_path, doc, "--agreement", "us-rwanda", "--on", "2025-08-25T15:00Z") == 0
    # exigent, but without access to counsel: the 24 hours stand
    alone = _served_at("2025-08-25T09:00:00Z", exigent=True)
    assert _check(tmp_path, alone, "--agreement", "us-rwanda", "--on", "2025-08-25T15:00Z") == 1


@pytest.mark.django_db
def test_a_notice_served_after_the_moment_is_not_yet_on_record(tmp_path, reference_data, capsys):
    doc = _served_at("2025-08-25T09:00:00Z")
    doc["notices"].append({**doc["notices"][0], "served_at": "2025-08-27T18:00:00Z",
                           "document_reference": "NTC-2"})  # fmt: skip
    # at noon on the 27th the first notice counts; the evening's is still to come
    assert _check(tmp_path, doc, "--agreement", "us-rwanda", "--on", "2025-08-27T12:00Z") == 0


def test_a_moment_is_taken_in_utc_and_a_date_as_the_day():
    assert considered("2024-05-01T10:30+01:00").isoformat() == "2024-05-01T09:30:00"
    assert considered("2024-05-01").isoformat() == "2024-05-01"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "on,message",
    [
        ("2025-08-26T09:00", "has no time zone"),
        ("2025-08-26T25:00Z", "is not a date"),
        ("9999-12-31T23:59+14:00", "at most 5 years ahead"),
        ("9999-12-31T23:59-12:00", "out of range"),
        ("0001-01-01T00:00+01:00", "out of range"),
        ("1899-12-31T23:00Z", "1900"),
        ("2999-01-01T00:00Z", "at most 5 years ahead"),
    ],
)
def test_a_moment_without_a_zone_or_out_of_range_is_bad_input(
    tmp_path, reference_data, capsys, on, message
):
    assert _check(tmp_path, case_doc(), "--agreement", "us-rwanda", "--on", on) == 2
    assert message in capsys.readouterr().err
