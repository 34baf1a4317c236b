"""The hand-over opens the receiving state's record of each person, and of each family."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accords.reception.models import Arrival, Household
from accords.reception.selectors.arrivals import arrivals_visible
from accords.reception.services.arrivals import monitoring_assign
from accords.reception.tests.stages import handed_over
from accords.registry.models import Agreement
from accords.transfers.tests import stages


@pytest.fixture
def world(db):
    return stages.world_make()


def test_a_hand_over_opens_an_arrival_with_its_plan_due_in_30_days(world):
    (arrival,) = handed_over(world, "R-1")
    assert arrival.person.case_number == "R-1"
    assert arrival.agreement.key == "us-rwanda"
    assert arrival.plan_due_on == timezone.localdate(arrival.arrived_at) + timedelta(days=30)
    assert arrival.household is None


def test_a_family_that_arrives_together_shares_one_household(world):
    arrivals = handed_over(world, "R-2", "R-3", family="FAM-R")
    assert len({a.household_id for a in arrivals}) == 1
    assert Household.objects.count() == 1
    assert Arrival.objects.count() == 2


def test_each_role_sees_only_its_arrivals(world):
    handed_over(world, "R-4")
    seen = {name: arrivals_visible(world[name]).count() for name in world}
    assert seen["receiving.officer"] == 1  # serves Rwanda
    assert seen["eswatini.officer"] == 0
    assert seen["sending.officer"] == seen["sending.supervisor"] == 1  # the US's agreement
    assert seen["monitor"] == 0  # not yet assigned to the agreement
    assert seen["finance"] == seen["auditor"] == seen["registry.editor"] == 0
    assert seen["counsel"] == Arrival.objects.filter(person__counsel=world["counsel"]).count()
    monitoring_assign(actor=None, monitor=world["monitor"],
                      agreement=Agreement.objects.get(key="us-rwanda"),
                      since=timezone.localdate())  # fmt: skip
    assert arrivals_visible(world["monitor"]).count() == 1


def test_only_a_monitor_can_be_assigned_to_watch_an_agreement(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        monitoring_assign(actor=None, monitor=world["auditor"],
                          agreement=Agreement.objects.get(key="us-rwanda"),
                          since=timezone.localdate())  # fmt: skip
    assert "monitor" in raised.value.message_dict
