"""The jobs API: a job's status, progress and result, for whoever may see it."""

from datetime import datetime

import ninja
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from accords.core.api_auth import BoundedPages, documented
from accords.jobs import selectors
from accords.jobs.kinds import kind_label
from accords.jobs.models import Job

router = Router(tags=["jobs"], auth=django_auth)


class JobOut(Schema):
    id: int
    kind: str
    label: str
    status: str
    done: int
    total: int
    percent: int
    message: str
    attempts: int
    result: dict
    has_file: bool
    error: str
    requested_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    url: str

    @staticmethod
    def resolve_label(job: Job) -> str:
        return kind_label(job.kind)

    @staticmethod
    def resolve_has_file(job: Job) -> bool:
        return bool(job.result_file)

    @staticmethod
    def resolve_url(job: Job) -> str:
        return f"/api/jobs/{job.pk}"


def job_accepted(job: Job) -> ninja.Status:
    """What an endpoint that starts a job answers: 202, and where to follow it."""
    return ninja.Status(202, job)


@router.get("/jobs", response=documented({200: list[JobOut]}))
@paginate(BoundedPages)
def job_list(request):
    """The jobs the user may see, newest first: their own; a sending supervisor's state's."""
    return selectors.jobs_visible(user=request.user)


@router.get("/jobs/{job_id}", response=documented({200: JobOut}))
def job_detail(request, job_id: int):
    """A job's status, live progress, result and error."""
    try:
        return selectors.job_get(user=request.user, pk=job_id)
    except Job.DoesNotExist:
        raise HttpError(404, "No such job") from None
