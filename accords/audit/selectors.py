"""Reads of the audit log: stored subtrees, tree heads and proofs at any size, cosignatures."""

from django.db import connection

from accords.audit.merkle import (
    ProofError,
    consistency_ranges,
    inclusion_ranges,
    proof_from,
    root_from,
)
from accords.audit.models import AuditEntry, AuditHead, AuditNode, Cosignature


def log_size() -> int:
    head = AuditHead.objects.filter(pk=1).first()
    return head.size if head else 0


def tree_nodes(wanted: set[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """The stored hashes of perfect subtrees (level, index): leaves from the entries, the
    rest from the nodes written as the tree grew; all in at most two queries."""
    found = {}
    leaves = [index + 1 for level, index in wanted if level == 0]
    if leaves:
        for seq, h in AuditEntry.objects.filter(seq__in=leaves).values_list("seq", "entry_hash"):
            found[(0, seq - 1)] = bytes.fromhex(h)
    above = [(level, index) for level, index in wanted if level > 0]
    if above:
        # A proof's few dozen subtrees by their key in one statement; the ORM's OR of as many
        # conditions costs more to compile than the database takes to answer.
        table = connection.ops.quote_name(AuditNode._meta.db_table)
        pairs = ", ".join(["(%s, %s)"] * len(above))
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT level, "index", hash FROM {table} '
                f'WHERE (level, "index") IN (VALUES {pairs})',
                [value for pair in above for value in pair],
            )
            for level, index, h in cursor.fetchall():
                found[(level, index)] = bytes(h)
    missing = wanted - found.keys()
    if missing:
        level, index = min(missing)
        raise ProofError(f"the stored tree lacks the subtree {index} at level {level}")
    return found


def consistency_proof(size1: int, size2: int) -> list[bytes]:
    return proof_from(consistency_ranges(size1, size2), tree_nodes)


def tree_root(size: int) -> bytes:
    return root_from(size, tree_nodes)


def inclusion_proof(index: int, size: int) -> list[bytes]:
    """The audit path of entry index + 1 (leaf `index`) in the tree of `size` entries."""
    return proof_from(inclusion_ranges(index, size), tree_nodes)


def cosignature_latest() -> Cosignature | None:
    return Cosignature.objects.order_by("-size", "-timestamp").first()


def cosignatures_of(*, size: int, root_hash: str) -> list[Cosignature]:
    return list(Cosignature.objects.filter(size=size, root_hash=root_hash).order_by("witness"))
