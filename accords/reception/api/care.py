"""Reception's API, the care part: the arrivals each role may see (paginated), and the writes
the receiving state's caseworker needs: intake, case plan, services and their outcomes, the
overdue list, stipend programmes, cycles, their approval by a second officer, and payments.
Thin: each endpoint checks the role, finds the record through the scoped selectors (404 for
anyone else's) and calls one service."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

import ninja
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from ninja import Field, Path, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from accords.core import validation as kinds
from accords.core.api_auth import BoundedPages, documented
from accords.reception.models import CarePlan, CareService, Need, Payment
from accords.reception.selectors import care as selectors
from accords.reception.selectors.arrivals import arrivals_visible
from accords.reception.services import care
from accords.registry.models import Agreement

router = Router(tags=["reception"], auth=django_auth)

Id = Path(..., ge=1, le=2**63 - 1)
Place = kinds.text(200).api


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise HttpError(403, f"Your role may not do this (needs {permission}).")


def _caseworker(request, permission: str) -> None:
    _require(request, permission)
    if selectors.receiving_state_of(request.user) is None:
        raise HttpError(403, "Only a receiving state's officers record its reception.")


def _one(query, pk: int, what: str):
    try:
        return query.get(pk=pk)
    except ObjectDoesNotExist:
        raise HttpError(404, f"No such {what}") from None


class ArrivalOut(Schema):
    """Per person; to the sending state, null where the agreement does not share it (see
    `selectors.care.sending_people`), and the counts only where it does."""

    id: int
    case_number: str
    agreement: str = Field(..., alias="agreement_key")
    arrived_at: datetime | None = Field(None, alias="arrived_on")
    plan_due_on: date | None = Field(None, alias="plan_due")
    plan_agreed_on: date | None = None
    left_on: date | None = Field(None, alias="left_care_on")
    services_provided: int | None = None
    services_pending: int | None = None
    stipend_cycles: int | None = None


@router.get("/reception/arrivals", response=documented({200: list[ArrivalOut]}))
@paginate(BoundedPages)
def arrivals(request):
    """The arrivals the user may see, latest first: the receiving state's officers their
    state's; the sending state's its agreements'; a monitor the agreements they watch; counsel
    their clients'. Per person only these dates; to the sending state, what each agreement
    shares (see `selectors.care`)."""
    _require(request, "reception.view_arrival")
    if selectors.sending_state_of(request.user) is not None:
        return selectors.sending_people(request.user)
    plan = CarePlan.objects.filter(arrival=OuterRef("pk")).values("agreed_on")[:1]
    return (
        arrivals_visible(request.user)
        .order_by("-arrived_at", "-id")
        .values("id", case_number=F("person__case_number"), agreement_key=F("agreement__key"),
                arrived_on=F("arrived_at"), plan_due=F("plan_due_on"),
                plan_agreed_on=Subquery(plan), left_care_on=F("left_on"))
    )  # fmt: skip


class IntakeIn(Schema):
    housed_at: Place = Field(..., min_length=1)
    housed_with: Place = ""
    needs: list[Literal[tuple(Need.values)]] = Field(default_factory=list, max_length=4)  # type: ignore[valid-type]
    needs_note: kinds.FREE_TEXT.api = ""
    consent: bool
    recorded_on: kinds.EVENT_DATE.api


class IntakeOut(Schema):
    arrival: int = Field(..., alias="arrival_id")
    housed_at: str
    housed_with: str
    needs: list[str]
    consent: bool
    recorded_on: date


class PlanIn(Schema):
    agreed_on: kinds.EVENT_DATE.api
    goals: kinds.FREE_TEXT.api = Field(..., min_length=1)


class PlanOut(Schema):
    arrival: int = Field(..., alias="arrival_id")
    agreed_on: date


def _arrival(request, arrival_id: int):
    return _one(selectors.caseload(request.user), arrival_id, "arrival")


@router.post("/reception/arrivals/{arrival_id}/intake", response=documented({200: IntakeOut}))
def intake(request, payload: IntakeIn, arrival_id: int = Id):
    """Record (or correct) the person's intake: housing, household, needs, consent."""
    _caseworker(request, "reception.add_intake")
    arrival = _arrival(request, arrival_id)
    return care.intake_record(actor=request.user, arrival=arrival, **payload.dict())


@router.post("/reception/arrivals/{arrival_id}/plan", response=documented({200: PlanOut}))
def plan(request, payload: PlanIn, arrival_id: int = Id):
    """Record (or revise) the case plan, due within 30 days of arrival."""
    _caseworker(request, "reception.add_careplan")
    arrival = _arrival(request, arrival_id)
    return care.care_plan_record(actor=request.user, arrival=arrival, **payload.dict())


class ServiceIn(Schema):
    kind: Literal[tuple(CareService.Kind.values)]  # type: ignore[valid-type]
    document: Literal[("", *CareService.Document.values)] = ""  # type: ignore[valid-type]
    job_step: Literal[("", *CareService.JobStep.values)] = ""  # type: ignore[valid-type]
    provider: Place = Field(..., min_length=1)
    funding_term: kinds.text(80).api = Field("", description="The key of the agreement's term.")
    requested_on: kinds.EVENT_DATE.api
    due_on: kinds.DAY_CONSIDERED.api


class ServiceOut(Schema):
    id: int
    arrival: int = Field(..., alias="arrival_id")
    kind: str
    document: str
    job_step: str
    provider: str
    funding_term: str | None = Field(None, alias="funding_term.key")
    requested_on: date
    due_on: date
    outcome: str
    outcome_on: date | None
    place: str
    starts_on: date | None
    ends_on: date | None
    employer: str


@router.post("/reception/arrivals/{arrival_id}/services", response=documented({201: ServiceOut}))
def service_open(request, payload: ServiceIn, arrival_id: int = Id):
    """Owe the person a service by a date, with its provider and the term that funds it."""
    _caseworker(request, "reception.add_careservice")
    arrival = _arrival(request, arrival_id)
    data = payload.dict()
    term_key = data.pop("funding_term")
    term = None
    if term_key:
        term = arrival.agreement.terms.filter(key=term_key).first()
        if term is None:
            # named as a schema error is (`accords.api.validation_error`); an HttpError's
            # message must be a string, and a list of errors in one was a 500
            raise ValidationError({"funding_term": "No term of the agreement has this key."})
    service = care.care_service_open(actor=request.user, arrival=arrival, funding_term=term,
                                     **data)  # fmt: skip
    return ninja.Status(201, service)


@router.get("/reception/services/overdue", response=documented({200: list[ServiceOut]}))
@paginate(BoundedPages)
def services_overdue(request):
    """The caseworker's worklist: services pending past their due date, oldest first."""
    _caseworker(request, "reception.change_careservice")
    return selectors.services_overdue(request.user, timezone.localdate())


class OutcomeIn(Schema):
    outcome: Literal["done", "refused"]
    outcome_on: kinds.EVENT_DATE.api
    place: Place = ""
    starts_on: kinds.DAY_CONSIDERED.api | None = None
    ends_on: kinds.DAY_CONSIDERED.api | None = None
    employer: Place = ""


@router.post("/reception/services/{service_id}/outcome", response=documented({200: ServiceOut}))
def service_outcome(request, payload: OutcomeIn, service_id: int = Id):
    """The service's outcome: provided (a document issued) or refused."""
    _caseworker(request, "reception.change_careservice")
    service = _one(selectors.services(request.user), service_id, "service")
    return care.care_service_outcome_record(actor=request.user, service=service, **payload.dict())


class ProgrammeIn(Schema):
    agreement: kinds.text(80).api = Field(..., min_length=1)


class ProgrammeOut(Schema):
    id: int
    agreement: str = Field(..., alias="agreement.key")
    term: str = Field(..., alias="term.key")
    amount: Decimal
    currency: str
    frequency: str
    cycles_per_person: int
    starts_on: date
    ends_on: date | None


@router.post("/reception/stipend-programmes", response=documented({201: ProgrammeOut}))
def programme_open(request, payload: ProgrammeIn):
    """Open an agreement's stipend programme from its stipend term."""
    _caseworker(request, "reception.add_stipendprogramme")
    state = selectors.receiving_state_of(request.user)
    agreement = Agreement.objects.filter(key=payload.agreement, receiving_state=state).first()
    if agreement is None:
        raise HttpError(404, "No such agreement")
    return ninja.Status(201, care.stipend_programme_open(actor=request.user, agreement=agreement))


class CycleIn(Schema):
    starts_on: kinds.DAY_CONSIDERED.api


class CycleOut(Schema):
    id: int
    programme: int = Field(..., alias="programme_id")
    starts_on: date
    ends_on: date
    status: str
    people: int
    total: Decimal | None


def _cycle_out(request, pk: int):
    return selectors.cycle_get(request.user, pk)


@router.post("/reception/stipend-programmes/{programme_id}/cycles",
             response=documented({201: CycleOut}))  # fmt: skip
def cycle_compute(request, payload: CycleIn, programme_id: int = Id):
    """Compute a cycle: each entitled person's entitlement. Another officer approves it."""
    _caseworker(request, "reception.add_stipendcycle")
    programme = _one(selectors.programmes(request.user), programme_id, "programme")
    cycle = care.stipend_cycle_compute(actor=request.user, programme=programme, **payload.dict())
    return ninja.Status(201, _cycle_out(request, cycle.pk))


@router.post("/reception/stipend-cycles/{cycle_id}/approve", response=documented({200: CycleOut}))
def cycle_approve(request, cycle_id: int = Id):
    """Approve a cycle another officer computed; its entitlements become owed."""
    _caseworker(request, "reception.change_stipendcycle")
    cycle = _one(selectors.cycles(request.user), cycle_id, "cycle")
    care.stipend_cycle_approve(actor=request.user, cycle=cycle)
    return _cycle_out(request, cycle.pk)


class PaymentIn(Schema):
    outcome: Literal[tuple(Payment.Outcome.values)]  # type: ignore[valid-type]
    amount: Decimal = Field(..., gt=0, max_digits=12, decimal_places=2)
    on: kinds.EVENT_DATE.api
    reference: kinds.text(100).api = ""


class PaymentOut(Schema):
    id: int
    entitlement: int = Field(..., alias="entitlement_id")
    outcome: str
    amount: Decimal
    on: date
    reference: str
    owed: Decimal


@router.post("/reception/entitlements/{entitlement_id}/payments",
             response=documented({201: PaymentOut}))  # fmt: skip
def payment(request, payload: PaymentIn, entitlement_id: int = Id):
    """Record a payment paid, failed or returned against an approved entitlement."""
    _caseworker(request, "reception.add_payment")
    entitlement = _one(selectors.entitlements_with_owed(request.user), entitlement_id,
                       "entitlement")  # fmt: skip
    made = care.payment_record(actor=request.user, entitlement=entitlement, **payload.dict())
    made.owed = care.owed(entitlement)
    return ninja.Status(201, made)
