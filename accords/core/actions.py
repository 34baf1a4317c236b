"""The `action` decorator: every state change is one transaction with exactly one audit entry.

A service function decorated with `@action("agreement.create")` takes keyword-only arguments,
the first of which is `actor` (a user, or None for the system). The decorator opens the
transaction, runs the function, and appends one audit entry naming the actor, the action, the
object the function returned and the arguments it was called with, less those it names as
withheld (a password: the log is kept for ever and read by monitors), which it records only as
given. If anything raises, nothing of the change and nothing of its audit entry is kept.
"""

import functools
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.db import models, transaction

from accords.audit.log import entry_append


def _plain(value):
    """Arguments as the audit log keeps them: model instances by label and key."""
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


WITHHELD = "(withheld)"


def action(name: str, *, withheld: tuple[str, ...] = ()):
    def decorate(fn):
        @functools.wraps(fn)
        def run(*, actor, **kwargs):
            with transaction.atomic():
                result = fn(actor=actor, **kwargs)
                recorded = {k: WITHHELD if k in withheld else v for k, v in kwargs.items()}
                details = {"arguments": _plain(recorded)}
                obj = result if isinstance(result, models.Model) else None
                if isinstance(result, dict):
                    details["result"] = _plain(result)
                entry_append(actor=actor, action=name, obj=obj, details=details)
            return result

        run.action_name = name
        return run

    return decorate
