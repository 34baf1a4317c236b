"""The `action` decorator: every state change is one transaction with exactly one audit entry.

A service function decorated with `@action("agreement.create")` takes keyword-only arguments,
the first of which is `actor` (a user, or None for the system). The decorator opens the
transaction, runs the function, and appends one audit entry naming the actor, the action, the
object the function returned and what the action chose. If anything raises, nothing of the
change and nothing of its audit entry is kept.

The log is append-only and outlives every correction, so it records what an action chose,
never a person's data. An entry keeps:

- model arguments as {model, pk} (a list of models as a list of them);
- the arguments the action declares safe to record (`records=`: enumerations, dates the
  workflow chooses, reference-data keys), as given;
- for every other argument only its name, and one SHA-256 digest of the canonical JSON of all
  of them together: whoever holds the values can show they are the ones used, the log alone
  reveals nothing of them;
- arguments declared `withholds=` (a password) by name only: a digest of a guessable secret
  could be guessed back;
- a dict the action returns (counts, ids), as returned;
- a commitment to the digests of the domain rows the action wrote, as they stood after it
  (accords.audit.rows): model label, key and SHA-256 of each row, stored beside the entry.

Callables (a progress callback) are how an action reports, not what it chose; they are left out.
"""

import functools
import hashlib
import inspect
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.db import models, transaction

from accords.audit.log import canonical_json, entry_append
from accords.audit.rows import row_digests, rows_noted


def _plain(value):
    """A value as the audit log keeps it: model instances by label and key."""
    if isinstance(value, models.Model):
        return {"model": value._meta.label_lower, "pk": str(value.pk)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, str | int | float | bool | Decimal | date | datetime) or value is None:
        return value
    return repr(value)


def _is_model(value) -> bool:
    if isinstance(value, list | tuple) and value:
        return all(isinstance(v, models.Model) for v in value)
    return isinstance(value, models.Model)


def audit_details(kwargs: dict, *, records=(), withholds=()) -> dict:
    """What the audit entry of a call with these arguments keeps (see the module's doc)."""
    recorded, digested, withheld = {}, {}, []
    for name, value in sorted(kwargs.items()):
        if callable(value) and not isinstance(value, models.Model):
            continue
        if name in withholds:
            withheld.append(name)
        elif name in records or _is_model(value):
            recorded[name] = _plain(value)
        else:
            digested[name] = _plain(value)
    details: dict = {"arguments": recorded}
    if digested:
        digest = hashlib.sha256(canonical_json(digested).encode()).hexdigest()
        details["digest"] = {"arguments": sorted(digested), "sha256": digest}
    if withheld:
        details["withheld"] = withheld
    return details


def _check_declared(fn, name: str, declared) -> None:
    """A declared name the function does not take is a typo that would record nothing."""
    parameters = inspect.signature(fn).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return
    unknown = sorted(set(declared) - set(parameters))
    if unknown:
        raise TypeError(f"action {name}: {fn.__name__} takes no argument {', '.join(unknown)}")


def action(name: str, *, records: tuple[str, ...] = (), withholds: tuple[str, ...] = ()):
    def decorate(fn):
        _check_declared(fn, name, (*records, *withholds))

        @functools.wraps(fn)
        def run(*, actor, **kwargs):
            with transaction.atomic():
                with rows_noted() as written:
                    result = fn(actor=actor, **kwargs)
                details = audit_details(kwargs, records=records, withholds=withholds)
                obj = result if isinstance(result, models.Model) else None
                if isinstance(result, dict):
                    details["result"] = _plain(result)
                rows = row_digests(written)
                entry_append(actor=actor, action=name, obj=obj, details=details, rows=rows)
            return result

        run.action_name = name
        run.action_records = records
        return run

    return decorate
