"""Which jobs a user sees: their own; a sending supervisor, every job asked by their state's
people too."""

from django.db.models import Q, QuerySet

from accords.core.roles import user_role
from accords.jobs.models import Job
from accords.jobs.services import job_progress_read, jobs_silent_fail


def jobs_visible(*, user) -> QuerySet[Job]:
    if not user.is_authenticated:
        return Job.objects.none()
    # Every page and endpoint that shows jobs comes through here: a job whose worker died is
    # shown failed, with the reason, rather than running for ever (services.jobs_silent_fail).
    jobs_silent_fail()
    seen = Q(requested_by=user)
    role = user_role(user)
    profile = getattr(user, "profile", None)
    if role and role.key == "sending_supervisor" and profile and profile.sending_state_id:
        seen |= Q(sending_state_id=profile.sending_state_id)
    return Job.objects.filter(seen).select_related("requested_by")


def job_get(*, user, pk: int) -> Job:
    """The job with its live progress; Job.DoesNotExist if the user may not see it."""
    return job_progress_read(jobs_visible(user=user).get(pk=pk))
