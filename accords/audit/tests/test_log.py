"""The audit log: one entry per state change, in its transaction, and any tampering is found."""

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from accords.audit.log import entry_append, log_verify
from accords.audit.models import AuditEntry
from accords.audit.tests.tools import tampering
from accords.core.tests.world import registry_empty
from accords.registry.models import Source
from accords.registry.services import source_create


def _source(key: str) -> Source:
    return source_create(actor=None, key=key, title=f"Title {key}", kind="press_report")


def _last_seq() -> int:
    """Where the log stands before the test acts: the shared reference data and accounts were
    loaded through the services, with their own entries."""
    last = AuditEntry.objects.order_by("seq").last()
    return last.seq if last else 0


@pytest.mark.django_db
def test_each_action_writes_exactly_one_entry_naming_what_it_changed():
    start = _last_seq()
    source = _source("first")
    entries = list(AuditEntry.objects.filter(seq__gt=start))
    assert len(entries) == 1
    assert entries[0].action == "source.create"
    assert entries[0].object_type == "registry.source"
    assert entries[0].object_id == str(source.pk)
    assert entries[0].details["arguments"]["key"] == "first"
    assert entries[0].actor_name == "system"


@pytest.mark.django_db
def test_a_refused_action_leaves_neither_change_nor_entry():
    sources, start = Source.objects.count(), _last_seq()
    _source("taken")
    with pytest.raises(Exception, match="already exists"):
        _source("taken")
    assert Source.objects.count() == sources + 1
    assert AuditEntry.objects.filter(seq__gt=start).count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_entry_cannot_be_written_outside_a_transaction():
    entries = AuditEntry.objects.count()
    with pytest.raises(RuntimeError, match="inside the transaction"):
        entry_append(actor=None, action="loose.write")
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_the_chain_verifies_and_the_command_says_so(capsys):
    start = _last_seq()
    for key in ("a", "b", "c"):
        _source(key)
    assert log_verify().ok and log_verify().entries == start + 3
    call_command("audit", "verify")
    assert f"{start + 3} entries" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["action", "actor_name", "details", "object_id"])
def test_editing_any_stored_field_is_detected(field):
    start = _last_seq()
    for key in ("a", "b", "c"):
        _source(key)
    value = {"details": {"forged": True}}.get(field, "forged")
    with tampering():
        AuditEntry.objects.filter(seq=start + 2).update(**{field: value})
    result = log_verify()
    assert not result.ok
    assert f"entry {start + 2} was altered" in result.problem
    with pytest.raises(CommandError, match="FAILS"):
        call_command("audit", "verify")


@pytest.mark.django_db
@pytest.mark.parametrize("forgery", ["another entry's leaf", "a leaf that is not JSON"])
def test_editing_the_stored_leaf_is_detected_and_the_check_can_run_again(forgery):
    """The stored leaf is what the hash covers: changed, it no longer hashes to the entry's
    hash or says what the columns say; even text no JSON parser reads is named, not a crash."""
    start = _last_seq()
    for key in ("a", "b", "c"):
        _source(key)
    other = AuditEntry.objects.get(seq=start + 3).leaf
    leaf = other if forgery == "another entry's leaf" else "{not json"
    with tampering():
        AuditEntry.objects.filter(seq=start + 2).update(leaf=leaf)
    for _ in range(2):
        result = log_verify()
        assert not result.ok and result.entries == start + 2
        assert f"entry {start + 2} was altered" in result.problem
    assert AuditEntry.objects.count() == start + 3


@pytest.mark.django_db
def test_a_leaf_forged_with_its_hash_and_chain_recomputed_still_disagrees_with_its_columns():
    """Rewriting the leaf text and every hash after it keeps the chain whole; the columns the
    pages show still say what happened, and verification names the entry."""
    from accords.audit.log import GENESIS, entry_body, entry_hash
    from accords.audit.log import VERIFIED_FIELDS as fields

    start = _last_seq()
    for key in ("a", "b", "c"):
        _source(key)
    prev = GENESIS
    with tampering():
        for entry in AuditEntry.objects.order_by("seq"):
            values = {f: getattr(entry, f) for f in fields}
            if entry.seq == start + 2:
                values["action"] = "source.forged"
            leaf, h = entry_body(**values, prev_hash=prev), entry_hash(**values, prev_hash=prev)
            AuditEntry.objects.filter(seq=entry.seq).update(
                leaf=leaf.decode(), prev_hash=prev, entry_hash=h
            )
            prev = h
    assert f"entry {start + 2} was altered" in log_verify().problem


@pytest.mark.django_db
def test_entries_whose_values_spell_the_leafs_own_keys_verify_and_their_edits_are_found():
    """The leaf is checked around its details by its keys: values and keys inside the details
    that spell those keys, quotes and letters beyond ASCII must neither break nor fool it."""
    from accords.audit.log import entries_append

    tricky = ',"details":{"object_id":"x"},"object_id":"é\\"'
    details = {"object_id": tricky, "details": {"seq": 1, ',"prev":': [tricky, 1.5, None]}}
    with transaction.atomic():
        entries_append([{"action": f'test.{tricky}', "details": details},
                        {"action": "test.plain", "details": {"n": 1}}])  # fmt: skip
    assert log_verify().ok
    start = _last_seq() - 2
    with tampering():
        AuditEntry.objects.filter(seq=start + 1).update(details={**details, "object_id": "y"})
    assert f"entry {start + 1} was altered" in log_verify().problem


@pytest.mark.django_db
def test_deleting_an_entry_is_detected():
    start = _last_seq()
    for key in ("a", "b", "c"):
        _source(key)
    with tampering():
        AuditEntry.objects.filter(seq=start + 2).delete()
    assert f"entry {start + 2} is missing" in log_verify().problem


@pytest.mark.django_db
def test_deleting_the_last_entry_is_detected_by_the_head():
    start = _last_seq()
    for key in ("a", "b"):
        _source(key)
    with tampering():
        AuditEntry.objects.filter(seq=start + 2).delete()
    assert not log_verify().ok


@pytest.mark.django_db
def test_rewriting_an_entry_with_a_fresh_hash_breaks_the_next_link():
    start = _last_seq()
    for key in ("a", "b", "c"):
        _source(key)
    forged = AuditEntry.objects.get(seq=start + 2)
    forged.entry_hash = "f" * 64
    with tampering():
        forged.save()
    assert not log_verify().ok


class TestAnySequenceOfActionsVerifies(HypothesisTestCase):
    @settings(max_examples=25, deadline=None)
    @given(st.lists(st.sampled_from(["create", "refuse"]), min_size=1, max_size=8))
    def test_entries_match_the_changes_that_happened(self, steps):
        from accords.audit.models import AuditHead, AuditNode

        registry_empty()

        with tampering():
            AuditEntry.objects.all().delete()
            AuditNode.objects.all().delete()
            AuditHead.objects.all().delete()
        Source.objects.all().delete()
        made = 0
        for i, step in enumerate(steps):
            if step == "create":
                _source(f"s{i}")
                made += 1
            elif made:
                with pytest.raises(Exception, match="already exists"):
                    _source("s" + str(steps.index("create")))
        assert AuditEntry.objects.count() == made == Source.objects.count()
        assert log_verify().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_gap_free_chain():
    if connection.vendor != "postgresql":
        pytest.skip("real parallel writers need PostgreSQL; SQLite serialises whole transactions")
    start = _last_seq()
    errors = []

    def writer(n: int):
        try:
            for i in range(10):
                with transaction.atomic():
                    entry_append(actor=None, action="test.append", details={"w": n, "i": i})
        except Exception as error:  # noqa: BLE001 - reported below, with the thread that hit it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    appended = AuditEntry.objects.filter(seq__gt=start).values_list("seq", flat=True)
    assert list(appended) == list(range(start + 1, start + 61))
    assert log_verify().ok


@settings(max_examples=300)
@given(
    seq=st.integers(1, 2**63 - 1),
    at=st.datetimes(timezones=st.just(__import__("datetime").timezone.utc)),
    names=st.lists(st.text(), min_size=4, max_size=4),
    details=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
        max_leaves=8,
    ),
)
def test_an_entry_is_spelled_as_the_canonical_json_of_its_fields(seq, at, names, details):
    """The hashed bytes are exactly the canonical JSON the log has always hashed."""
    from accords.audit.log import canonical_json, entry_body

    actor_name, action, object_type, object_id = names
    fields = dict(seq=seq, actor_name=actor_name, action=action, object_type=object_type,
                  object_id=object_id, details=details, prev_hash="ab" * 32)  # fmt: skip
    as_always = canonical_json(
        {"seq": seq, "at": at.isoformat(timespec="microseconds"), "actor": actor_name,
         "action": action, "object_type": object_type, "object_id": object_id,
         "details": details, "prev": "ab" * 32}
    )  # fmt: skip
    assert entry_body(at=at, **fields) == as_always.encode()
