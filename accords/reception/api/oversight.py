"""Reception's API: the oversight part. Welfare visits, concerns, grievances, follow-ups,
outcomes and refoulement alerts, read through the selectors (a role that may not read them
gets 403; a record it may not see, 404) and written through the services (a refusal names the
field, 422)."""

from datetime import date, datetime

import ninja
from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Path, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from accords.core import validation as kinds
from accords.core.api_auth import BoundedPages, documented
from accords.reception.models import Arrival, Concern, Grievance, Outcome, WelfareVisit
from accords.reception.selectors import oversight as selectors
from accords.reception.selectors.arrivals import arrivals_visible
from accords.reception.services import oversight as services

router = Router(tags=["reception"], auth=django_auth)

# Database keys are signed 64-bit: anything larger is no such row, not a database error.
Id = Path(..., ge=1, le=2**63 - 1)
ArrivalId = Field(..., ge=1, le=2**63 - 1, description="The arrival (the person received).")


def _reads(request, roles: tuple[str, ...]) -> None:
    if not selectors.reads(request.user, roles):
        raise HttpError(403, "Your role may not read these.")


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise HttpError(403, f"Your role may not do this (needs {permission}).")


def _arrival(request, arrival_id: int) -> Arrival:
    """The arrival a body names: an unknown one is a refused field, not a missing address."""
    try:
        return arrivals_visible(request.user).get(pk=arrival_id)
    except Arrival.DoesNotExist:
        raise ValidationError({"arrival": "No such arrival among those you may see."}) from None


def _one(queryset, pk: int):
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise HttpError(404, "Not one you may see.") from None


class VisitIn(Schema):
    arrival: int = ArrivalId
    planned_on: kinds.PLANNED_DATE.api


class VisitRecordIn(Schema):
    status: str = Field(..., description="done or denied")
    visited_on: kinds.EVENT_DATE.api
    findings: kinds.FREE_TEXT.api = ""


class VisitOut(Schema):
    id: int
    arrival: int = Field(..., alias="arrival_id")
    planned_on: date
    status: WelfareVisit.Status
    visited_on: date | None
    findings: str


class ConcernIn(Schema):
    arrival: int = ArrivalId
    severity: Concern.Severity
    text: kinds.FREE_TEXT.api = Field(..., min_length=1)


class AnswerIn(Schema):
    answer: kinds.FREE_TEXT.api = Field(..., min_length=1)


class ConcernOut(Schema):
    id: int
    arrival: int = Field(..., alias="arrival_id")
    visit: int | None = Field(None, alias="visit_id")
    severity: Concern.Severity
    text: str
    raised_on: date
    answer_due_on: date
    answer: str
    answered_on: date | None
    overdue: bool

    @staticmethod
    def resolve_overdue(concern: Concern) -> bool:
        if concern.answered_on is None:
            return concern.answer_due_on < timezone.localdate()
        return concern.answered_late


class GrievanceIn(Schema):
    arrival: int = ArrivalId
    subject: Grievance.Subject
    text: kinds.FREE_TEXT.api = Field(..., min_length=1)


class GrievanceAnswerIn(AnswerIn):
    resolution: Grievance.Resolution
    answered_on: kinds.EVENT_DATE.api


class GrievanceOut(Schema):
    id: int
    arrival: int = Field(..., alias="arrival_id")
    through: Grievance.Through
    filed_on: date
    subject: Grievance.Subject
    text: str
    answer_due_on: date
    answer: str
    resolution: str
    answered_on: date | None
    answered_late: bool


class FollowUpIn(Schema):
    arrival: int = ArrivalId
    month: int = Field(..., description="1, 3, 6 or 12")
    done_on: kinds.EVENT_DATE.api
    scores: dict[kinds.text(40).api, int] = Field(
        ..., description="One score from 1 to 5 for each of the survey's 15 indicators."
    )


class FollowUpOut(Schema):
    id: int
    arrival: int = Field(..., alias="arrival_id")
    month: int
    done_on: date
    scores: dict[str, int]


class OutcomeIn(Schema):
    arrival: int = ArrivalId
    kind: Outcome.Kind
    on: kinds.EVENT_DATE.api
    country: kinds.COUNTRY.api_or_empty = ""
    note: kinds.FREE_TEXT.api = ""
    corrects: int | None = Field(None, ge=1, le=2**63 - 1)


class OutcomeOut(Schema):
    id: int
    arrival: int = Field(..., alias="arrival_id")
    kind: Outcome.Kind
    on: date
    country: str
    corrects: int | None = Field(None, alias="corrects_id")
    recorded_at: datetime
    alerts: list[int]

    @staticmethod
    def resolve_alerts(outcome: Outcome) -> list[int]:
        return [alert.pk for alert in outcome.alerts.all()]


class AlertOut(Schema):
    id: int
    arrival: int = Field(..., alias="arrival_id")
    agreement: str = Field(..., alias="arrival.agreement.key")
    case_number: str = Field(..., alias="arrival.person.case_number")
    kind: str
    country: str
    protection_kind: str
    outcome: int = Field(..., alias="outcome_id")
    raised_at: datetime
    history: list[int] = Field(..., description="The outcome that raised it, then corrections.")

    @staticmethod
    def resolve_history(alert) -> list[int]:
        return [outcome.pk for outcome in selectors.alert_history(alert)]


@router.get("/reception/visits", response=documented({200: list[VisitOut]}))
@paginate(BoundedPages)
def visits(request):
    """Welfare visits to the arrivals the user may see (monitors and the receiving state)."""
    _reads(request, selectors.VISITS_READ)
    return selectors.visits_visible(request.user)


@router.post("/reception/visits", response=documented({201: VisitOut}))
def visit_plan(request, payload: VisitIn):
    """A monitor plans a welfare visit."""
    _require(request, "reception.add_welfarevisit")
    visit = services.visit_plan(actor=request.user, arrival=_arrival(request, payload.arrival),
                                planned_on=payload.planned_on)  # fmt: skip
    return ninja.Status(201, visit)


@router.post("/reception/visits/{visit_id}/record", response=documented({200: VisitOut}))
def visit_record(request, payload: VisitRecordIn, visit_id: int = Id):
    """The visit done or denied; a denied visit raises a concern of its own."""
    _require(request, "reception.change_welfarevisit")
    visit = _one(selectors.visits_visible(request.user), visit_id)
    return services.visit_record(actor=request.user, visit=visit, **payload.dict())


@router.get("/reception/concerns", response=documented({200: list[ConcernOut]}))
@paginate(BoundedPages)
def concerns(request, open: bool = False):
    """Monitors' concerns; with `open`, only those awaiting an answer."""
    _reads(request, selectors.CONCERNS_READ)
    found = selectors.concerns_open if open else selectors.concerns_visible
    return found(request.user)


@router.post("/reception/concerns", response=documented({201: ConcernOut}))
def concern_raise(request, payload: ConcernIn):
    """A monitor raises a concern; the receiving state answers by its severity's deadline."""
    _require(request, "reception.add_concern")
    concern = services.concern_raise(actor=request.user,
                                     arrival=_arrival(request, payload.arrival),
                                     severity=payload.severity, text=payload.text)  # fmt: skip
    return ninja.Status(201, concern)


@router.post("/reception/concerns/{concern_id}/answer", response=documented({200: ConcernOut}))
def concern_answer(request, payload: AnswerIn, concern_id: int = Id):
    """The receiving state's officer answers a concern."""
    _require(request, "reception.change_concern")
    concern = _one(selectors.concerns_visible(request.user), concern_id)
    return services.concern_answer(actor=request.user, concern=concern, answer=payload.answer)


@router.get("/reception/grievances", response=documented({200: list[GrievanceOut]}))
@paginate(BoundedPages)
def grievances(request):
    """The grievances that name the records the user holds."""
    _reads(request, selectors.GRIEVANCES_READ)
    return selectors.grievances_visible(request.user)


@router.post("/reception/grievances", response=documented({201: GrievanceOut}))
def grievance_file(request, payload: GrievanceIn):
    """A grievance filed for a person by their caseworker, counsel or a monitor."""
    _require(request, "reception.add_grievance")
    grievance = services.grievance_file(actor=request.user,
                                        arrival=_arrival(request, payload.arrival),
                                        subject=payload.subject, text=payload.text)  # fmt: skip
    return ninja.Status(201, grievance)


@router.post(
    "/reception/grievances/{grievance_id}/answer", response=documented({200: GrievanceOut})
)
def grievance_answer(request, payload: GrievanceAnswerIn, grievance_id: int = Id):
    """The receiving state answers a grievance with its outcome."""
    _require(request, "reception.change_grievance")
    grievance = _one(selectors.grievances_visible(request.user), grievance_id)
    return services.grievance_answer(actor=request.user, grievance=grievance, **payload.dict())


@router.get("/reception/follow-ups", response=documented({200: list[FollowUpOut]}))
@paginate(BoundedPages)
def follow_ups(request):
    """Follow-ups recorded, with the survey's scores."""
    _reads(request, selectors.FOLLOW_UPS_READ)
    return selectors.follow_ups_visible(request.user)


@router.post("/reception/follow-ups", response=documented({201: FollowUpOut}))
def follow_up_record(request, payload: FollowUpIn):
    """A follow-up at 1, 3, 6 or 12 months with the 15 indicators' scores."""
    _require(request, "reception.add_followup")
    follow_up = services.follow_up_record(
        actor=request.user, arrival=_arrival(request, payload.arrival), month=payload.month,
        done_on=payload.done_on, scores=payload.scores,
    )  # fmt: skip
    return ninja.Status(201, follow_up)


@router.get("/reception/outcomes", response=documented({200: list[OutcomeOut]}))
@paginate(BoundedPages)
def outcomes(request):
    """Outcomes recorded, corrections included (a correction names the outcome it corrects)."""
    _reads(request, selectors.OUTCOMES_READ)
    return selectors.outcomes_visible(request.user).prefetch_related("alerts")


@router.post("/reception/outcomes", response=documented({201: OutcomeOut}))
def outcome_record(request, payload: OutcomeIn):
    """What became of a person; an onward removal to a protected country raises an alert."""
    _require(request, "reception.add_outcome")
    arrival = _arrival(request, payload.arrival)
    values = payload.dict(exclude={"arrival", "corrects"})
    if payload.corrects is not None:
        try:
            values["corrects"] = selectors.outcomes_visible(request.user).get(pk=payload.corrects)
        except Outcome.DoesNotExist:
            message = "No such outcome among those you may see."
            raise ValidationError({"corrects": message}) from None
    outcome = services.outcome_record(actor=request.user, arrival=arrival, **values)
    return ninja.Status(201, outcome)


@router.get("/reception/alerts", response=documented({200: list[AlertOut]}))
@paginate(BoundedPages)
def alerts(request):
    """Refoulement alerts: the monitor's, the sending state's, counsel's clients'."""
    _reads(request, selectors.ALERTS_READ)
    return selectors.alerts_visible(request.user)
