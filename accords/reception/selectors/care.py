"""Reads of reception's care part, each scoped to what the asking user may see.

The receiving state's officers (its caseworkers) see everything of their state's arrivals:
intake, plan, services, stipends. The sending state sees aggregates per agreement and, per
person, only what the agreement lets it know of someone it removed. An agreement says so in a
monitoring term of category `disclosure` whose values name the `Term.Disclosure` shared; with
none, the dates alone: that they arrived and when, whether the case plan was agreed (and whether
it is overdue), and the day they left the programme's care. Never their intake (housing,
household, needs: health among them) or their payments: those are the receiving state's record
of a person now in its care, and no disclosure term can name them.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Case,
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
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
from accords.registry.models import Agreement, Term

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


def cycle_eligibility_terms(cycle: StipendCycle) -> QuerySet[Term]:
    """The agreement's terms the cycle cites for who is entitled to it."""
    agreement = cycle.programme.agreement_id
    return Term.objects.filter(agreement_id=agreement, key__in=cycle.eligibility_terms)


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


# What the sending state sees per person where its agreement has no disclosure term.
DISCLOSED_BY_DEFAULT = (Term.Disclosure.ARRIVED, Term.Disclosure.PLAN, Term.Disclosure.LEFT)


@dataclass(frozen=True)
class Disclosure:
    """What one agreement lets its sending state see per person, and the term that says so
    (None: the default, the dates alone)."""

    agreement: Agreement
    term: Term | None
    shared: tuple[str, ...]

    @property
    def shared_labels(self) -> list[str]:
        return [SHARED_LABELS[name] for name in self.shared]


SHARED_LABELS = {
    Term.Disclosure.ARRIVED: _("the day of arrival"),
    Term.Disclosure.PLAN: _("the case plan's due and agreed dates"),
    Term.Disclosure.LEFT: _("the day the person left care"),
    Term.Disclosure.SERVICES: _("how many services were provided and are pending"),
    Term.Disclosure.STIPENDS: _("how many stipend cycles the person was entitled to"),
}


def disclosure_term(agreement: Agreement, day: date) -> Term | None:
    """The agreement's disclosure term in force on a day (the latest if several are)."""
    return (
        agreement.terms.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
            kind=Term.Kind.MONITORING, category="disclosure",
        )
        .order_by("-valid_from", "-id").first()
    )  # fmt: skip


def sending_disclosures(user, today: date) -> list[Disclosure]:
    """Per agreement of the sending officer's state, what it shares per person and why."""
    state = sending_state_of(user)
    if state is None:
        return []
    found = []
    for agreement in Agreement.objects.filter(sending_state=state).order_by("key"):
        term = disclosure_term(agreement, today)
        shared = DISCLOSED_BY_DEFAULT if term is None else tuple(
            name for name in Term.Disclosure.values if name in term.values
        )  # fmt: skip
        found.append(Disclosure(agreement, term, shared))
    return found


def _shared(agreements: list[int], value):
    """A person's value where their agreement shares it; null (never read) elsewhere."""
    return Case(When(agreement_id__in=agreements, then=value), default=Value(None))


def sending_people(user, today: date | None = None) -> QuerySet:
    """Per person, only what their agreement lets the sending state know (see the module), as
    plain values: what an agreement does not share is null, read by no query."""
    if sending_state_of(user) is None:
        return Arrival.objects.none().values()
    today = today or timezone.localdate()
    sharing = {name: [] for name in Term.Disclosure.values}
    for disclosure in sending_disclosures(user, today):
        for name in disclosure.shared:
            sharing[name].append(disclosure.agreement.pk)
    plan = CarePlan.objects.filter(arrival=OuterRef("pk")).values("agreed_on")[:1]
    services = CareService.objects.filter(arrival=OuterRef("pk")).order_by().values("arrival")
    cycles = (
        Entitlement.objects.filter(arrival=OuterRef("pk"), cycle__status="approved")
        .order_by().values("arrival").annotate(n=Count("pk")).values("n")
    )  # fmt: skip

    def counted(outcome):
        return Subquery(services.filter(outcome=outcome).annotate(n=Count("pk")).values("n"))

    d = Term.Disclosure
    return (
        arrivals_visible(user)
        .order_by("-arrived_at", "-id")
        .values(
            "id", case_number=F("person__case_number"), agreement_key=F("agreement__key"),
            arrived_on=_shared(sharing[d.ARRIVED], F("arrived_at")),
            plan_due=_shared(sharing[d.PLAN], F("plan_due_on")),
            plan_agreed_on=_shared(sharing[d.PLAN], Subquery(plan)),
            left_care_on=_shared(sharing[d.LEFT], F("left_on")),
            left_shared=_shared(sharing[d.LEFT], Value(True)),
            services_provided=_shared(sharing[d.SERVICES], Coalesce(counted("done"), 0)),
            services_pending=_shared(sharing[d.SERVICES], Coalesce(counted("pending"), 0)),
            stipend_cycles=_shared(sharing[d.STIPENDS], Coalesce(Subquery(cycles), 0)),
        )
    )  # fmt: skip
