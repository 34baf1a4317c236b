"""Every action that writes rows binds them: the database itself, watching through triggers of
its own, sees no row written by an action that the action's entry does not bind.

The triggers note each insert, update and delete of every table with the entry the write
belongs to (the log's size then, plus one: an action's entry is appended after its writes), so
what they see is independent of the signals and wrappers under test. The scenario runs every
action in the codebase that writes rows, through the paths the application uses (save, update,
bulk_create, COPY-style bulk appends, deletions and cascades).
"""

import importlib
import inspect
import pkgutil
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

import accords
from accords.audit.models import AuditEntry, AuditRow
from accords.audit.publishing import checkpoint_signed
from accords.audit.rows import LOG_MODELS, rows_check
from accords.audit.services import cosignature_create
from accords.cases.screening import screening_run, screenings_prune
from accords.cases.services import (
    case_import,
    caseload_export,
    officer_assign,
    saved_filter_delete,
    saved_filter_save,
)
from accords.cases.tests.conftest import case_doc
from accords.core.services import (
    user_password_change,
    user_preferences_set,
    user_sending_state_set,
)
from accords.demo.ledger import demo_ledger_ensure
from accords.demo.reception_care import demo_care_ensure
from accords.demo.reception_oversight import demo_reception_oversight_ensure
from accords.demo.services import caseload_bulk_load, caseload_import
from accords.demo.transfers import clock_stage, demo_transfers_ensure
from accords.jobs.services import job_request
from accords.ledger import services as ledger
from accords.programme.services import programme_policy_choose
from accords.registry.models import Agreement, Term
from accords.registry.services import (
    agreement_create,
    agreement_status_record,
    reported_transfer_record,
    source_create,
    term_create,
)
from accords.transfers import services
from accords.transfers.tests.stages import people, referred, world_make
from accords.transparency.services import statistics_publish

# Actions this scenario leaves out, and why.
NOT_RUN = {
    # Loaded once per test session (root conftest); its rows are bound like any other action's
    # through the same save paths the registry services use, which run here.
    "reference_data.load": "loaded once per session",
}

NESTING = 1  # actions run inside another action, at most one deep

pytestmark = pytest.mark.skipif(
    "connection.vendor != 'sqlite'", reason="the watching triggers are written for SQLite"
)


def _all_actions() -> set[str]:
    names = set()
    for module in pkgutil.walk_packages(accords.__path__, "accords."):
        if any(part in module.name for part in (".tests", ".migrations", ".management")):
            continue
        loaded = importlib.import_module(module.name)
        names |= {
            v.action_name
            for v in vars(loaded).values()
            if inspect.isfunction(v) and isinstance(getattr(v, "action_name", None), str)
        }
    return names


def _watched() -> dict[str, str]:
    """{table: model label} of every table an action may write: all but the log's own."""
    return {
        m._meta.db_table: m._meta.label_lower
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and m._meta.label_lower not in LOG_MODELS and not m._meta.is_composite_pk
    }


def _watch(tables: dict[str, str]) -> None:
    seq = "(SELECT COALESCE(MAX(size), 0) + 1 FROM audit_audithead)"
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE written (tbl TEXT, pk TEXT, seq INTEGER)")
        for table in tables:
            model = apps.get_model(tables[table])
            pk = model._meta.pk.column
            for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
                cursor.execute(
                    f'CREATE TEMP TRIGGER "watch_{table}_{event}" AFTER {event} ON "{table}" '
                    f"BEGIN INSERT INTO written VALUES ('{table}', {row}.\"{pk}\", {seq}); END"
                )


def _scenario(witness_key) -> None:
    world = world_make()
    officer, supervisor = world["sending.officer"], world["sending.supervisor"]
    today = timezone.localdate()
    user_sending_state_set(actor=None, user=officer, sending_state="US")
    user_password_change(actor=None, user=world["counsel"], password="another-demo-password")
    user_preferences_set(
        actor=None, user=world["counsel"], language="fr", time_zone="Africa/Kigali"
    )
    # Bulk loads (COPY-style appends) and case files (saves, deletes, bulk_create).
    caseload_import(actor=None, n=25, seed=7, counsel=["counsel"])
    caseload_bulk_load(actor=None, n=25, seed=8, counsel=["counsel"])
    (person,) = people("COV-1")
    changed = case_doc("COV-1", person={"given_name": "Other"}, country_requests=[])
    case_import(actor=None, records=[(1, changed)], source="test")
    # The whole transfer workflow and reception's care and oversight, as the demo stages them
    # and in its order (each flight takes whoever is cleared by then).
    demo_care_ensure()
    demo_transfers_ensure()
    demo_reception_oversight_ensure()
    screening_run(actor=None, as_of=today)
    # The worklist's own writes, and a second screening so that pruning deletes the first.
    officer_assign(actor=supervisor, people=[person], officer=officer)
    saved = saved_filter_save(actor=officer, name="Mine", query={"mine": "on"})
    saved_filter_delete(actor=officer, saved=saved)
    screening_run(actor=None, as_of=today)
    screenings_prune(actor=None, keep=1)
    # What the demo does not do.
    source = source_create(actor=None, key="cov-source", title="Coverage", kind="press_report")
    cited = [{"source": source.key, "confidence": "unconfirmed"}]
    agreement = agreement_create(actor=None, key="cov-aa", name="Coverage", sending="US",
                                 receiving="RW", kind="integration", regime="us")  # fmt: skip
    agreement_status_record(actor=None, agreement=agreement, status="in_force",
                            on=(today - timedelta(days=3)).isoformat(), sources=cited)  # fmt: skip
    term_create(actor=None, agreement=agreement, key="cov-term", kind=Term.Kind.ASSURANCE,
                text="A term", sources=cited)  # fmt: skip
    reported_transfer_record(actor=None, agreement=agreement, on=today.isoformat(), people=3,
                             text="Three people", sources=cited)  # fmt: skip
    referral = referred(world, people("COV-2")[0])
    notice = services.notice_serve(actor=officer, referral=referral, language="es")
    clock_stage(actor=None, notice=notice, days_ago=11)
    note = services.diplomatic_note_record(
        actor=supervisor, referral=referral, reference="NV-1", decision="accepted",
        decided_on=today, document=services.NoteFile(name="note.pdf", content=b"%PDF-1.4"),
    )  # fmt: skip
    services.diplomatic_note_confirm(actor=world["second.supervisor"], note=note)
    services.counsel_feed_issue(actor=supervisor, counsel=world["counsel"])
    # The ledger as the demo stages it; a programme's policy; the public statistics.
    demo_ledger_ensure()
    rwanda = Agreement.objects.get(key="us-rwanda")
    obliged = ledger.obligation_record(actor=None, agreement=rwanda, programme="services",
                                       amount=Decimal("10.00"), currency="USD", on=today)  # fmt: skip
    ledger.transfer_correct(actor=None, transfer=obliged, on=today)
    ledger.pendings_expire(actor=None, on=today)
    claim = ledger.claim_make(actor=None, agreement=rwanda, claimant="RW", currency="USD",
                              amount=Decimal("50.00"), basis="Coverage", made_on=today)  # fmt: skip
    ledger.claim_answer(actor=None, claim=claim, status="disputed")
    ledger.claim_settle(actor=None, claim=claim, amount=Decimal("20.00"), on=today)
    programme_policy_choose(actor=supervisor, agreement=agreement, notice_days=10,
                            valid_from=today, reason="Coverage")  # fmt: skip
    statistics_publish(actor=None)
    # Taking the caseload out as a file writes no row, only its entry.
    caseload_export(actor=supervisor, decision="blocked", sort="name")
    # A background job asked for: the request is bound; the runner's bookkeeping is not.
    job_request(actor=supervisor, kind="screening", arguments={"as_of": today.isoformat()})
    cosignature_create(actor=None, witness=witness_key[0], checkpoint=checkpoint_signed())


@pytest.mark.django_db
def test_every_row_an_action_writes_is_bound_to_its_entry(log_key, witness_key):
    tables = _watched()
    _watch(tables)
    try:
        _run_and_compare(tables, witness_key)
    finally:
        with connection.cursor() as cursor:
            for table in tables:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(f'DROP TRIGGER IF EXISTS "watch_{table}_{event}"')
            cursor.execute("DROP TABLE IF EXISTS written")


def _run_and_compare(tables, witness_key):
    from accords.core.services import user_create
    from accords.demo.accounts import DEMO_PASSWORD

    world_make_before = AuditEntry.objects.count()
    user_create(actor=None, username="second.supervisor", password=DEMO_PASSWORD,
                role="sending_supervisor", sending_state="US")  # fmt: skip
    _scenario(witness_key)

    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tbl, pk, seq FROM written")
        written = cursor.fetchall()
    bound = set(AuditRow.objects.values_list("entry_seq", "model", "object_pk"))
    actions = dict(AuditEntry.objects.values_list("seq", "action"))
    # A write belongs to the entry after the log's size at the time, or, when one action runs
    # another (plan.create lists manifests), to the enclosing action's entry just after it.
    unbound = sorted(
        (actions.get(seq, "(no action)"), tables[table], str(pk))
        for table, pk, seq in written
        if not any((s, tables[table], str(pk)) in bound for s in range(seq, seq + NESTING + 1))
    )
    assert not unbound, unbound[:20]
    assert len(written) > 500  # the scenario wrote in bulk, through every path
    run = set(AuditEntry.objects.filter(seq__gt=world_make_before).values_list("action", flat=True))
    assert _all_actions() - run - set(NOT_RUN) == set()
    # and what they bound is what is there: nothing was written outside an action
    check = rows_check()
    assert check.problems == [] and check.rows > 500
