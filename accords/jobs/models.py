"""A job: one piece of long work someone asked for, and how it went.

What was asked (kind, who, their state, arguments, when) is written once by the `job.request`
action and bound to its audit entry. How it went (status, progress, attempts, result, error,
times) is bookkeeping the runner writes outside any action: the work itself is one or more
actions with entries of their own, and those fields are left out of the row's digest
(accords.audit.rows.UNBOUND_FIELDS). Arguments are ids, keys and dates only, never a person's
data: an import's case files wait in a file named by a random token (accords.jobs.files).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=40)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="jobs",
    )  # fmt: skip
    sending_state = models.ForeignKey(
        "registry.State", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The state of whoever asked: its supervisors see the job.",
    )  # fmt: skip
    arguments = models.JSONField(default=dict, blank=True)
    requested_at = models.DateTimeField()

    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    result_file = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-requested_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running", "succeeded", "failed"]),
                name="job_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"job {self.pk} ({self.kind})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0
