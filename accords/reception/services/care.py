"""Reception's care writes: intake, case plan, services and their outcomes, stipend programmes,
cycles, approvals and payments. Each public function is an `@action`.

Only an officer of the receiving state (or the system, `actor=None`, for the demo) writes
here; the pages and the API find the records through the selectors first, so another state's
record is never reached.

Stipends follow OpenG2P's small state machines: a cycle is computed (each person's
entitlement written at once), then approved by a second officer (four eyes, as a diplomatic
note is confirmed), and only then paid. A person is entitled to a cycle when, during it, they
were in the programme's care: arrived by its first day, not left before it (`Arrival.left_on`),
with their intake's consent, and it is one of the `cycles_per_person` cycles that start after
their arrival. No cycle starts before the programme's first day or after its last.

Where the agreement says more of who is entitled, its stipend terms (kind service, service
stipend, with a rule and a `Term.StipendCondition` category) narrow those rules: for how long
after arrival, only or never unaccompanied minors, people in a household, people born in some
countries. They are read on the cycle's first day and their keys cited on the cycle (and, as
they stood when it opened, on the programme), so a reader sees why a person is or is not
entitled; with none, the rules above alone apply.

The ledger's postings go where money is obliged and where it moves: `stipend_cycle_approve`
(the cycle's entitlements become owed) and `payment_record` (a payment made or returned).
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models
from django.db.models import F, Q, Sum
from django.utils import timezone

from accords.audit.rows import rows_written
from accords.core import validation as kinds
from accords.core.actions import action
from accords.core.roles import user_role
from accords.ledger import postings
from accords.reception.models import (
    Arrival,
    CarePlan,
    CareService,
    Entitlement,
    Frequency,
    Intake,
    Payment,
    StipendCycle,
    StipendProgramme,
)
from accords.registry.models import Agreement, Term

RECEIVING = "receiving_officer"


def _may_act(actor, agreement: Agreement) -> None:
    """Only the receiving state's officers (or the system) write its reception records."""
    if actor is None:
        return
    role = user_role(actor)
    state = getattr(getattr(actor, "profile", None), "receiving_state_id", None)
    if role is None or role.key != RECEIVING or state != agreement.receiving_state_id:
        raise PermissionDenied("Only an officer of the receiving state records its reception.")


def _checked(field: str, kind: kinds.Kind, value) -> None:
    """A value checked against its kind before any arithmetic is done with it."""
    try:
        kind.check(value)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def _saved(instance: models.Model) -> models.Model:
    instance.full_clean()
    instance.save()
    return instance


def _locked(arrival: Arrival) -> Arrival:
    return Arrival.objects.select_for_update().get(pk=arrival.pk)


def arrived_on(arrival: Arrival) -> date:
    return timezone.localdate(arrival.arrived_at)


def _still_in_care(arrival: Arrival, day: date, field: str) -> None:
    if arrival.left_on is not None and day > arrival.left_on:
        raise ValidationError({field: "The person left the programme's care before this day."})


@action("intake.record", records=("recorded_on",))
def intake_record(
    *,
    actor,
    arrival: Arrival,
    housed_at: str,
    housed_with: str = "",
    needs: list,
    needs_note: str = "",
    consent: bool,
    recorded_on: date,
) -> Intake:
    """Record (or correct) the intake interview: housing, household, needs, consent."""
    _may_act(actor, arrival.agreement)
    arrival = _locked(arrival)
    _checked("recorded_on", kinds.EVENT_DATE, recorded_on)
    if recorded_on < arrived_on(arrival):
        raise ValidationError({"recorded_on": "The intake cannot precede the arrival."})
    intake = Intake.objects.filter(arrival=arrival).first() or Intake(arrival=arrival)
    intake.housed_at, intake.housed_with = housed_at, housed_with
    intake.needs, intake.needs_note = sorted(set(needs)), needs_note
    intake.consent, intake.recorded_on, intake.recorded_by = consent, recorded_on, actor
    return _saved(intake)


@action("care_plan.record", records=("agreed_on",))
def care_plan_record(*, actor, arrival: Arrival, agreed_on: date, goals: str) -> CarePlan:
    """Record (or revise) the case plan agreed with the person."""
    _may_act(actor, arrival.agreement)
    arrival = _locked(arrival)
    _checked("agreed_on", kinds.EVENT_DATE, agreed_on)
    if agreed_on < arrived_on(arrival):
        raise ValidationError({"agreed_on": "The case plan cannot precede the arrival."})
    if not Intake.objects.filter(arrival=arrival).exists():
        raise ValidationError({"agreed_on": "Record the intake before the case plan."})
    plan = CarePlan.objects.filter(arrival=arrival).first() or CarePlan(arrival=arrival)
    plan.agreed_on, plan.goals, plan.recorded_by = agreed_on, goals, actor
    return _saved(plan)


@action("care_service.open", records=("kind", "document", "job_step", "requested_on", "due_on"))
def care_service_open(
    *,
    actor,
    arrival: Arrival,
    kind: str,
    provider: str,
    requested_on: date,
    due_on: date,
    funding_term: Term | None = None,
    document: str = "",
    job_step: str = "",
) -> CareService:
    """Owe a person a service by a date, with its provider and the term that funds it."""
    _may_act(actor, arrival.agreement)
    arrival = _locked(arrival)
    _checked("requested_on", kinds.EVENT_DATE, requested_on)
    _checked("due_on", kinds.DAY_CONSIDERED, due_on)
    _still_in_care(arrival, requested_on, "requested_on")
    _still_in_care(arrival, due_on, "due_on")
    if due_on < requested_on:
        raise ValidationError({"due_on": "A service cannot be due before it is requested."})
    if kind == CareService.Kind.DOCUMENTS and not document:
        raise ValidationError({"document": "Say which document is requested."})
    if kind != CareService.Kind.DOCUMENTS and document:
        raise ValidationError({"document": "Only a documents service names a document."})
    if kind != CareService.Kind.JOB and job_step:
        raise ValidationError({"job_step": "Only job assistance has a step."})
    if funding_term is not None and funding_term.agreement_id != arrival.agreement_id:
        raise ValidationError({"funding_term": "The term is not one of this agreement's."})
    service = CareService(arrival=arrival, kind=kind, document=document, job_step=job_step,
                          provider=provider, funding_term=funding_term,
                          requested_on=requested_on, due_on=due_on)  # fmt: skip
    return _saved(service)


@action("care_service.outcome_record", records=("outcome", "outcome_on", "starts_on", "ends_on"))
def care_service_outcome_record(
    *,
    actor,
    service: CareService,
    outcome: str,
    outcome_on: date,
    place: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    employer: str = "",
) -> CareService:
    """The service's outcome: provided (a document issued, housing from/to, a job's employer
    and start) or refused. Pending is where a service starts, not an outcome to record."""
    _may_act(actor, service.arrival.agreement)
    _locked(service.arrival)
    service = CareService.objects.select_for_update().get(pk=service.pk)
    if outcome not in (CareService.Outcome.DONE, CareService.Outcome.REFUSED):
        raise ValidationError({"outcome": "An outcome is provided or refused."})
    _checked("outcome_on", kinds.EVENT_DATE, outcome_on)
    if outcome_on < service.requested_on:
        raise ValidationError({"outcome_on": "The outcome cannot precede the request."})
    for field, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if day is not None:
            _checked(field, kinds.DAY_CONSIDERED, day)
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": "The end is before the start."})
    if service.kind == CareService.Kind.HOUSING and outcome == "done" and not place:
        raise ValidationError({"place": "Say where the person is housed."})
    if (
        service.kind == CareService.Kind.JOB
        and service.job_step == "placement"
        and (outcome == "done" and not employer)
    ):
        raise ValidationError({"employer": "Name the employer of the placement."})
    service.outcome, service.outcome_on = outcome, outcome_on
    service.place, service.starts_on, service.ends_on = place, starts_on, ends_on
    service.employer = employer
    return _saved(service)


def stipend_term(agreement: Agreement) -> Term | None:
    """The agreement's stipend term that states an amount (the latest if several do)."""
    return (
        agreement.terms.filter(kind=Term.Kind.MONEY, money_kind=Term.MoneyKind.STIPEND,
                               amount__isnull=False)
        .order_by("-valid_from", "-id").first()
    )  # fmt: skip


@action("stipend_programme.open")
def stipend_programme_open(*, actor, agreement: Agreement) -> StipendProgramme:
    """Open the agreement's stipend programme from its stipend term: the amount and currency
    it states, its period as the frequency, its quantity as the cycles each person receives,
    its validity as the programme's."""
    _may_act(actor, agreement)
    if StipendProgramme.objects.filter(agreement=agreement).exists():
        raise ValidationError({"agreement": "The agreement's stipend programme is open."})
    term = stipend_term(agreement)
    if term is None:
        raise ValidationError({"agreement": "The agreement has no stipend term stating an amount."})
    problems = {}
    if not term.amount or term.amount <= 0:
        problems["amount"] = "The stipend term states no amount above zero."
    if term.period not in Frequency.values:
        problems["frequency"] = "The stipend term says neither per month nor per week."
    if not term.quantity:
        problems["cycles_per_person"] = "The stipend term does not say for how many periods."
    if problems:
        raise ValidationError(problems)
    starts_on = term.valid_from or timezone.localdate()
    programme = StipendProgramme(
        agreement=agreement, term=term, amount=term.amount, currency=term.currency,
        frequency=term.period, cycles_per_person=min(term.quantity, 32767),
        starts_on=starts_on, ends_on=term.valid_until, opened_by=actor,
        eligibility_terms=[t.key for t in eligibility_terms(agreement, starts_on)],
    )  # fmt: skip
    return _saved(programme)


def eligibility_terms(agreement: Agreement, day: date) -> list[Term]:
    """The agreement's stipend terms in force on a day that say who is entitled."""
    return list(
        agreement.terms.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
            kind=Term.Kind.SERVICE, service=Term.Service.STIPEND,
            category__in=Term.StipendCondition.values,
        ).order_by("key")
    )  # fmt: skip


def _months_or_weeks_back(day: date, quantity: int, period: str) -> date:
    if period == Frequency.WEEK:
        return day - timedelta(weeks=quantity)
    return _months_back(day, quantity * (12 if period == Term.Period.YEAR else 1))


def _condition(term: Term, starts_on: date) -> Q:
    """Who a stipend term entitles, as a filter on arrivals (the whole column at once)."""
    condition = Term.StipendCondition
    if term.category == condition.AFTER_ARRIVAL:
        since = _months_or_weeks_back(starts_on, term.quantity, term.period)
        return Q(arrived_at__date__gt=since)
    matches = {
        condition.UNACCOMPANIED_MINOR: Q(person__unaccompanied_minor=True),
        condition.HOUSEHOLD: Q(household__isnull=False),
        condition.COUNTRY_OF_BIRTH: Q(person__country_of_birth__in=term.values),
    }[term.category]
    return matches if term.rule == Term.Rule.ONLY else ~matches


def _months_back(day: date, months: int) -> date:
    # The standard library has no month arithmetic; this one case does not warrant dateutil.
    month = day.month - 1 - months
    year, month = day.year + month // 12, month % 12 + 1
    if year < 1:
        return date.min
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    return date(year, month, 28)


def entitled(programme: StipendProgramme, starts_on: date, terms: list[Term] | None = None):
    """The arrivals entitled to the cycle that starts on a day (see the module), under the
    agreement's stipend terms (those in force that day unless given)."""
    if terms is None:
        terms = eligibility_terms(programme.agreement, starts_on)
    first_arrival = _months_or_weeks_back(starts_on, programme.cycles_per_person,
                                          programme.frequency)  # fmt: skip
    conditions = [_condition(term, starts_on) for term in terms]
    return Arrival.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gte=starts_on),
        *conditions,
        agreement_id=programme.agreement_id,
        intake__consent=True,
        arrived_at__date__lte=starts_on,
        arrived_at__date__gt=first_arrival,
    )


@action("stipend_cycle.compute", records=("starts_on",))
def stipend_cycle_compute(*, actor, programme: StipendProgramme, starts_on: date) -> StipendCycle:
    """Compute a cycle: every entitled person's entitlement, written at once."""
    _may_act(actor, programme.agreement)
    # Two officers computing the same cycle at once: the second waits, then finds it computed.
    programme = StipendProgramme.objects.select_for_update().get(pk=programme.pk)
    _checked("starts_on", kinds.DAY_CONSIDERED, starts_on)
    if programme.frequency == Frequency.MONTH and starts_on.day != 1:
        raise ValidationError({"starts_on": "A monthly cycle starts on the first of a month."})
    if starts_on < programme.starts_on:
        raise ValidationError({"starts_on": "The programme had not begun by this day."})
    if programme.ends_on is not None and starts_on > programme.ends_on:
        raise ValidationError({"starts_on": "The programme ended before this day."})
    if programme.cycles.filter(starts_on=starts_on).exists():
        raise ValidationError({"starts_on": "This cycle has been computed."})
    ends_on = cycle_end(programme, starts_on)
    terms = eligibility_terms(programme.agreement, starts_on)
    cycle = _saved(StipendCycle(programme=programme, starts_on=starts_on, ends_on=ends_on,
                                computed_by=actor, computed_at=timezone.now(),
                                eligibility_terms=[t.key for t in terms]))  # fmt: skip
    # Django has no INSERT ... SELECT: the database writes every entitlement from the
    # selector's own query in one statement, where building 100,000 model instances in Python
    # to send them back took four times as long (benchmarks/reception.py).
    selected = entitled(programme, starts_on, terms).order_by().annotate(arrival=F("pk"))
    arrivals, params = selected.values("arrival").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Entitlement._meta.db_table} (cycle_id, arrival_id, amount) "
            f"SELECT %s, entitled.arrival, %s FROM ({arrivals}) AS entitled",
            [cycle.pk, programme.amount, *params],
        )
    # Raw SQL sends no signal: the log binds the entitlements written by their keys.
    rows_written(Entitlement, cycle.entitlements.values_list("pk", flat=True))
    return cycle


def cycle_end(programme: StipendProgramme, starts_on: date) -> date:
    if programme.frequency == Frequency.WEEK:
        return starts_on + timedelta(days=6)
    following = date(starts_on.year + starts_on.month // 12, starts_on.month % 12 + 1, 1)
    return following - timedelta(days=1)


@action("stipend_cycle.approve")
def stipend_cycle_approve(*, actor, cycle: StipendCycle) -> StipendCycle:
    """A second officer approves a computed cycle; its entitlements become owed. The ledger's
    obligation is posted here."""
    _may_act(actor, cycle.programme.agreement)
    cycle = StipendCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status == StipendCycle.Status.APPROVED:
        raise ValidationError({"cycle": "The cycle is already approved."})
    if actor is not None and cycle.computed_by_id == actor.pk:
        raise ValidationError(
            {"cycle": "Another officer approves a cycle: not the one who computed it."}
        )
    cycle.status, cycle.approved_by, cycle.approved_at = "approved", actor, timezone.now()
    cycle.save()
    programme = cycle.programme
    entitled = cycle.entitlements.order_by("pk").values_list("arrival__person_id", "amount")
    postings.stipends_obliged(
        agreement=programme.agreement, currency=programme.currency, cycle_ref=_cycle_ref(cycle),
        on=timezone.localdate(cycle.approved_at), entitled=list(entitled),
    )  # fmt: skip
    return cycle


def _cycle_ref(cycle: StipendCycle) -> str:
    """How the ledger names a cycle's stipends (with the person's id)."""
    return f"cycle-{cycle.pk}"


def owed(entitlement: Entitlement) -> Decimal:
    """What is still owed: the entitlement, less what was paid, plus what came back."""
    sums = dict(
        entitlement.payments.values_list("outcome").annotate(total=Sum("amount"))
        .values_list("outcome", "total")
    )  # fmt: skip
    return entitlement.amount - sums.get("paid", Decimal(0)) + sums.get("returned", Decimal(0))


@action("payment.record", records=("outcome", "amount", "on"))
def payment_record(
    *, actor, entitlement: Entitlement, outcome: str, amount: Decimal, on: date, reference: str = ""
) -> Payment:
    """Record a payment made (paid), attempted (failed) or sent back (returned) against an
    approved entitlement. The ledger's payment is posted here."""
    _may_act(actor, entitlement.arrival.agreement)
    entitlement = (
        Entitlement.objects.select_for_update().select_related("cycle").get(pk=entitlement.pk)
    )
    if entitlement.cycle.status != StipendCycle.Status.APPROVED:
        raise ValidationError({"entitlement": "The cycle is not approved: nothing is owed yet."})
    if outcome not in Payment.Outcome.values:
        raise ValidationError({"outcome": "A payment is paid, failed or returned."})
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        raise ValidationError({"amount": "An amount above zero."})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": "At most two decimal places."})
    _checked("on", kinds.EVENT_DATE, on)
    if on < entitlement.cycle.starts_on:
        raise ValidationError({"on": "A cycle is paid from its first day."})
    due = owed(entitlement)
    if outcome == Payment.Outcome.PAID and amount > due:
        raise ValidationError({"amount": f"More than is owed ({due})."})
    if outcome == Payment.Outcome.RETURNED and amount > entitlement.amount - due:
        raise ValidationError({"amount": "More than was paid."})
    payment = Payment(
        entitlement=entitlement, outcome=outcome, amount=amount, on=on, reference=reference,
        recorded_by=actor, recorded_at=timezone.now(),
    )  # fmt: skip
    # The ledger moves money for a payment made and one sent back; a failed attempt moved none.
    money = {"agreement": entitlement.arrival.agreement, "person_id": entitlement.arrival.person_id,
             "amount": amount, "currency": entitlement.cycle.programme.currency,
             "cycle_ref": _cycle_ref(entitlement.cycle), "on": on}  # fmt: skip
    if outcome == Payment.Outcome.PAID:
        postings.stipend_paid(**money)
    elif outcome == Payment.Outcome.RETURNED:
        postings.stipend_payment_returned(**money)
    return _saved(payment)
