"""Verifying the audit log from the browser, and saying the result in words.

A web request may not run for minutes, so the whole log is verified in the request only while
it is small (`WHOLE_LOG_IN_REQUEST` entries: `log_verify` and the latest cosigned checkpoint,
as `accords audit verify` does). Past that, the request verifies the most recent entries:

1. each entry's hash recomputed from its fields, each following the one before it (the first
   from the stored hash of the entry before the range, which the range takes on trust);
2. the perfect subtrees of the stored tree over the range recomputed from those entries, and
   the tree head folded from the stored subtrees equal to the head the log records;
3. a consistency proof, from the stored subtrees, that today's tree extends the latest
   checkpoint a witness cosigned.

The page says which of the two it did; the whole log is `accords audit verify` on the server.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accords.audit.log import (
    GENESIS,
    VERIFIED_FIELDS,
    checkpoints_check,
    entry_hash,
    frontier_of,
    log_verify,
)
from accords.audit.merkle import ProofError, perfect_parts, root_of, verify_consistency
from accords.audit.models import AuditEntry, AuditHead
from accords.audit.selectors import consistency_proof, cosignature_latest, tree_nodes, tree_root

WHOLE_LOG_IN_REQUEST = 50_000
RECENT_ENTRIES = 1_000


@dataclass
class Checked:
    """What was verified, whether it held, and the sentences that say so."""

    ok: bool
    whole: bool
    first: int
    last: int
    said: list[str] = field(default_factory=list)
    problem: str = ""


def _checkpoint() -> tuple[int, bytes] | None:
    latest = cosignature_latest()
    return (latest.size, bytes.fromhex(latest.root_hash)) if latest else None


def log_check(*, recent: int | None = None) -> Checked:
    """The whole log if it is small enough and no range is asked; else its last entries."""
    head = AuditHead.objects.filter(pk=1).first()
    size = head.size if head else 0
    if recent is None and size <= WHOLE_LOG_IN_REQUEST:
        return _whole(size)
    return _recent(head, size, min(recent or RECENT_ENTRIES, RECENT_ENTRIES))


def _whole(size: int) -> Checked:
    checkpoint = _checkpoint()
    result = checkpoints_check([checkpoint]) if checkpoint else log_verify()
    checked = Checked(result.ok, True, 1, result.entries)
    if not result.ok:
        checked.problem = result.problem
        return checked
    checked.said.append(
        ngettext(
            "Every entry of the log, %(n)s in all, was recomputed and follows the one before it.",
            "Every entry of the log, %(n)s in all, was recomputed and follows the one before it.",
            result.entries,
        )
        % {"n": result.entries}
    )
    if checkpoint:
        checked.said.append(
            _("The log still gives, at %(size)s entries, the root a witness cosigned.")
            % {"size": checkpoint[0]}
        )
    else:
        checked.said.append(_("No witness has cosigned a checkpoint yet to compare it with."))
    return checked


def _recent(head: AuditHead | None, size: int, count: int) -> Checked:
    if size == 0:
        return Checked(True, False, 0, 0, [_("The log is empty.")])
    first = max(1, size - count + 1)
    checked = Checked(False, first == 1, first, size)
    prev = GENESIS
    if first > 1:
        prev = AuditEntry.objects.values_list("entry_hash", flat=True).get(seq=first - 1)
    rows = AuditEntry.objects.filter(seq__gte=first, seq__lte=size).order_by("seq")
    leaves = []
    expected = first
    for row in rows.values_list(*VERIFIED_FIELDS, "prev_hash", "entry_hash"):
        seq, at, actor_name, action, object_type, object_id, details, prev_hash, stored = row
        if seq != expected:
            checked.problem = _("Entry %(n)s is missing.") % {"n": expected}
            return checked
        if prev_hash != prev:
            checked.problem = _("Entry %(n)s does not follow the entry before it.") % {"n": seq}
            return checked
        recomputed = entry_hash(
            seq=seq,
            at=at,
            actor_name=actor_name,
            action=action,
            object_type=object_type,
            object_id=object_id,
            details=details,
            prev_hash=prev,
        )
        if recomputed != stored:
            checked.problem = _("Entry %(n)s was altered after it was written.") % {"n": seq}
            return checked
        leaves.append(bytes.fromhex(stored))
        prev, expected = stored, expected + 1
    if expected - 1 != size or (head and head.last_hash != prev):
        checked.problem = _("The log's head records %(size)s entries; they do not all check out.")
        checked.problem %= {"size": size}
        return checked
    try:
        _tree_check(first, size, leaves, head)
    except ProofError as error:
        checked.problem = str(error)
        return checked
    held, words = _checkpoint_words(size, head)
    if not held:
        checked.problem = words
        return checked
    checked.ok = True
    checked.said.append(
        _(
            "Entries %(first)s to %(last)s were recomputed, each following the one before it, "
            "and the stored tree over them matches them."
        )
        % {"first": first, "last": size}
    )
    checked.said.append(
        _("The entries before %(first)s were not recomputed in this request.") % {"first": first}
        if first > 1
        else _("That is the whole log.")
    )
    checked.said.append(words)
    return checked


def _tree_check(first: int, size: int, leaves: list[bytes], head) -> None:
    """The stored subtrees over entries first..size equal those the entries give, and the
    stored tree's head equals the head the log records."""
    start = first - 1
    parts = perfect_parts(start, size)
    stored = tree_nodes(set(parts))
    for level, index in parts:
        begin = (index << level) - start
        if root_of(leaves[begin : begin + (1 << level)]) != stored[(level, index)]:
            raise ProofError(
                _("The stored tree does not match entries %(a)s to %(b)s.")
                % {"a": start + (index << level) + 1, "b": start + ((index + 1) << level)}
            )
    if head and tree_root(size) != frontier_of(head).root():
        raise ProofError(_("The stored tree's head is not the head the log records."))


def _checkpoint_words(size: int, head) -> tuple[bool, str]:
    """Whether the log extends the latest cosigned checkpoint, and the sentence saying so."""
    checkpoint = _checkpoint()
    if not checkpoint:
        return True, _("No witness has cosigned a checkpoint yet to compare the log with.")
    cosigned, root = checkpoint
    now = frontier_of(head).root()
    if cosigned > size:
        raise_words = _(
            "The log holds fewer entries (%(size)s) than the checkpoint a witness "
            "cosigned (%(cosigned)s): entries were cut from its end."
        )
        return False, raise_words % {"size": size, "cosigned": cosigned}
    try:
        if cosigned == size:
            if root != now:
                raise ProofError("different roots")
        else:
            verify_consistency(
                size1=cosigned,
                size2=size,
                root1=root,
                root2=now,
                proof=consistency_proof(cosigned, size),
            )
    except ProofError:
        words = _(
            "The log does NOT extend the checkpoint a witness cosigned at %(cosigned)s "
            "entries: its history was rewritten."
        )
        return False, words % {"cosigned": cosigned}
    words = _("The log extends the checkpoint a witness cosigned at %(cosigned)s entries.")
    return True, words % {"cosigned": cosigned}
