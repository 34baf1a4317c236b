"""Signed checkpoints catch what the hash chain cannot: a log cut short or rewritten by someone
who could write to the database and recompute every hash, but holds no key outside it."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from accords.audit.checkpoint import checkpoint_open, note_open
from accords.audit.log import (
    GENESIS,
    VERIFIED_FIELDS,
    entries_append,
    entry_body,
    entry_hash,
    log_verify,
)
from accords.audit.merkle import Frontier, leaf_hash, verify_consistency, verify_inclusion
from accords.audit.models import AuditEntry, AuditHead, AuditNode, Cosignature
from accords.audit.selectors import consistency_proof, inclusion_proof, tree_root
from accords.audit.tests.tools import ORIGIN, tampering


def _append(n: int, start: int = 0) -> None:
    with transaction.atomic():
        entries_append(
            [{"action": "test.append", "details": {"i": i}} for i in range(start, start + n)]
        )


def _checkpoint(tmp_path, name="checkpoint.txt"):
    out = io.StringIO()
    call_command("audit", "checkpoint", stdout=out)
    path = tmp_path / name
    path.write_text(out.getvalue())
    return path


def _verify(*args) -> str:
    out = io.StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def _recompute_everything() -> None:
    """What an attacker with write access does after changing entries: recompute every hash
    of the chain, rebuild the stored tree and update the head, so the log is self-consistent."""
    prev, frontier, nodes = GENESIS, Frontier(), []
    with tampering():
        for entry in AuditEntry.objects.order_by("seq"):
            fields = {f: getattr(entry, f) for f in VERIFIED_FIELDS}
            leaf = entry_body(**fields, prev_hash=prev)
            h = entry_hash(**fields, prev_hash=prev)
            AuditEntry.objects.filter(seq=entry.seq).update(
                prev_hash=prev, entry_hash=h, leaf=leaf.decode()
            )
            nodes += [
                AuditNode(level=level, index=index, hash=x)
                for level, index, x in frontier.append(bytes.fromhex(h))
            ]
            prev = h
        AuditNode.objects.all().delete()
        AuditNode.objects.bulk_create(nodes)
        AuditHead.objects.filter(pk=1).update(
            size=frontier.size, last_hash=prev, frontier="".join(x.hex() for x in frontier.hashes)
        )


def _fails(*args) -> str:
    with pytest.raises(CommandError) as caught:
        _verify(*args)
    return str(caught.value)


@pytest.mark.django_db
def test_the_checkpoint_is_a_signed_note_of_the_tree_head(log_key, tmp_path):
    _append(5)
    note = _checkpoint(tmp_path).read_text()
    checkpoint = checkpoint_open(note, log_key.verifier, ORIGIN)
    assert (checkpoint.size, checkpoint.root) == (5, tree_root(5))
    assert note.startswith(f"{ORIGIN}\n5\n")
    assert "extends the checkpoint of 5 entries" in _verify(
        "--checkpoint", str(tmp_path / "checkpoint.txt")
    )


@pytest.mark.django_db
def test_a_log_that_grew_still_extends_its_checkpoint(log_key, tmp_path):
    _append(3)
    path = _checkpoint(tmp_path)
    _append(10, start=3)
    out = _verify("--checkpoint", str(path), "--key", str(log_key.verifier))
    assert "13 entries" in out and "extends the checkpoint of 3 entries" in out


@pytest.mark.django_db
def test_a_tail_cut_with_the_head_updated_passes_the_chain_but_not_the_checkpoint(
    log_key, tmp_path
):
    _append(8)
    path = _checkpoint(tmp_path)
    with tampering():
        AuditEntry.objects.filter(seq__gt=6).delete()
    _recompute_everything()
    assert log_verify().ok, "the chain alone cannot see it"
    problem = _fails("--checkpoint", str(path))
    assert "6 entries, fewer than the 8 of its checkpoint" in problem
    assert "fewer than the 8 of its checkpoint" in _fails("--checkpoint", str(path), "--state")


@pytest.mark.django_db
def test_a_history_rewritten_with_the_chain_recomputed_fails_at_the_first_checkpoint_it_breaks(
    log_key, tmp_path
):
    _append(3)
    early = _checkpoint(tmp_path, "early.txt")
    _append(3, start=3)
    later = _checkpoint(tmp_path, "later.txt")
    with tampering():
        AuditEntry.objects.filter(seq=5).update(details={"i": "forged"})
    _recompute_everything()
    assert log_verify().ok, "the chain alone cannot see it"
    problem = _fails("--checkpoint", str(later), "--checkpoint", str(early))
    assert "at size 6" in problem and "history was rewritten" in problem
    assert "at size 6" in _fails("--checkpoint", str(later), "--state")


@pytest.mark.django_db
@pytest.mark.parametrize("tamper", ["edit", "delete", "swap"])
def test_edits_deletions_and_swaps_are_caught_with_or_without_a_checkpoint(
    log_key, tmp_path, tamper
):
    _append(4)
    path = _checkpoint(tmp_path)
    with tampering():
        if tamper == "edit":
            AuditEntry.objects.filter(seq=2).update(action="forged")
        elif tamper == "delete":
            AuditEntry.objects.filter(seq=2).delete()
        else:
            two, three = AuditEntry.objects.get(seq=2), AuditEntry.objects.get(seq=3)
            AuditEntry.objects.filter(seq=2).update(details=three.details)
            AuditEntry.objects.filter(seq=3).update(details=two.details)
    assert "entry 2" in _fails()
    assert "entry 2" in _fails("--checkpoint", str(path))
    assert "entry 2" in _fails("--checkpoint", str(path), "--state")


@pytest.mark.django_db
def test_a_forged_subtree_in_the_stored_tree_breaks_the_consistency_proof(log_key, tmp_path):
    _append(3)
    path = _checkpoint(tmp_path)
    _append(5, start=3)
    with tampering():
        AuditNode.objects.filter(level=1, index=0).update(hash=b"\x00" * 32)
    assert "at size 3 the stored tree proves nothing" in _fails("--checkpoint", str(path))


@pytest.mark.django_db
def test_a_checkpoint_not_signed_by_the_log_or_malformed_is_named_as_bad_input(log_key, tmp_path):
    _append(2)
    path = _checkpoint(tmp_path)
    path.write_text(path.read_text().replace(f"{ORIGIN}\n2\n", f"{ORIGIN}\n3\n"))
    with pytest.raises(CommandError, match="--checkpoint .*does not verify") as caught:
        _verify("--checkpoint", str(path))
    assert caught.value.returncode == 2
    with pytest.raises(CommandError, match="cannot read") as caught:
        _verify("--checkpoint", str(tmp_path / "missing.txt"))
    assert caught.value.returncode == 2
    with pytest.raises(CommandError, match="--key: .*verifier key") as caught:
        _verify("--checkpoint", str(path), "--key", "not-a-key")
    assert caught.value.returncode == 2


@pytest.mark.django_db
def test_proofs_from_the_stored_tree_verify_at_every_size(log_key):
    _append(40)
    leaves = [bytes.fromhex(h) for h in AuditEntry.objects.values_list("entry_hash", flat=True)]
    for size in range(1, 41):
        root = tree_root(size)
        for index in (0, size // 2, size - 1):
            verify_inclusion(
                index=index,
                size=size,
                leaf=leaves[index],
                proof=inclusion_proof(index, size),
                root=root,
            )
        for size1 in range(1, size):
            verify_consistency(
                size1=size1, size2=size, root1=tree_root(size1), root2=root,
                proof=consistency_proof(size1, size),
            )  # fmt: skip


@pytest.mark.django_db
def test_entries_written_one_by_one_and_in_a_batch_make_one_tree(log_key):
    from accords.registry.services import source_create

    for key in ("a", "b", "c"):
        source_create(actor=None, key=key, title=f"Title {key}", kind="press_report")
    _append(6)
    leaves = [bytes.fromhex(h) for h in AuditEntry.objects.values_list("entry_hash", flat=True)]
    frontier = Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    assert tree_root(9) == frontier.root()
    assert log_verify().root == frontier.root()
    assert leaf_hash(b"") != leaves[0]


# Monitors: each holds their own key and cosigns only a log that extends what they cosigned.


def _cosign(key_path, checkpoint_path) -> str:
    out = io.StringIO()
    call_command("audit", "cosign", "--key", str(key_path), str(checkpoint_path), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_witness_cosigns_a_checkpoint_and_then_one_that_extends_it(
    log_key, witness_key, tmp_path
):
    witness, key_path = witness_key
    _append(3)
    cosigned = _cosign(key_path, _checkpoint(tmp_path))
    opened = note_open(cosigned, [log_key.verifier, witness.verifier])
    assert opened.verified == (log_key.verifier, witness.verifier)
    _append(4, start=3)
    _cosign(key_path, _checkpoint(tmp_path))
    assert list(Cosignature.objects.values_list("size", flat=True)) == [8, 3]
    assert AuditEntry.objects.filter(action="cosignature.create").count() == 2


@pytest.mark.django_db
def test_a_witness_refuses_a_rewritten_log_and_writes_nothing(log_key, witness_key, tmp_path):
    witness, key_path = witness_key
    _append(4)
    _cosign(key_path, _checkpoint(tmp_path))
    with tampering():
        AuditEntry.objects.filter(seq=2).update(details={"i": "forged"})
    _recompute_everything()
    # The log's own key signs the rewritten log: only the witness's memory can tell.
    forked = _checkpoint(tmp_path, "forked.txt")
    entries = AuditEntry.objects.count()
    with pytest.raises(
        CommandError, match="checkpoint: the log at 5 entries does not extend"
    ) as caught:
        _cosign(key_path, forked)
    assert caught.value.returncode == 2
    assert (Cosignature.objects.count(), AuditEntry.objects.count()) == (1, entries)


@pytest.mark.django_db
def test_a_witness_refuses_an_older_or_foreign_checkpoint_naming_it(log_key, witness_key, tmp_path):
    from accords.audit.checkpoint import signer_generate

    witness, key_path = witness_key
    _append(2)
    old = _checkpoint(tmp_path, "old.txt")
    _append(2, start=2)
    _cosign(key_path, _checkpoint(tmp_path))
    with pytest.raises(CommandError, match="already cosigned the log at 4 entries"):
        _cosign(key_path, old)
    foreign = tmp_path / "foreign.txt"
    impostor = signer_generate(ORIGIN)
    from accords.audit.checkpoint import note_sign

    foreign.write_text(note_sign(f"{ORIGIN}\n5\n{'A' * 43}=\n", impostor))
    with pytest.raises(CommandError, match="checkpoint: no known key signed this note"):
        _cosign(key_path, foreign)
    bad_key = tmp_path / "bad.key"
    bad_key.write_text("PRIVATE+KEY+nonsense")
    with pytest.raises(CommandError, match="--key") as caught:
        _cosign(bad_key, old)
    assert caught.value.returncode == 2
    log_key_file = tmp_path / "log.key"
    log_key_file.write_text(str(log_key))
    with pytest.raises(CommandError, match="witness: a witness cosigns with a cosigner key"):
        _cosign(log_key_file, old)


@pytest.mark.django_db
def test_postgresql_refuses_to_change_or_remove_what_the_log_holds(log_key, witness_key, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the refusals are PostgreSQL triggers")
    _append(4)
    _cosign(witness_key[1], _checkpoint(tmp_path))
    refusals = [
        lambda: AuditEntry.objects.filter(seq=2).update(action="forged"),
        lambda: AuditEntry.objects.filter(seq=4).delete(),
        lambda: AuditNode.objects.filter(level=1).update(hash=b"\x00" * 32),
        lambda: AuditNode.objects.all().delete(),
        lambda: Cosignature.objects.update(size=1),
        lambda: Cosignature.objects.all().delete(),
        lambda: AuditHead.objects.update(size=2),
        lambda: AuditHead.objects.all().delete(),
    ]
    for refused in refusals:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            refused()
    assert log_verify().ok and log_verify().entries == 5


@pytest.mark.django_db
def test_a_stored_tree_head_that_does_not_match_the_entries_is_named(log_key):
    _append(3)
    with tampering():
        AuditHead.objects.update(frontier="ab" * 32)
    assert log_verify().problem == "the stored tree head does not match the entries"


def test_keygen_makes_a_log_key_and_a_witness_key(capsys):
    from accords.audit.checkpoint import COSIGNATURE_V1, ED25519, signer_from, verifier_from

    call_command("audit", "keygen", "accords.example/log")
    signer_text, verifier_text = capsys.readouterr().out.split()
    assert signer_from(signer_text).verifier == verifier_from(verifier_text)
    assert verifier_from(verifier_text).key_type == ED25519
    call_command("audit", "keygen", "monitor.example/w2", "--witness")
    assert verifier_from(capsys.readouterr().out.split()[1]).key_type == COSIGNATURE_V1
    with pytest.raises(CommandError, match="NAME: key name 'a b'") as caught:
        call_command("audit", "keygen", "a b")
    assert caught.value.returncode == 2


@pytest.mark.django_db
def test_the_log_key_comes_from_a_file_and_a_wrong_one_is_named(settings, tmp_path):
    from accords.audit.checkpoint import signer_generate

    settings.AUDIT_LOG_ORIGIN, settings.AUDIT_LOG_KEY = ORIGIN, ""
    key_file = tmp_path / "log.key"
    settings.AUDIT_LOG_KEY_FILE = str(key_file)
    with pytest.raises(
        CommandError, match="ACCORDS_LOG_KEY_FILE names .*log.key, which does not exist"
    ):
        call_command("audit", "checkpoint", stdout=io.StringIO())
    key = signer_generate(ORIGIN)
    key_file.write_text(f"{key}\n")
    _append(2)
    path = _checkpoint(tmp_path)
    assert checkpoint_open(path.read_text(), key.verifier, ORIGIN).size == 2
    key_file.write_text(f"{signer_generate('elsewhere.example/log')}\n")
    with pytest.raises(CommandError, match="named 'elsewhere.example/log', its origin is"):
        call_command("audit", "checkpoint", stdout=io.StringIO())
    key_file.write_text("PRIVATE+KEY+garbage\n")
    with pytest.raises(CommandError, match="signing key is malformed"):
        call_command("audit", "checkpoint", stdout=io.StringIO())


@pytest.mark.django_db
def test_a_witness_key_never_reaches_the_audit_log(log_key, witness_key, tmp_path):
    witness, key_path = witness_key
    _append(1)
    _cosign(key_path, _checkpoint(tmp_path))
    entry = AuditEntry.objects.get(action="cosignature.create")
    # PRIVATE+KEY+name+id+material, and the base64 material may itself hold a "+".
    secret = str(witness).split("+", 4)[4]
    assert entry.object_type == "audit.cosignature" and entry.object_id
    assert secret not in str(entry.details) and witness.seed.hex() not in str(entry.details)
