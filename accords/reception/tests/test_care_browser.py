"""The caseworker's main page in a real browser: an overdue document on the worklist, its
outcome recorded from there, and the page read in French."""

import pytest
from django.utils import timezone

from accords.demo.accounts import DEMO_PASSWORD
from accords.reception.models import CareService
from accords.reception.tests import care_stages
from accords.transfers.tests import stages


@pytest.fixture
def site(transactional_db, live_server):
    world = stages.world_make()
    care_stages.care_world(world)
    return live_server.url


def test_the_caseworker_clears_an_overdue_service_and_reads_the_page_in_french(site, page):
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", "receiving.officer")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button:has-text('Sign in')")
    page.goto(f"{site}/reception/care/")
    assert "1 service overdue" in page.locator("#services-overdue").inner_text()
    assert "identity document" in page.content()
    page.click("text=record the outcome")
    page.check("input[name=outcome][value=done]")
    page.fill("input[name=outcome_on]", timezone.localdate().isoformat())
    page.click("button:has-text('Record')")
    assert "Outcome recorded." in page.locator("ul.messages").inner_text()
    assert CareService.objects.get().outcome == "done"
    page.goto(f"{site}/reception/care/")
    assert "No service is overdue." in page.content()
    page.select_option("select[name=language]", "fr")
    page.click("form.language button")
    page.wait_for_url(f"{site}/reception/care/")
    assert "Aucun service n'est en retard." in page.locator("main").inner_text()
    assert page.locator("html").get_attribute("lang") == "fr"
