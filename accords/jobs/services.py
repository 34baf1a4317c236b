"""Asking for a job (an action, with its audit entry) and the runner's bookkeeping of how it
goes (plain writes of the fields the log leaves unbound: accords.jobs.models)."""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accords.core.actions import action
from accords.jobs.kinds import KINDS
from accords.jobs.models import Job

PROGRESS_KEPT = 7 * 24 * 3600  # seconds a job's live progress stays in the cache


def _argument_problem(name: str, value) -> str:
    """Arguments are ids, keys, flags and dates: nothing that could carry a person's data."""
    if value is None or isinstance(value, bool | int):
        return ""
    if isinstance(value, str) and len(value) <= 64 and value.isprintable():
        return ""
    return _("%(name)s: give an id, a key, a date or a yes/no") % {"name": name}


@action("job.request", records=("kind", "arguments"))
def job_request(*, actor, kind: str, arguments: dict) -> Job:
    """Record that someone asked for a job; the runner takes it once this commits."""
    if kind not in KINDS:
        raise ValidationError({"kind": _("No such kind of job.")})
    needed = KINDS[kind].permission
    if actor is not None and not (needed and actor.has_perm(needed)):
        raise PermissionDenied(_("Your role may not start this job."))
    problems = [p for p in (_argument_problem(n, v) for n, v in arguments.items()) if p]
    if problems:
        raise ValidationError({"arguments": problems})
    profile = getattr(actor, "profile", None) if actor is not None else None
    job = Job(kind=kind, requested_by=actor, arguments=dict(arguments),
              sending_state=getattr(profile, "sending_state", None),
              requested_at=timezone.now())  # fmt: skip
    job.full_clean()
    job.save()
    return job


# -- The runner's bookkeeping ------------------------------------------------------------------


def progress_key(job: Job) -> str:
    # The time it was asked for keeps two databases' job 1 (tests, a restored copy) apart.
    return f"job:{job.pk}:{job.requested_at.timestamp():.6f}"


def job_progress_note(job: Job, done: int, total: int, message: str) -> None:
    """Live progress, written where every process reads it without waiting for the work's
    transaction (a screening is one transaction from start to end)."""
    value = {"done": max(0, int(done)), "total": max(0, int(total)), "message": str(message)[:200],
             "at": timezone.now().timestamp()}  # fmt: skip
    caches["jobs"].set(progress_key(job), value, PROGRESS_KEPT)


def job_progress_read(job: Job) -> Job:
    """The job with its live progress while it runs (the record's otherwise)."""
    if job.status == Job.Status.RUNNING:
        live = caches["jobs"].get(progress_key(job))
        if live:
            job.done, job.total, job.message = live["done"], live["total"], live["message"]
    return job


def _book(job: Job, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    Job.objects.filter(pk=job.pk).update(**fields)


def job_began(job: Job) -> bool:
    """Claim the job for this attempt; False if another worker has it already.

    The broker delivers a job at least once (a worker lost, a late acknowledgement), so two
    workers may hold the same job at once: one conditional UPDATE, from waiting to running,
    lets exactly one of them run it. The database decides, not a read before the write."""
    now = timezone.now()
    fields = {"status": Job.Status.RUNNING, "attempts": job.attempts + 1,
              "started_at": job.started_at or now, "finished_at": None}  # fmt: skip
    claimed = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED,
                                 attempts=job.attempts).update(**fields)  # fmt: skip
    if not claimed:
        return False
    for name, value in fields.items():
        setattr(job, name, value)
    job_progress_note(job, 0, 0, "")
    return True


def job_waits(job: Job, error: str) -> None:
    """An attempt failed in a way worth trying again: back in the queue, the error kept."""
    _book(job, status=Job.Status.QUEUED, error=error)


def job_ended(job: Job, *, result: dict | None = None, error: str = "") -> None:
    live = caches["jobs"].get(progress_key(job)) or {}
    result = dict(result or {})
    fields = {
        "status": Job.Status.FAILED if error else Job.Status.SUCCEEDED,
        "finished_at": timezone.now(),
        "error": error,
        "result": result,
        "result_file": str(result.pop("file", "")),
        "done": live.get("done", job.done),
        "total": live.get("total", job.total),
        "message": live.get("message", job.message),
    }
    _book(job, **fields)
    caches["jobs"].delete(progress_key(job))


def job_last_heard(job: Job) -> datetime:
    """When a running job last said how far it got: its live progress, else when it began."""
    live = caches["jobs"].get(progress_key(job)) or {}
    if "at" in live:
        return datetime.fromtimestamp(live["at"], tz=UTC)
    return job.started_at or job.requested_at


def jobs_silent_fail() -> int:
    """Running jobs not heard from for JOB_SILENCE_MINUTES are failed, with the reason; how many.

    A worker that dies mid-job (killed, its machine lost) leaves no word, so a job stays
    "running" until someone notices it has gone silent. Nothing here runs on a schedule, so
    the noticing happens where it matters: whenever jobs are listed or looked at (the jobs
    pages, the API, `accords jobs`) and whenever a worker claims one. Running jobs are few (as
    many as there are workers), so this costs one query and a cache read each.
    """
    now = timezone.now()
    quiet_since = now - timedelta(minutes=settings.JOB_SILENCE_MINUTES)
    failed = 0
    for job in Job.objects.filter(status=Job.Status.RUNNING):
        if job_last_heard(job) >= quiet_since:
            continue
        # Recorded in the project's language, as every job's error is, whoever's page noticed.
        with translation.override(settings.LANGUAGE_CODE):
            error = _(
                "No word from the worker running this job for %(minutes)s minutes: it has "
                "stopped (a worker lost or killed). Ask for the job again."
            ) % {"minutes": settings.JOB_SILENCE_MINUTES}
        # Still the same attempt, still running: a worker that took it up again meanwhile wins.
        failed += Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING,
                                     attempts=job.attempts).update(
            status=Job.Status.FAILED, error=error, finished_at=now)  # fmt: skip
    return failed
