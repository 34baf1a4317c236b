"""The Celery application: production's jobs go through the broker (settings.TASK_BROKER) to
workers on any machine, started with `accords worker` (or `celery -A accords.jobs.queue worker`).
"""

import os

from celery import Celery
from django.db import connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accords.settings")

app = Celery("accords")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(bind=True, name="accords.jobs.run", max_retries=None)
def job_run(self, pk: int) -> None:
    """One attempt at the job; the broker delivers it again after the wait the runner asks."""
    from django.conf import settings

    from accords.jobs.running import job_attempt

    try:
        wait = job_attempt(pk)
    finally:
        connections.close_all()  # a job is long: a fresh connection for the next costs nothing
    if wait is not None:
        raise self.retry(countdown=wait, queue=settings.JOB_QUEUE)
