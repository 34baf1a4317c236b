"""States, the agreements between them, their dated terms and status history, and the
sources every fact is credited to, each credit with how sure it is."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accords.law.offences import offence_problem


class Precision(models.TextChoices):
    """How much of a date a source actually states ("June 2025" is month precision)."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class State(models.Model):
    code = models.CharField("ISO 3166-1 alpha-2 code", max_length=2, primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Source(models.Model):
    class Kind(models.TextChoices):
        TREATY = "treaty", _("Treaty")
        COURT_RECORD = "court_record", _("court record")
        OFFICIAL_STATEMENT = "official_statement", _("official statement")
        PRESS_REPORT = "press_report", _("press report")
        LEAKED_DOCUMENT = "leaked_document", _("leaked document")
        OVERSIGHT_REPORT = "oversight_report", _("oversight report")
        NGO_REPORT = "ngo_report", _("report by a non-governmental organisation")

    key = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    published_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    url = models.URLField(max_length=500, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.title


class AgreementQuerySet(models.QuerySet):
    def screened(self) -> "AgreementQuerySet":
        """The agreements a regime in Accords governs: the only ones the engine can screen."""
        return self.exclude(regime="")


class Agreement(models.Model):
    class Kind(models.TextChoices):
        """What happens to people on arrival."""

        INTEGRATION = "integration", _("Integration")
        DETENTION = "detention", _("Detention")
        ASYLUM_PROCESSING = "asylum_processing", _("asylum processing")
        TRANSIT = "transit", _("Transit")
        NOT_REPORTED = "not_reported", _("not reported")

    class Arrangement(models.TextChoices):
        """What kind of arrangement it is in law, whatever happens on arrival."""

        # People the sending state has ordered removed are sent to a country not their own.
        THIRD_COUNTRY_REMOVAL = "third_country_removal", _("third-country removal")
        # People seeking protection have their claims examined in the receiving state instead
        # (the US "agreements for cooperation in the examination of protection requests", safe
        # third country arrangements, the UK–Rwanda asylum partnership).
        ASYLUM_COOPERATIVE = "asylum_cooperative", _("asylum cooperative agreement")
        # People due to return home are held in or pass through the receiving state on the way
        # (the "return hubs" of the EU's proposed return regulation).
        RETURN_HUB = "return_hub", _("transit or return hub")

    class Regime(models.TextChoices):
        US = "us", _("United States")
        UK = "uk", _("United Kingdom")
        NONE = "", _("none in Accords (not screened)")

    key = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    sending_state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+")
    receiving_state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("on arrival", max_length=20, choices=Kind.choices)
    arrangement = models.CharField(
        max_length=24, choices=Arrangement.choices, default=Arrangement.THIRD_COUNTRY_REMOVAL
    )
    # Blank: no regime file in Accords governs transfers under it (an agreement between other
    # states, recorded for reference); the engine does not screen under it.
    regime = models.CharField(max_length=4, choices=Regime.choices, blank=True)
    summary = models.TextField(blank=True)
    # How the transfer workflow runs under the agreement (accords/transfers/rules.py): how far
    # ahead referrals and flights may be dated, and how early before a flight's day its
    # manifest may depart.
    planning_horizon_days = models.PositiveSmallIntegerField(
        "planning horizon (days)",
        default=180,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text="Referrals may be proposed, and flights dated, at most this many days ahead.",
    )
    departure_window_hours = models.PositiveSmallIntegerField(
        "departure window (hours before the flight's day)",
        default=0,
        validators=[MaxValueValidator(48)],
        help_text="0: a manifest departs only on its flight's day. N: from N hours before that "
        "day begins. Never after the day ends.",
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sending_state=models.F("receiving_state")),
                name="agreement_between_two_states",
                violation_error_message="An agreement is between two different states.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.sending_state_id and self.sending_state_id == self.receiving_state_id:
            raise ValidationError({"receiving_state": "The receiving state is the sending state."})


class Status(models.TextChoices):
    RUMOURED = "rumoured", _("Rumoured")
    NEGOTIATING = "negotiating", _("Negotiating")
    PRELIMINARY = "preliminary", _("Preliminary")
    SIGNED = "signed", _("Signed")
    IN_FORCE = "in_force", _("in force")
    SUSPENDED = "suspended", _("Suspended")
    ENJOINED = "enjoined", _("enjoined by a court")
    RULED_UNLAWFUL = "ruled_unlawful", _("ruled unlawful")
    ENDED = "ended", _("Ended")
    # Announced by one side and denied by the other.
    DISPUTED = "disputed", _("disputed (announced, then denied)")


class StatusChange(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="statuses")
    status = models.CharField(max_length=20, choices=Status.choices)
    on = models.DateField()
    on_precision = models.CharField(max_length=5, choices=Precision.choices, default="day")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["agreement", "on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "status", "on"], name="one_status_change_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} on {self.on}"


class Term(models.Model):
    """One dated term of an agreement. Which fields apply depends on its kind; `clean` and the
    database constraints say which are required."""

    class Kind(models.TextChoices):
        CAPACITY = "capacity", _("Capacity")
        MONEY = "money", _("Money")
        ELIGIBILITY = "eligibility", _("Eligibility")
        SERVICE = "service", _("Service")
        ASSURANCE = "assurance", _("Assurance")
        MONITORING = "monitoring", _("Monitoring")
        DURATION = "duration", _("duration and ending")

    class Assurance(models.TextChoices):
        """The assurances the engine and the reception work read, by their `category`."""

        # The receiving state removes no one onward (except back to the sending state).
        NO_ONWARD_REMOVAL = "no_onward_removal", "no onward removal"
        # The receiving state neither removes onward nor returns home anyone whose protection
        # claim is pending, until the claim is decided.
        NO_ONWARD_REMOVAL_BEFORE_CLAIM_DECIDED = (
            "no_onward_removal_before_claim_decided",
            "no onward removal or return home before the protection claim is decided",
        )
        CREDIBLE_ASSURANCES = "credible_assurances", "credible diplomatic assurances"

    class StipendCondition(models.TextChoices):
        """What a stipend term (kind service, service stipend) may say of who is entitled, by
        its `category`; the reception's stipend cycles read it."""

        # For how long after arrival a person receives the stipend (its quantity and period).
        AFTER_ARRIVAL = "after_arrival", "for a time after arrival"
        UNACCOMPANIED_MINOR = "unaccompanied_minor", "unaccompanied minors"
        # People who arrived as part of a household (a family moved together).
        HOUSEHOLD = "household", "people who arrived in a household"
        COUNTRY_OF_BIRTH = "country_of_birth", "people born in the countries listed"

    class Disclosure(models.TextChoices):
        """What the receiving state shares back per person, named in the `values` of a
        monitoring term of category `disclosure`; the reception's sending page reads it."""

        ARRIVED = "arrived_on", "the day of arrival"
        PLAN = "plan", "the case plan's due and agreed dates"
        LEFT = "left_on", "the day the person left care"
        SERVICES = "services", "how many services were provided and are pending"
        STIPENDS = "stipends", "how many stipend cycles the person was entitled to"

    class Period(models.TextChoices):
        TOTAL = "total", "in total"
        YEAR = "year", "per year"
        MONTH = "month", "per month"
        WEEK = "week", "per week"

    class MoneyKind(models.TextChoices):
        LUMP_SUM = "lump_sum", "lump sum"
        PER_PERSON_FEE = "per_person_fee", "per-person fee"
        # The most the sending state will pay in per-person fees: it caps the people sent.
        FEE_BUDGET = "fee_budget", "fee budget"
        STIPEND = "stipend"
        JOB_ASSISTANCE = "job_assistance", "job assistance"
        FUND = "fund"
        OPERATIONS = "operations"
        COMPENSATION_CLAIM = "compensation_claim", "compensation claim"

    class MoneyStatus(models.TextChoices):
        COMMITTED = "committed"
        PAID = "paid"
        CLAIMED = "claimed"
        CONSIDERED = "considered", "under consideration"

    class Rule(models.TextChoices):
        EXCLUDES = "excludes"
        ACCEPTS = "accepts"
        ONLY = "only", "accepts only"

    class Service(models.TextChoices):
        HOUSING = "housing"
        DOCUMENTS = "documents"
        STIPEND = "stipend"
        TRAINING = "training"
        HEALTH = "health"
        DETENTION = "detention"
        JOB_ASSISTANCE = "job_assistance", "job assistance"
        ASYLUM_PROCESSING = "asylum_processing", "asylum processing"
        ONWARD_TRANSPORT = "onward_transport", "onward transport"
        FREE_MOVEMENT = "free_movement", "free movement"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="terms")
    key = models.SlugField(max_length=80)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.TextField()
    valid_from = models.DateField(null=True, blank=True)
    valid_from_precision = models.CharField(max_length=5, choices=Precision.choices, default="day")
    valid_until = models.DateField(null=True, blank=True)
    valid_until_precision = models.CharField(max_length=5, choices=Precision.choices, default="day")
    quantity = models.PositiveIntegerField(null=True, blank=True)
    period = models.CharField(max_length=5, choices=Period.choices, blank=True)
    money_kind = models.CharField(max_length=20, choices=MoneyKind.choices, blank=True)
    money_status = models.CharField(max_length=12, choices=MoneyStatus.choices, blank=True)
    amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    rule = models.CharField(max_length=8, choices=Rule.choices, blank=True)
    category = models.CharField(max_length=80, blank=True)
    values = models.JSONField(default=list, blank=True)
    service = models.CharField(max_length=20, choices=Service.choices, blank=True)
    given = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["agreement", "kind", "valid_from", "key"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "key"], name="term_key_per_agreement"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="term_amount_not_negative",
                violation_error_message="An amount of money cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="term_ends_after_it_starts",
                violation_error_message="A term cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def assurance_label(self) -> str:
        """What an assurance promises, in words ("" for one only described)."""
        known = self.kind == self.Kind.ASSURANCE and self.category in self.Assurance.values
        return self.Assurance(self.category).label if known else ""

    def clean(self) -> None:
        import pycountry

        errors = {}
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = "The end date is before the start date."
        if self.amount is not None and self.amount < 0:
            errors["amount"] = "An amount of money cannot be negative."
        # A capacity with no quantity states that there is no fixed cap (or none is known).
        if self.kind == self.Kind.CAPACITY and self.quantity is not None and not self.period:
            errors["period"] = "A capacity term says over what period (or in total)."
        if self.kind == self.Kind.MONEY:
            if not self.money_kind:
                errors["money_kind"] = "A money term says what kind of money it is."
            if not self.money_status:
                errors["money_status"] = "A money term says whether it is committed, paid, ..."
            if self.amount is not None and not self.currency:
                errors["currency"] = "An amount needs its currency."
        if self.currency and pycountry.currencies.get(alpha_3=self.currency) is None:
            errors["currency"] = f'Unknown ISO 4217 currency "{self.currency}".'
        if self.kind == self.Kind.ELIGIBILITY:
            if not self.rule:
                errors["rule"] = "An eligibility term says whether it excludes or accepts."
            if not self.category:
                errors["category"] = "An eligibility term names the category it is about."
            elif self.category.startswith("conviction:"):
                # An exclusion of a conviction is written in the case files' own words.
                problem = offence_problem(self.category.removeprefix("conviction:"))
                if problem:
                    errors["category"] = problem + "."
        if self.kind == self.Kind.SERVICE and not self.service:
            errors["service"] = "A service term names the service."
        if self.kind == self.Kind.SERVICE and self.service == self.Service.STIPEND:
            errors.update(self._stipend_condition_problems())
        if self.kind == self.Kind.MONITORING and self.category == "disclosure":
            unknown = sorted(set(self.values) - set(self.Disclosure.values))
            if unknown:
                errors["values"] = (
                    f"Not information Accords shares per person: {', '.join(unknown)}; one of: "
                    f"{', '.join(self.Disclosure.values)}."
                )
        if (
            self.kind == self.Kind.ASSURANCE
            and self.category
            and self.category not in self.Assurance.values
        ):
            errors["category"] = (
                f'"{self.category}" is not an assurance Accords reads; one of: '
                f"{', '.join(self.Assurance.values)} (or none, for an assurance only described)."
            )
        if errors:
            raise ValidationError(errors)

    def _stipend_condition_problems(self) -> dict:
        """A stipend term that says who is entitled says it in terms the cycles can apply."""
        if not self.category and not self.rule:
            return {}
        if self.category not in self.StipendCondition.values:
            return {"category": f"One of: {', '.join(self.StipendCondition.values)}."}
        if self.rule not in (self.Rule.ONLY, self.Rule.EXCLUDES):
            return {"rule": "A stipend condition accepts only or excludes."}
        if self.category == self.StipendCondition.AFTER_ARRIVAL and (
            self.rule != self.Rule.ONLY
            or not self.quantity
            or self.period not in (self.Period.WEEK, self.Period.MONTH, self.Period.YEAR)
        ):
            return {"quantity": "Say for how many weeks, months or years after arrival."}
        if self.category == self.StipendCondition.COUNTRY_OF_BIRTH and not self.values:
            return {"values": "List the countries of birth."}
        return {}


class ReportedTransfer(models.Model):
    """What a source says actually happened: people moved under the agreement."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="reported_transfers"
    )
    on = models.DateField()
    on_precision = models.CharField(max_length=5, choices=Precision.choices, default="day")
    people = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField()

    class Meta:
        ordering = ["agreement", "on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "on", "text"], name="one_report_per_text")
        ]

    def __str__(self) -> str:
        return self.text


class Confidence(models.TextChoices):
    OFFICIAL = "official"
    REPORTED = "reported"
    LEAKED = "leaked"
    UNCONFIRMED = "unconfirmed"


class Credit(models.Model):
    """One fact (a term, a status change or a reported transfer) credited to one source."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="credits")
    confidence = models.CharField(max_length=12, choices=Confidence.choices)
    term = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.CASCADE, related_name="credits"
    )
    status_change = models.ForeignKey(
        StatusChange, null=True, blank=True, on_delete=models.CASCADE, related_name="credits"
    )
    reported_transfer = models.ForeignKey(
        ReportedTransfer, null=True, blank=True, on_delete=models.CASCADE, related_name="credits"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        term__isnull=False,
                        status_change__isnull=True,
                        reported_transfer__isnull=True,
                    )
                    | Q(
                        term__isnull=True,
                        status_change__isnull=False,
                        reported_transfer__isnull=True,
                    )
                    | Q(
                        term__isnull=True,
                        status_change__isnull=True,
                        reported_transfer__isnull=False,
                    )
                ),
                name="credit_for_exactly_one_fact",
            ),
            *(
                models.UniqueConstraint(
                    fields=["source", fact],
                    condition=Q(**{f"{fact}__isnull": False}),
                    name=f"one_credit_per_source_and_{fact}",
                )
                for fact in ("term", "status_change", "reported_transfer")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.key} ({self.confidence})"
