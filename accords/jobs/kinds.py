"""The kinds of long work a job can be: each a plain function that does the work through the
same services as its command, reports `progress(done, total, message)`, and returns a small
summary of ids and counts to keep.

A kind says which permission asking for it takes (None: only the system, from the shell) and
which failures are worth another attempt: the database busy or its connection lost, a broker
or file store out of reach. Refusals (bad input, a rule of the workflow) are final.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import InterfaceError, OperationalError
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


@dataclass(frozen=True)
class JobKind:
    key: str
    label: str | Promise
    permission: str | None
    work: Callable[..., dict]
    retry_on: tuple[type[BaseException], ...] = TRANSIENT
    ended: Callable[..., None] | None = None  # tidies up after the last attempt, either way


KINDS: dict[str, JobKind] = {}


def kind_register(kind: JobKind) -> JobKind:
    KINDS[kind.key] = kind
    return kind


def kind_label(key: str) -> str:
    kind = KINDS.get(key)
    return str(kind.label) if kind else key


def _screening(*, job, actor, progress, as_of: str) -> dict:
    from accords.cases.screening import agreements_in_force, screening_run

    day = date.fromisoformat(as_of)
    total = len(agreements_in_force(day))
    counter = itertools.count(1)
    progress(0, total, gettext("Screening"))

    def advance(agreement, *_):
        name = getattr(agreement, "name", str(agreement))
        message = gettext("Screened under %(agreement)s") % {"agreement": name}
        progress(next(counter), total, message)

    screening = screening_run(actor=actor, as_of=day, progress=advance)
    return {"screening": screening.pk, "as_of": as_of,
            "decisions": dict(screening.summary.get("decisions", {}))}  # fmt: skip


STEPS = {"checked": _("Case files checked"), "written": _("Case files written")}


def _case_import(*, job, actor, progress, upload: str, source: str, skip_invalid: bool) -> dict:
    from accords.cases.reading import read_case_file_array
    from accords.cases.services import case_import
    from accords.jobs import files

    records = read_case_file_array(files.upload_read(upload))

    def step(name, done, total):
        progress(done, total, str(STEPS.get(name, name)))

    result = case_import(actor=actor, records=records, source=source,
                         skip_invalid=skip_invalid, progress=step)  # fmt: skip
    return {k: result[k] for k in ("created", "updated", "unchanged", "skipped")}


def _case_import_ended(*, upload: str, **_) -> None:
    from accords.jobs import files

    files.upload_discard(upload)


def _plan(*, job, actor, progress, policy: str, flight: int | None = None,
          agreement: str | None = None) -> dict:  # fmt: skip
    from accords.registry.models import Agreement
    from accords.transfers import services
    from accords.transfers.models import Flight

    target = (
        {"flight": Flight.objects.get(pk=flight)}
        if flight is not None
        else {"agreement": Agreement.objects.get(key=agreement)}
    )
    progress(0, 1, gettext("Placing open referrals"))
    plan = services.plan_create(actor=actor, policy_name=policy, **target)
    progress(1, 1, gettext("Placed"))
    return {"plan": plan.pk, "people_placed": plan.solver["people_placed"],
            "proven_optimal": plan.proven_optimal}  # fmt: skip


def _ledger_export(*, job, actor, progress, format: str = "beancount") -> dict:
    from accords.jobs import files
    from accords.ledger.beancount import beancount_lines

    if format != "beancount":
        raise ValueError(f"format: unknown format {format[:30]!r}; use beancount")
    progress(0, 1, gettext("Writing the ledger"))
    lines = list(beancount_lines())
    path = files.result_write(job.pk, "beancount", ("\n".join(lines) + "\n").encode())
    progress(1, 1, gettext("Written"))
    return {"format": format, "lines": len(lines), "file": str(path)}


def _statistics(*, job, actor, progress) -> dict:
    from accords.transparency.services import statistics_publish

    progress(0, 1, gettext("Counting the statistics"))
    publication = statistics_publish(actor=actor)
    progress(1, 1, gettext("Published"))
    return {"publication": publication.pk, "as_of": str(publication.as_of),
            "cells": publication.summary.get("cells")}  # fmt: skip


kind_register(JobKind("screening", _("Screening the caseload"), "cases.add_screening", _screening))
kind_register(JobKind("case_import", _("Importing case files"), "cases.add_person", _case_import,
                      ended=_case_import_ended))  # fmt: skip
kind_register(JobKind("plan", _("Placement plan"), "transfers.add_plan", _plan))
kind_register(JobKind("ledger_export", _("Ledger export"), "ledger.view_transfer", _ledger_export))
kind_register(
    JobKind("statistics", _("Publishing the statistics"), "transparency.add_publication",
            _statistics)
)  # fmt: skip
