"""Random days in a reception office, with the stipend invariants checked after every step.

hypothesis drives the care services in any order: intake (with or without consent), services
opened and closed, a person leaving the programme's care (a plain update of `left_on`,
standing in for the outcome service), stipend cycles computed for any month, approved by
either officer, payments paid, failed and returned of any amount. Each call is made whether or
not it should succeed; the machine knows which and checks the service agrees. After every step:

- no payment without an approved entitlement (and none recorded before its approval);
- no entitlement for a cycle outside the programme's days, after the person left, or beyond
  the cycles each person receives;
- what was paid, less what came back, is never negative nor more than the entitlement;
- nothing overdue for someone no longer in care, or already provided;
- exactly one audit entry per successful call, none for a refused one.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from accords.audit.models import AuditEntry
from accords.reception.models import Arrival, CareService, Entitlement, Payment, StipendCycle
from accords.reception.selectors import care as selectors
from accords.reception.services import care
from accords.reception.tests import care_stages
from accords.reception.tests.stages import handed_over
from accords.registry.models import Agreement
from accords.transfers.tests import stages

ANY = st.integers(min_value=0, max_value=99)
OFFICERS = ("receiving.officer", "receiving.approver")
AMOUNTS = st.sampled_from([Decimal("0.01"), Decimal("20.00"), Decimal("60.00"), Decimal("60.01")])


class CareDays(RuleBasedStateMachine):
    world: dict

    def __init__(self):
        super().__init__()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.audited = AuditEntry.objects.count()
        self.programme = care.stipend_programme_open(
            actor=None, agreement=Agreement.objects.get(key="us-rwanda")
        )
        self.audited += 1
        self.arrivals = list(self.world["arrivals"])

    def teardown(self):
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    def _call(self, fn, should_succeed: bool | None, **kwargs):
        """Call a service; when the machine knows, check it succeeds or refuses as it should."""
        try:
            with transaction.atomic():
                result = fn(**kwargs)
        except ValidationError:
            assert should_succeed is not True, f"{fn.__name__} refused {kwargs}"
            return None
        assert should_succeed is not False, f"{fn.__name__} allowed {kwargs}"
        self.audited += 1
        return result

    def _arrival(self, i: int) -> Arrival:
        return Arrival.objects.get(pk=self.arrivals[i % len(self.arrivals)].pk)

    @rule(i=ANY, consent=st.booleans())
    def intake(self, i, consent):
        arrival = self._arrival(i)
        self._call(care.intake_record, True, actor=self.world["receiving.officer"],
                   arrival=arrival, housed_at="Hostel", needs=["health"], consent=consent,
                   recorded_on=timezone.localdate(arrival.arrived_at))  # fmt: skip

    @rule(i=ANY)
    def leaves_today(self, i):
        # Stands in for the outcome service, which sets the day the person left.
        Arrival.objects.filter(pk=self._arrival(i).pk).update(left_on=timezone.localdate())

    @rule(i=ANY, due_in=st.integers(min_value=-30, max_value=30))
    def service_open(self, i, due_in):
        arrival = self._arrival(i)
        today = timezone.localdate()
        requested = timezone.localdate(arrival.arrived_at)
        due = today + timedelta(days=due_in)
        in_care = arrival.left_on is None or due <= arrival.left_on
        self._call(care.care_service_open, (due >= requested) and in_care,
                   actor=self.world["receiving.officer"], arrival=arrival, kind="health",
                   provider="Clinic", requested_on=requested, due_on=due)  # fmt: skip

    @rule(i=ANY, refused=st.booleans())
    def service_close(self, i, refused):
        services = list(CareService.objects.order_by("pk"))
        if services:
            service = services[i % len(services)]
            self._call(care.care_service_outcome_record, True,
                       actor=self.world["receiving.officer"], service=service,
                       outcome="refused" if refused else "done",
                       outcome_on=timezone.localdate())  # fmt: skip

    @rule(months_ago=st.integers(min_value=0, max_value=14), who=st.sampled_from(OFFICERS))
    def cycle_compute(self, months_ago, who):
        starts = care_stages.first_of_month(months_ago)
        should = (
            starts >= self.programme.starts_on
            and not StipendCycle.objects.filter(starts_on=starts).exists()
        )
        self._call(care.stipend_cycle_compute, should, actor=self.world[who],
                   programme=self.programme, starts_on=starts)  # fmt: skip

    @rule(i=ANY, who=st.sampled_from(OFFICERS))
    def cycle_approve(self, i, who):
        cycles = list(StipendCycle.objects.order_by("pk"))
        if cycles:
            cycle = cycles[i % len(cycles)]
            should = cycle.status == "computed" and cycle.computed_by != self.world[who]
            self._call(care.stipend_cycle_approve, should, actor=self.world[who], cycle=cycle)

    @rule(i=ANY, outcome=st.sampled_from(["paid", "failed", "returned"]), amount=AMOUNTS)
    def pay(self, i, outcome, amount):
        entitlements = list(Entitlement.objects.select_related("cycle").order_by("pk"))
        if not entitlements:
            return
        entitlement = entitlements[i % len(entitlements)]
        owed = care.owed(entitlement)
        should = entitlement.cycle.status == "approved" and (
            outcome == "failed"
            or (outcome == "paid" and amount <= owed)
            or (outcome == "returned" and amount <= entitlement.amount - owed)
        )
        self._call(care.payment_record, should, actor=self.world["receiving.officer"],
                   entitlement=entitlement, outcome=outcome, amount=amount,
                   on=timezone.localdate())  # fmt: skip

    @invariant()
    def no_payment_without_an_approved_entitlement(self):
        unapproved = Payment.objects.filter(
            Q(entitlement__cycle__status="computed")
            | Q(recorded_at__lt=F("entitlement__cycle__approved_at"))
        )
        assert not unapproved.exists()

    @invariant()
    def no_entitlement_outside_the_programme_or_after_leaving(self):
        entitlements = Entitlement.objects.select_related("cycle", "arrival")
        for e in entitlements:
            assert e.cycle.starts_on >= self.programme.starts_on
            assert self.programme.ends_on is None or e.cycle.starts_on <= self.programme.ends_on
            assert e.arrival.left_on is None or e.cycle.starts_on <= e.arrival.left_on
            assert timezone.localdate(e.arrival.arrived_at) <= e.cycle.starts_on
        most = Entitlement.objects.values("arrival").annotate(n=Count("pk")).order_by("-n").first()
        assert most is None or most["n"] <= self.programme.cycles_per_person

    @invariant()
    def paid_never_exceeds_nor_falls_below_the_entitlement(self):
        for e in Entitlement.objects.all():
            sums = dict(e.payments.values_list("outcome").annotate(t=Sum("amount")))
            net = sums.get("paid", 0) - sums.get("returned", 0)
            assert 0 <= net <= e.amount

    @invariant()
    def overdue_only_pending_past_due_and_in_care(self):
        today = timezone.localdate()
        for s in selectors.services_overdue(self.world["receiving.officer"], today):
            assert s.outcome == "pending" and s.due_on < today and s.arrival.left_on is None

    @invariant()
    def one_audit_entry_per_successful_call(self):
        assert AuditEntry.objects.count() == self.audited


@pytest.fixture
def world(db):
    world = stages.world_make()
    world["receiving.approver"] = care_stages.second_officer()
    care_stages.stipend_term()
    arrivals = handed_over(world, "SM-1", "SM-2", "SM-3")
    for arrival, days in zip(arrivals, (250, 70, 5), strict=True):
        care_stages.arrived_days_ago(arrival, days)
    world["arrivals"] = arrivals
    return world


def test_any_day_in_the_office_keeps_the_stipend_invariants(world):
    CareDays.world = world
    run_state_machine_as_test(
        CareDays,
        settings=settings(max_examples=25, stateful_step_count=25, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow]),
    )  # fmt: skip
