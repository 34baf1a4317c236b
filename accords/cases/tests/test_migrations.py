"""The cases migrations that rewrite rows already stored: each rewrites them, and back.

One walk: from the latest migrations back to the earliest of them, then forward through each,
its rows made just before it, checked after it and again after its way back. Walking back from
the latest migrations unapplies every later app's migrations too, and renders the models' state
at each: seconds every time, so it is walked once, not once per migration.
"""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The registry as the cases migration met it, too: its later columns are not in these states.
NOTES_BEFORE = [
    ("cases", "0002_answers_lapse_and_facts_recorded_in_accords"),
    ("registry", "0002_fee_budget"),
]
NOTES_AFTER = [("cases", "0003_screening_notes"), ("registry", "0002_fee_budget")]
PROVENANCE_BEFORE = [("cases", "0005_input_kinds_validated")]
PROVENANCE_AFTER = [("cases", "0006_facts_record_their_provenance")]
SCOPES_AFTER = [("cases", "0007_case_file_says_more")]

NOTICE = {"gate": "us.notice", "outcome": "pending", "reason": "the window is running",
          "citation": "D.V.D. v. DHS", "clears_by": "the window ends"}  # fmt: skip
STAY = {"gate": "us.no_stay", "outcome": "block", "reason": "a stay is in force",
        "citation": "INA 241", "clears_by": None}  # fmt: skip


def _migrated(to):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(to)
    return executor.loader.project_state(to).apps


def _person(apps, number: str):
    return apps.get_model("cases", "Person").objects.create(
        case_number=number, given_name="A", family_name="B", birth_date=date(1990, 1, 1)
    )


def _stored_decisions_point_at_notes_kept_once_and_back():
    apps = _migrated(NOTES_BEFORE)
    Screening, Decision = apps.get_model("cases", "Screening"), apps.get_model("cases", "Decision")
    State = apps.get_model("registry", "State")
    for code in ("US", "RW"):
        State.objects.create(code=code, name=code)
    agreement = apps.get_model("registry", "Agreement").objects.create(
        key="us-rwanda", name="t", kind="integration", sending_state_id="US",
        receiving_state_id="RW", regime="us",
    )  # fmt: skip
    screening = Screening.objects.create(as_of=date(2025, 9, 1))
    old = {
        "N-1": [{**NOTICE, "earliest_clear": "2025-09-05"}, {**STAY, "earliest_clear": None}],
        "N-2": [{**NOTICE, "earliest_clear": "2025-09-07"}],
        "N-3": [],
    }
    for number, gates in old.items():
        Decision.objects.create(screening=screening, person=_person(apps, number),
                                agreement=agreement, outcome="pending", gates=gates,
                                regime_version="v")  # fmt: skip

    apps = _migrated(NOTES_AFTER)
    screening = apps.get_model("cases", "Screening").objects.get()
    assert screening.notes == [NOTICE, STAY]
    stored = dict(
        apps.get_model("cases", "Decision").objects.values_list("person__case_number", "gate_notes")
    )
    assert stored == {"N-1": [[0, "2025-09-05"], [1, None]], "N-2": [[0, "2025-09-07"]], "N-3": []}

    apps = _migrated(NOTES_BEFORE)
    back = dict(
        apps.get_model("cases", "Decision").objects.values_list("person__case_number", "gates")
    )
    assert back == old


def _facts_recorded_in_accords_become_workflow_facts_and_back():
    apps = _migrated(PROVENANCE_BEFORE)
    person = _person(apps, "P-1")
    stays = apps.get_model("cases", "Stay").objects
    stays.create(person=person, granted_by="IJ", valid_from=date(2025, 1, 1),
                 recorded_in_accords=True)  # fmt: skip
    stays.create(person=person, granted_by="BIA", valid_from=date(2025, 2, 1))

    apps = _migrated(PROVENANCE_AFTER)
    stays = apps.get_model("cases", "Stay").objects.filter(person__case_number="P-1")
    assert dict(stays.values_list("granted_by", "provenance")) == {
        "IJ": "workflow",
        "BIA": "import",
    }

    apps = _migrated(PROVENANCE_BEFORE)
    stays = apps.get_model("cases", "Stay").objects.filter(person__case_number="P-1")
    assert dict(stays.values_list("granted_by", "recorded_in_accords")) == {
        "IJ": True,
        "BIA": False,
    }


def _a_stay_scope_in_free_text_becomes_every_removal_unless_it_was_a_country():
    apps = _migrated(PROVENANCE_AFTER)
    person = _person(apps, "S-1")
    for scope in ("removal to a third country", "", "SV", "sv"):
        apps.get_model("cases", "Stay").objects.create(
            person=person, granted_by="BIA", scope=scope, valid_from=date(2025, 1, 1)
        )
    apps = _migrated(SCOPES_AFTER)
    stays = apps.get_model("cases", "Stay").objects.filter(person__case_number="S-1")
    scopes = list(stays.order_by("id").values_list("scope"))
    assert scopes == [("all_removals",), ("all_removals",), ("SV",), ("all_removals",)]


@pytest.mark.django_db(transaction=True)
def test_each_migration_that_rewrites_stored_rows_rewrites_them_and_back():
    # From an empty database, as the migrations met one: not the reference data the suite shares.
    call_command("flush", interactive=False, verbosity=0)
    _stored_decisions_point_at_notes_kept_once_and_back()
    _facts_recorded_in_accords_become_workflow_facts_and_back()
    _a_stay_scope_in_free_text_becomes_every_removal_unless_it_was_a_country()
    _migrated(MigrationExecutor(connection).loader.graph.leaf_nodes())
