"""Reception's oversight: what independent monitors, grievances and follow-ups record of each
arrival, and what became of each person.

- A monitor plans welfare visits and records them done or denied; a denied visit is itself a
  finding, so it raises a concern on its own. A concern has a severity, and the receiving state
  must answer it by a deadline the severity sets.
- A grievance is filed for a person by their caseworker, counsel or a monitor; the receiving
  state answers it by its due date with an outcome.
- Follow-ups at 1, 3, 6 and 12 months score the IOM Reintegration Sustainability Survey's 15
  indicators (`accords.reception.survey`).
- Outcomes are records, never edited: a correction is a new outcome pointing at the one it
  corrects. An onward removal to a country the person is protected from raises a refoulement
  alert, which is kept for ever with the outcomes that raised and corrected it.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accords.cases.models import Protection
from accords.core import validation as kinds
from accords.reception.models.arrivals import Arrival
from accords.registry.models import Term

__all__ = [
    "FOLLOW_UP_MONTHS",
    "GRIEVANCE_ANSWER_DAYS",
    "Concern",
    "FollowUp",
    "Grievance",
    "Outcome",
    "RefoulementAlert",
    "WelfareVisit",
]

# IOM's reintegration approach follows each person for a year.
FOLLOW_UP_MONTHS = (1, 3, 6, 12)
# A grievance is answered within a month (OpenG2P's grievance redress works to such a limit).
GRIEVANCE_ANSWER_DAYS = 30

_USER = settings.AUTH_USER_MODEL


class WelfareVisit(models.Model):
    """A monitor's visit to one arrival: planned, then done (with findings) or denied."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        DONE = "done", _("done")
        DENIED = "denied", _("access denied")

    arrival = models.ForeignKey(Arrival, on_delete=models.PROTECT, related_name="visits")
    monitor = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    planned_on = models.DateField(_("planned on"))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PLANNED)
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    findings = models.TextField(
        _("findings"), blank=True, validators=kinds.FREE_TEXT.field_validators
    )

    class Meta:
        ordering = ["planned_on", "id"]

    def __str__(self) -> str:
        return f"visit {self.pk} to arrival {self.arrival_id}"


class Concern(models.Model):
    """A monitor's concern about one arrival, which the receiving state must answer in time."""

    class Severity(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")
        CRITICAL = "critical", _("critical")

    # Days the receiving state has to answer, by severity: the graver, the sooner.
    ANSWER_DAYS = {"low": 30, "medium": 14, "high": 7, "critical": 2}

    arrival = models.ForeignKey(Arrival, on_delete=models.PROTECT, related_name="concerns")
    visit = models.OneToOneField(
        WelfareVisit, null=True, blank=True, on_delete=models.PROTECT, related_name="concern"
    )
    raised_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField(_("raised on"))
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    text = models.TextField(_("concern"), validators=kinds.FREE_TEXT.field_validators)
    answer_due_on = models.DateField(_("answer due on"))
    answer = models.TextField(_("answer"), blank=True, validators=kinds.FREE_TEXT.field_validators)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["answer_due_on", "id"]

    def __str__(self) -> str:
        return f"concern {self.pk} about arrival {self.arrival_id}"

    @classmethod
    def due_after(cls, raised_on, severity: str):
        return raised_on + timedelta(days=cls.ANSWER_DAYS[severity])

    @property
    def answered_late(self) -> bool:
        return self.answered_on is not None and self.answered_on > self.answer_due_on


class Grievance(models.Model):
    """A person's grievance, filed for them through a caseworker, counsel or a monitor."""

    class Subject(models.TextChoices):
        HOUSING = "housing", _("housing")
        STIPEND = "stipend", _("stipend")
        DOCUMENTS = "documents", _("documents")
        HEALTH = "health", _("health")
        WORK = "work", _("work and training")
        TREATMENT = "treatment", _("treatment by officials")
        OTHER = "other", _("other")

    class Through(models.TextChoices):
        CASEWORKER = "caseworker", _("a caseworker")
        COUNSEL = "counsel", _("counsel")
        MONITOR = "monitor", _("a monitor")

    class Resolution(models.TextChoices):
        UPHELD = "upheld", _("upheld")
        PARTLY_UPHELD = "partly_upheld", _("partly upheld")
        NOT_UPHELD = "not_upheld", _("not upheld")
        WITHDRAWN = "withdrawn", _("withdrawn")

    arrival = models.ForeignKey(Arrival, on_delete=models.PROTECT, related_name="grievances")
    filed_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    through = models.CharField(_("filed through"), max_length=10, choices=Through.choices)
    filed_on = models.DateField(_("filed on"))
    subject = models.CharField(_("subject"), max_length=10, choices=Subject.choices)
    text = models.TextField(_("grievance"), validators=kinds.FREE_TEXT.field_validators)
    answer_due_on = models.DateField(_("answer due on"))
    answer = models.TextField(_("answer"), blank=True, validators=kinds.FREE_TEXT.field_validators)
    resolution = models.CharField(
        _("outcome"), max_length=13, choices=Resolution.choices, blank=True
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["answer_due_on", "id"]

    def __str__(self) -> str:
        return f"grievance {self.pk} of arrival {self.arrival_id}"

    @property
    def answered_late(self) -> bool:
        return self.answered_on is not None and self.answered_on > self.answer_due_on


class FollowUp(models.Model):
    """One follow-up of an arrival, at 1, 3, 6 or 12 months, with the survey's scores."""

    arrival = models.ForeignKey(Arrival, on_delete=models.PROTECT, related_name="follow_ups")
    month = models.PositiveSmallIntegerField(_("month"), choices=[(m, m) for m in FOLLOW_UP_MONTHS])
    done_on = models.DateField(_("done on"))
    # indicator key -> score (1 to 5), one for each of the survey's 15 indicators
    scores = models.JSONField(default=dict)
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["arrival", "month"]
        constraints = [
            models.UniqueConstraint(fields=["arrival", "month"], name="one_follow_up_per_month")
        ]

    def __str__(self) -> str:
        return f"follow-up at {self.month} months of arrival {self.arrival_id}"


KEPT = _("This record is kept as it was made: add a correction instead.")


class _Kept(models.QuerySet):
    """Rows of the record of what became of people: added to, never changed or deleted."""

    def update(self, **kwargs):
        raise ValidationError(KEPT)

    def delete(self):
        raise ValidationError(KEPT)


class _KeptModel(models.Model):
    objects = _Kept.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError(
                _("This record is kept as it was made: add a correction instead.")
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(KEPT)


class Outcome(_KeptModel):
    """What became of a person, as recorded on one day. The latest outcome that no later one
    corrects is the person's outcome; the others stay as its history."""

    class Kind(models.TextChoices):
        STAYING = "staying", _("staying")
        LEFT = "left", _("left on their own")
        RETURNED_HOME = "returned_home", _("returned home voluntarily")
        REMOVED_ONWARD = "removed_onward", _("removed onward")
        DETAINED = "detained", _("detained")
        DIED = "died", _("died")
        UNKNOWN = "unknown", _("unknown")

    # Outcomes that take a person to another country, which the record names.
    TO_A_COUNTRY = ("returned_home", "removed_onward")

    arrival = models.ForeignKey(Arrival, on_delete=models.PROTECT, related_name="outcomes")
    kind = models.CharField(_("outcome"), max_length=14, choices=Kind.choices)
    on = models.DateField(_("on"))
    country = models.CharField(
        _("to country"), max_length=2, blank=True, validators=kinds.COUNTRY.field_validators
    )
    note = models.TextField(_("note"), blank=True, validators=kinds.FREE_TEXT.field_validators)
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrected_by"
    )
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["arrival", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"outcome {self.pk} of arrival {self.arrival_id}: {self.kind}"


class RefoulementAlert(_KeptModel):
    """An onward removal the record shows went against a protection or an agreement's bar.
    Raised by the outcome's own service, the moment the outcome is recorded; kept for ever."""

    class Kind(models.TextChoices):
        PROTECTED_COUNTRY = (
            "protected_country",
            _("removed onward to a country the person is protected from"),
        )
        PENDING_CLAIM = (
            "pending_claim",
            _("removed onward while a claim was pending, against the agreement's term"),
        )

    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="alerts")
    arrival = models.ForeignKey(Arrival, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=17, choices=Kind.choices)
    country = models.CharField(max_length=2)
    # The protection as it stood when the alert was raised: a later import of the case file
    # may replace the fact, never the alert.
    protection_kind = models.CharField(max_length=16, choices=Protection.Kind.choices, blank=True)
    protection_granted_on = models.DateField(null=True, blank=True)
    term = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        return f"refoulement alert {self.pk} for arrival {self.arrival_id}"
