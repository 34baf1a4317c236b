"""Reception's oversight writes: welfare visits, concerns, grievances, follow-ups and outcomes,
each one `@action`. Every write checks the actor's role and that the arrival is one they may
see, so the pages, the API and the demo reach the same refusals.

An outcome's service raises the refoulement alerts in the same transaction that records the
outcome (`refoulement_check`), so no onward removal to a protected country is ever on record
without its alert.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accords.cases.models import Protection
from accords.core import validation as kinds
from accords.core.actions import action
from accords.core.roles import user_role
from accords.reception import survey
from accords.reception.models import (
    FOLLOW_UP_MONTHS,
    GRIEVANCE_ANSWER_DAYS,
    Arrival,
    Concern,
    FollowUp,
    Grievance,
    Outcome,
    RefoulementAlert,
    WelfareVisit,
)
from accords.reception.selectors.arrivals import arrivals_visible
from accords.registry.selectors import bars_onward_removal

CASEWORKER = "receiving_officer"
MONITOR = "monitor"
# Who files a grievance for a person, and as whom the grievance says it came.
FILED_THROUGH = {CASEWORKER: "caseworker", "counsel": "counsel", MONITOR: "monitor"}


def _role(actor) -> str:
    role = user_role(actor) if actor is not None else None
    return role.key if role else ""


def _require(actor, *roles: str, field: str = "actor") -> None:
    if _role(actor) not in roles:
        raise ValidationError({field: _("Your role may not do this.")})


def _visible(actor, arrival: Arrival) -> None:
    if not arrivals_visible(actor).filter(pk=arrival.pk).exists():
        raise ValidationError({"arrival": _("No such arrival among those you may see.")})


def _check(kind: kinds.Kind, field: str, value) -> None:
    try:
        kind.check(value)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def _not_before_arrival(arrival: Arrival, field: str, day) -> None:
    if day < timezone.localdate(arrival.arrived_at):
        raise ValidationError({field: _("This is before the person arrived.")})


def _text(field: str, value: str, *, required: bool = True) -> str:
    _check(kinds.FREE_TEXT, field, value)
    if required and not value.strip():
        raise ValidationError({field: _("Write it out.")})
    return value


@action("welfare_visit.plan", records=("planned_on",))
def visit_plan(*, actor, arrival: Arrival, planned_on) -> WelfareVisit:
    """A monitor plans a welfare visit to one arrival of an agreement they monitor."""
    _require(actor, MONITOR)
    _visible(actor, arrival)
    _check(kinds.PLANNED_DATE, "planned_on", planned_on)
    return WelfareVisit.objects.create(arrival=arrival, monitor=actor, planned_on=planned_on)


@action("welfare_visit.record", records=("status", "visited_on"))
def visit_record(*, actor, visit: WelfareVisit, status: str, visited_on, findings: str = ""):
    """The visit done, with findings, or denied. A denied visit is itself a finding: it raises
    a high concern the receiving state must answer."""
    _require(actor, MONITOR)
    visit = WelfareVisit.objects.select_for_update().get(pk=visit.pk)
    _visible(actor, visit.arrival)
    if visit.status != WelfareVisit.Status.PLANNED:
        raise ValidationError({"status": _("This visit is already recorded.")})
    if status not in (WelfareVisit.Status.DONE, WelfareVisit.Status.DENIED):
        raise ValidationError({"status": _("A visit is recorded done or denied.")})
    _check(kinds.EVENT_DATE, "visited_on", visited_on)
    _not_before_arrival(visit.arrival, "visited_on", visited_on)
    _text("findings", findings, required=status == WelfareVisit.Status.DONE)
    visit.status, visit.visited_on, visit.findings = status, visited_on, findings
    visit.save(update_fields=["status", "visited_on", "findings"])
    if status == WelfareVisit.Status.DENIED:
        severity = Concern.Severity.HIGH
        Concern.objects.create(
            arrival=visit.arrival, visit=visit, raised_by=actor, raised_on=visited_on,
            severity=severity, answer_due_on=Concern.due_after(visited_on, severity),
            text=findings or _("The monitor was denied access on the visit."),
        )  # fmt: skip
    return visit


@action("concern.raise", records=("severity",))
def concern_raise(*, actor, arrival: Arrival, severity: str, text: str) -> Concern:
    """A monitor raises a concern; the receiving state answers by the severity's deadline."""
    _require(actor, MONITOR)
    _visible(actor, arrival)
    if severity not in Concern.Severity.values:
        raise ValidationError({"severity": _("Choose low, medium, high or critical.")})
    _text("text", text)
    today = timezone.localdate()
    return Concern.objects.create(
        arrival=arrival, raised_by=actor, raised_on=today, severity=severity, text=text,
        answer_due_on=Concern.due_after(today, severity),
    )  # fmt: skip


@action("concern.answer")
def concern_answer(*, actor, concern: Concern, answer: str) -> Concern:
    """The receiving state's officer answers a concern, once; a late answer shows as late."""
    _require(actor, CASEWORKER)
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    _visible(actor, concern.arrival)
    if concern.answered_on is not None:
        raise ValidationError({"answer": _("This concern has been answered already.")})
    concern.answer = _text("answer", answer)
    concern.answered_on, concern.answered_by = timezone.localdate(), actor
    concern.save(update_fields=["answer", "answered_on", "answered_by"])
    return concern


@action("grievance.file", records=("subject",))
def grievance_file(*, actor, arrival: Arrival, subject: str, text: str) -> Grievance:
    """A grievance filed for a person by their caseworker, counsel or a monitor."""
    through = FILED_THROUGH.get(_role(actor))
    if through is None:
        raise ValidationError({"actor": _("Only a caseworker, counsel or a monitor files one.")})
    _visible(actor, arrival)
    if subject not in Grievance.Subject.values:
        raise ValidationError({"subject": _("Choose what the grievance is about.")})
    _text("text", text)
    today = timezone.localdate()
    return Grievance.objects.create(
        arrival=arrival, filed_by=actor, through=through, filed_on=today, subject=subject,
        text=text, answer_due_on=today + timedelta(days=GRIEVANCE_ANSWER_DAYS),
    )  # fmt: skip


@action("grievance.answer", records=("resolution", "answered_on"))
def grievance_answer(*, actor, grievance: Grievance, answer: str, resolution: str, answered_on):
    """The receiving state answers a grievance with its outcome, once."""
    _require(actor, CASEWORKER)
    grievance = Grievance.objects.select_for_update().get(pk=grievance.pk)
    _visible(actor, grievance.arrival)
    if grievance.answered_on is not None:
        raise ValidationError({"answer": _("This grievance has been answered already.")})
    if resolution not in Grievance.Resolution.values:
        raise ValidationError({"resolution": _("Choose the grievance's outcome.")})
    _check(kinds.EVENT_DATE, "answered_on", answered_on)
    if answered_on < grievance.filed_on:
        raise ValidationError({"answered_on": _("An answer cannot precede the grievance.")})
    grievance.answer = _text("answer", answer)
    grievance.resolution, grievance.answered_on = resolution, answered_on
    grievance.answered_by = actor
    grievance.save(update_fields=["answer", "resolution", "answered_on", "answered_by"])
    return grievance


@action("follow_up.record", records=("month", "done_on"))
def follow_up_record(*, actor, arrival: Arrival, month: int, done_on, scores: dict) -> FollowUp:
    """A follow-up at 1, 3, 6 or 12 months with the survey's 15 scores, once per month."""
    _require(actor, CASEWORKER)
    _visible(actor, arrival)
    if month not in FOLLOW_UP_MONTHS:
        raise ValidationError({"month": _("Follow-ups are at 1, 3, 6 and 12 months.")})
    _check(kinds.EVENT_DATE, "done_on", done_on)
    _not_before_arrival(arrival, "done_on", done_on)
    if arrival.left_on is not None and done_on > arrival.left_on:
        raise ValidationError({"done_on": _("The person had left the programme's care.")})
    checked = survey.scores_check(scores)
    if FollowUp.objects.filter(arrival=arrival, month=month).exists():
        raise ValidationError({"month": _("This follow-up is recorded already.")})
    return FollowUp.objects.create(arrival=arrival, month=month, done_on=done_on,
                                   scores=checked, recorded_by=actor)  # fmt: skip


def onward_removal_bar(agreement, on):
    """The agreement's term barring onward removal (outright, or before a pending claim is
    decided), in force on that day, if any. Accords does not hold the state of a claim made
    in the receiving state, so under a bar of either kind every removal onward or home raises
    its alert, for the monitor to establish whether a claim was pending."""
    return bars_onward_removal(agreement, on)


def refoulement_check(outcome: Outcome, *, bar=None) -> list[RefoulementAlert]:
    """The alerts an outcome raises: one for each protection the person holds from the
    country they were removed to, and one when the agreement's `bar` (a registry Term, or
    None) forbade removing them onward or home while their claim was pending."""
    if outcome.kind not in Outcome.TO_A_COUNTRY:
        return []
    arrival = outcome.arrival
    alerts = []
    if outcome.kind == Outcome.Kind.REMOVED_ONWARD:
        for protection in Protection.objects.filter(
            person_id=arrival.person_id, country=outcome.country
        ).order_by("granted_on", "pk"):
            alerts.append(RefoulementAlert(
                outcome=outcome, arrival=arrival, country=outcome.country,
                kind=RefoulementAlert.Kind.PROTECTED_COUNTRY, protection_kind=protection.kind,
                protection_granted_on=protection.granted_on,
            ))  # fmt: skip
    if bar is not None:
        alerts.append(RefoulementAlert(
            outcome=outcome, arrival=arrival, country=outcome.country,
            kind=RefoulementAlert.Kind.PENDING_CLAIM, term=bar,
        ))  # fmt: skip
    for alert in alerts:
        alert.save()
    return alerts


@action("outcome.record", records=("kind", "on"))
def outcome_record(*, actor, arrival: Arrival, kind: str, on, country: str = "", note: str = "",
                   corrects: Outcome | None = None) -> Outcome:  # fmt: skip
    """What became of a person. A correction is a new outcome naming the one it corrects;
    neither ever changes. Any outcome but staying is the day the person left the programme's
    care. An onward removal to a country they are protected from raises its alert now."""
    _require(actor, CASEWORKER, MONITOR)
    arrival = Arrival.objects.select_for_update().get(pk=arrival.pk)
    _visible(actor, arrival)
    if kind not in Outcome.Kind.values:
        raise ValidationError({"kind": _("Choose one of the outcomes.")})
    _check(kinds.EVENT_DATE, "on", on)
    _not_before_arrival(arrival, "on", on)
    if kind in Outcome.TO_A_COUNTRY:
        if not country:
            raise ValidationError({"country": _("Name the country the person went to.")})
        _check(kinds.COUNTRY, "country", country)
    elif country:
        raise ValidationError({"country": _("Only a return home or a removal names a country.")})
    _text("note", note, required=False)
    if corrects is not None:
        if corrects.arrival_id != arrival.pk:
            raise ValidationError({"corrects": _("That outcome is another person's.")})
        if Outcome.objects.filter(corrects=corrects).exists():
            raise ValidationError({"corrects": _("That outcome was corrected already.")})
    outcome = Outcome.objects.create(arrival=arrival, kind=kind, on=on, country=country,
                                     note=note, corrects=corrects, recorded_by=actor)  # fmt: skip
    arrival.left_on = None if kind == Outcome.Kind.STAYING else on
    arrival.save(update_fields=["left_on"])
    refoulement_check(outcome, bar=onward_removal_bar(arrival.agreement, on))
    return outcome
