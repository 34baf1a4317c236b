"""Referrals, placement plans, flights and manifests: where the law meets an aeroplane.

A referral proposes one person to one agreement. What it waits for (a notice window, a fear
screening, the receiving state's answer) is not stored here: it is the safeguards engine's
explanation of the case on the day asked, so it can never go stale. What is stored is what
people did: referred, served, accepted, withdrew, departed, handed over.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accords.cases.models import Person
from accords.core import validation as kinds
from accords.registry.models import Agreement


class UkStep(models.TextChoices):
    """The UK's two notices, in the order they are served (`services.UK_STEPS`)."""

    NOTICE_OF_INTENT = "notice_of_intent", _("notice of intent")
    REMOVAL_DIRECTIONS = "removal_directions", _("removal directions")


class Referral(models.Model):
    class Status(models.TextChoices):
        # Open: going through notice, windows, claims and the receiving state's answer.
        OPEN = "open", _("Open")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DEPARTED = "departed", _("Departed")
        HANDED_OVER = "handed_over", _("handed over")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField(auto_now_add=True)
    proposed_on = models.DateField(help_text="The date the transfer is proposed for.")
    # The receiving state's answer by name, once given (it also stands in the case's facts).
    acceptance = models.OneToOneField(
        "cases.Acceptance", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_reason = models.TextField(
        blank=True, max_length=kinds.TEXT_MAX, validators=kinds.FREE_TEXT.field_validators
    )

    class Meta:
        ordering = ["-referred_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="open"),
                name="one_open_referral_per_person",
                violation_error_message="This person already has an open referral.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} to {self.agreement.key}"


class DiplomaticNote(models.Model):
    """The receiving state's answer to one referral as it came by diplomatic note, recorded by
    a sending supervisor with the note's reference and file. It is the state's answer only once
    a second supervisor has confirmed it (four eyes): then `acceptance` is that answer."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="diplomatic_notes"
    )
    reference = models.CharField(
        max_length=100,
        validators=[kinds.one_line],
        help_text=_("The note's reference, as it bears it."),
    )
    decision = models.CharField(max_length=8, choices=Decision.choices)
    decided_on = models.DateField(
        help_text=_("The date of the note."), validators=[kinds.event_date]
    )
    reasons = models.TextField(
        blank=True, max_length=kinds.TEXT_MAX, validators=kinds.FREE_TEXT.field_validators
    )
    document = models.BinaryField(help_text=_("The note's file, as received."))
    document_name = models.CharField(max_length=200)
    document_sha256 = models.CharField(max_length=64)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    acceptance = models.OneToOneField(
        "cases.Acceptance", null=True, blank=True, on_delete=models.PROTECT, related_name="note"
    )

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=models.F("recorded_by")),
                name="note_confirmed_by_a_second_person",
            ),
            models.UniqueConstraint(
                fields=["referral"], condition=Q(confirmed_at__isnull=True),
                name="one_unconfirmed_note_per_referral",
                violation_error_message="A note for this referral awaits confirmation already.",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        # Never the file: this is what the audit log shows.
        return f"diplomatic note {self.reference} for {self.referral}"


class NoticeDocument(models.Model):
    """The notice as served: the text the person was given, and its electronic service to
    counsel of record (the time of service is the proof counsel can point to)."""

    notice = models.OneToOneField("cases.Notice", on_delete=models.CASCADE, related_name="document")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notices")
    language = models.CharField(max_length=8, validators=[kinds.language_code])
    translation_checked = models.BooleanField()
    text = models.TextField()
    interpreter_attestation = models.TextField(
        blank=True, max_length=kinds.LONG_TEXT_MAX, validators=kinds.LONG_TEXT.field_validators
    )
    served_electronically_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"notice for {self.referral}"


class Flight(models.Model):
    departs_on = models.DateField()
    route = models.CharField(max_length=100, validators=[kinds.one_line])
    seats = models.PositiveIntegerField()
    escort_ratio = models.DecimalField(
        max_digits=4, decimal_places=2, default=1, help_text="Escorts per person transferred."
    )
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="flights")

    def __str__(self) -> str:
        return f"{self.route} on {self.departs_on}"


class Plan(models.Model):
    """A placement plan and the policy that produced it, kept with it."""

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    policy = models.JSONField()  # name, version, weights as used
    objective = models.FloatField()
    proven_optimal = models.BooleanField()
    solver = models.JSONField(default=dict)  # status, timings

    def __str__(self) -> str:
        return f"plan {self.pk} ({self.policy.get('name')})"


class Manifest(models.Model):
    flight = models.OneToOneField(Flight, on_delete=models.PROTECT, related_name="manifest")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    locked_at = models.DateTimeField(null=True, blank=True)
    departed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"manifest of {self.flight}"


class ManifestEntry(models.Model):
    class Status(models.TextChoices):
        LISTED = "listed", _("Listed")
        REMOVED = "removed", _("Removed")  # taken off at departure: a gate was closed (reason kept)
        DEPARTED = "departed", _("Departed")
        HANDED_OVER = "handed_over", _("handed over")

    manifest = models.ForeignKey(Manifest, on_delete=models.CASCADE, related_name="entries")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="entries")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.LISTED)
    score = models.JSONField(default=dict)  # the plan's score contributions: why this person
    removed_reason = models.JSONField(default=list)  # the gates closed at departure
    departed_at = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True, validators=[kinds.event_moment])
    handed_over_place = models.CharField(max_length=200, blank=True, validators=[kinds.one_line])
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["manifest", "referral"], name="one_entry_per_referral_per_manifest"
            )
        ]

    def __str__(self) -> str:
        return f"{self.referral} on {self.manifest}"


class CounselFeedToken(models.Model):
    """The secret in counsel's calendar-feed address. Calendar apps cannot sign in, so the
    address itself is the key; issuing a new one revokes the old."""

    counsel = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_token"
    )
    token = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        # Never the token itself: this is what the audit log and the admin show.
        return f"calendar feed of {self.counsel}"
