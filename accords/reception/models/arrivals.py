"""What happens to each person after the hand-over, in the receiving state.

The hand-over opens an arrival for each person and a household for the people who arrived
together as a family (`services.arrival_open`, called inside `handover.record`): the receiving
state's record of where they live, what they need, the services it owes them under the
agreement, and what became of them. Monitors, a role apart from both states, are assigned the
agreements they watch (`Monitoring`) and see those agreements' arrivals.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accords.cases.models import Family, Person
from accords.registry.models import Agreement
from accords.transfers.models import ManifestEntry

__all__ = ["PLAN_DUE_DAYS", "Arrival", "Household", "Monitoring"]

# IOM's reintegration approach: a plan within a month of arrival.
PLAN_DUE_DAYS = 30


class Household(models.Model):
    """The reception record of a family that arrived together under one agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="households")
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="households")
    opened_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "family"], name="one_household_per_family_per_agreement"
            )
        ]

    def __str__(self) -> str:
        return f"household {self.pk} under {self.agreement.key}"


class Arrival(models.Model):
    """One person handed over to the receiving state: the reception record of that person."""

    entry = models.OneToOneField(ManifestEntry, on_delete=models.PROTECT, related_name="arrival")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="arrivals")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="arrivals")
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="arrivals"
    )
    arrived_at = models.DateTimeField(_("arrived at"))
    plan_due_on = models.DateField(
        _("case plan due on"),
        help_text=_("A case plan is due within 30 days of arrival."),
    )
    # The day the person left the programme's care (any outcome but staying), set by the
    # outcome's service: no entitlement, service or follow-up is due after it.
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["-arrived_at", "-id"]
        indexes = [models.Index(fields=["agreement", "arrived_at"])]

    def __str__(self) -> str:
        return f"arrival {self.pk} under {self.agreement.key}"


class Monitoring(models.Model):
    """A monitor's assignment to watch one agreement: they see its arrivals, never the sending
    state's case files."""

    monitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="monitorings"
    )
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="monitorings")
    since = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["monitor", "agreement"], name="one_monitoring_per_monitor_and_agreement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.monitor} monitors {self.agreement.key}"
