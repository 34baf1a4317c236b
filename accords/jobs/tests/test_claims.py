"""A job is run by one worker at a time, and a job whose worker died does not run for ever.

The broker delivers a job at least once: a job delivered twice (again while it runs, or to two
workers at the same moment) is run once, by whichever worker claimed it. A running job not
heard from for JOB_SILENCE_MINUTES is failed, with the reason, the next time jobs are listed
or claimed; a job heard from recently is left running."""

import io
import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from accords.core.tests.races import race
from accords.jobs import kinds, services
from accords.jobs.models import Job
from accords.jobs.running import job_attempt


@pytest.fixture
def counted(monkeypatch):
    """A kind of job that counts the attempts that ran, and can be held back while it runs."""
    ran = []
    during = []  # called in the middle of the work: a second delivery arriving meanwhile
    lock = threading.Lock()

    def work(*, job, actor, progress, pause: int = 0):
        with lock:
            ran.append(job.pk)
        for call in during:
            call(job)
        time.sleep(pause / 1000)
        progress(1, 1, "done")
        return {"ran": 1}

    # Asked for with the screening's permission, which the sending supervisor holds.
    permission = kinds.KINDS["screening"].permission
    monkeypatch.setitem(kinds.KINDS, "counted",
                        kinds.JobKind("counted", "Counted", permission, work))  # fmt: skip
    return ran, during


def _asked(supervisor=None, **arguments) -> Job:
    return services.job_request(actor=supervisor, kind="counted", arguments=arguments)


@pytest.mark.django_db
def test_a_job_delivered_again_while_it_runs_is_not_run_a_second_time(counted):
    ran, during = counted
    again = []
    during.append(lambda job: again.append(job_attempt(job.pk)))
    job = _asked()

    assert job_attempt(job.pk) is None

    job.refresh_from_db()
    assert ran == [job.pk] and again == [None]
    assert job.status == Job.Status.SUCCEEDED and job.attempts == 1
    # Delivered once more after it ended: nothing runs.
    assert job_attempt(job.pk) is None and ran == [job.pk]


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="two workers at once need PostgreSQL; SQLite runs one writer")  # fmt: skip
@pytest.mark.django_db(transaction=True)
def test_a_job_delivered_to_two_workers_at_once_runs_once(counted):
    ran, _ = counted
    for _round in range(10):
        job = _asked(pause=50)
        outcomes = race(lambda pk=job.pk: job_attempt(pk), lambda pk=job.pk: job_attempt(pk))
        job.refresh_from_db()
        assert outcomes == [None, None]
        assert ran.count(job.pk) == 1, f"job {job.pk} ran {ran.count(job.pk)} times"
        assert job.status == Job.Status.SUCCEEDED and job.attempts == 1


@pytest.mark.django_db
def test_a_job_silent_too_long_is_failed_with_the_reason_and_a_busy_one_is_left(counted):
    ran, _ = counted
    supervisor = User.objects.get(username="sending.supervisor")
    silent, busy = _asked(supervisor), _asked(supervisor)
    for job in (silent, busy):
        assert services.job_began(job)
    later = timezone.now() + timedelta(minutes=settings.JOB_SILENCE_MINUTES + 1)

    with time_machine.travel(later - timedelta(minutes=2), tick=False):
        services.job_progress_note(busy, 3, 10, "Still at it")  # heard 2 minutes before
    with time_machine.travel(later, tick=False):
        client = Client(HTTP_ACCEPT_LANGUAGE="fr")  # who notices does not choose the record's words
        client.force_login(supervisor)
        listed = {j["id"]: j for j in client.get("/api/jobs").json()["items"]}

    assert listed[silent.pk]["status"] == "failed"
    assert f"for {settings.JOB_SILENCE_MINUTES} minutes" in listed[silent.pk]["error"]
    assert listed[busy.pk]["status"] == "running" and not listed[busy.pk]["error"]
    silent.refresh_from_db()
    busy.refresh_from_db()
    assert silent.status == Job.Status.FAILED and silent.finished_at == later
    assert busy.status == Job.Status.RUNNING and busy.finished_at is None
    # The dead worker's job delivered again (the broker hands it back) is not run.
    assert job_attempt(silent.pk) is None and ran == []


@pytest.mark.django_db
def test_the_shell_lists_a_silent_job_as_failed(counted):
    job = _asked()
    assert services.job_began(job)
    out = io.StringIO()
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        call_command("jobs", "show", str(job.pk), stdout=out)
    assert "Failed" in out.getvalue() and "No word from the worker" in out.getvalue()
