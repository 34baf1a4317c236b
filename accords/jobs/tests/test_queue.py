"""Jobs run where production and the embedded default run them, on PostgreSQL with committed
transactions: a Celery worker (started here, in a thread) takes them from Redis, trying again
through the broker when an attempt is worth repeating; without a broker, a thread of the asking
process runs them once the asking transaction commits.

Redis at 127.0.0.1:6379 must answer: under CI=true its absence fails the run."""

import os
import socket
import threading
import time
import uuid

import pytest
from django.db import OperationalError, connection

from accords.jobs import kinds
from accords.jobs.models import Job
from accords.jobs.queue import app
from accords.jobs.running import job_start

REDIS = ("127.0.0.1", 6379)
WAIT_SECONDS = 15

# Decided before the database is set up: a skipped test with committed transactions would
# still empty every table when it ends.
pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="the runners' own connections see committed rows: run on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]  # fmt: skip


@pytest.fixture
def redis_url():
    try:
        socket.create_connection(REDIS, timeout=2).close()
    except OSError as error:
        message = f"Redis at {REDIS[0]}:{REDIS[1]} is unreachable ({error})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: CI requires it (.ci/run starts redis-server)")
        pytest.skip(message)
    return f"redis://{REDIS[0]}:{REDIS[1]}/0"


@pytest.fixture
def flaky(monkeypatch):
    calls = []

    def work(*, job, actor, progress, failures: int):
        calls.append(job.attempts)
        if len(calls) <= failures:
            raise OperationalError("could not connect to server")
        progress(3, 3, "done")
        return {"attempts": len(calls)}

    monkeypatch.setitem(kinds.KINDS, "flaky", kinds.JobKind("flaky", "Flaky", None, work))
    return calls


def _ended(pk: int) -> Job:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=pk)
        if job.finished:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {pk} did not end within {WAIT_SECONDS} s: {job.status}")


# One test for both runners: each test with committed transactions empties every table when
# it ends, which costs more than the jobs themselves.
def test_jobs_run_on_a_celery_worker_from_redis_and_in_a_thread_without_a_broker(
    redis_url, flaky, settings
):
    _a_celery_worker_takes_jobs_from_redis_and_retries_through_the_broker(redis_url, settings)
    flaky.clear()
    _without_a_broker_a_thread_runs_the_job_once_the_asking_transaction_commits(flaky, settings)


def _a_celery_worker_takes_jobs_from_redis_and_retries_through_the_broker(redis_url, settings):
    from celery.contrib.testing.worker import start_worker

    # A queue of this run's own: other runs may share the Redis.
    settings.JOB_RUNNER, settings.JOB_QUEUE = "celery", f"accords-test-{uuid.uuid4().hex}"
    broker = app.conf.broker_url
    app.conf.broker_url = redis_url
    app.close()  # forget any connection pool made for the previous broker
    try:
        with start_worker(app, pool="solo", perform_ping_check=False,
                          queues=[settings.JOB_QUEUE], shutdown_timeout=10):  # fmt: skip
            export = job_start(actor=None, kind="ledger_export", arguments={})
            retried = job_start(actor=None, kind="flaky", arguments={"failures": 1})
            export, retried = _ended(export.pk), _ended(retried.pk)
    finally:
        app.conf.broker_url = broker
        app.close()
    assert export.status == Job.Status.SUCCEEDED, export.error
    assert export.result["lines"] > 0 and export.result_file.endswith(f"job-{export.pk}.beancount")
    assert retried.status == Job.Status.SUCCEEDED and retried.attempts == 2
    assert retried.done == retried.total == 3


def _without_a_broker_a_thread_runs_the_job_once_the_asking_transaction_commits(flaky, settings):
    settings.JOB_RUNNER = "thread"
    job = job_start(actor=None, kind="flaky", arguments={"failures": 2})
    runner = next(t for t in threading.enumerate() if t.name == f"accords-job-{job.pk}")
    runner.join(WAIT_SECONDS)
    job = Job.objects.get(pk=job.pk)
    assert job.status == Job.Status.SUCCEEDED and job.attempts == 3 == len(flaky)
