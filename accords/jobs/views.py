"""The jobs pages: the user's jobs, and one job's progress (refreshing while it runs), result
and error; an export's file to download."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accords.jobs import selectors
from accords.jobs.kinds import kind_label
from accords.jobs.models import Job

REFRESH_SECONDS = 2
# What a job's summary holds, in words (accords.jobs.kinds returns these keys).
RESULT_WORDS = {
    "screening": _("Screening"), "as_of": _("As of"), "decisions": _("Decisions"),
    "cleared": _("cleared"), "pending": _("pending"), "blocked": _("blocked"),
    "created": _("Created"), "updated": _("Updated"), "unchanged": _("Unchanged"),
    "skipped": _("Skipped"), "plan": _("Plan"), "people_placed": _("People placed"),
    "proven_optimal": _("Proven optimal"), "format": _("Format"), "lines": _("Lines"),
    "publication": _("Publication"), "cells": _("Figures"),
}  # fmt: skip


def _words(value):
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        return ", ".join(f"{RESULT_WORDS.get(k, k)}: {v}" for k, v in value.items()) or "—"
    return value


@login_required
@require_GET
def job_list(request):
    jobs = list(selectors.jobs_visible(user=request.user)[:200])
    for job in jobs:
        job.label = kind_label(job.kind)
    return render(request, "jobs/list.html", {"jobs": jobs})


def _visible(request, pk: int) -> Job:
    try:
        return selectors.job_get(user=request.user, pk=pk)
    except Job.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def job_detail(request, pk: int):
    job = _visible(request, pk)
    job.label = kind_label(job.kind)
    result = [(RESULT_WORDS.get(k, k), _words(v)) for k, v in job.result.items()]
    refresh = None if job.finished else REFRESH_SECONDS
    context = {"job": job, "refresh": refresh, "result": result}
    return render(request, "jobs/detail.html", context)


@login_required
@require_GET
def job_file(request, pk: int):
    job = _visible(request, pk)
    if not job.result_file:
        raise Http404
    try:
        handle = open(job.result_file, "rb")  # noqa: SIM115 (FileResponse closes it)
    except OSError:
        raise Http404 from None
    name = f"accords-job-{job.pk}{job.result_file[job.result_file.rfind('.') :]}"
    return FileResponse(handle, as_attachment=True, filename=name)


urlpatterns = [
    path("jobs/", job_list, name="job_list"),
    path("jobs/<int:pk>/", job_detail, name="job_detail"),
    path("jobs/<int:pk>/file/", job_file, name="job_file"),
]
