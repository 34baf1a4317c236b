"""Reads of reception's care part, each scoped to what the asking user may see.

The receiving state's officers (its caseworkers) see everything of their state's arrivals:
intake, plan, services, stipends. The sending state sees aggregates per agreement and, per
person, only what the agreements let a sending state know of someone it removed: that they
arrived and when, whether the case plan was agreed (and whether it is overdue), and the day
they left the programme's care. Never their intake (housing, household, needs: health among
them), their services or their payments: those are the receiving state's record of a person
now in its care, and no agreement on record gives them to the sender.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from accords.core.roles import user_role
from accords.reception.models import (
    Arrival,
    CarePlan,
    CareService,
    Entitlement,
    Payment,
    StipendCycle,
    StipendProgramme,
)
from accords.reception.selectors.arrivals import arrivals_visible
from accords.registry.models import Agreement

SENDING = ("sending_officer", "sending_supervisor")


def receiving_state_of(user) -> str | None:
    """The state a receiving officer serves; None for every other role."""
    role = user_role(user)
    if role is None or role.key != "receiving_officer":
        return None
    return getattr(getattr(user, "profile", None), "receiving_state_id", None)


def sending_state_of(user) -> str | None:
    role = user_role(user)
    if role is None or role.key not in SENDING:
        return None
    return getattr(getattr(user, "profile", None), "sending_state_id", None)


def caseload(user) -> QuerySet[Arrival]:
    """A caseworker's arrivals, with their intake and plan; none for any other role."""
    state = receiving_state_of(user)
    if state is None:
        return Arrival.objects.none()
    return Arrival.objects.filter(agreement__receiving_state=state).select_related(
        "person", "agreement", "intake", "plan"
    )


def plans_overdue(user, today: date) -> QuerySet[Arrival]:
    """Arrivals still in care whose case plan is past due and not agreed."""
    return caseload(user).filter(plan__isnull=True, plan_due_on__lt=today, left_on__isnull=True)


def services_overdue(user, today: date) -> QuerySet[CareService]:
    """Services still pending past their due date, for people still in care, oldest first."""
    state = receiving_state_of(user)
    if state is None:
        return CareService.objects.none()
    return (
        CareService.objects.filter(
            outcome=CareService.Outcome.PENDING,
            due_on__lt=today,
            arrival__left_on__isnull=True,
            arrival__agreement__receiving_state=state,
        )
        .select_related("arrival__person", "funding_term")
        .order_by("due_on", "id")
    )


def services_of(user, arrival: Arrival) -> QuerySet[CareService]:
    return CareService.objects.filter(arrival__in=caseload(user), arrival=arrival).select_related(
        "funding_term"
    )


def services(user) -> QuerySet[CareService]:
    """The caseworker's services; none for any other role."""
    return CareService.objects.filter(arrival__in=caseload(user)).select_related(
        "arrival__agreement", "arrival__person"
    )


def _paid(kind: str):
    return Coalesce(
        Subquery(
            Payment.objects.filter(entitlement=OuterRef("pk"), outcome=kind)
            .values("entitlement")
            .annotate(total=Sum("amount"))
            .values("total")
        ),
        Value(0),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def entitlements_with_owed(user) -> QuerySet[Entitlement]:
    """The caseworker's entitlements with what was paid, returned and is still owed."""
    state = receiving_state_of(user)
    if state is None:
        return Entitlement.objects.none()
    return (
        Entitlement.objects.filter(arrival__agreement__receiving_state=state)
        .select_related("arrival__person", "cycle__programme")
        .annotate(paid=_paid("paid"), returned=_paid("returned"))
        .annotate(still_owed=F("amount") - F("paid") + F("returned"))
    )


def stipends_due(user) -> QuerySet[Entitlement]:
    """Approved entitlements with something still owed: what the caseworker must pay."""
    return (
        entitlements_with_owed(user)
        .filter(cycle__status=StipendCycle.Status.APPROVED, still_owed__gt=0)
        .order_by("cycle__starts_on", "id")
    )


def entitlements_of(user, arrival: Arrival) -> QuerySet[Entitlement]:
    return entitlements_with_owed(user).filter(arrival=arrival).order_by("-cycle__starts_on")


def programmes(user) -> QuerySet[StipendProgramme]:
    state = receiving_state_of(user)
    if state is None:
        return StipendProgramme.objects.none()
    return StipendProgramme.objects.filter(agreement__receiving_state=state).select_related(
        "agreement", "term"
    )


def agreements_without_programme(user) -> QuerySet[Agreement]:
    state = receiving_state_of(user)
    if state is None:
        return Agreement.objects.none()
    return Agreement.objects.filter(receiving_state=state, stipend_programme__isnull=True)


def cycles(user) -> QuerySet[StipendCycle]:
    return (
        StipendCycle.objects.filter(programme__in=programmes(user))
        .select_related("programme__agreement", "computed_by", "approved_by")
        .annotate(people=Count("entitlements"), total=Sum("entitlements__amount"))
    )


def cycle_get(user, pk: int) -> StipendCycle:
    return cycles(user).get(pk=pk)


def entitlement_get(user, pk: int) -> Entitlement:
    return entitlements_with_owed(user).select_related("cycle__programme__agreement").get(pk=pk)


@dataclass(frozen=True)
class AgreementFigures:
    """What the sending state sees of one agreement's arrivals, as counts."""

    agreement: Agreement
    arrived: int
    in_care: int
    left: int
    plans_agreed: int
    plans_overdue: int
    services_provided: int
    services_pending: int
    services_overdue: int
    stipend_cycles_approved: int


def sending_figures(user, today: date) -> list[AgreementFigures]:
    """Per agreement of the sending officer's state, the counts of its arrivals' care."""
    state = sending_state_of(user)
    if state is None:
        return []
    arrivals = Arrival.objects.filter(agreement=OuterRef("pk"))
    rows = (
        Agreement.objects.filter(sending_state=state)
        .annotate(
            arrived=Count("arrivals", distinct=True),
            in_care=Count("arrivals", filter=Q(arrivals__left_on__isnull=True), distinct=True),
            plans_agreed=Count("arrivals__plan", distinct=True),
            plans_overdue=Count(
                "arrivals",
                filter=Q(arrivals__plan__isnull=True, arrivals__plan_due_on__lt=today,
                         arrivals__left_on__isnull=True),
                distinct=True,
            ),
            services_provided=Count("arrivals__services", distinct=True,
                                    filter=Q(arrivals__services__outcome="done")),
            services_pending=Count("arrivals__services", distinct=True,
                                   filter=Q(arrivals__services__outcome="pending")),
            services_overdue=Count(
                "arrivals__services", distinct=True,
                filter=Q(arrivals__services__outcome="pending",
                         arrivals__services__due_on__lt=today, arrivals__left_on__isnull=True),
            ),
            stipend_cycles_approved=Count("stipend_programme__cycles", distinct=True,
                                          filter=Q(stipend_programme__cycles__status="approved")),
        )
        .filter(Exists(arrivals))
    )  # fmt: skip
    return [
        AgreementFigures(
            agreement=row, arrived=row.arrived, in_care=row.in_care, left=row.arrived - row.in_care,
            plans_agreed=row.plans_agreed, plans_overdue=row.plans_overdue,
            services_provided=row.services_provided, services_pending=row.services_pending,
            services_overdue=row.services_overdue,
            stipend_cycles_approved=row.stipend_cycles_approved,
        )
        for row in rows
    ]  # fmt: skip


def sending_people(user) -> QuerySet:
    """Per person, only what the sending state may know (see the module), as plain values:
    nothing else of the arrival leaves this function."""
    if sending_state_of(user) is None:
        return Arrival.objects.none().values()
    plan = CarePlan.objects.filter(arrival=OuterRef("pk")).values("agreed_on")[:1]
    return (
        arrivals_visible(user)
        .order_by("-arrived_at", "-id")
        .values("id", "arrived_at", "plan_due_on", "left_on", case_number=F("person__case_number"),
                agreement_key=F("agreement__key"), plan_agreed_on=Subquery(plan))
    )  # fmt: skip
