"""People with removal orders and the facts the law asks about them.

Every fact is its own dated row (an order, a protection, a stay, a notice, a fear claim, an
acceptance...), so the safeguards engine can replay a case as it stood on any past date.
Criminal history keeps convictions and charges apart: a dismissed charge is a charge with
the outcome "dismissed", and nothing ever reads it as a conviction.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accords.core import validation as kinds


class Family(models.Model):
    """People who travel together: placement never splits a family."""

    key = models.CharField(max_length=40, unique=True, validators=[kinds.one_line])

    class Meta:
        verbose_name_plural = "families"

    def __str__(self) -> str:
        return self.key


class CaseFact(models.Model):
    """One dated fact about one person's case."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} in case {self.person}"


class Provenance(models.TextChoices):
    """Where a fact came from, which decides what it may establish (docs/provenance.md)."""

    IMPORT = "import", _("reported in an imported case file")
    WORKFLOW = "workflow", _("recorded in Accords' workflow")
    DOCUMENT = "document", _("a document recorded by a supervisor, confirmed by a second person")


class RecordableFact(CaseFact):
    """A fact the transfer workflow records as well as a case file brings (a notice served, a
    fear claim, a stay, the receiving state's answer). Importing a case file replaces the
    facts that came from files and keeps those recorded in Accords: a stay recorded here must
    not vanish because the sending state's next export does not hold it yet. A file's item
    with the same `SAME_FACT` values as one kept is that fact again, and Accords' record of it
    stands (a claim screened here stays screened).

    Each row says where it came from and, when Accords recorded it, who did and in which role:
    the gates weigh a fact by its source (the receiving state's answer counts only from that
    state, never from the sending state's file)."""

    SAME_FACT: tuple[str, ...] = ()

    provenance = models.CharField(
        max_length=8, choices=Provenance.choices, default=Provenance.IMPORT
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorded_as = models.CharField(
        max_length=32, blank=True, help_text="The role the person who recorded it held then."
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text="The second person who confirmed a recorded document.",
    )  # fmt: skip

    class Meta:
        abstract = True
        # A document counts only once a second person confirmed it.
        constraints = [
            models.CheckConstraint(
                condition=~Q(provenance="document")
                | (Q(confirmed_by__isnull=False) & ~Q(confirmed_by=models.F("recorded_by"))),
                name="%(class)s_document_confirmed_by_another",
            )
        ]

    @property
    def from_accords(self) -> bool:
        """Recorded in Accords (its workflow or a confirmed document), not imported."""
        return self.provenance != Provenance.IMPORT


class Counsel(models.Model):
    """Counsel of record: a lawyer with a bar number and an address, who need not have an
    Accords account. With an account (`account`), counsel sees the case in Accords and is
    served its notices electronically; without, an officer serves counsel by mail, e-mail or by
    hand and records how (`Notice.counsel_service`)."""

    name = models.CharField(max_length=100, validators=[kinds.one_line])
    bar_number = models.CharField(max_length=40, validators=[kinds.one_line])
    bar = models.CharField(
        max_length=60, validators=[kinds.one_line],
        help_text="Where counsel is admitted: a state bar, a court, the EOIR roster.",
    )  # fmt: skip
    address = models.TextField(max_length=500, validators=kinds.text(500, lines=True).validators)
    email = models.EmailField(blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
        help_text="Counsel's Accords account, when counsel has one.",
    )  # fmt: skip

    class Meta:
        verbose_name_plural = "counsel"
        constraints = [
            models.UniqueConstraint(fields=["bar", "bar_number"], name="one_counsel_per_bar_number")
        ]

    def __str__(self) -> str:
        return f"counsel {self.bar} {self.bar_number}"


class Person(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    case_number = models.CharField(max_length=40, unique=True, validators=[kinds.one_line])
    given_name = models.CharField(max_length=100, validators=[kinds.one_line])
    family_name = models.CharField(max_length=100, validators=[kinds.one_line])
    birth_date = models.DateField(validators=[kinds.birth_date])
    country_of_birth = models.CharField(max_length=2, blank=True, validators=[kinds.country_code])
    nationalities = models.JSONField(default=list, validators=[kinds.country_codes])
    # ISO 639 codes, best understood first
    languages = models.JSONField(default=list, validators=[kinds.language_codes])
    family = models.ForeignKey(
        Family, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    unaccompanied_minor = models.BooleanField(default=False)
    detained = models.BooleanField(default=False)
    counsel = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clients",
        help_text="Counsel's Accords account, who sees this case and is served its notices.",
    )
    counsel_of_record = models.ForeignKey(
        Counsel, null=True, blank=True, on_delete=models.PROTECT, related_name="clients",
        help_text="Counsel of record, in Accords or not: notices must be served on them.",
    )  # fmt: skip
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="assigned_cases",
        help_text="The sending officer assigned to the case, set by a supervisor.",
    )  # fmt: skip
    # The SHA-256 of the case file last imported: importing the same file again changes nothing.
    case_file_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["case_number"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.case_number


class FamilyMember(CaseFact):
    """A member of the person's family as their case file names them, whether or not they have
    a case in Accords: so the person's own file says whether the family has children (the UK
    scheme and some agreements exclude families with children under 18)."""

    class Relation(models.TextChoices):
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        SPOUSE = "spouse", _("spouse or partner")
        SIBLING = "sibling", _("Sibling")
        OTHER = "other", _("other relative")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="family_members")
    relation = models.CharField(max_length=8, choices=Relation.choices)
    birth_date = models.DateField(validators=[kinds.birth_date])
    case_number = models.CharField(
        max_length=40, blank=True, validators=[kinds.one_line],
        help_text="The member's own case, if they have one.",
    )  # fmt: skip


class RemovalOrder(CaseFact):
    class Basis(models.TextChoices):
        INA240 = "INA240", _("INA 240 (removal proceedings)")
        INA241A5 = "INA241a5", _("INA 241(a)(5) (reinstatement)")
        INA238B = "INA238b", _("INA 238(b) (administrative)")
        EXPEDITED = "expedited", _("expedited removal")
        UK_REMOVAL = "uk_removal", _("UK removal decision")

    class FinalHow(models.TextChoices):
        BIA_DISMISSED = "bia_dismissed", _("BIA dismissed the appeal")
        APPEAL_WAIVED = "appeal_waived", _("appeal waived")
        NO_APPEAL = "no_appeal", _("30 days passed without appeal")
        IN_ABSENTIA = "in_absentia", _("entered in absentia")
        VD_OVERSTAYED = "voluntary_departure_overstayed", _("voluntary departure overstayed")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="orders")
    basis = models.CharField(max_length=12, choices=Basis.choices)
    entered_on = models.DateField(validators=[kinds.event_date])
    final_on = models.DateField(null=True, blank=True, validators=[kinds.event_date])
    final_how = models.CharField(max_length=32, choices=FinalHow.choices, blank=True)
    in_absentia = models.BooleanField(default=False)
    designated_countries = models.JSONField(default=list, validators=[kinds.country_codes])
    appeal_pending = models.BooleanField(default=False)

    class Meta:
        ordering = ["person", "entered_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(final_on__isnull=True) | Q(final_on__gte=models.F("entered_on")),
                name="order_final_after_entered",
            )
        ]


class Protection(CaseFact):
    """Protection from removal to one named country; it says nothing about any other.

    The US kinds are what the US gates read; the UK kinds (refugee status, humanitarian
    protection, and leave on Article 3 ECHR grounds) protect from return to the country the
    person fled. Either state's protection makes an onward removal there a refoulement alert."""

    class Kind(models.TextChoices):
        WITHHOLDING = "withholding", _("withholding of removal (INA 241(b)(3))")
        CAT_WITHHOLDING = "cat_withholding", _("CAT withholding")
        CAT_DEFERRAL = "cat_deferral", _("CAT deferral")
        UK_REFUGEE = "uk_refugee", _("refugee status (UK)")
        UK_HUMANITARIAN = "uk_humanitarian", _("humanitarian protection (UK)")
        UK_ARTICLE_3 = "uk_article_3", _("protection under Article 3 ECHR (UK)")

    US_KINDS = ("withholding", "cat_withholding", "cat_deferral")
    UK_KINDS = ("uk_refugee", "uk_humanitarian", "uk_article_3")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="protections")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    country = models.CharField(max_length=2, validators=[kinds.country_code])
    granted_on = models.DateField(validators=[kinds.event_date])


class Proceeding(CaseFact):
    class Kind(models.TextChoices):
        APPEAL = "appeal", _("appeal to the BIA")
        MOTION_TO_REOPEN = "motion_to_reopen", _("motion to reopen")
        PETITION_FOR_REVIEW = "petition_for_review", _("petition for review")
        HABEAS = "habeas", _("habeas corpus")

    class Grounds(models.TextChoices):
        CHANGED_COUNTRY_CONDITIONS = "changed_country_conditions", _("Changed Country Conditions")
        EXCEPTIONAL_CIRCUMSTANCES = "exceptional_circumstances", _("Exceptional Circumstances")
        OTHER = "other", _("Other")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="proceedings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    filed_on = models.DateField(validators=[kinds.event_date])
    decided_on = models.DateField(null=True, blank=True, validators=[kinds.event_date])
    stay_requested = models.BooleanField(default=False)
    grounds = models.CharField(max_length=28, choices=Grounds.choices, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("filed_on")),
                name="proceeding_decided_after_filed",
            )
        ]


class Stay(RecordableFact):
    """A stay of removal actually granted (a request to ICE is not a stay: `StayRequest`).
    It bars removal to every country, or to the one country it names (`scope`)."""

    SAME_FACT = ("granted_by", "valid_from")
    ALL_REMOVALS = "all_removals"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="stays")
    granted_by = models.CharField(max_length=40, validators=[kinds.one_line])
    scope = models.CharField(
        max_length=12, default=ALL_REMOVALS, validators=[kinds.stay_scope],
        help_text='"all_removals", or the ISO code of the one country removal to which it bars',
    )  # fmt: skip
    valid_from = models.DateField(validators=[kinds.stay_start])
    valid_until = models.DateField(
        null=True, blank=True, validators=[kinds.stay_end], help_text="empty: no end"
    )

    class Meta(RecordableFact.Meta):
        constraints = [
            *RecordableFact.Meta.constraints,
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="stay_ends_after_it_starts",
            ),
        ]


class StayRequest(CaseFact):
    """A request for a stay made to ICE (Form I-246) or another authority. Recorded, and never
    read as a stay: it does not pause removal by itself (8 CFR 241.6). A granted request
    becomes a `Stay` when the grant is recorded."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        GRANTED = "granted", _("Granted")
        DENIED = "denied", _("Denied")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="stay_requests")
    requested_of = models.CharField(max_length=40, default="ICE", validators=[kinds.one_line])
    filed_on = models.DateField(validators=[kinds.event_date])
    decided_on = models.DateField(null=True, blank=True, validators=[kinds.event_date])
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.PENDING)


class Assurance(RecordableFact):
    """Diplomatic assurances about this person from the receiving state (8 CFR 208.18(c)):
    what they assure, and whether the sending state found them credible. They count for
    transfers to that state alongside any the agreement gives for everyone, so two people
    under one agreement on one date can differ. They count only with the assurance
    document's reference."""

    SAME_FACT = ("receiving_state", "given_on")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assurances")
    receiving_state = models.CharField(max_length=2, validators=[kinds.country_code])
    agreement = models.CharField(
        max_length=40, blank=True, validators=[kinds.one_line],
        help_text="The agreement they were given under, if they name one.",
    )  # fmt: skip
    given_on = models.DateField(validators=[kinds.event_date])
    # what they assure: keys of `kinds.ASSURED`
    assures = models.JSONField(default=list, validators=[kinds.assured])
    credible = models.BooleanField(
        default=False, help_text="The sending state (the State Department) found them credible."
    )
    document_reference = models.CharField(max_length=100, validators=[kinds.one_line])


class CriminalRecord(CaseFact):
    class Kind(models.TextChoices):
        CONVICTION = "conviction", _("Conviction")
        CHARGE = "charge", _("Charge")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        DISMISSED = "dismissed", _("Dismissed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ACQUITTED = "acquitted", _("Acquitted")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="criminal_history")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    offence_category = models.CharField(
        max_length=60, validators=kinds.OFFENCE_CATEGORY.field_validators
    )
    on = models.DateField(validators=[kinds.event_date])
    charge_outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    serving_sentence = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="conviction", charge_outcome="") | Q(kind="charge"),
                name="only_charges_have_outcomes",
            )
        ]


class Notice(RecordableFact):
    class ServedOn(models.TextChoices):
        PERSON = "person", _("Person")
        PERSON_AND_COUNSEL = "person_and_counsel", _("person and counsel")

    SAME_FACT = ("destination", "served_at")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notices")
    destination = models.CharField(max_length=2, validators=[kinds.country_code])
    served_at = models.DateTimeField(validators=[kinds.event_moment])
    language = models.CharField(max_length=8, validators=[kinds.language_code])
    understood = models.BooleanField(
        help_text="The notice was in, or read in, a language the person understands."
    )
    served_on = models.CharField(max_length=20, choices=ServedOn.choices)
    method = models.CharField(max_length=40, default="in person", validators=[kinds.one_line])
    interpreter_name = models.CharField(max_length=100, blank=True, validators=[kinds.one_line])
    interpreter_language = models.CharField(
        max_length=8, blank=True, validators=[kinds.language_code]
    )
    exigent = models.BooleanField(default=False)
    counsel_access = models.BooleanField(
        default=False,
        help_text="In exigent circumstances, the person had access to counsel during the notice "
        "period (the shorter period applies only then).",
    )

    class CounselService(models.TextChoices):
        NONE = "", _("not served on counsel")
        ELECTRONIC = "electronic", _("electronically, in Accords")
        EMAIL = "email", _("by e-mail")
        MAIL = "mail", _("by mail to counsel's address")
        HAND = "hand", _("by hand")
        FAX = "fax", _("by fax")

    counsel_service = models.CharField(max_length=10, choices=CounselService.choices, blank=True)
    # The counsel of record served, by bar number: a notice served on counsel who is no longer
    # of record does not count as served on counsel.
    counsel_bar_number = models.CharField(max_length=40, blank=True, validators=[kinds.one_line])
    # The served document, as the sending state's own system names and hashes it: an imported
    # notice counts for the notice gate only with both (Accords' own notices keep the text).
    document_reference = models.CharField(max_length=100, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)


class FearClaim(RecordableFact):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        POSITIVE = "positive", _("Positive")
        NEGATIVE = "negative", _("Negative")

    SAME_FACT = ("country", "stated_on")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="fear_claims")
    country = models.CharField(max_length=2, validators=[kinds.country_code])
    stated_on = models.DateField(validators=[kinds.event_date])
    referred_on = models.DateField(null=True, blank=True, validators=[kinds.event_date])
    interview_noticed_at = models.DateTimeField(
        null=True, blank=True, validators=[kinds.event_moment]
    )
    screened_on = models.DateField(null=True, blank=True, validators=[kinds.event_date])
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.PENDING)
    proceedings_ended = models.BooleanField(default=False)


class Acceptance(RecordableFact):
    """The receiving state's answer about one person, by name."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    SAME_FACT = ("receiving_state", "decided_on")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="acceptances")
    receiving_state = models.CharField(max_length=2, validators=[kinds.country_code])
    decision = models.CharField(max_length=8, choices=Decision.choices)
    decided_on = models.DateField(validators=[kinds.event_date])
    reasons = models.TextField(
        blank=True, max_length=kinds.TEXT_MAX, validators=kinds.FREE_TEXT.field_validators
    )
    # An answer is to one proposal: when the referral it answered is withdrawn, it counts no
    # more from that day, and a new referral waits for a new answer.
    lapsed_on = models.DateField(
        null=True,
        blank=True,
        validators=[kinds.event_date],
        help_text="the day the referral it answered was withdrawn",
    )

    class Meta(RecordableFact.Meta):
        constraints = [
            *RecordableFact.Meta.constraints,
            models.CheckConstraint(
                condition=Q(lapsed_on__isnull=True) | Q(lapsed_on__gte=models.F("decided_on")),
                name="acceptance_lapses_after_decision",
            ),
        ]


class CountryRequest(CaseFact):
    """One step of the INA 241(b)(2) sequence: a country asked to accept the person."""

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")
        NO_ANSWER = "no_answer", _("no answer")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="country_requests")
    country = models.CharField(max_length=2, validators=[kinds.country_code])
    asked_on = models.DateField(validators=[kinds.event_date])
    answer = models.CharField(max_length=10, choices=Answer.choices)


class UkProcess(CaseFact):
    """The UK asylum and removal steps the Rwanda partnership's gates ask about."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="uk")
    asylum_claim_on = models.DateField(null=True, blank=True, validators=[kinds.event_date])
    asylum_refused_on = models.DateField(null=True, blank=True, validators=[kinds.event_date])
    inadmissible_on = models.DateField(null=True, blank=True, validators=[kinds.event_date])
    dangerous_journey = models.BooleanField(default=False)
    age_disputed = models.BooleanField(default=False)
    age_dispute_resolved_on = models.DateField(null=True, blank=True, validators=[kinds.event_date])
    intent_notice_served_on = models.DateField(null=True, blank=True, validators=[kinds.event_date])
    removal_directions_notified_at = models.DateTimeField(
        null=True, blank=True, validators=[kinds.event_moment]
    )
    rule39_in_force = models.BooleanField(default=False)
    rule39_disapplied_by_minister = models.BooleanField(default=False)
    compelling_claim_pending = models.BooleanField(default=False)
    # The fields Accords' workflow recorded (the two UK notices, when it served them): like a
    # `RecordableFact`, an import of the case file keeps them.
    fields_recorded_in_accords = models.JSONField(default=list, blank=True)


class Screening(models.Model):
    """One run of the safeguards engine over the open caseload, as of one date."""

    as_of = models.DateField()
    started_at = models.DateTimeField(auto_now_add=True)
    regime_versions = models.JSONField(default=dict)  # regime id -> version used
    # regime id -> {gate id or "engine": hash of the code that computed it} (law/rule_code.py),
    # so a replay can say which gates' code changed since
    rule_codes = models.JSONField(default=dict, blank=True)
    summary = models.JSONField(default=dict)
    # [{gate, outcome, reason, citation, clears_by}]: what the gates its decisions did not pass
    # said. Few differ, so each is kept once here and a decision points at it.
    notes = models.JSONField(default=list)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"screening as of {self.as_of}"


class Decision(CaseFact):
    """The engine's decision for one person under one agreement, with the gates not passed."""

    class Outcome(models.TextChoices):
        CLEARED = "cleared", _("Cleared")
        PENDING = "pending", _("Pending")
        BLOCKED = "blocked", _("Blocked")

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="decisions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="decisions")
    agreement = models.ForeignKey(
        "registry.Agreement", on_delete=models.CASCADE, related_name="decisions"
    )
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    # [[note, earliest_clear]] for every gate not passed, `note` the place of what it said in
    # the screening's `notes`; `gates` spells them out.
    gate_notes = models.JSONField(default=list)
    # The same gate ids as ",a,b,": both databases can filter a worklist on a text column,
    # and SQLite cannot search inside JSON.
    gate_ids = models.CharField(max_length=600, blank=True)
    earliest_clear = models.DateField(null=True, blank=True)
    regime_version = models.CharField(max_length=80)
    # The hash of the rule code the gates ran (law/rule_code.py); empty for decisions stored
    # before it was recorded.
    rule_code = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["screening", "person", "agreement"], name="one_decision_per_screening"
            )
        ]
        indexes = [models.Index(fields=["screening", "agreement", "outcome"])]

    @property
    def gates(self) -> list[dict]:
        """Every gate not passed: {gate, outcome, reason, citation, clears_by, earliest_clear}."""
        notes = self.screening.notes
        return [{**notes[note], "earliest_clear": day} for note, day in self.gate_notes]


class CodePointCharField(models.CharField):
    """Text compared by its characters' code points on every database: collation "C" on
    PostgreSQL, as SQLite (BINARY) and Python compare text. The worklist reads a search as one
    ordered query per thing searched and merges them in Python (`selectors.page_read`), and a
    prefix is then a range of an index in the page's own order; both need that one order."""

    def db_parameters(self, connection):
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters


class Standing(models.Model):
    """Where one person stands now: their best agreement and its decision, the gates not
    passed there, the earliest day they could clear and under which agreement. Written by the
    engine (`accords.cases.standing`) whenever a fact of theirs changes and for everyone at the
    date's turn, so the worklist reads one row per person and never a stale snapshot.

    The worklist sorts and searches on the person's case number, name and birth date, kept here
    beside the decision so one index serves each order; they are written from the person's row
    every time the person is re-screened, and every write to a person re-screens them."""

    class Decision(models.TextChoices):
        CLEARED = "cleared", _("cleared")
        PENDING = "pending", _("pending")
        BLOCKED = "blocked", _("blocked")
        DEPARTED = "departed", _("departed")
        HANDED_OVER = "handed_over", _("handed over")
        CLOSED = "closed", _("case closed")

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="standing")
    case_number = CodePointCharField(max_length=40)
    family_name = models.CharField(max_length=100)
    given_name = models.CharField(max_length=100)
    # The names in lower case without accents (`standing.name_fold`), searched by their start
    # and sorted: "gonzalez" finds González, who sorts among the g's.
    family_folded = CodePointCharField(max_length=100)
    given_folded = CodePointCharField(max_length=100)
    birth_date = models.DateField()
    counsel = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    agreement = models.ForeignKey(
        "registry.Agreement", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(max_length=12, choices=Decision.choices)
    # Cleared 0, pending 1, blocked 2, then departed, handed over, closed: the decision order.
    rank = models.PositiveSmallIntegerField()
    # The gates not passed under the best agreement, ",a,b," (as `Decision.gate_ids`), and as
    # [{gate, outcome}] for showing them.
    gate_ids = models.CharField(max_length=600, blank=True)
    gates = models.JSONField(default=list, blank=True)
    earliest_clear = models.DateField(null=True, blank=True)
    clear_agreement = models.ForeignKey(
        "registry.Agreement", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The earliest day, or 9999-12-31 for none: an order without nulls, for paging by it.
    clear_order = models.DateField()
    as_of = models.DateField(help_text="The day the person was screened for.")
    screened_at = models.DateTimeField()
    regime_versions = models.JSONField(default=dict)
    screening = models.ForeignKey(
        Screening, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The screening of the whole caseload that wrote it; empty after a write.",
    )  # fmt: skip

    class Meta:
        indexes = [
            models.Index(fields=["case_number"], name="standing_case_number"),
            models.Index(
                fields=["family_folded", "given_folded", "case_number"], name="standing_name"
            ),  # fmt: skip
            models.Index(fields=["clear_order", "case_number"], name="standing_clear"),
            models.Index(fields=["rank", "clear_order", "case_number"], name="standing_rank"),
            models.Index(
                fields=["agreement", "rank", "clear_order", "case_number"],
                name="standing_agreement",
            ),  # fmt: skip
            models.Index(fields=["officer", "case_number"], name="standing_officer"),
            models.Index(fields=["counsel", "case_number"], name="standing_counsel"),
            models.Index(fields=["birth_date"], name="standing_birth_date"),
            # A search by the start of a given name (the family name's is a range of
            # standing_name, the case number's of standing_case_number).
            models.Index(fields=["given_folded"], name="standing_given"),
        ]

    def __str__(self) -> str:
        return f"standing of {self.case_number}"


class StandingTally(models.Model):
    """How many people stand at each decision: the worklist's totals, kept as standings change
    rather than counted on every page."""

    decision = models.CharField(max_length=12, choices=Standing.Decision.choices, unique=True)
    people = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.decision}: {self.people}"


class SavedFilter(models.Model):
    """A user's named worklist filter: the query it stands for."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="worklist_filters"
    )
    name = models.CharField(max_length=60, validators=[kinds.one_line])
    query = models.JSONField(default=dict)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="one_filter_per_name")]

    def __str__(self) -> str:
        return self.name
