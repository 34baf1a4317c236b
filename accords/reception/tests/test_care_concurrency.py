"""Races on PostgreSQL over stipends: two officers paying the same entitlement at once never pay
it twice; approving the same cycle at once approves it once; computing the same cycle at once
computes it once. Each refused racer is told why (a ValidationError), never a database error."""

from decimal import Decimal
from functools import partial

import pytest
from django.db import connection
from django.utils import timezone

from accords.core.tests.races import race
from accords.reception.models import Entitlement, Payment, StipendCycle
from accords.reception.services import care
from accords.reception.tests import care_stages
from accords.reception.tests.stages import handed_over
from accords.registry.models import Agreement
from accords.transfers.tests import stages

ROUNDS = 10

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    if connection.vendor != "postgresql":
        pytest.skip("real parallel writers need PostgreSQL; SQLite serialises transactions")
    world = stages.world_make()
    world["receiving.approver"] = care_stages.second_officer()
    care_stages.stipend_term()
    world["programme"] = care.stipend_programme_open(
        actor=None, agreement=Agreement.objects.get(key="us-rwanda")
    )
    arrivals = handed_over(world, "RACE-1", "RACE-2")
    for arrival in arrivals:
        care_stages.taken_in(care_stages.arrived_days_ago(arrival, 200))
    return world


def test_the_same_entitlement_is_never_paid_twice(world):
    officer, approver = world["receiving.officer"], world["receiving.approver"]
    for months_ago in range(1, ROUNDS // 2 + 1):
        cycle = care.stipend_cycle_compute(actor=officer, programme=world["programme"],
                                           starts_on=care_stages.first_of_month(months_ago))  # fmt: skip
        care.stipend_cycle_approve(actor=approver, cycle=cycle)
        for entitlement in cycle.entitlements.all():
            pay = partial(care.payment_record, entitlement=entitlement, outcome="paid",
                          amount=Decimal("60.00"), on=timezone.localdate())  # fmt: skip
            outcomes = race(partial(pay, actor=officer), partial(pay, actor=approver))
            assert sum(isinstance(o, Payment) for o in outcomes) == 1
            assert care.owed(Entitlement.objects.get(pk=entitlement.pk)) == 0


def test_a_cycle_is_computed_once_and_approved_once(world):
    officer, approver = world["receiving.officer"], world["receiving.approver"]
    for months_ago in range(ROUNDS):
        starts = care_stages.first_of_month(months_ago)
        compute = partial(care.stipend_cycle_compute, programme=world["programme"],
                          starts_on=starts)  # fmt: skip
        computed = race(partial(compute, actor=officer), partial(compute, actor=approver))
        cycles = [o for o in computed if isinstance(o, StipendCycle)]
        assert len(cycles) == 1
        assert StipendCycle.objects.filter(starts_on=starts).count() == 1
        (cycle,) = cycles
        other = approver if cycle.computed_by == officer else officer
        approve = partial(care.stipend_cycle_approve, actor=other, cycle=cycle)
        approved = race(approve, approve)
        assert sum(isinstance(o, StipendCycle) for o in approved) == 1
