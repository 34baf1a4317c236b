"""The case page as the hub: everything on record about one person, newest first, and where
the person is now (what the user may do next is `hub_actions`).

Read for a person the user may already see (`selectors.person_get`): one query per kind of
record (the case file's facts, referrals, diplomatic notes, manifest entries, the audit entries
that name them, arrivals, intake, services, outcomes, alerts), never one per row. Reception's
records are read through reception's own selectors, so each role sees of them what it may.
Who recorded a fact is the record's own `recorded_by` where it keeps one, or else the actor of
the audit entry whose action wrote the row (a listing, a withdrawal, a departure). Each kind of
record is said in its own words here, which is what makes the module long.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accords.audit.models import AuditEntry, AuditRow
from accords.cases.models import Person, Provenance, Stay
from accords.core import validation as kinds
from accords.core.words import gate_title, offence_word
from accords.reception.models import Arrival, CarePlan, CareService, Intake
from accords.reception.selectors.arrivals import arrivals_visible
from accords.reception.selectors.oversight import alerts_visible, outcomes_visible
from accords.transfers.models import DiplomaticNote, ManifestEntry, Referral
from accords.transparency.selectors import country_name

# The audit actions whose actor is who did what a row does not record itself.
_ACTED = ("referral.withdraw", "manifest.list", "manifest.depart")


@dataclass(frozen=True)
class Event:
    """One thing on record: when, what, who recorded it, and where the record came from."""

    at: date | datetime
    kind: str  # fact, referral, notice, answer, flight, reception, alert: the page's groups
    said: str
    by: str = ""
    source: str = ""

    @property
    def moment(self) -> datetime:
        """A comparable moment: a date is its first moment, in the current time zone."""
        if isinstance(self.at, datetime):
            return self.at if timezone.is_aware(self.at) else timezone.make_aware(self.at)
        return timezone.make_aware(datetime.combine(self.at, time.min))

    @property
    def has_time(self) -> bool:
        return isinstance(self.at, datetime)


@dataclass
class Whereabouts:
    """Where the person is now, in words, and the records the actions on the page point at
    (the case page's; the worklist's row is `models.Standing`)."""

    said: str
    state: str  # custody, referred, listed, departed, handed_over, outcome
    open_referral: Referral | None = None
    entry: ManifestEntry | None = None
    arrival: Arrival | None = None
    gone: bool = False
    notes: list[str] = field(default_factory=list)


def _who(user) -> str:
    return user.get_username() if user else ""


def _source(fact) -> str:
    if fact.provenance == Provenance.IMPORT:
        return _("from the sending state's case file")
    if fact.provenance == Provenance.DOCUMENT:
        return _("a document, confirmed by a second person")
    return _("recorded in Accords")


def _fact(at, said: str, **values) -> Event:
    """A fact of the case file that keeps no record of who recorded it."""
    return Event(at, "fact", said % values)


def _case_file(person: Person) -> list[Event]:
    """The facts of the case file, each kind in one query."""
    events = []
    for order in person.orders.all():
        said = _("Removal order entered (%(basis)s)")
        events.append(_fact(order.entered_on, said, basis=order.get_basis_display()))
        if order.final_on:
            said = _("Order final: %(how)s")
            events.append(_fact(order.final_on, said, how=order.get_final_how_display()))
    for p in person.protections.all():
        said = _("Protection granted, %(kind)s, for %(country)s")
        events.append(_fact(p.granted_on, said, kind=p.get_kind_display(),
                            country=country_name(p.country)))  # fmt: skip
    for s in person.stays.select_related("recorded_by"):
        if s.scope == Stay.ALL_REMOVALS:
            said = _("Stay of removal granted by %(court)s") % {"court": s.granted_by}
        else:
            said = _("Stay of removal to %(country)s granted by %(court)s") % {
                "country": country_name(s.scope),
                "court": s.granted_by,
            }
        if s.valid_until:
            said += " " + _("until %(day)s") % {"day": s.valid_until.isoformat()}
        events.append(Event(s.valid_from, "fact", said, _who(s.recorded_by), _source(s)))
    for r in person.stay_requests.all():
        said = _("Stay requested of %(court)s (a request is no stay)")
        events.append(_fact(r.filed_on, said, court=r.requested_of))
        if r.decided_on:
            said = _("Stay request decided: %(outcome)s")
            events.append(_fact(r.decided_on, said, outcome=r.get_outcome_display()))
    for a in person.assurances.select_related("recorded_by"):
        assures = ", ".join(str(kinds.ASSURED.get(key, key)) for key in a.assures)
        if a.credible:
            said = _("%(state)s gave assurances about this person (%(assures)s; found credible)")
        else:
            said = _(
                "%(state)s gave assurances about this person (%(assures)s; not found credible)"
            )
        said %= {"state": country_name(a.receiving_state), "assures": assures}
        events.append(Event(a.given_on, "answer", said, _who(a.recorded_by), _source(a)))
    for p in person.proceedings.all():
        kind = p.get_kind_display().capitalize()
        events.append(_fact(p.filed_on, _("%(kind)s filed"), kind=kind))
        if p.decided_on:
            events.append(_fact(p.decided_on, _("%(kind)s decided"), kind=kind))
    for n in person.notices.select_related("recorded_by"):
        if n.understood:
            said = _("Notice naming %(country)s served, in a language the person understands")
        else:
            said = _("Notice naming %(country)s served, NOT in a language the person understands")
        said %= {"country": country_name(n.destination)}
        if n.provenance == Provenance.IMPORT and not (n.document_reference and n.document_sha256):
            said += " " + _("(reported by the sending state's import without the served document)")
        events.append(Event(n.served_at, "notice", said, _who(n.recorded_by), _source(n)))
    for f in person.fear_claims.select_related("recorded_by"):
        events.append(
            Event(
                f.stated_on,
                "fact",
                _("Fear of return to %(country)s stated") % {"country": country_name(f.country)},
                _who(f.recorded_by),
                _source(f),
            )
        )
        if f.screened_on:
            events.append(
                Event(
                    f.screened_on,
                    "fact",
                    _("Fear screening: %(outcome)s") % {"outcome": f.get_outcome_display()},
                    _who(f.recorded_by),
                    _source(f),
                )
            )
    for a in person.acceptances.select_related("recorded_by"):
        if a.decision == "accepted":
            said = _("%(state)s accepted the person by name")
        else:
            said = _("%(state)s declined the person by name")
        said %= {"state": country_name(a.receiving_state)}
        if a.provenance == Provenance.IMPORT:
            said += " " + _("(reported by the sending state's import: not an answer)")
        events.append(Event(a.decided_on, "answer", said, _who(a.recorded_by), _source(a)))
        if a.lapsed_on:
            events.append(
                Event(
                    a.lapsed_on,
                    "answer",
                    _("%(state)s's answer lapsed with the referral it answered")
                    % {"state": country_name(a.receiving_state)},
                )
            )
    for c in person.criminal_history.all():
        if c.kind == "conviction":
            said = _("Conviction: %(offence)s") % {"offence": offence_word(c.offence_category)}
        else:
            said = _("Charge (%(outcome)s): %(offence)s") % {
                "outcome": c.get_charge_outcome_display(),
                "offence": offence_word(c.offence_category),
            }
        events.append(Event(c.on, "fact", said))
    return events


def _acted(referrals: list[Referral], entries: list[ManifestEntry]) -> dict[tuple, AuditEntry]:
    """The audit entry that withdrew each referral or departed each entry: two queries."""
    wanted = Q(model="transfers.referral", object_pk__in=[str(r.pk) for r in referrals]) | Q(
        model="transfers.manifestentry", object_pk__in=[str(e.pk) for e in entries]
    )
    if not referrals and not entries:
        return {}
    rows = list(AuditRow.objects.filter(wanted).values_list("entry_seq", "model", "object_pk"))
    logged = AuditEntry.objects.filter(seq__in={seq for seq, _m, _p in rows}, action__in=_ACTED)
    logged = {e.seq: e for e in logged.only("seq", "at", "actor_name", "action")}
    return {
        (model, pk, logged[seq].action): logged[seq] for seq, model, pk in rows if seq in logged
    }


def _transfers(referrals: list[Referral], entries: list[ManifestEntry]):
    events = []
    acted = _acted(referrals, entries)
    for r in referrals:
        said = _("Referred to %(agreement)s, proposed for %(day)s") % {
            "agreement": r.agreement.name,
            "day": r.proposed_on.isoformat(),
        }
        events.append(
            Event(r.referred_at, "referral", said, _who(r.referred_by), _("recorded in Accords"))
        )
        if r.status == Referral.Status.WITHDRAWN:
            entry = acted.get(("transfers.referral", str(r.pk), "referral.withdraw"))
            said = _("Referral to %(agreement)s withdrawn: %(reason)s") % {
                "agreement": r.agreement.name,
                "reason": r.closed_reason,
            }
            events.append(
                Event(
                    entry.at if entry else r.referred_at,
                    "referral",
                    said,
                    entry.actor_name if entry else "",
                )
            )
    notes = DiplomaticNote.objects.filter(referral__in=referrals).select_related(
        "recorded_by", "confirmed_by", "referral__agreement"
    )
    for note in notes:
        said = _("Diplomatic note %(reference)s recorded (%(decision)s)") % {
            "reference": note.reference,
            "decision": note.get_decision_display(),
        }
        events.append(Event(note.recorded_at, "answer", said, _who(note.recorded_by)))
        if note.confirmed_at:
            said = _("Diplomatic note %(reference)s confirmed by a second supervisor") % {
                "reference": note.reference
            }
            events.append(Event(note.confirmed_at, "answer", said, _who(note.confirmed_by)))
    for e in entries:
        flight = e.manifest.flight
        listed = acted.get(("transfers.manifestentry", str(e.pk), "manifest.list"))
        said = _("Listed on flight %(route)s of %(day)s") % {
            "route": flight.route,
            "day": flight.departs_on.isoformat(),
        }
        events.append(
            Event(
                listed.at if listed else flight.departs_on,
                "flight",
                said,
                listed.actor_name if listed else "",
            )
        )
        departed = acted.get(("transfers.manifestentry", str(e.pk), "manifest.depart"))
        if e.status == ManifestEntry.Status.REMOVED:
            reasons = "; ".join(str(r.get("reason", "")) for r in e.removed_reason if r) or "—"
            gates = ", ".join(gate_title(str(r["gate"])) for r in e.removed_reason if r.get("gate"))
            said = _("Taken off flight %(route)s at departure: %(reasons)s") % {
                "route": flight.route,
                "reasons": reasons,
            }
            if gates:
                said += " " + _("(gate: %(gates)s)") % {"gates": gates}
            at = departed.at if departed else (e.manifest.departed_at or flight.departs_on)
            events.append(Event(at, "flight", said, departed.actor_name if departed else ""))
        if e.departed_at:
            said = _("Departed on flight %(route)s") % {"route": flight.route}
            events.append(
                Event(e.departed_at, "flight", said, departed.actor_name if departed else "")
            )
        if e.handed_over_at:
            said = _("Handed over to %(state)s at %(place)s") % {
                "state": flight.agreement.receiving_state.name,
                "place": e.handed_over_place,
            }
            events.append(Event(e.handed_over_at, "flight", said, _who(e.handed_over_by)))
    return events


def _reception(user, arrivals: list[Arrival]) -> list[Event]:
    events = []
    for a in arrivals:
        events.append(
            Event(
                a.arrived_at,
                "reception",
                _("Arrived under %(agreement)s") % {"agreement": a.agreement.name},
            )
        )
        if a.left_on:
            events.append(Event(a.left_on, "reception", _("Left the programme's care")))
    for i in Intake.objects.filter(arrival__in=arrivals).select_related("recorded_by"):
        events.append(Event(i.recorded_on, "reception", _("Intake interview"), _who(i.recorded_by)))
    for p in CarePlan.objects.filter(arrival__in=arrivals).select_related("recorded_by"):
        events.append(Event(p.agreed_on, "reception", _("Case plan agreed"), _who(p.recorded_by)))
    for s in CareService.objects.filter(arrival__in=arrivals):
        events.append(
            Event(
                s.requested_on,
                "reception",
                _("Service requested: %(kind)s, due %(day)s")
                % {"kind": s.get_kind_display(), "day": s.due_on.isoformat()},
            )
        )
        if s.outcome_on:
            events.append(
                Event(
                    s.outcome_on,
                    "reception",
                    _("Service %(kind)s: %(outcome)s")
                    % {"kind": s.get_kind_display(), "outcome": s.get_outcome_display()},
                )
            )
    for o in outcomes_visible(user).filter(arrival__in=arrivals).select_related("recorded_by"):
        said = _("Outcome: %(kind)s") % {"kind": o.get_kind_display()}
        if o.country:
            said += " " + _("to %(country)s") % {"country": country_name(o.country)}
        if o.corrects_id:
            said += " " + _("(a correction of an earlier outcome)")
        events.append(Event(o.on, "reception", said, _who(o.recorded_by)))
    for alert in alerts_visible(user).filter(arrival__in=arrivals):
        said = _("Refoulement alert: %(kind)s (%(country)s)") % {
            "kind": alert.get_kind_display(),
            "country": country_name(alert.country),
        }
        events.append(Event(alert.raised_at, "alert", said))
    return events


def _standing(person, referrals, entries, arrivals, outcomes) -> Whereabouts:
    """Where the person is now, from the latest of what happened."""
    arrival = arrivals[0] if arrivals else None
    if arrival:
        entry = arrival.entry
        current = outcomes.get(arrival.pk)
        if current:
            said = _("Outcome recorded on %(day)s: %(kind)s") % {
                "day": current.on.isoformat(),
                "kind": current.get_kind_display(),
            }
            return Whereabouts(said, "outcome", entry=entry, arrival=arrival, gone=True)
        said = _("Handed over in %(place)s on %(day)s, in %(state)s's care") % {
            "place": entry.handed_over_place,
            "day": timezone.localtime(entry.handed_over_at).date().isoformat(),
            "state": arrival.agreement.receiving_state.name,
        }
        return Whereabouts(said, "handed_over", entry=entry, arrival=arrival, gone=True)
    gone = [
        e
        for e in entries
        if e.status in (ManifestEntry.Status.DEPARTED, ManifestEntry.Status.HANDED_OVER)
    ]
    if gone:
        entry = gone[0]
        if entry.status == ManifestEntry.Status.HANDED_OVER:
            said = _("Handed over in %(place)s on %(day)s") % {
                "place": entry.handed_over_place,
                "day": timezone.localtime(entry.handed_over_at).date().isoformat(),
            }
            return Whereabouts(said, "handed_over", entry=entry, gone=True)
        said = _("Departed on %(day)s on flight %(route)s; the hand-over is not yet recorded") % {
            "day": timezone.localtime(entry.departed_at).date().isoformat(),
            "route": entry.manifest.flight.route,
        }
        return Whereabouts(said, "departed", entry=entry, gone=True)
    open_ = next((r for r in referrals if r.status == Referral.Status.OPEN), None)
    if open_:
        listed = next(
            (
                e
                for e in entries
                if e.referral_id == open_.pk and e.status == ManifestEntry.Status.LISTED
            ),
            None,
        )
        if listed:
            said = _("On the manifest of flight %(route)s, departing %(day)s") % {
                "route": listed.manifest.flight.route,
                "day": listed.manifest.flight.departs_on.isoformat(),
            }
            return Whereabouts(said, "listed", open_referral=open_, entry=listed)
        said = _("Referred to %(agreement)s on %(day)s") % {
            "agreement": open_.agreement.name,
            "day": timezone.localtime(open_.referred_at).date().isoformat(),
        }
        return Whereabouts(said, "referred", open_referral=open_)
    if person.detained:
        return Whereabouts(_("In the sending state's custody"), "custody")
    return Whereabouts(_("In the sending state, not detained"), "custody")


@dataclass
class Hub:
    events: list[Event]
    standing: Whereabouts  # not `models.Standing`, the worklist's row
    referrals: list[Referral]


def case_hub(*, user, person: Person) -> Hub:
    """The person's timeline (newest first) and where they are now, as the user may see them."""
    referrals = list(
        person.referrals.select_related("agreement", "referred_by").order_by("-referred_at", "-pk")
    )
    entries = list(
        ManifestEntry.objects.filter(referral__in=referrals)
        .select_related("manifest__flight__agreement__receiving_state", "handed_over_by")
        .order_by("-manifest__flight__departs_on", "-pk")
    )
    arrivals = list(
        arrivals_visible(user)
        .filter(person=person)
        .select_related("agreement__receiving_state", "entry__manifest__flight")
        .order_by("-arrived_at", "-pk")
    )
    outcomes = {}
    for o in outcomes_visible(user).filter(arrival__in=arrivals, corrected_by__isnull=True):
        if o.arrival_id not in outcomes or o.recorded_at > outcomes[o.arrival_id].recorded_at:
            outcomes[o.arrival_id] = o
    events = [
        *_case_file(person),
        *_transfers(referrals, entries),
        *_reception(user, arrivals),
    ]
    events.sort(key=lambda e: e.moment, reverse=True)
    return Hub(events, _standing(person, referrals, entries, arrivals, outcomes), referrals)
