"""Appending to the audit log and checking it end to end.

Each entry's hash is an RFC 6962 leaf hash, SHA-256(0x00 || canonical bytes), where the
canonical bytes include the previous entry's hash: the chain makes any edit, insertion or
deletion of a stored entry visible from that entry onwards, and the entries are the leaves of
the log's Merkle tree (accords.audit.merkle) as they always were, so no history is rehashed.
Each append also stores the perfect subtrees it completes (AuditNode) and the tree head's
frontier, so proofs at any size are read, not recomputed.

The chain alone cannot see a cut tail or a history rewritten with every hash recomputed by
someone who can write to the database: a signed checkpoint kept outside it can
(`checkpoints_check`).
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from json.encoder import encode_basestring_ascii

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.utils import DataError
from django.utils import timezone

from accords.audit.merkle import (
    Frontier,
    ProofError,
    verify_consistency,
)
from accords.audit.models import AuditEntry, AuditHead, AuditNode, AuditRow
from accords.audit.selectors import consistency_proof

GENESIS = "0" * 64


# One encoder for every entry: json.dumps(..., cls=...) would build a new one per call, which
# is most of the cost of hashing an entry.
_CANONICAL = DjangoJSONEncoder(sort_keys=True, separators=(",", ":"))
_string = encode_basestring_ascii


def canonical_json(value) -> str:
    """One spelling per value: sorted keys, no spaces, dates and decimals as strings."""
    return _CANONICAL.encode(value)


def entry_body(*, seq, at, actor_name, action, object_type, object_id, details, prev_hash) -> bytes:
    """The bytes an entry's leaf hashes: what a mirror of the log's tiles receives. `at` is
    the time, or its ISO 8601 spelling with microseconds as the database gave it.

    This is canonical_json of the dict {seq, at, actor, action, object_type, object_id,
    details, prev}, spelled out key by key in sorted order: building the dict for the encoder
    would cost a third of it (the equality is a property test)."""
    if not isinstance(at, str):
        at = at.isoformat(timespec="microseconds")
    return _leaf_text(seq, at, actor_name, action, object_type, object_id,
                      _CANONICAL.encode(details), prev_hash).encode()  # fmt: skip


def _leaf_text(seq, at: str, actor_name, action, object_type, object_id, details: str, prev) -> str:
    """entry_body as text, from the details already spelled as canonical JSON."""
    return (
        f'{{"action":{_string(action)},"actor":{_string(actor_name)},"at":{_string(at)},'
        f'"details":{details},"object_id":{_string(object_id)},'
        f'"object_type":{_string(object_type)},"prev":{_string(prev)},"seq":{int(seq)}}}'
    )


def rows_commitment(rows: list[tuple[str, str, str]]) -> dict:
    """What an entry's leaf commits to of the rows its action wrote: their count and the
    SHA-256 of their canonical list, sorted (model label, pk, digest, or "" if deleted)."""
    text = canonical_json([list(r) for r in rows])
    return {"count": len(rows), "sha256": hashlib.sha256(text.encode()).hexdigest()}


def entry_hash(**fields) -> str:
    return hashlib.sha256(b"\x00" + entry_body(**fields)).hexdigest()


def object_label(obj) -> tuple[str, str]:
    if isinstance(obj, models.Model):
        return obj._meta.label_lower, str(obj.pk)
    return "", ""


def frontier_of(head: AuditHead) -> Frontier:
    text = head.frontier
    return Frontier(head.size, [bytes.fromhex(text[i : i + 64]) for i in range(0, len(text), 64)])


def _stored_frontier(head: AuditHead) -> list[bytes] | None:
    try:
        return frontier_of(head).hashes
    except ValueError:
        return None


def entry_append(
    *, actor, action: str, obj=None, details: dict | None = None, rows=None
) -> AuditEntry:
    """Append one entry. Must run inside the transaction of the change it records. `rows`:
    (model label, pk, digest or None) of the domain rows the change wrote (accords.audit.rows)."""
    record = dict(actor=actor, action=action, obj=obj, details=details)
    if rows is not None:
        record["rows"] = rows
    size = entries_append([record])
    return AuditEntry.objects.get(seq=size)


ENTRY_COLUMNS = ["seq", "at", "actor_id", "actor_name", "action", "object_type", "object_id",
                 "details", "prev_hash", "entry_hash", "leaf"]  # fmt: skip


def entries_append(records: list[dict]) -> int:
    """Append entries (each: actor, action, obj, details, and optionally rows) under one lock
    of the head; return the log's size after them. An entry with rows commits to their digests
    in its details (`rows`: their count and SHA-256), and the digests are stored beside it.

    One action appends one; the batch form is for bulk work whose every record is its own
    fact (and for the benchmark), at the cost of one head update and two inserts per batch.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("an audit entry must be written inside the transaction it records")
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    frontier = frontier_of(head)
    prev, now = head.last_hash or GENESIS, timezone.now()
    at = now.isoformat(timespec="microseconds")
    nodes, bound = [], []
    sha256 = hashlib.sha256

    def spelled():
        """Each entry's row, spelled and hashed as the insert consumes it: on PostgreSQL the
        server stores one part of the batch while the next is hashed."""
        nonlocal prev
        for record in records:
            actor = record.get("actor")
            actor_name = actor.get_username() if actor else "system"
            object_type, object_id = object_label(record.get("obj"))
            details = record.get("details") or {}
            seq = frontier.size + 1
            if (rows := record.get("rows")) is not None:
                details = {**details, "rows": rows_commitment(rows)}
                bound.extend((seq, *row) for row in rows)
            # Spelled once: the details as stored (canonical JSON, read back the same on any
            # database) are the very text inside the leaf, which is stored as it was hashed.
            details = canonical_json(details)
            leaf = _leaf_text(seq, at, actor_name, record["action"], object_type, object_id,
                              details, prev)  # fmt: skip
            digest = sha256(b"\x00" + leaf.encode()).digest()
            row = (seq, now, actor.pk if actor else None, actor_name, record["action"],
                   object_type, object_id, details, prev, digest.hex(), leaf)  # fmt: skip
            prev = row[9]
            nodes.extend(frontier.append(digest))
            yield row

    _insert(AuditEntry, ENTRY_COLUMNS, spelled())
    _insert(AuditNode, ["level", "index", "hash"], nodes)
    _insert(AuditRow, ["entry_seq", "model", "object_pk", "digest"], bound)
    head.size, head.last_hash = frontier.size, prev
    head.frontier = "".join(h.hex() for h in frontier.hashes)
    head.save(update_fields=["size", "last_hash", "frontier"])
    return head.size


def _insert(model, columns: list[str], rows: Iterable[tuple]) -> None:
    """Insert rows of plain values. On PostgreSQL by COPY: the ORM's bulk insert spends more
    per row than the hashing does, and the log's appends are the hottest write of all."""
    if isinstance(rows, list) and not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            adapt = connection.ops.adapt_datetimefield_value
            rows = [tuple(adapt(v) if isinstance(v, datetime) else v for v in row) for row in rows]
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


@dataclass(frozen=True)
class Verification:
    entries: int
    ok: bool
    problem: str = ""
    # The tree heads recomputed from the entries: at the end, and at each size asked for.
    root: bytes = b""
    roots: dict = field(default_factory=dict)


VERIFIED_FIELDS = ["seq", "at", "actor_name", "action", "object_type", "object_id", "details"]


class ChainBroken(Exception):
    def __init__(self, entries: int, problem: str):
        super().__init__(problem)
        self.entries, self.problem = entries, problem


# On PostgreSQL the database checks that each entry's columns say what its stored leaf says:
# the leaf parsed once, each of its fields compared with its column as a value; Python hashes
# the leaf. The rows come by COPY, which streams: the server parses and compares ahead of
# Python's hashing instead of waiting for each fetch. The time is spelled as isoformat() spells
# it. (Spelling the text around the details in Python and parsing only the details measured
# no cheaper: finding where they end costs the database about what parsing the rest does.)
_LEAF_ROWS = """
    SELECT seq, prev_hash, entry_hash, leaf,
           j -> 'details' = details AND j ->> 'action' = action
           AND j ->> 'actor' = actor_name
           AND j ->> 'at' = to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')
           AND j ->> 'object_id' = object_id AND j ->> 'object_type' = object_type
           AND j ->> 'prev' = prev_hash AND j -> 'seq' = to_jsonb(seq)
    FROM audit_auditentry CROSS JOIN LATERAL (SELECT leaf::jsonb AS j OFFSET 0) AS parsed
    WHERE seq <= {size} ORDER BY seq
"""
_LEAF_TYPES = ["int8", "text", "text", "text", "bool"]
CHUNK = 20_000


def _leaf_rows(size: int):
    """(seq, prev_hash, entry_hash, leaf, whether the columns say what the leaf says) of every
    entry up to `size`, in order."""
    if connection.vendor != "postgresql":
        yield from _leaf_rows_in_python(0, size)
        return
    done = 0
    try:
        # The SET LOCAL ends with this transaction (no caller runs inside another).
        with transaction.atomic(), connection.cursor() as cursor:
            # In the order of the key's index, never sorted apart: right after a bulk load the
            # planner's statistics may not know the table has grown.
            cursor.execute("SET LOCAL enable_sort = off")
            query = _LEAF_ROWS.format(size=int(size))
            with cursor.cursor.copy(f"COPY ({query}) TO STDOUT") as copy:
                copy.set_types(_LEAF_TYPES)
                for row in copy.rows():
                    yield row
                    done = row[0]
    except (DataError, connection.Database.DataError):
        # A leaf that is not JSON at all stops the database's parse: the entries from the one
        # after the last yielded are compared in Python, which names the first bad one.
        yield from _leaf_rows_in_python(done, size)


def _leaf_rows_in_python(after: int, size: int):
    """As _leaf_rows, the entries after `after` up to `size`, each leaf parsed in Python."""
    rows = AuditEntry.objects.filter(seq__gt=after, seq__lte=size).order_by("seq")
    fields = rows.values_list(*VERIFIED_FIELDS, "prev_hash", "entry_hash", "leaf")
    for (
        seq,
        at,
        actor_name,
        action,
        object_type,
        object_id,
        details,
        prev,
        stored,
        leaf,
    ) in fields.iterator(chunk_size=CHUNK):
        columns = {"action": action, "actor": actor_name, "at": _spelled(at),
                   "details": details, "object_id": object_id, "object_type": object_type,
                   "prev": prev, "seq": seq}  # fmt: skip
        yield seq, prev, stored, leaf, _parsed(leaf) == columns


def _spelled(at) -> str:
    return at.isoformat(timespec="microseconds")


def _parsed(leaf: str):
    try:
        return json.loads(leaf)
    except ValueError:
        return None


def chain_leaves(size: int | None = None):
    """Every entry's leaf hash (bytes), in order, each computed from the entry's stored leaf;
    raises ChainBroken at the first entry that is missing, out of place or altered: its leaf
    not hashing to its stored hash, or its columns not saying what its leaf says."""
    sha256, prev = hashlib.sha256, GENESIS
    rows = _leaf_rows(2**63 - 1 if size is None else size)
    for count, (seq, prev_hash, stored, leaf, matches) in enumerate(rows, start=1):
        if seq != count:
            raise ChainBroken(count - 1, f"entry {count} is missing (found {seq})")
        if prev_hash != prev:
            raise ChainBroken(count, f"entry {seq} does not follow entry {count - 1}")
        digest = sha256(b"\x00" + leaf.encode()).digest()
        if not matches or digest.hex() != stored:
            raise ChainBroken(count, f"entry {seq} was altered after it was written")
        prev = stored
        yield digest


def entry_bodies(size: int):
    """The first `size` entries' leaf bytes, in order, each checked as `chain_leaves` does."""
    sha256, prev = hashlib.sha256, GENESIS
    for seq, prev_hash, stored, leaf, matches in _leaf_rows(size):
        body = leaf.encode()
        if not matches or prev_hash != prev or sha256(b"\x00" + body).hexdigest() != stored:
            raise ChainBroken(seq, f"entry {seq} was altered after it was written")
        prev = stored
        yield body


def log_verify(*, sizes=()) -> Verification:
    """Recompute every hash in order, and the tree over them; report the first entry that
    does not check out. `sizes`: tree sizes whose recomputed heads to report as well."""
    wanted, roots = set(sizes), {}
    frontier, leaves, last = Frontier(), [], b""
    if 0 in wanted:
        roots[0] = frontier.root()
    try:
        # The tree is grown a chunk of leaves at a time (whole subtrees at once), and up to
        # each size asked for exactly, to take its head there.
        for last in chain_leaves():
            leaves.append(last)
            size = frontier.size + len(leaves)
            if size in wanted or len(leaves) == CHUNK:
                frontier.extend(leaves)
                leaves = []
                if size in wanted:
                    roots[size] = frontier.root()
    except ChainBroken as broken:
        return Verification(broken.entries, False, broken.problem)
    frontier.extend(leaves)
    count, root = frontier.size, frontier.root()
    head = AuditHead.objects.filter(pk=1).first()
    if head and (head.size != count or (count and head.last_hash != last.hex())):
        return Verification(
            count, False, f"the log head records {head.size} entries, found {count}"
        )
    if head and count and _stored_frontier(head) != frontier.hashes:
        return Verification(count, False, "the stored tree head does not match the entries")
    return Verification(count, True, root=root, roots=roots)


def checkpoints_check(checkpoints: list[tuple[int, bytes]]) -> Verification:
    """Prove the log today extends each checkpointed tree (size, root), smallest first:
    recompute every entry, compare the tree at each checkpoint's size with the root it
    signed, and check the consistency proof the stored tree gives from there to today.
    Names the first checkpoint size that does not check out."""
    result = log_verify(sizes=[size for size, _ in checkpoints])
    if not result.ok:
        return result
    for size, root in sorted(checkpoints):
        if size > result.entries:
            return _fails(result, f"the log holds {result.entries} entries, fewer than the "
                          f"{size} of its checkpoint: entries were cut from its end")  # fmt: skip
        if result.roots[size] != root:
            return _fails(result, f"at size {size} the entries no longer give the root the "
                          "checkpoint signed: the history was rewritten")  # fmt: skip
        if 0 < size < result.entries:
            try:
                verify_consistency(
                    size1=size, size2=result.entries, root1=root, root2=result.root,
                    proof=consistency_proof(size, result.entries),
                )  # fmt: skip
            except ProofError as error:
                return _fails(result, f"at size {size} the stored tree proves nothing: {error}")
    return result


def _fails(result: Verification, problem: str) -> Verification:
    return Verification(result.entries, False, problem, result.root, result.roots)
