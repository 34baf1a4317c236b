"""The migration that keeps a screening's notes once rewrites the decisions stored before it,
and back."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The registry as the cases migration met it, too: its later columns are not in these states.
BEFORE = [
    ("cases", "0002_answers_lapse_and_facts_recorded_in_accords"),
    ("registry", "0002_fee_budget"),
]
AFTER = [("cases", "0003_screening_notes"), ("registry", "0002_fee_budget")]

NOTICE = {"gate": "us.notice", "outcome": "pending", "reason": "the window is running",
          "citation": "D.V.D. v. DHS", "clears_by": "the window ends"}  # fmt: skip
STAY = {"gate": "us.no_stay", "outcome": "block", "reason": "a stay is in force",
        "citation": "INA 241", "clears_by": None}  # fmt: skip


def _migrated(to):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(to)
    return executor.loader.project_state(to).apps


@pytest.mark.django_db(transaction=True)
def test_stored_decisions_point_at_notes_kept_once_and_back():
    # From an empty database, as the migration met one: not the reference data the suite shares.
    call_command("flush", interactive=False, verbosity=0)
    apps = _migrated(BEFORE)
    Person, Screening = apps.get_model("cases", "Person"), apps.get_model("cases", "Screening")
    Decision, Agreement = (
        apps.get_model("cases", "Decision"),
        apps.get_model("registry", "Agreement"),
    )
    State = apps.get_model("registry", "State")
    for code in ("US", "RW"):
        State.objects.create(code=code, name=code)
    agreement = Agreement.objects.create(key="us-rwanda", name="t", kind="integration",
                                         sending_state_id="US", receiving_state_id="RW",
                                         regime="us")  # fmt: skip
    screening = Screening.objects.create(as_of=date(2025, 9, 1))
    old = {
        "M-1": [{**NOTICE, "earliest_clear": "2025-09-05"}, {**STAY, "earliest_clear": None}],
        "M-2": [{**NOTICE, "earliest_clear": "2025-09-07"}],
        "M-3": [],
    }
    for number, gates in old.items():
        person = Person.objects.create(case_number=number, given_name="A", family_name="B",
                                       birth_date=date(1990, 1, 1))  # fmt: skip
        Decision.objects.create(screening=screening, person=person, agreement=agreement,
                                outcome="pending", gates=gates, regime_version="v")  # fmt: skip

    apps = _migrated(AFTER)
    screening = apps.get_model("cases", "Screening").objects.get()
    assert screening.notes == [NOTICE, STAY]
    stored = dict(
        apps.get_model("cases", "Decision").objects.values_list("person__case_number", "gate_notes")
    )
    assert stored == {"M-1": [[0, "2025-09-05"], [1, None]], "M-2": [[0, "2025-09-07"]], "M-3": []}

    apps = _migrated(BEFORE)
    back = dict(
        apps.get_model("cases", "Decision").objects.values_list("person__case_number", "gates")
    )
    assert back == old
    _migrated(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_a_stay_scope_in_free_text_becomes_every_removal_unless_it_was_a_country():
    call_command("flush", interactive=False, verbosity=0)
    apps = _migrated([("cases", "0006_facts_record_their_provenance")])
    Person, Stay = apps.get_model("cases", "Person"), apps.get_model("cases", "Stay")
    person = Person.objects.create(case_number="M-9", given_name="A", family_name="B",
                                   birth_date=date(1990, 1, 1))  # fmt: skip
    for scope in ("removal to a third country", "", "SV", "sv"):
        Stay.objects.create(person=person, granted_by="BIA", scope=scope,
                            valid_from=date(2025, 1, 1))  # fmt: skip
    apps = _migrated([("cases", "0007_case_file_says_more")])
    scopes = list(apps.get_model("cases", "Stay").objects.order_by("id").values_list("scope"))
    assert scopes == [("all_removals",), ("all_removals",), ("SV",), ("all_removals",)]
    _migrated(MigrationExecutor(connection).loader.graph.leaf_nodes())
