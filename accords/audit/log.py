"""Appending to the audit log and checking it end to end.

Each entry's hash is an RFC 6962 leaf hash, SHA-256(0x00 || canonical bytes), where the
canonical bytes include the previous entry's hash: the chain makes any edit, insertion or
deletion of a stored entry visible from that entry onwards, and the leaf form lets the log grow
into a Merkle tree without rehashing history.
"""

import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from accords.audit.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def canonical_json(value) -> str:
    """One spelling per value: sorted keys, no spaces, dates and decimals as strings."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)


def entry_hash(*, seq, at, actor_name, action, object_type, object_id, details, prev_hash) -> str:
    body = canonical_json(
        {
            "seq": seq,
            "at": at.isoformat(timespec="microseconds"),
            "actor": actor_name,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "details": details,
            "prev": prev_hash,
        }
    )
    return hashlib.sha256(b"\x00" + body.encode()).hexdigest()


def object_label(obj) -> tuple[str, str]:
    if isinstance(obj, models.Model):
        return obj._meta.label_lower, str(obj.pk)
    return "", ""


def entry_append(*, actor, action: str, obj=None, details: dict | None = None) -> AuditEntry:
    """Append one entry. Must run inside the transaction of the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("an audit entry must be written inside the transaction it records")
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    # Round-trip through JSON so the stored details hash the same when read back.
    details = json.loads(canonical_json(details or {}))
    object_type, object_id = object_label(obj)
    fields = dict(
        seq=head.size + 1,
        at=timezone.now(),
        actor_name=actor.get_username() if actor else "system",
        action=action,
        object_type=object_type,
        object_id=object_id,
        details=details,
        prev_hash=head.last_hash or GENESIS,
    )
    entry = AuditEntry.objects.create(actor=actor, entry_hash=entry_hash(**fields), **fields)
    head.size = entry.seq
    head.last_hash = entry.entry_hash
    head.save(update_fields=["size", "last_hash"])
    return entry


@dataclass(frozen=True)
class Verification:
    entries: int
    ok: bool
    problem: str = ""


def log_verify() -> Verification:
    """Recompute every hash in order; report the first entry that does not check out."""
    prev = GENESIS
    count = 0
    fields = ["seq", "at", "actor_name", "action", "object_type", "object_id", "details"]
    for entry in AuditEntry.objects.order_by("seq").only(*fields, "prev_hash", "entry_hash"):
        count += 1
        if entry.seq != count:
            return Verification(count - 1, False, f"entry {count} is missing (found {entry.seq})")
        if entry.prev_hash != prev:
            return Verification(
                count, False, f"entry {entry.seq} does not follow entry {count - 1}"
            )
        recomputed = entry_hash(**{f: getattr(entry, f) for f in fields}, prev_hash=prev)
        if recomputed != entry.entry_hash:
            return Verification(count, False, f"entry {entry.seq} was altered after it was written")
        prev = entry.entry_hash
    head = AuditHead.objects.filter(pk=1).first()
    if head and (head.size != count or (count and head.last_hash != prev)):
        return Verification(
            count, False, f"the log head records {head.size} entries, found {count}"
        )
    return Verification(count, True)
