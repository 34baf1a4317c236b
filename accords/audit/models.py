"""The append-only audit log: one entry per state change, each hashed with the one before it."""

from django.conf import settings
from django.db import models


class AuditHead(models.Model):
    """The single row every append locks, so entries get gap-free sequence numbers and each
    one hashes the true previous entry, under any interleaving of concurrent writers."""

    size = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"audit log of {self.size} entries"


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(primary_key=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The actor's name as it was: a later rename or deletion must not rewrite history.
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=100, blank=True)
    details = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} by {self.actor_name}"
