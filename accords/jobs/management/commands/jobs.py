"""`accords jobs`: background jobs from the shell.

accords jobs list [--limit N]     the latest jobs, with their status and progress
accords jobs show ID [--follow]   one job: progress, result or error (--follow: until it ends)

The long commands themselves (`screen`, `import`, `plan`, `ledger export`, `statistics
publish`) keep running in the foreground: a shell is no web request, they draw their own
progress bars and their exit status tells a schedule whether they worked.
"""

import json
import time

from django.core.management.base import BaseCommand, CommandError

from accords.jobs.kinds import kind_label
from accords.jobs.models import Job
from accords.jobs.services import job_progress_read, jobs_silent_fail

FOLLOW_SECONDS = 1.0


def _bar(job: Job, width: int = 30) -> str:
    filled = width * job.percent // 100
    counts = f" {job.done}/{job.total}" if job.total else ""
    return f"[{'#' * filled}{'.' * (width - filled)}] {job.percent:3d}%{counts}"


class Command(BaseCommand):
    help = "Background jobs: list them, or show one's progress and result."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        listing = verbs.add_parser("list", help="the latest jobs")
        listing.add_argument("--limit", type=int, default=20)
        show = verbs.add_parser("show", help="one job's progress, result or error")
        show.add_argument("id", type=int)
        show.add_argument("--follow", action="store_true", help="until the job ends")

    def handle(self, *args, verb, **options):
        jobs_silent_fail()  # a job whose worker died is listed failed, not running for ever
        getattr(self, f"_{verb}")(**options)

    def _list(self, *, limit, **_):
        jobs = Job.objects.select_related("requested_by")[: max(1, limit)]
        for job in jobs:
            job = job_progress_read(job)
            who = job.requested_by.username if job.requested_by else "(shell)"
            self.stdout.write(
                f"#{job.pk:<6} {kind_label(job.kind):28s} {job.get_status_display():18s} "
                f"{_bar(job, 20)}  {who}  {job.requested_at:%Y-%m-%d %H:%M}"
            )
        if not jobs:
            self.stdout.write("no jobs")

    def _show(self, *, id, follow, **_):
        job = Job.objects.select_related("requested_by").filter(pk=id).first()
        if job is None:
            raise CommandError(f"ID: no job {id}", returncode=2)
        job = job_progress_read(job)
        while follow and not job.finished:
            self.stdout.write(f"{job.get_status_display()} {_bar(job)} {job.message}")
            time.sleep(FOLLOW_SECONDS)
            jobs_silent_fail()
            job = job_progress_read(Job.objects.get(pk=id))
        self.stdout.write(f"job #{job.pk}: {kind_label(job.kind)}")
        self.stdout.write(f"  status    {job.get_status_display()} (attempts: {job.attempts})")
        self.stdout.write(f"  progress  {_bar(job)} {job.message}")
        who = job.requested_by.username if job.requested_by else "(shell)"
        self.stdout.write(f"  asked     by {who} at {job.requested_at:%Y-%m-%d %H:%M:%S %Z}")
        self.stdout.write(f"  arguments {json.dumps(job.arguments, sort_keys=True)}")
        if job.finished_at:
            self.stdout.write(f"  ended     {job.finished_at:%Y-%m-%d %H:%M:%S %Z}")
        if job.result:
            self.stdout.write(f"  result    {json.dumps(job.result, sort_keys=True)}")
        if job.result_file:
            self.stdout.write(f"  file      {job.result_file}")
        if job.error:
            self.stdout.write("  error     " + job.error.replace("\n", "\n            "))
