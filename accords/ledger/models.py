"""The ledger of each agreement: accounts, and the immutable transfers between them.

Learnt from TigerBeetle. A ledger is one agreement in one currency. A transfer moves an amount
(an integer of the currency's minor unit) from one account (debited) to another (credited) of
the same ledger, so every ledger balances by construction. A transfer is never updated or
deleted: a correction is a new transfer that names the one it reverses. Money reserved before
it is due is a pending transfer; it is resolved exactly once, by a later transfer that posts,
voids or expires it (a unique constraint on `pending` makes "once" the database's rule).
Balances are sums over the transfers (`balances.py`); no balance is stored.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from accords.ledger.accounts import KIND_CHOICES
from accords.registry.models import Agreement, State, Term


class Programme(models.TextChoices):
    """What money under an agreement is for."""

    FEES = "fees", "per-person fees"
    LUMP_SUMS = "lump_sums", "lump sums"
    FUND = "fund", "fund"
    OPERATIONS = "operations", "operations"
    STIPENDS = "stipends", "stipends"
    JOB_ASSISTANCE = "job_assistance", "job assistance"
    SERVICES = "services", "services"
    CLAIMS = "claims", "claims between states"
    NONE = "", "all programmes"


class Ledger(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="ledgers")
    currency = models.CharField(max_length=3)

    class Meta:
        ordering = ["agreement", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "currency"], name="one_ledger_per_currency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement} ({self.currency})"


class Account(models.Model):
    """One account of a ledger: its kind, the programme it serves, and a key that tells apart
    accounts of one kind and programme (a commitment's term, a person's id for a stipend)."""

    ledger = models.ForeignKey(Ledger, on_delete=models.PROTECT, related_name="accounts")
    kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    programme = models.CharField(max_length=16, choices=Programme.choices, blank=True)
    key = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["ledger", "kind", "programme", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["ledger", "kind", "programme", "key"], name="one_account_per_purpose"
            )
        ]

    def __str__(self) -> str:
        parts = [self.get_kind_display(), self.get_programme_display() if self.programme else ""]
        return ", ".join(p for p in [*parts, self.key] if p)


class Claim(models.Model):
    """A claim of one state against another under an agreement (Rwanda's against the UK after
    the partnership ended): its amount, basis and status, and its settlement."""

    class Status(models.TextChoices):
        MADE = "made"
        DISPUTED = "disputed"
        SETTLED = "settled"
        REJECTED = "rejected"
        WITHDRAWN = "withdrawn"

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="claims")
    claimant = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+")
    respondent = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=16, decimal_places=2)
    currency = models.CharField(max_length=3)
    basis = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MADE)
    made_on = models.DateField()
    term = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The registry's sourced fact this claim is, if any.",
    )  # fmt: skip
    settled_on = models.DateField(null=True, blank=True)
    settled_amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["agreement", "made_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="claim_amount_positive",
                violation_error_message="A claim is for an amount above zero.",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.claimant} against {self.respondent}, {self.currency} {self.amount:,.2f}"


class Transfer(models.Model):
    class Code(models.TextChoices):
        COMMITMENT = "commitment"
        OBLIGATION = "obligation"
        DISBURSEMENT = "disbursement"
        RETURN = "return", "payment returned"
        CLAIM_SETTLEMENT = "claim_settlement", "claim settled"
        CORRECTION = "correction"

    class Phase(models.TextChoices):
        POSTED = "posted"
        PENDING = "pending", "pending (reserved)"
        POST = "post", "posts a pending transfer"
        VOID = "void", "voids a pending transfer"
        EXPIRE = "expire", "expires a pending transfer"

    ledger = models.ForeignKey(Ledger, on_delete=models.PROTECT, related_name="transfers")
    debit_account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    credit_account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField(help_text="In the currency's minor unit.")
    code = models.CharField(max_length=16, choices=Code.choices)
    phase = models.CharField(max_length=8, choices=Phase.choices, default=Phase.POSTED)
    pending = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="resolution"
    )
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="correction"
    )
    on = models.DateField(help_text="The day the money event happened (or is due).")
    # A pending transfer may lapse: from this day `pendings_expire` expires it.
    expires_on = models.DateField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    # What the transfer is about, by reference: "referral/12", "stipend/<cycle>/<person id>".
    reference = models.CharField(max_length=120, blank=True, db_index=True)
    term = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="transfers"
    )

    class Meta:
        ordering = ["ledger", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="transfer_amount_positive"),
            models.CheckConstraint(
                condition=~Q(debit_account=models.F("credit_account")),
                name="transfer_between_two_accounts",
            ),
            models.CheckConstraint(
                condition=Q(phase__in=["posted", "pending"], pending__isnull=True)
                | Q(phase__in=["post", "void", "expire"], pending__isnull=False),
                name="transfer_resolution_names_its_pending",
            ),
        ]
        indexes = [
            models.Index(fields=["debit_account", "phase"], name="transfer_debit_idx"),
            models.Index(fields=["credit_account", "phase"], name="transfer_credit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} {self.amount} ({self.get_phase_display()})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("A transfer is never changed: post a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("A transfer is never deleted: post a correction instead.")
