"""The demo stages reception's care at every stage the caseworker meets, once."""

import pytest
from django.utils import timezone

from accords.core.tests.world import world_ensure
from accords.demo.reception_care import PREFIX, demo_care_ensure
from accords.reception.models import Arrival, Payment, StipendCycle
from accords.reception.selectors import care as selectors

pytestmark = pytest.mark.django_db


def test_the_demo_stages_intake_overdue_plans_services_and_stipends_once():
    world_ensure()
    assert demo_care_ensure() == {"arrivals": 6}
    from django.contrib.auth.models import User

    officer = User.objects.get(username="receiving.officer")
    today = timezone.localdate()
    mine = Arrival.objects.filter(person__case_number__startswith=PREFIX)
    assert mine.count() == 6 and mine.filter(intake__isnull=False).count() == 6
    assert [a.person.case_number for a in selectors.plans_overdue(officer, today)] == [
        PREFIX + "02"
    ]
    overdue = {s.what for s in selectors.services_overdue(officer, today)}
    assert overdue == {"residence permit", "job assistance: training"}
    assert set(mine.values_list("services__outcome", flat=True)) >= {"done", "pending"}
    assert set(Payment.objects.values_list("outcome", flat=True)) == {"paid", "failed"}
    assert set(StipendCycle.objects.values_list("status", flat=True)) == {"approved", "computed"}
    # 02 (arrived 45 days ago), 04 (its payment failed), 05 and 06; 03 was paid
    assert selectors.stipends_due(officer).count() == 4
    assert demo_care_ensure() == {"arrivals": 6}
    assert mine.count() == 6
