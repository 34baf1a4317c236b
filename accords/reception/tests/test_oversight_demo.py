"""The demo stages oversight at every step: a denied visit whose concern is overdue, a
grievance answered late, follow-ups with scores, one person who left on their own, and one
removed onward to the country he is protected from, with the alert the monitor sees."""

import pytest

from accords.demo.reception_oversight import demo_reception_oversight_ensure
from accords.reception.models import FollowUp, Outcome
from accords.reception.selectors import oversight as selectors
from accords.reception.selectors.arrivals import arrivals_visible
from accords.transfers.tests import stages


@pytest.mark.django_db
def test_the_demo_stages_oversight_once_and_the_monitor_sees_it():
    world = stages.world_make()
    staged = demo_reception_oversight_ensure()
    assert staged == {"arrivals": 5, "alerts": 1}
    assert demo_reception_oversight_ensure() == staged
    monitor, officer = world["monitor"], world["receiving.officer"]
    assert arrivals_visible(monitor).count() == arrivals_visible(officer).count() == 5
    assert selectors.concerns_overdue(monitor).filter(visit__status="denied").count() == 1
    assert [g.answered_late for g in selectors.grievances_visible(officer)] == [True]
    assert FollowUp.objects.count() == 3
    assert set(Outcome.objects.values_list("kind", flat=True)) == {"left", "removed_onward"}
    (alert,) = selectors.alerts_visible(monitor)
    assert alert.country == "SV"
    assert selectors.alerts_visible(world["sending.officer"]).count() == 1
    assert selectors.alerts_visible(world["counsel"]).count() == 1
