"""A supervisor departs a manifest in a real browser, and one person is taken off with the reason."""

import pytest
from django.utils import timezone

from accords.demo.accounts import DEMO_PASSWORD
from accords.transfers import services
from accords.transfers.models import ManifestEntry
from accords.transfers.tests import stages


@pytest.fixture
def site(transactional_db, live_server):
    world = stages.world_make()
    for person in stages.people("B-1", "B-2", "B-3"):
        stages.ready(world, person)
    flight = stages.flight(world, seats=5, in_days=0)  # a manifest departs on its flight's day
    services.plan_create(
        actor=world["sending.supervisor"], flight=flight, policy_name="default-2026"
    )
    return live_server.url, world


def test_a_supervisor_departs_a_manifest_and_sees_why_one_person_stayed(site, page):
    url, world = site
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", "sending.supervisor")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/flights/")
    page.click("table.flights a:has-text('open')")
    assert page.locator("tr.entry-listed").count() == 3
    page.click("a.button:has-text('Lock the manifest')")
    assert page.locator("ul.people li").count() == 3  # who is listed, before locking
    page.click("button:has-text('Lock the manifest')")
    assert "Manifest locked" in page.locator("ul.messages").inner_text()

    # A court grants a stay while the manifest is locked: the departure must see it.
    stayed = ManifestEntry.objects.get(referral__person__case_number="B-2").referral.person
    services.stay_record(actor=world["sending.officer"], person=stayed, granted_by="BIA",
                         valid_from=timezone.localdate())  # fmt: skip
    page.click("a.button:has-text('Depart')")
    # Before anything is written: who would depart, and who would be taken off and why.
    assert page.locator("ul.departing li").count() == 2
    assert "B-2" in page.locator("ul.taken-off").inner_text()
    page.click("button:has-text('Depart now')")

    assert "2 departed; 1 taken off at departure" in page.locator("ul.messages").inner_text()
    assert page.locator("tr.entry-departed").count() == 2
    removed = page.locator("tr.entry-removed")
    assert "B-2" in removed.inner_text()
    reason = removed.locator("ol.removed-reasons li").first.inner_text()
    assert "No stay of removal" in reason and "8 CFR 241.6" in reason
