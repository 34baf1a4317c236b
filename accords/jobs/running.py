"""Running jobs: one attempt at a time, again while the failure is worth it, up to a limit.

Where a job runs is the setting JOB_RUNNER:

- "celery": sent to the broker once the asking transaction commits; a Celery worker on any
  machine takes it (`accords worker`), and the task asks the broker to deliver it again later
  when an attempt should be repeated;
- "thread" (the embedded default, no server to run): a thread of the asking process starts
  once the transaction commits, so the request answers at once and the work goes on beside it;
- "inline": at once, in the caller's thread. The test suite runs jobs so, inside each test's
  transaction, as Celery's eager mode does; it is no choice for a web server.
"""

import logging
import threading
import time
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from accords.jobs import services
from accords.jobs.kinds import KINDS
from accords.jobs.models import Job

log = logging.getLogger(__name__)


def job_start(*, actor, kind: str, arguments: dict) -> Job:
    """Ask for a job and hand it to the runner once the asking transaction commits."""
    job = services.job_request(actor=actor, kind=kind, arguments=arguments)
    if settings.JOB_RUNNER == "inline":
        job_work(job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(partial(hand_over, job.pk))
    return job


def hand_over(pk: int, delay: float = 0) -> None:
    if settings.JOB_RUNNER == "celery":
        from accords.jobs.queue import job_run

        job_run.apply_async(args=[pk], countdown=delay or None, queue=settings.JOB_QUEUE)
    else:
        threading.Thread(target=_in_thread, args=(pk,), name=f"accords-job-{pk}",
                         daemon=True).start()  # fmt: skip


def _in_thread(pk: int) -> None:
    try:
        job_work(pk)
    except Exception:
        log.exception("job %s: the runner itself failed", pk)
    finally:
        connections.close_all()


def job_work(pk: int) -> Job:
    """Run the job to its end in this thread: attempt, wait, attempt again while worth it."""
    while True:
        wait = job_attempt(pk)
        if wait is None:
            return Job.objects.get(pk=pk)
        time.sleep(wait)


def describe(error: BaseException) -> str:
    """The error as its reader is told it: each field's problems, or what went wrong."""
    problems = getattr(error, "problems", None)
    if problems:
        lines = [str(p) for p in problems[:20]]
        if len(problems) > 20:
            lines.append(f"… {len(problems) - 20} more")
        return "\n".join(lines)
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return "\n".join(f"{field}: {' '.join(messages)}"
                             for field, messages in error.message_dict.items())  # fmt: skip
        return " ".join(error.messages)
    return f"{type(error).__name__}: {error}"[:2000]


def _fresh_connection() -> None:
    """After a failed attempt, a broken connection is replaced rather than reused."""
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()


def job_attempt(pk: int) -> float | None:
    """One attempt at the job: None once it has ended (done or failed for good), or the
    seconds to wait before the next attempt."""
    services.jobs_silent_fail()
    job = Job.objects.select_related("requested_by").get(pk=pk)
    if job.finished:  # delivered again after it ended
        return None
    kind = KINDS[job.kind]
    if not services.job_began(job):  # delivered twice: another worker has it
        log.info("job %s: already taken by another worker", pk)
        return None

    def progress(done, total, message=""):
        services.job_progress_note(job, done, total, message)

    try:
        result = kind.work(job=job, actor=job.requested_by, progress=progress, **job.arguments)
    except kind.retry_on as error:
        _fresh_connection()
        if job.attempts < settings.JOB_MAX_ATTEMPTS:
            services.job_waits(job, describe(error))
            return settings.JOB_RETRY_SECONDS * 2 ** (job.attempts - 1)
        _ended(job, kind, error=describe(error))
    except Exception as error:
        log.warning("job %s (%s) failed", pk, job.kind, exc_info=True)
        _fresh_connection()
        _ended(job, kind, error=describe(error))
    else:
        _ended(job, kind, result=result)
    return None


def _ended(job: Job, kind, *, result: dict | None = None, error: str = "") -> None:
    services.job_ended(job, result=result, error=error)
    if kind.ended:
        kind.ended(**job.arguments)
