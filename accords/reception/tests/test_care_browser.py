"""The caseworker's main page in a real browser: an overdue document on the worklist, its
outcome recorded from there, and the page read in French."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accords.core.tests.browsing import sign_in
from accords.reception.models import CareService
from accords.reception.tests import care_stages
from accords.transfers.tests import stages


@pytest.fixture
def site(transactional_db, live_server):
    world = stages.world_make()
    care_stages.care_world(world)
    return live_server.url


def test_the_caseworker_clears_an_overdue_service_and_reads_the_page_in_french(site, page):
    sign_in(page, site, "receiving.officer")
    page.goto(f"{site}/reception/care/")
    expect(page.locator("#services-overdue")).to_contain_text("1 service overdue")
    expect(page.locator("main")).to_contain_text("identity document")
    page.click("text=record the outcome")
    page.check("input[name=outcome][value=done]")
    page.fill("input[name=outcome_on]", timezone.localdate().isoformat())
    page.click("button:has-text('Record')")
    expect(page.locator("ul.messages")).to_contain_text("Outcome recorded.")
    assert CareService.objects.get().outcome == "done"
    page.goto(f"{site}/reception/care/")
    expect(page.locator("main")).to_contain_text("No service is overdue.")
    page.select_option("select[name=language]", "fr")
    page.click("form.language button")
    expect(page.locator("main")).to_contain_text("Aucun service n'est en retard.")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
