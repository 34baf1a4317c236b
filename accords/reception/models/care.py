"""Reception's care part: what the receiving state does for each person it received.

- the intake (where the person is housed, with whom, their needs, their consent to the
  services offered) and the case plan due within 30 days of arrival;
- services with a provider, the agreement term that funds them, a due date and an outcome
  (documents, housing, health, language classes, job assistance, legal aid);
- stipends as programme cycles, after OpenG2P and OpenSPP: a programme per agreement read from
  its stipend term, cycles that compute each person's entitlement, approved by a second
  officer, and payment records (paid, failed, returned) from which what is owed follows.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accords.core import validation as kinds
from accords.reception.models.arrivals import Arrival
from accords.registry.models import Agreement, Term

__all__ = [
    "CarePlan",
    "CareService",
    "Entitlement",
    "Frequency",
    "Intake",
    "Need",
    "Payment",
    "StipendCycle",
    "StipendProgramme",
]

PLACE = kinds.text(200)


class Need(models.TextChoices):
    HEALTH = "health", _("health")
    LANGUAGE = "language", _("language")
    FAMILY = "family", _("family")
    LEGAL = "legal", _("legal")


def needs_known(value: list) -> None:
    if not isinstance(value, list) or any(v not in Need.values for v in value):
        raise ValidationError(_("Needs are a list of: %s.") % ", ".join(Need.values))


class Intake(models.Model):
    """The first interview after arrival: housing, household, needs and consent."""

    arrival = models.OneToOneField(Arrival, on_delete=models.PROTECT, related_name="intake")
    housed_at = models.CharField(_("housed at"), max_length=200,
                                 validators=PLACE.field_validators)  # fmt: skip
    housed_with = models.CharField(_("housed with"), max_length=200, blank=True,
                                   validators=PLACE.field_validators)  # fmt: skip
    needs = models.JSONField(_("needs"), default=list, blank=True, validators=[needs_known])
    needs_note = models.TextField(_("about the needs"), blank=True,
                                  validators=kinds.FREE_TEXT.field_validators)  # fmt: skip
    consent = models.BooleanField(_("consents to the services offered"))
    recorded_on = models.DateField(_("interviewed on"), validators=[kinds.event_date])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip

    def __str__(self) -> str:
        return f"intake of arrival {self.arrival_id}"


class CarePlan(models.Model):
    """The case plan agreed with the person, due within 30 days of arrival."""

    arrival = models.OneToOneField(Arrival, on_delete=models.PROTECT, related_name="plan")
    agreed_on = models.DateField(_("agreed on"), validators=[kinds.event_date])
    goals = models.TextField(_("goals"), validators=kinds.FREE_TEXT.field_validators)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip

    def __str__(self) -> str:
        return f"case plan of arrival {self.arrival_id}"


class CareService(models.Model):
    """One service owed to a person, due by a date, with its outcome."""

    class Kind(models.TextChoices):
        DOCUMENTS = "documents", _("documents")
        HOUSING = "housing", _("housing")
        HEALTH = "health", _("health care")
        LANGUAGE = "language", _("language classes")
        JOB = "job", _("job assistance")
        LEGAL = "legal", _("legal aid")

    class Document(models.TextChoices):
        IDENTITY = "identity", _("identity document")
        RESIDENCE = "residence", _("residence permit")
        TRAVEL = "travel", _("travel document")

    class JobStep(models.TextChoices):
        TRAINING = "training", _("training")
        PLACEMENT = "placement", _("placement")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("pending")
        DONE = "done", _("provided")
        REFUSED = "refused", _("refused")

    arrival = models.ForeignKey(Arrival, on_delete=models.PROTECT, related_name="services")
    kind = models.CharField(_("service"), max_length=10, choices=Kind.choices)
    document = models.CharField(_("document"), max_length=10, choices=Document.choices,
                                blank=True)  # fmt: skip
    job_step = models.CharField(_("job assistance step"), max_length=10,
                                choices=JobStep.choices, blank=True)  # fmt: skip
    provider = models.CharField(_("provider"), max_length=200, validators=PLACE.field_validators)
    funding_term = models.ForeignKey(Term, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("funded by"))  # fmt: skip
    requested_on = models.DateField(_("requested on"), validators=[kinds.event_date])
    due_on = models.DateField(_("due on"), validators=[kinds.day_considered])
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices,
                               default=Outcome.PENDING)  # fmt: skip
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True,
                                  validators=[kinds.event_date])  # fmt: skip
    # Housing: where, from, to. Job assistance: the employer and the start.
    place = models.CharField(_("place"), max_length=200, blank=True,
                             validators=PLACE.field_validators)  # fmt: skip
    starts_on = models.DateField(_("from"), null=True, blank=True,
                                 validators=[kinds.day_considered])  # fmt: skip
    ends_on = models.DateField(_("to"), null=True, blank=True, validators=[kinds.day_considered])
    employer = models.CharField(_("employer"), max_length=200, blank=True,
                                validators=PLACE.field_validators)  # fmt: skip

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["outcome", "due_on"], name="care_service_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="care_service_ends_after_it_starts",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for arrival {self.arrival_id}"

    @property
    def what(self) -> str:
        """The service in words: the document or job step where there is one."""
        if self.document:
            return str(self.get_document_display())
        if self.job_step:
            return f"{self.get_kind_display()}: {self.get_job_step_display()}"
        return str(self.get_kind_display())

    @property
    def outcome_label(self) -> str:
        """A document is requested, issued or refused; any other service pending, provided or
        refused."""
        if self.kind == self.Kind.DOCUMENTS:
            return str({"pending": _("requested"), "done": _("issued"),
                        "refused": _("refused")}[self.outcome])  # fmt: skip
        return str(self.get_outcome_display())


class Frequency(models.TextChoices):
    MONTH = "month", _("monthly")
    WEEK = "week", _("weekly")


class StipendProgramme(models.Model):
    """An agreement's stipend, read from its stipend term: how much, in which currency, how
    often, for how many cycles per person, from when until when."""

    agreement = models.OneToOneField(Agreement, on_delete=models.PROTECT,
                                     related_name="stipend_programme")  # fmt: skip
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount per cycle"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    frequency = models.CharField(_("frequency"), max_length=5, choices=Frequency.choices)
    cycles_per_person = models.PositiveSmallIntegerField(_("cycles per person"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")  # fmt: skip
    # The keys of the agreement's terms that said who is entitled when the programme opened
    # (none: the rules of `accords.reception.services.care` alone).
    eligibility_terms = models.JSONField(_("eligibility terms"), default=list, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="stipend_amount_positive")
        ]

    def __str__(self) -> str:
        return f"stipend programme of {self.agreement.key}"


class StipendCycle(models.Model):
    """One period of a programme: each person's entitlement computed by one officer, approved
    by another before anything is paid."""

    class Status(models.TextChoices):
        COMPUTED = "computed", _("awaiting approval")
        APPROVED = "approved", _("approved")

    programme = models.ForeignKey(StipendProgramme, on_delete=models.PROTECT,
                                  related_name="cycles")  # fmt: skip
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.COMPUTED)  # fmt: skip
    # The keys of the terms that said who is entitled to this cycle, read on its first day.
    eligibility_terms = models.JSONField(_("eligibility terms"), default=list, blank=True)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    computed_at = models.DateTimeField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "starts_on"],
                                    name="one_stipend_cycle_per_period"),
            models.CheckConstraint(
                condition=Q(status="computed", approved_at__isnull=True)
                | Q(status="approved", approved_at__isnull=False),
                name="stipend_cycle_approved_with_its_time",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"stipend cycle from {self.starts_on} ({self.programme.agreement.key})"


class Entitlement(models.Model):
    """What one person is owed by one cycle."""

    cycle = models.ForeignKey(StipendCycle, on_delete=models.PROTECT, related_name="entitlements")
    arrival = models.ForeignKey(Arrival, on_delete=models.PROTECT, related_name="entitlements")
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["cycle", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "arrival"],
                                    name="one_entitlement_per_cycle_and_arrival"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="entitlement_positive"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"entitlement {self.pk} of arrival {self.arrival_id}"


class Payment(models.Model):
    """One payment attempt or return: records are never edited; a return is a new record."""

    class Outcome(models.TextChoices):
        PAID = "paid", _("paid")
        FAILED = "failed", _("failed")
        RETURNED = "returned", _("returned")

    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT,
                                    related_name="payments")  # fmt: skip
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    on = models.DateField(_("on"), validators=[kinds.event_date])
    reference = models.CharField(_("reference"), max_length=100, blank=True,
                                 validators=kinds.text(100).field_validators)  # fmt: skip
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive")]

    def __str__(self) -> str:
        return f"{self.outcome} {self.amount} for entitlement {self.entitlement_id}"
