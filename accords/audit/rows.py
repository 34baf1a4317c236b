"""The domain rows an action wrote, bound to its audit entry by digest.

While an action runs, every row it writes is noted by model and primary key: ordinary saves and
deletes through Django's signals, and the paths that bypass them (`QuerySet.update`,
`bulk_create`, `bulk_update`) through thin wrappers installed once (`install`); code that writes
rows by other means (COPY in `accords.core.bulk`) calls `rows_written`. When the action ends,
each noted row is read back inside its transaction and digested: SHA-256 of the canonical JSON
of its field values as they stood after the action, or "" for a row the action deleted.

The entry keeps only a commitment to those digests (their count and the SHA-256 of their
canonical list), which its leaf hashes, so a checkpoint covers them; the digests themselves go
to AuditRow beside the entry. Model label, primary key and digest only: no person's data.

`rows_check` recomputes the digests of every row the log binds (the latest entry that wrote
it) and names each one changed, deleted or restored outside an action.
"""

import contextvars
import functools
import hashlib
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID

from django.apps import apps
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from accords.audit.log import canonical_json, rows_commitment

# Fields that change by design outside any action: a login stamps the user's last login.
UNBOUND_FIELDS = {"auth.user": frozenset({"last_login"})}
# A background job's status, progress and outcome are the runner's bookkeeping (accords.jobs):
# what was asked is bound; the work it runs is bound by actions of its own.
UNBOUND_FIELDS["jobs.job"] = frozenset({"status", "done", "total", "message", "attempts",
                                        "result", "result_file", "error", "started_at",
                                        "finished_at"})  # fmt: skip
# The log's own tables are what binds; they are checked by the chain and the tree.
LOG_MODELS = frozenset({"audit.auditentry", "audit.auditnode", "audit.audithead", "audit.auditrow"})

# The rows being noted, one set per action running (nested actions each note what they write).
_noting: contextvars.ContextVar[tuple[dict, ...]] = contextvars.ContextVar("noting", default=())


@contextmanager
def rows_noted():
    """Note every row written until the block ends: {model class: {pk, ...}}."""
    written: dict[type[models.Model], set] = {}
    token = _noting.set((*_noting.get(), written))
    try:
        yield written
    finally:
        _noting.reset(token)


def noting() -> bool:
    return bool(_noting.get())


def rows_written(model, pks: Iterable) -> None:
    """Note rows written by a path Django sends no signal for (raw SQL, COPY)."""
    sets = _noting.get()
    if not sets:
        return
    model = model._meta.concrete_model
    if model._meta.label_lower in LOG_MODELS:
        return
    pks = [pk for pk in pks if pk is not None]
    for written in sets:
        written.setdefault(model, set()).update(pks)


def _saved(sender, instance, raw=False, **_):
    if not raw:
        rows_written(sender, [instance.pk])


def _deleted(sender, instance, **_):
    rows_written(sender, [instance.pk])


_UNCHANGED = (models.CASCADE, models.PROTECT, models.RESTRICT, models.DO_NOTHING)


def _deleting(sender, instance, **_):
    """Rows that point at a deleted row and are set to null (or a default) by Django without
    a signal: noted before they change."""
    if not noting():
        return
    for relation in sender._meta.related_objects:
        if relation.on_delete in _UNCHANGED or not relation.field.concrete:
            continue
        related = relation.related_model._base_manager.filter(**{relation.field.name: instance})
        rows_written(relation.related_model, related.values_list("pk", flat=True))


def _linked(sender, instance, action, model, pk_set, **_):
    """Links added or removed through a many-to-many field: noted before a removal, after an
    addition (their keys are only known then)."""
    if not noting() or action not in ("post_add", "pre_remove", "pre_clear"):
        return
    relations = {f.related_model: f for f in sender._meta.concrete_fields if f.is_relation}
    field = relations[type(instance)._meta.concrete_model]
    other = relations[model._meta.concrete_model]
    links = sender._base_manager.filter(**{field.attname: instance.pk})
    if pk_set is not None:
        links = links.filter(**{f"{other.attname}__in": pk_set})
    rows_written(sender, links.values_list("pk", flat=True))


def _value(value):
    """A field value as the row's canonical JSON spells it, the same however it was read."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | memoryview | bytearray):
        return bytes(value).hex()
    return value


def _fields(model) -> list[models.Field]:
    unbound = UNBOUND_FIELDS.get(model._meta.label_lower, frozenset())
    return [f for f in model._meta.concrete_fields if f.attname not in unbound]


def row_digest(names: list[str], values: tuple) -> str:
    """SHA-256 of a row's field values, by attribute name; a null field is left out, so a
    nullable field added later leaves the digests of existing rows as they were."""
    row = {n: _value(v) for n, v in zip(names, values, strict=True) if v is not None}
    return hashlib.sha256(canonical_json(row).encode()).hexdigest()


def _pk_key(pk) -> str:
    return canonical_json(list(pk)) if isinstance(pk, tuple) else str(pk)


CHUNK = 900  # under SQLite's limit of variables in one statement


def _current(model, pks: list | None = None):
    """(pk key, digest) of the model's rows (those with these pks), read as stored."""
    fields = _fields(model)
    names = [f.attname for f in fields]
    pk_names = [f.attname for f in model._meta.pk_fields]
    rows = model._base_manager.order_by().values_list(*pk_names, *names)
    chunks = [rows] if pks is None else (
        rows.filter(pk__in=pks[i : i + CHUNK]) for i in range(0, len(pks), CHUNK)
    )  # fmt: skip
    width = len(pk_names)
    for chunk in chunks:
        for row in chunk.iterator(chunk_size=10_000):
            pk = row[0] if width == 1 else tuple(row[:width])
            yield _pk_key(pk), row_digest(names, row[width:])


def row_digests(written: dict) -> list[tuple[str, str, str]]:
    """(model label, pk, digest, or "" if deleted) of each noted row as it stands now,
    sorted: the rows an action wrote, read back inside its transaction."""
    out = []
    for model, pks in written.items():
        wanted = {_pk_key(pk): pk for pk in pks}
        found = dict(_current(model, list(wanted.values())))
        label = model._meta.label_lower
        out += [(label, key, found.get(key, "")) for key in wanted]
    out.sort()
    return out


# -- The paths that send no signal -------------------------------------------------------------


def _update(original):
    @functools.wraps(original)
    def update(self, **kwargs):
        if not noting():
            return original(self, **kwargs)
        # Exactly the rows found now are updated, so exactly they are noted, however the
        # update changes what the filter would match.
        pks = list(self.order_by().values_list("pk", flat=True))
        if not pks:
            return 0
        count = 0
        for start in range(0, len(pks), CHUNK):
            part = pks[start : start + CHUNK]
            count += original(self.model._base_manager.using(self.db).filter(pk__in=part), **kwargs)
        rows_written(self.model, pks)
        return count

    return update


def _bulk(original):
    @functools.wraps(original)
    def bulk(self, objs, *args, **kwargs):
        objs = list(objs)
        result = original(self, objs, *args, **kwargs)
        if noting():
            missing = [o for o in objs if o.pk is None]
            # A many-to-many link added with ignore_conflicts: noted by `_linked`.
            if missing and not self.model._meta.auto_created:
                raise RuntimeError(
                    f"{self.model._meta.label}: rows written in bulk without their keys cannot "
                    "be bound to the audit log"
                )
            rows_written(self.model, [o.pk for o in objs])
        return result

    return bulk


_installed = False


def install() -> None:
    """Connect the signals and wrap the queryset's bulk paths, once (AuditConfig.ready).

    Why wrap Django's QuerySet: `update`, `bulk_create` and `bulk_update` send no signal, and
    every app would otherwise have to remember to report what they wrote; outside an action
    the wrappers call straight through."""
    global _installed
    if _installed:
        return
    _installed = True
    post_save.connect(_saved, dispatch_uid="audit_rows_saved")
    post_delete.connect(_deleted, dispatch_uid="audit_rows_deleted")
    pre_delete.connect(_deleting, dispatch_uid="audit_rows_deleting")
    m2m_changed.connect(_linked, dispatch_uid="audit_rows_linked")
    queryset = models.QuerySet
    queryset.update = _update(queryset.update)
    queryset.bulk_create = _bulk(queryset.bulk_create)
    queryset.bulk_update = _bulk(queryset.bulk_update)


# -- Checking the state -------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    label: str
    pk: str
    seq: int
    problem: str

    def __str__(self) -> str:
        if not self.pk:
            return f"entry {self.seq}: {self.problem}"
        return f"{self.label} {self.pk} {self.problem} (last written by entry {self.seq})"


@dataclass(frozen=True)
class StateCheck:
    rows: int
    problems: list


def _bound(entries: Iterable[tuple[int, dict]], rows: Iterable[tuple[int, str, str, str]]):
    """Merge each entry's committed rows with the stored digests, checking each commitment;
    yield ('row', seq, label, pk, digest) for each row, ('bad', seq, message) for each entry
    whose stored digests are not those it committed to."""
    rows = iter(rows)
    pending = next(rows, None)
    for seq, commitment in entries:
        mine = []
        while pending is not None and pending[0] < seq:
            yield ("bad", pending[0], "row digests without an entry that committed to them")
            pending = next(rows, None)
        while pending is not None and pending[0] == seq:
            mine.append(pending[1:])
            pending = next(rows, None)
        mine.sort()
        if rows_commitment(mine) != commitment:
            yield ("bad", seq, "its row digests are not those its entry committed to")
            continue
        for label, pk, digest in mine:
            yield ("row", seq, label, pk, digest)
    if pending is not None:
        yield ("bad", pending[0], "row digests without an entry that committed to them")


def rows_check() -> StateCheck:
    """Recompute the digest of every row the log binds and name those changed outside an
    action. Run after the log itself verifies: the commitments are only as good as the chain."""
    from accords.audit.models import AuditEntry, AuditRow

    entries = (
        AuditEntry.objects.filter(details__has_key="rows")
        .order_by("seq")
        .values_list("seq", "details__rows")
        .iterator(chunk_size=10_000)
    )
    stored = (
        AuditRow.objects.order_by("entry_seq", "model", "object_pk")
        .values_list("entry_seq", "model", "object_pk", "digest")
        .iterator(chunk_size=10_000)
    )
    problems, latest = [], {}
    for item in _bound(entries, stored):
        if item[0] == "bad":
            problems.append(RowProblem("", "", item[1], item[2]))
            continue
        _, seq, label, pk, digest = item
        latest.setdefault(label, {})[pk] = (seq, digest)
    count = 0
    for label, bound in sorted(latest.items()):
        count += len(bound)
        try:
            model = apps.get_model(label)
        except LookupError:
            problems += [RowProblem(label, pk, seq, "belongs to a model that no longer exists")
                         for pk, (seq, digest) in bound.items() if digest]  # fmt: skip
            continue
        current = dict(_current(model))
        for pk, (seq, digest) in sorted(bound.items()):
            now = current.get(pk, "")
            if now == digest:
                continue
            if not digest:
                problem = "was deleted by its last action but is there now"
            elif not now:
                problem = "was deleted outside an action"
            else:
                problem = "was changed outside an action"
            problems.append(RowProblem(label, pk, seq, problem))
    return StateCheck(count, problems)
