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


# A proof's few dozen subtrees, leaves and nodes alike, by their keys in one statement whose
# text never changes: PostgreSQL plans it once per connection and then only runs it.
_NODES = """
    SELECT 0, seq - 1, entry_hash FROM audit_auditentry WHERE seq = ANY(%s)
    UNION ALL
    SELECT n.level, n."index", encode(n.hash, 'hex')
    FROM unnest(%s::smallint[], %s::bigint[]) AS wanted(level, "index")
    JOIN audit_auditnode n ON n.level = wanted.level AND n."index" = wanted."index"
"""


def tree_nodes(wanted: set[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """The stored hashes of perfect subtrees (level, index): leaves from the entries, the
    rest from the nodes written as the tree grew."""
    leaves = [index + 1 for level, index in wanted if level == 0]
    above = [(level, index) for level, index in wanted if level > 0]
    if connection.vendor == "postgresql":
        found = _nodes_prepared(leaves, above)
    else:
        found = _nodes(leaves, above)
    missing = wanted - found.keys()
    if missing:
        level, index = min(missing)
        raise ProofError(f"the stored tree lacks the subtree {index} at level {level}")
    return found


def _nodes_prepared(leaves: list[int], above: list[tuple[int, int]]) -> dict:
    from psycopg import Cursor

    connection.ensure_connection()
    # Django's cursors bind on the client, so nothing they run is prepared; this one binds on
    # the server, inside whatever transaction the caller is in.
    with connection.wrap_database_errors, Cursor(connection.connection) as cursor:
        cursor.execute(
            _NODES,
            [leaves, [level for level, _ in above], [index for _, index in above]],
            prepare=True,
        )
        return {(level, index): bytes.fromhex(h) for level, index, h in cursor.fetchall()}


def _nodes(leaves: list[int], above: list[tuple[int, int]]) -> dict:
    found = {}
    if leaves:
        for seq, h in AuditEntry.objects.filter(seq__in=leaves).values_list("seq", "entry_hash"):
            found[(0, seq - 1)] = bytes.fromhex(h)
    if above:
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
