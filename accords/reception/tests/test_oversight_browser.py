"""The monitor's main page in a browser: the alert shows, and a visit recorded as denied
becomes a concern awaiting the receiving state's answer."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accords.core.tests.browsing import sign_in
from accords.core.zones import profile_today
from accords.reception.models import Concern
from accords.reception.services import oversight as services
from accords.reception.tests.oversight_stages import arrived
from accords.transfers.tests import stages


@pytest.fixture
def site(transactional_db, live_server):
    return live_server.url


def test_the_monitor_sees_the_alert_and_records_a_denied_visit(site, page):
    world = stages.world_make()
    removed, visited = arrived(world, "OB-1", "OB-2", protected=True)
    services.outcome_record(actor=world["receiving.officer"], arrival=removed,
                            kind="removed_onward", country="SV", on=timezone.localdate())  # fmt: skip
    services.visit_plan(actor=world["monitor"], arrival=visited, planned_on=timezone.localdate())

    sign_in(page, site, "monitor")
    page.goto(f"{site}/reception/monitoring/")
    alert = page.locator("table.alerts tbody tr.alert")
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text("OB-1")
    expect(alert).to_contain_text("protected from")

    row = page.locator("table.visits tbody tr", has_text="OB-2")
    row.locator("input[value=denied]").check()
    # The monitor's day in the monitor's zone (UTC: a monitor serves no state).
    row.locator("input[type=date]").fill(profile_today(world["monitor"].profile).isoformat())
    row.locator("textarea").fill("Turned away at the gate.")
    row.locator("button:has-text('Record')").click()
    expect(page.locator("ul.messages")).to_contain_text("Visit recorded.")
    expect(page.locator("table.concerns")).to_contain_text("Access denied on a visit.")
    assert Concern.objects.get().visit.status == "denied"
