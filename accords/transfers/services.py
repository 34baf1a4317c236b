"""Every write of the transfer workflow, each one transaction with one audit entry.

The one rule that matters most lives in `manifest_depart`: nobody is marked departed unless
every gate passes at that moment, evaluated inside the transaction that marks them, with the
person's row locked. Every service that adds a fact which could close a gate (a stay, a fear
claim, a withdrawal) locks the same row first, so the two can only happen one after the other.
"""

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from accords.cases.models import (
    Acceptance,
    FearClaim,
    Notice,
    Person,
    Provenance,
    Stay,
    UkProcess,
)
from accords.cases.standing import standings_refresh
from accords.core.actions import action
from accords.core.roles import user_role
from accords.core.zones import state_today
from accords.ledger import postings
from accords.placement import solve
from accords.reception.services.arrivals import arrival_open
from accords.registry.models import Agreement
from accords.transfers import planning, rules
from accords.transfers.models import (
    CounselFeedToken,
    DiplomaticNote,
    Flight,
    Manifest,
    ManifestEntry,
    NoticeDocument,
    Plan,
    Referral,
    UkStep,
)
from accords.transfers.notices import gates_passing_at_service, notice_language_check, notice_text
from accords.transfers.places import (
    GONE,
    agreement_limit,
    departure_room,
    people_gone,
    people_listed,
    places_taken,
    quota_room,
)
from accords.transfers.previews import gates_closed

# The role that records and confirms the receiving state's diplomatic notes.
SUPERVISOR = "sending_supervisor"

# A scanned note is a few pages; a file much larger is not a note.
NOTE_MAX_BYTES = 20 * 1024 * 1024

# The fact each UK notice sets when it is understood.
UK_STEPS = {
    UkStep.NOTICE_OF_INTENT: "intent_notice_served_on",
    UkStep.REMOVAL_DIRECTIONS: "removal_directions_notified_at",
}


def _recorded_by(actor) -> dict:
    """A fact recorded in Accords' workflow, with who recorded it and in which role: the gates
    weigh a fact by its source (the receiving state's answer counts only from that state)."""
    role = user_role(actor) if actor is not None else None
    return {"provenance": Provenance.WORKFLOW, "recorded_by": actor,
            "recorded_as": role.key if role else ""}  # fmt: skip


def _locked_person(person: Person) -> Person:
    return Person.objects.select_for_update().get(pk=person.pk)


@action("referral.create", records=("proposed_on",))
def referral_create(*, actor, person: Person, agreement: Agreement, proposed_on) -> Referral:
    """Refer one person under one of the officer's own state's agreements, for a day the
    agreement is in force, from today to its planning horizon (`rules`)."""
    rules.agreement_refusal(actor, agreement)
    rules.date_refusal(
        agreement, proposed_on, field="proposed_on", what=gettext("a proposed transfer")
    )
    person = _locked_person(person)
    if person.status != Person.Status.OPEN:
        raise ValidationError({"person": "Only an open case can be referred."})
    # Departure is the one thing the gates cannot see: without this, a person already
    # transferred could be referred, listed and marked departed again, taking a second place.
    if person.referrals.filter(status__in=GONE).exists():
        raise ValidationError({"person": "This person has already been transferred."})
    referral = Referral(person=person, agreement=agreement, referred_by=actor,
                        proposed_on=proposed_on)  # fmt: skip
    referral.full_clean()
    referral.save()
    return referral


@action(
    "notice.serve",
    records=("language", "served_on", "method", "interpreter_language", "exigent", "uk_step",
             "counsel_service", "counsel_access"),
)  # fmt: skip
def notice_serve(
    *,
    actor,
    referral: Referral,
    language: str,
    served_on: str = Notice.ServedOn.PERSON,
    method: str = "in person",
    interpreter_name: str = "",
    interpreter_language: str = "",
    interpreter_attestation: str = "",
    exigent: bool = False,
    uk_step: str = "",
    counsel_service: str = "",
    counsel_access: bool = False,
) -> Notice:
    """Serve written notice naming the destination. In a language the person understands when
    a translation exists; otherwise read by an interpreter in such a language, whose name and
    attestation are recorded. A notice in no language the person understands is recorded as
    such, and it does not satisfy the notice gate.

    Under the UK regime a notice is one of two steps (`UK_STEPS`): the notice of intent, then
    removal directions; an understood one is what the UK notice gates count.

    Counsel of record is served too. Counsel with an Accords account is served electronically,
    always; counsel outside Accords is served by the officer, who says how (`counsel_service`:
    e-mail, mail to counsel's address, by hand, fax). Without that, the notice is served on
    the person alone, and the notice gate waits for service on counsel. The notice keeps the
    bar number of the counsel served, so a change of counsel is seen. `counsel_access` says
    that in exigent circumstances the person had access to counsel (the shorter period)."""
    person = _locked_person(referral.person)
    if referral.status != Referral.Status.OPEN:
        raise ValidationError({"referral": "The referral is not open."})
    if referral.agreement.regime == "uk" and uk_step not in UK_STEPS:
        raise ValidationError(
            {"uk_step": "Under the UK regime say which notice: notice of intent or removal "
                        "directions."}
        )  # fmt: skip
    if referral.agreement.regime != "uk" and uk_step:
        raise ValidationError({"uk_step": "Only the UK regime serves notices in steps."})
    notice_language_check(language)
    served_at = timezone.now()
    if interpreter_language and not (interpreter_name and interpreter_attestation):
        raise ValidationError(
            {"interpreter_name": "An interpreter's name and attestation are recorded."}
        )
    understood = language in person.languages or interpreter_language in person.languages
    served_on, counsel_service = _service_on_counsel(person, served_on, counsel_service)
    notice = Notice(
        person=person,
        destination=referral.agreement.receiving_state_id,
        served_at=served_at,
        language=language,
        understood=understood,
        served_on=served_on,
        method=method,
        interpreter_name=interpreter_name,
        interpreter_language=interpreter_language,
        exigent=exigent,
        counsel_access=counsel_access,
        counsel_service=counsel_service,
        counsel_bar_number=person.counsel_of_record.bar_number
        if served_on == Notice.ServedOn.PERSON_AND_COUNSEL and person.counsel_of_record_id
        else "",
        **_recorded_by(actor),
    )
    notice.full_clean()
    notice.save()
    text, checked = notice_text(referral, language, served_at=served_at, officer=actor,
                                exigent=exigent and counsel_access, uk_step=uk_step,
                                exempt=gates_passing_at_service(referral, served_at))  # fmt: skip
    document = NoticeDocument(
        notice=notice,
        referral=referral,
        language=language,
        translation_checked=checked,
        text=text,
        interpreter_attestation=interpreter_attestation,
        served_electronically_at=notice.served_at if person.counsel_id else None,
    )
    document.full_clean()
    document.save()
    if uk_step and understood:
        # The notice of intent counts in days, removal directions to the hour.
        when = (
            notice.served_at
            if uk_step == UkStep.REMOVAL_DIRECTIONS
            else timezone.localdate(notice.served_at)
        )
        process, _ = UkProcess.objects.get_or_create(person=person)
        field = UK_STEPS[uk_step]
        setattr(process, field, when)
        process.fields_recorded_in_accords = sorted({*process.fields_recorded_in_accords, field})
        process.save()
    standings_refresh([person.pk])
    return notice


def _service_on_counsel(person: Person, served_on: str, how: str) -> tuple[str, str]:
    """(served_on, how counsel was served) for a notice to `person`."""
    if how and how not in Notice.CounselService.values:
        raise ValidationError({"counsel_service": "Say how counsel was served: e-mail, mail, by "
                                                  "hand or fax."})  # fmt: skip
    if person.counsel_id:  # counsel in Accords is always served, electronically
        return Notice.ServedOn.PERSON_AND_COUNSEL, Notice.CounselService.ELECTRONIC
    if not person.counsel_of_record_id:
        if how or served_on == Notice.ServedOn.PERSON_AND_COUNSEL:
            raise ValidationError({"counsel_service": "This person has no counsel of record."})
        return Notice.ServedOn.PERSON, ""
    if how == Notice.CounselService.ELECTRONIC:
        outside = "Counsel outside Accords is not served electronically: say how they were served."
        raise ValidationError({"counsel_service": outside})
    if served_on == Notice.ServedOn.PERSON_AND_COUNSEL and not how:
        raise ValidationError({"counsel_service": "Say how counsel of record was served."})
    return (Notice.ServedOn.PERSON_AND_COUNSEL if how else Notice.ServedOn.PERSON), how


@action("fear_claim.record")
def fear_claim_record(*, actor, person: Person, country: str, stated_on) -> FearClaim:
    person = _locked_person(person)
    claim = FearClaim(person=person, country=country, stated_on=stated_on, **_recorded_by(actor))
    claim.full_clean()
    claim.save()
    standings_refresh([person.pk])
    return claim


@action("fear_claim.screen", records=("outcome",))
def fear_claim_screen(*, actor, claim: FearClaim, outcome: str, screened_on) -> FearClaim:
    _locked_person(claim.person)
    if outcome not in (FearClaim.Outcome.POSITIVE, FearClaim.Outcome.NEGATIVE):
        raise ValidationError({"outcome": "A screening comes out positive or negative."})
    if screened_on < claim.stated_on:
        raise ValidationError({"screened_on": "The screening cannot precede the claim."})
    claim.outcome, claim.screened_on = outcome, screened_on
    claim.referred_on = claim.referred_on or claim.stated_on
    if claim.provenance == Provenance.IMPORT:  # Accords holds its screening now: an import keeps it
        for field, value in _recorded_by(actor).items():
            setattr(claim, field, value)
    claim.save()
    standings_refresh([claim.person_id])
    return claim


@action("stay.record", records=("scope",))
def stay_record(
    *, actor, person: Person, granted_by: str, valid_from, valid_until=None,
    scope: str = Stay.ALL_REMOVALS,
) -> Stay:  # fmt: skip
    """Record a stay granted: of every removal, or of removal to the one country `scope`
    names. A request for a stay (to ICE) is no stay, and is never recorded as one."""
    person = _locked_person(person)
    stay = Stay(person=person, granted_by=granted_by, valid_from=valid_from,
                valid_until=valid_until, scope=scope, **_recorded_by(actor))  # fmt: skip
    stay.full_clean()
    stay.save()
    standings_refresh([person.pk])
    return stay


def _answer(referral: Referral, *, decision: str, reasons: str, decided_on, **source) -> Referral:
    """Record the receiving state's answer to one referral. The agreement's row is locked while
    places are counted, so two answers can never both take the last place."""
    agreement = Agreement.objects.select_for_update().get(pk=referral.agreement_id)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Referral.Status.OPEN or referral.acceptance_id:
        raise ValidationError({"referral": "This referral has already been answered or closed."})
    if decision not in Acceptance.Decision.values:
        raise ValidationError({"decision": "Accept or decline."})
    if decision == Acceptance.Decision.DECLINED and not reasons:
        raise ValidationError({"reasons": "A decline gives its reasons."})
    limit = agreement_limit(agreement)
    if decision == "accepted" and limit.people is not None:
        if places_taken(agreement) >= limit.people:
            raise ValidationError(
                {"decision": f"The agreement's places are all taken: {limit.why}."}
            )
    acceptance = Acceptance(
        person=referral.person,
        receiving_state=agreement.receiving_state_id,
        decision=decision,
        decided_on=decided_on,
        reasons=reasons,
        **source,
    )
    acceptance.full_clean()
    acceptance.save()
    referral.acceptance = acceptance
    referral.save(update_fields=["acceptance"])
    postings.on_acceptance(referral)
    standings_refresh([referral.person_id])
    return referral


@action("acceptance.decide", records=("decision",))
def acceptance_decide(*, actor, referral: Referral, decision: str, reasons: str = "") -> Referral:
    """The receiving state accepts or declines one person by name, through its own officer:
    only the officer serving the agreement's receiving state answers for it."""
    role = user_role(actor) if actor is not None else None
    serves = getattr(getattr(actor, "profile", None), "receiving_state_id", None)
    state = Agreement.objects.values_list("receiving_state_id", flat=True).get(
        pk=referral.agreement_id
    )
    if role is None or role.key != "receiving_officer" or serves != state:
        raise ValidationError({"referral": "Only the receiving state's officer answers for it."})
    return _answer(referral, decision=decision, reasons=reasons, decided_on=timezone.localdate(),
                   **_recorded_by(actor))  # fmt: skip


@dataclass(frozen=True)
class NoteFile:
    """A diplomatic note's file as uploaded. The audit entry names it by its name and SHA-256,
    never its bytes."""

    name: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def __repr__(self) -> str:
        return f"{self.name} (SHA-256 {self.sha256})"


def _supervisor(actor) -> None:
    role = user_role(actor) if actor is not None else None
    if role is None or role.key != SUPERVISOR:
        raise ValidationError({"actor": "Only a sending supervisor records a diplomatic note."})


@action("diplomatic_note.record", records=("reference", "decision", "decided_on", "document"))
def diplomatic_note_record(
    *,
    actor,
    referral: Referral,
    reference: str,
    decision: str,
    decided_on,
    document: NoteFile,
    reasons: str = "",
) -> DiplomaticNote:
    """A sending supervisor records the receiving state's answer as it came, by diplomatic
    note: its reference and the note's file. It answers nothing until a second supervisor
    confirms it (`diplomatic_note_confirm`)."""
    _supervisor(actor)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Referral.Status.OPEN or referral.acceptance_id:
        raise ValidationError({"referral": "This referral has already been answered or closed."})
    if not document.content:
        raise ValidationError({"document": "Attach the note's file."})
    if len(document.content) > NOTE_MAX_BYTES:
        raise ValidationError({"document": "The file is larger than 20 MB."})
    note = DiplomaticNote(
        referral=referral, reference=reference, decision=decision, decided_on=decided_on,
        reasons=reasons, document=document.content, document_name=document.name,
        document_sha256=document.sha256, recorded_by=actor,
    )  # fmt: skip
    note.full_clean()
    if decision == Acceptance.Decision.DECLINED and not reasons:
        raise ValidationError({"reasons": "A decline gives its reasons."})
    state = Agreement.objects.values_list("receiving_state_id", flat=True).get(
        pk=referral.agreement_id
    )
    if decided_on > state_today(state):  # the note is dated on the receiving state's calendar
        raise ValidationError({"decided_on": "A note cannot be dated in the future."})
    note.save()
    return note


@action("diplomatic_note.confirm")
def diplomatic_note_confirm(*, actor, note: DiplomaticNote) -> DiplomaticNote:
    """A second sending supervisor, not the one who recorded it, confirms a diplomatic note
    against its file (four eyes); only then does it stand as the receiving state's answer."""
    _supervisor(actor)
    note = DiplomaticNote.objects.select_for_update().get(pk=note.pk)
    if note.confirmed_at:
        raise ValidationError({"note": "This note is already confirmed."})
    if note.recorded_by_id == actor.pk:
        raise ValidationError({"note": "A second person confirms the note, not its recorder."})
    referral = _answer(
        note.referral, decision=note.decision, reasons=note.reasons, decided_on=note.decided_on,
        provenance=Provenance.DOCUMENT, recorded_by=note.recorded_by, recorded_as=SUPERVISOR,
        confirmed_by=actor,
    )  # fmt: skip
    note.confirmed_by, note.confirmed_at = actor, timezone.now()
    note.acceptance_id = referral.acceptance_id
    note.save(update_fields=["confirmed_by", "confirmed_at", "acceptance"])
    return note


@action("referral.withdraw")
def referral_withdraw(*, actor, referral: Referral, reason: str) -> Referral:
    """Close an open referral. The receiving state's answer to it lapses with it: it answered
    this proposal, so a later referral of the same person waits for an answer of its own."""
    _locked_person(referral.person)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Referral.Status.OPEN:
        raise ValidationError({"referral": "Only an open referral can be withdrawn."})
    if not reason:
        raise ValidationError({"reason": "Say why the referral is withdrawn."})
    referral.status, referral.closed_reason = Referral.Status.WITHDRAWN, reason
    referral.full_clean()
    referral.save(update_fields=["status", "closed_reason"])
    if referral.acceptance_id:
        # Dated in the withdrawing officer's zone, but never before the answer: one that
        # Kigali dated the 3rd lapses on the 3rd, though Washington still reads the 2nd.
        decided_on = Acceptance.objects.values_list("decided_on", flat=True).get(
            pk=referral.acceptance_id
        )
        Acceptance.objects.filter(pk=referral.acceptance_id).update(
            lapsed_on=max(timezone.localdate(), decided_on)
        )
    ManifestEntry.objects.filter(referral=referral, status=ManifestEntry.Status.LISTED).update(
        status=ManifestEntry.Status.REMOVED, removed_reason=[{"reason": f"withdrawn: {reason}"}]
    )
    postings.on_taken_off(referral)  # the fee reserved at acceptance is void with it
    standings_refresh([referral.person_id])
    return referral


@action("flight.create", records=("departs_on", "route", "seats", "escort_ratio"))
def flight_create(*, actor, agreement: Agreement, departs_on, route: str, seats: int,
                  escort_ratio=1) -> Flight:  # fmt: skip
    """A flight under one of the supervisor's own state's agreements, on a day the agreement
    is in force, from today to its planning horizon (`rules`)."""
    rules.agreement_refusal(actor, agreement)
    rules.date_refusal(agreement, departs_on, field="departs_on", what=gettext("a flight"))
    flight = Flight(agreement=agreement, departs_on=departs_on, route=route, seats=seats,
                    escort_ratio=escort_ratio)  # fmt: skip
    flight.full_clean()
    flight.save()
    Manifest.objects.create(flight=flight)
    return flight


@action("manifest.list", records=("plan",))
def manifest_list(*, actor, manifest: Manifest, referrals: list[Referral], plan=None,
                  scores: dict | None = None) -> Manifest:  # fmt: skip
    manifest = Manifest.objects.select_for_update().get(pk=manifest.pk)
    if manifest.locked_at:
        raise ValidationError({"manifest": "A locked manifest cannot change."})
    listed = manifest.entries.filter(status=ManifestEntry.Status.LISTED).count()
    if listed + len(referrals) > manifest.flight.seats:
        raise ValidationError({"referrals": f"The flight has {manifest.flight.seats} seats."})
    on_board = set(manifest.entries.values_list("referral_id", flat=True))
    for referral in referrals:
        if referral.agreement_id != manifest.flight.agreement_id:
            raise ValidationError({"referrals": f"{referral} is under another agreement."})
        if referral.pk in on_board:
            raise ValidationError({"referrals": f"{referral} is already on this manifest."})
        on_board.add(referral.pk)
        ManifestEntry.objects.create(
            manifest=manifest, referral=referral, score=(scores or {}).get(referral.pk, {})
        )
    manifest.plan = plan or manifest.plan
    manifest.save(update_fields=["plan"])
    return manifest


@action("manifest.lock")
def manifest_lock(*, actor, manifest: Manifest) -> Manifest:
    manifest = Manifest.objects.select_for_update().get(pk=manifest.pk)
    if manifest.locked_at:
        raise ValidationError({"manifest": "The manifest is already locked."})
    manifest.locked_by, manifest.locked_at = actor, timezone.now()
    manifest.save(update_fields=["locked_by", "locked_at"])
    return manifest


def _closed_at(entry: ManifestEntry, agreement: Agreement, moment) -> tuple[Referral, list]:
    """Lock the person and the referral, then every gate not passing at this moment."""
    person = _locked_person(entry.referral.person)
    referral = Referral.objects.select_for_update().get(pk=entry.referral_id)
    return referral, gates_closed(person, referral, agreement, moment)


@action("manifest.depart")
def manifest_depart(*, actor, manifest: Manifest) -> dict:
    """Depart a locked manifest. Each person's row is locked and every gate evaluated at this
    moment, inside this transaction; anyone with a gate closed is taken off with the reason,
    the rest depart. A family travels together: if one member cannot go, the family stays.
    Places are counted under the agreement's row lock. A manifest departs only on its
    flight's day, from the agreement's departure window before it (`rules.departure_window`)."""
    manifest = Manifest.objects.select_for_update().get(pk=manifest.pk)
    if not manifest.locked_at or manifest.departed_at:
        raise ValidationError({"manifest": "Only a locked manifest that has not left departs."})
    agreement = Agreement.objects.select_for_update().get(pk=manifest.flight.agreement_id)
    moment = timezone.now()
    rules.departure_refusal(manifest.flight, moment)
    rooms = departure_room(agreement, moment)
    departed, removed = [], []
    entries = manifest.entries.filter(status=ManifestEntry.Status.LISTED).select_related(
        "referral__person"
    )
    units: dict[tuple, list[ManifestEntry]] = {}
    for entry in entries.order_by("pk"):
        family = entry.referral.person.family_id
        units.setdefault(("family", family) if family else ("entry", entry.pk), []).append(entry)
    for unit in units.values():
        checked = [(entry, *_closed_at(entry, agreement, moment)) for entry in unit]
        held = [e.referral.person.case_number for e, _, closed in checked if closed]
        full = [why for room, why in rooms if len(departed) + len(unit) > room]
        for entry, referral, closed in checked:
            if full:
                why = f"every place under the agreement is used: {full[0]}"
                closed.append({"gate": "agreement.capacity", "outcome": "block", "reason": why})
            if held and not closed:
                why = f"travels with family, and {', '.join(held)} cannot depart"
                closed.append({"gate": "family", "outcome": "block", "reason": why})
            if closed:
                entry.status, entry.removed_reason = ManifestEntry.Status.REMOVED, closed
                removed.append(entry.referral.person.case_number)
                postings.on_taken_off(referral)
            else:
                entry.status, entry.departed_at = ManifestEntry.Status.DEPARTED, moment
                referral.status = Referral.Status.DEPARTED
                referral.save(update_fields=["status"])
                postings.on_departure(referral)
                departed.append(entry.referral.person.case_number)
            entry.save(update_fields=["status", "removed_reason", "departed_at"])
    manifest.departed_at = moment
    manifest.save(update_fields=["departed_at"])
    standings_refresh(e.referral.person_id for unit in units.values() for e in unit)
    return {"manifest": manifest.pk, "departed": departed, "removed": removed}


@action("handover.record", records=("at", "place"))
def handover_record(*, actor, entry: ManifestEntry, at, place: str) -> ManifestEntry:
    entry = ManifestEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != ManifestEntry.Status.DEPARTED:
        raise ValidationError({"entry": "Only a person who departed can be handed over."})
    if not place:
        raise ValidationError({"place": "Say where the hand-over took place."})
    if at < entry.departed_at:
        raise ValidationError({"at": "The hand-over cannot precede the departure."})
    entry.status = ManifestEntry.Status.HANDED_OVER
    entry.handed_over_at, entry.handed_over_place, entry.handed_over_by = at, place, actor
    entry.full_clean(exclude=["score", "removed_reason"])  # lists that are empty by design
    entry.save()
    Referral.objects.filter(pk=entry.referral_id).update(status=Referral.Status.HANDED_OVER)
    arrival_open(entry)  # the receiving state's record of the person begins with the hand-over
    standings_refresh([entry.referral.person_id])
    return entry


@action("counsel_feed.issue")
def counsel_feed_issue(*, actor, counsel) -> CounselFeedToken:
    """A new secret address for counsel's deadline calendar; the old address stops working."""
    role = user_role(counsel)
    if role is None or role.key != "counsel":
        raise ValidationError({"counsel": "Only counsel have a deadline calendar."})
    feed, _ = CounselFeedToken.objects.update_or_create(
        counsel=counsel, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed


# A plan is asked for while someone waits on the page: past this the solver returns its best
# plan so far, with proven_optimal False and the gap it could not close.
PLAN_TIME_LIMIT = 30.0


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


@action("plan.create", records=("policy_name", "flight", "agreement"))
def plan_create(*, actor, policy_name: str, flight: Flight | None = None,
                agreement: Agreement | None = None) -> Plan:  # fmt: skip
    """Place open referrals on one flight, or on every open flight of an agreement, under a
    named policy (`planning.POLICIES`), and list them on the manifests with each person's
    score. The agreement's row is locked while places are counted, as at departure."""
    if (flight is None) == (agreement is None):
        raise ValidationError({"flight": "Plan either one flight or one agreement's flights."})
    policy = planning.policy_named(policy_name)
    agreement = Agreement.objects.select_for_update().get(
        pk=flight.agreement_id if flight else agreement.pk
    )
    # Nobody is placed on a flight whose day has passed or which lies past the horizon.
    today = timezone.localdate()
    horizon = today + timedelta(days=agreement.planning_horizon_days)
    if flight and not today <= flight.departs_on <= horizon:
        raise ValidationError(
            {"flight": f"Only a flight from today to the agreement's planning horizon "
                       f"({horizon:%Y-%m-%d}) can be planned."}
        )  # fmt: skip
    flights = Flight.objects.filter(pk=flight.pk) if flight else agreement.flights
    flights = list(
        flights.filter(manifest__locked_at=None, departs_on__range=(today, horizon))
        .select_related("manifest")
        .order_by("departs_on", "pk")
    )
    if not flights:
        raise ValidationError(
            {"flight": "No open flight to plan: a locked manifest cannot change, and only "
                       f"flights from today to {horizon:%Y-%m-%d} are planned."}
        )  # fmt: skip
    limit, left = agreement_limit(agreement), None
    if limit.people is not None:
        left = limit.people - people_gone(agreement) - people_listed(agreement)
    placement = planning.placement_round(agreement=agreement, flights=flights, capacity_left=left,
                                         quota_room=quota_room(agreement, flights))  # fmt: skip
    solution = solve(placement.problem, policy, time_limit=PLAN_TIME_LIMIT)
    plan = Plan.objects.create(
        created_by=actor,
        policy={**policy.as_record(),
                "features": {name: planning.FEATURES[name] for name in policy.weights}},
        objective=solution.objective,
        proven_optimal=solution.proven_optimal,
        solver={
            "status": solution.status, "method": solution.method,
            "bound": _finite(solution.bound), "classes": solution.classes,
            "seconds": {k: round(v, 4) for k, v in solution.seconds.items()},
            "agreement": agreement.key, "flights": [f.pk for f in flights],
            "capacity_left": left, "limit": limit.why, "units_placed": len(solution),
            "people_placed": solution.people_placed, "held_back": placement.held_back,
            "fee_per_person_minor": placement.fee,
            "fee_total_minor": placement.fee * solution.people_placed,
        },
    )  # fmt: skip
    for planned, referrals, scores in placement.listings(solution, plan.pk):
        if referrals:
            manifest_list(actor=actor, manifest=planned.manifest, referrals=referrals, plan=plan,
                          scores=scores)  # fmt: skip
    return plan
