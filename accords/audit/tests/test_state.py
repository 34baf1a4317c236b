"""Domain rows bound to the log: each entry commits to the digests of the rows its action wrote,
and `accords audit verify --state` names every row changed, deleted or restored outside one."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from accords.audit.log import rows_commitment
from accords.audit.models import AuditEntry, AuditRow
from accords.audit.rows import row_digests, rows_check, rows_noted
from accords.audit.tests.test_checkpoints import _recompute_everything
from accords.audit.tests.tools import tampering
from accords.cases.models import Acceptance, FearClaim
from accords.core.actions import action
from accords.registry.models import Source
from accords.registry.services import source_create
from accords.transfers import services
from accords.transfers.models import Referral
from accords.transfers.tests.stages import people, referred, world_make


def _verify(*args) -> str:
    out = io.StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def _fails(*args) -> str:
    with pytest.raises(CommandError) as caught:
        _verify(*args)
    return str(caught.value)


def _source(key: str) -> Source:
    return source_create(actor=None, key=key, title=f"Title {key}", kind="press_report")


@action("test.sources_rewrite")
def _sources_rewrite(*, actor, keys: list[str], gone: str) -> None:
    """Every path that writes rows without a signal, and one that does with."""
    Source.objects.filter(key__in=keys).update(title="Rewritten")
    made = Source.objects.bulk_create(
        [Source(key=f"{k}-copy", title="Copy", kind="press_report") for k in keys]
    )
    for made_one in made:
        made_one.title = "Copy, corrected"
    Source.objects.bulk_update(made, ["title"])
    Source.objects.filter(key=gone).delete()


def _bound(seq: int) -> dict:
    return {(r.model, r.object_pk): r.digest for r in AuditRow.objects.filter(entry_seq=seq)}


@pytest.mark.django_db
def test_an_entry_commits_to_the_rows_its_action_wrote_as_they_stood_after_it():
    source = _source("first")
    entry = AuditEntry.objects.order_by("seq").last()
    bound = _bound(entry.seq)
    assert list(bound) == [("registry.source", str(source.pk))]
    with rows_noted() as written:
        written[Source] = {source.pk}
    assert row_digests(written) == [
        ("registry.source", str(source.pk), bound[("registry.source", str(source.pk))])
    ]
    rows = sorted((m, p, d) for (m, p), d in bound.items())
    assert entry.details["rows"] == rows_commitment(rows)
    assert "Title first" not in str(entry.details) + str(bound)
    assert "the 1 rows the log binds are as their last actions left them" in _verify("--state")


@pytest.mark.django_db
def test_updates_bulk_writes_and_deletions_are_bound_too():
    kept, gone = _source("kept"), _source("gone")
    _sources_rewrite(actor=None, keys=["kept"], gone="gone")
    entry = AuditEntry.objects.order_by("seq").last()
    bound = _bound(entry.seq)
    copy = Source.objects.get(key="kept-copy")
    assert set(bound) == {
        ("registry.source", str(kept.pk)),
        ("registry.source", str(copy.pk)),
        ("registry.source", str(gone.pk)),
    }
    assert bound[("registry.source", str(gone.pk))] == ""  # deleted by the action
    assert all(bound[("registry.source", str(pk))] for pk in (kept.pk, copy.pk))
    _verify("--state")


@pytest.mark.django_db
def test_writes_outside_any_action_are_not_noted_and_change_nothing_in_the_log():
    start = AuditEntry.objects.count()
    Source.objects.create(key="loose", title="Loose", kind="press_report")
    Source.objects.filter(key="loose").update(title="Still loose")
    assert AuditEntry.objects.count() == start
    assert not AuditRow.objects.filter(object_pk=str(Source.objects.get(key="loose").pk)).exists()


# -- Tampering with domain rows, caught by --state (and the log itself still verifies) ----------


@pytest.fixture
def world(db):
    return world_make()


def _declined(world) -> Referral:
    (person,) = people("A-STATE-1")
    referral = referred(world, person)
    services.notice_serve(actor=world["sending.officer"], referral=referral, language="es")
    return services.acceptance_decide(
        actor=world["receiving.officer"], referral=referral, decision="declined",
        reasons="Identity not confirmed.",
    )  # fmt: skip


def _caught(label: str, pk, problem: str) -> None:
    assert "audit log verifies" in _verify()  # the chain is intact: the rows were changed
    message = _fails("--state")
    assert f"{label} {pk} {problem}" in message, message


@pytest.mark.django_db
def test_an_acceptance_turned_from_declined_to_accepted_is_named(world):
    referral = _declined(world)
    assert "rows the log binds are as their last actions left them" in _verify("--state")
    Acceptance.objects.filter(pk=referral.acceptance_id).update(decision="accepted")
    _caught("cases.acceptance", referral.acceptance_id, "was changed outside an action")
    seq = AuditEntry.objects.filter(action="acceptance.decide").order_by("seq").last().seq
    assert f"(last written by entry {seq})" in _fails("--state")


@pytest.mark.django_db
def test_a_referrals_status_changed_outside_an_action_is_named(world):
    (person,) = people("A-STATE-2")
    referral = referred(world, person)
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.HANDED_OVER)
    _caught("transfers.referral", referral.pk, "was changed outside an action")


@pytest.mark.django_db
def test_a_fear_claims_outcome_changed_outside_an_action_is_named(world):
    (person,) = people("A-STATE-3")
    officer = world["sending.officer"]
    today = timezone.localdate()
    claim = services.fear_claim_record(actor=officer, person=person, country="RW",
                                       stated_on=today - timedelta(days=2))  # fmt: skip
    services.fear_claim_screen(actor=officer, claim=claim, outcome="negative",
                               screened_on=today - timedelta(days=1))  # fmt: skip
    FearClaim.objects.filter(pk=claim.pk).update(outcome="positive")
    _caught("cases.fearclaim", claim.pk, "was changed outside an action")


@pytest.mark.django_db
def test_a_row_deleted_or_restored_outside_an_action_is_named(world):
    referral = _declined(world)
    Referral.objects.filter(pk=referral.pk).update(acceptance=None)
    Acceptance.objects.filter(pk=referral.acceptance_id).delete()
    message = _fails("--state")
    assert f"cases.acceptance {referral.acceptance_id} was deleted outside an action" in message
    assert f"transfers.referral {referral.pk} was changed outside an action" in message
    # A source an action deleted, put back by hand.
    back = _source("back")
    _sources_rewrite(actor=None, keys=[], gone=back.key)
    Source.objects.create(pk=back.pk, key="back", title="Title back", kind="press_report")
    assert f"registry.source {back.pk} was deleted by its last action but is there now" in _fails(
        "--state"
    )


@pytest.mark.django_db
def test_a_change_made_through_an_action_afterwards_is_not_a_problem(world):
    referral = _declined(world)
    services.referral_withdraw(actor=world["sending.officer"], referral=referral,
                               reason="Closed.")  # fmt: skip
    _verify("--state")


@pytest.mark.django_db
def test_digests_rewritten_to_match_a_tampered_row_break_their_entrys_commitment(world):
    referral = _declined(world)
    Acceptance.objects.filter(pk=referral.acceptance_id).update(decision="accepted")
    # The attacker recomputes the row's digest and writes it over the stored one.
    with rows_noted() as written:
        written[Acceptance] = {referral.acceptance_id}
    ((_, pk, forged),) = row_digests(written)
    row = AuditRow.objects.filter(model="cases.acceptance", object_pk=pk).order_by("entry_seq")
    seq = row.last().entry_seq
    with tampering():
        row.filter(entry_seq=seq).update(digest=forged)
    message = _fails("--state")
    assert f"entry {seq}: its row digests are not those its entry committed to" in message


@pytest.mark.django_db
def test_many_problems_are_counted_and_the_first_hundred_named(world):
    sources = [Source(key=f"many-{i}", title="t", kind="press_report") for i in range(150)]
    _bulk_sources(actor=None, sources=sources)
    Source.objects.filter(key__startswith="many-").update(title="changed")
    message = _fails("--state")
    assert "150 of the" in message and "and 50 more" in message
    assert rows_check().rows >= 150


@action("test.sources_bulk")
def _bulk_sources(*, actor, sources: list) -> None:
    Source.objects.bulk_create(sources)


@pytest.mark.django_db
def test_the_log_itself_is_checked_before_the_rows(world):
    """A tampered log fails as a log: --state adds to the check, never replaces it."""
    _declined(world)
    with tampering():
        AuditEntry.objects.filter(seq=1).update(action="forged")
    assert "audit log FAILS" in _fails("--state")


def test_a_nul_byte_or_an_unknown_model_in_the_stored_digests_is_reported_not_raised(db):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL refuses the NUL byte in text itself")
    _source("x")
    seq = AuditEntry.objects.order_by("seq").last().seq
    with tampering():
        AuditRow.objects.create(entry_seq=seq, model="gone.model\x00", object_pk="1", digest="ab")
    assert f"entry {seq}: its row digests are not those its entry committed to" in _fails("--state")


@pytest.mark.django_db
def test_a_row_edit_covered_up_in_the_log_itself_fails_the_last_checkpoint(
    world, log_key, tmp_path
):
    """The attacker edits the acceptance, rewrites its stored digest and the entry's
    commitment, and recomputes the whole chain: --state sees nothing, the checkpoint does."""
    referral = _declined(world)
    path = tmp_path / "checkpoint.txt"
    path.write_text(_checkpoint_text())
    Acceptance.objects.filter(pk=referral.acceptance_id).update(decision="accepted")
    with rows_noted() as written:
        written[Acceptance] = {referral.acceptance_id}
    ((_, pk, forged),) = row_digests(written)
    seq = (
        AuditRow.objects.filter(model="cases.acceptance", object_pk=pk)
        .order_by("entry_seq")
        .last()
        .entry_seq
    )
    entry = AuditEntry.objects.get(seq=seq)
    with tampering():
        AuditRow.objects.filter(entry_seq=seq, model="cases.acceptance").update(digest=forged)
        rows = sorted(
            AuditRow.objects.filter(entry_seq=seq).values_list("model", "object_pk", "digest")
        )
        details = {**entry.details, "rows": rows_commitment(rows)}
        AuditEntry.objects.filter(seq=seq).update(details=details)
    _recompute_everything()
    assert "rows the log binds are as their last actions left them" in _verify("--state")
    assert "history was rewritten" in _fails("--checkpoint", str(path), "--state")


def _checkpoint_text() -> str:
    out = io.StringIO()
    call_command("audit", "checkpoint", stdout=out)
    return out.getvalue()
