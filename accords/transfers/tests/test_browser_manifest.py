"""A supervisor departs a manifest in a real browser, and one person is taken off with the reason."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accords.core.tests.browsing import sign_in
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
    sign_in(page, url, "sending.supervisor")
    page.goto(f"{url}/flights/")
    page.click("table.flights a:has-text('open')")
    expect(page.locator("tr.entry-listed")).to_have_count(3)
    page.click("a.button:has-text('Lock the manifest')")
    expect(page.locator("ul.people li")).to_have_count(3)  # who is listed, before locking
    page.click("button:has-text('Lock the manifest')")
    expect(page.locator("ul.messages")).to_contain_text("Manifest locked")

    # A court grants a stay while the manifest is locked: the departure must see it.
    stayed = ManifestEntry.objects.get(referral__person__case_number="B-2").referral.person
    services.stay_record(actor=world["sending.officer"], person=stayed, granted_by="BIA",
                         valid_from=timezone.localdate())  # fmt: skip
    page.click("a.button:has-text('Depart')")
    # Before anything is written: who would depart, and who would be taken off and why.
    expect(page.locator("ul.departing li")).to_have_count(2)
    expect(page.locator("ul.taken-off")).to_contain_text("B-2")
    page.click("button:has-text('Depart now')")

    expect(page.locator("ul.messages")).to_contain_text("2 departed; 1 taken off at departure")
    expect(page.locator("tr.entry-departed")).to_have_count(2)
    removed = page.locator("tr.entry-removed")
    expect(removed).to_contain_text("B-2")
    reason = removed.locator("ol.removed-reasons li").first
    expect(reason).to_contain_text("No stay of removal")
    expect(reason).to_contain_text("8 CFR 241.6")
