"""`accords worker`: a Celery worker that runs the background jobs sent to the broker
(ACCORDS_TASK_BROKER, or production's local Redis). Start one on each machine that should
take jobs; they share the queue, the database and the job files folder."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run a Celery worker for the background jobs (needs ACCORDS_TASK_BROKER)."

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, default=1,
                            help="jobs run at once by this worker (default 1)")  # fmt: skip
        parser.add_argument("--loglevel", default="INFO")

    def handle(self, *args, concurrency, loglevel, **options):
        if not settings.TASK_BROKER:
            raise CommandError(
                "no broker: set ACCORDS_TASK_BROKER (redis://127.0.0.1:6379/0); without one, "
                "jobs run inside the web process and need no worker",
                returncode=2,
            )
        from accords.jobs.queue import app

        app.worker_main(
            [
                "worker",
                f"--concurrency={max(1, concurrency)}",
                f"--loglevel={loglevel}",
                f"--queues={settings.JOB_QUEUE}",
            ]  # fmt: skip
        )
