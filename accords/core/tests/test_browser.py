"""The pages in a real browser, as a reader and an officer use them."""

from datetime import date

import pytest

from accords.cases.screening import screening_run
from accords.cases.services import case_import
from accords.cases.tests.conftest import case_doc
from accords.core.tests.world import world_ensure
from accords.demo.accounts import DEMO_PASSWORD


@pytest.fixture
def site(transactional_db, live_server):
    world_ensure()
    return live_server.url


def test_a_reader_filters_agreements_and_reads_one_with_its_sources(site, page):
    page.goto(f"{site}/agreements/")
    page.select_option("select[name=receiving]", "RW")
    page.click("button:has-text('Filter')")
    assert page.locator("p.count").inner_text() == "2 agreements"
    page.click("text=UK–Rwanda Migration and Economic Development Partnership")
    assert page.locator("svg.timeline circle").count() >= 6
    page.locator("a.credit").first.click()
    assert "#source-" in page.url
    assert page.locator("ol.sources li").count() >= 5


def test_an_officer_signs_in_and_checks_a_case_on_two_dates(site, page):
    protected = case_doc("B-1", protections=[
        {"kind": "cat_deferral", "country": "HN", "granted_on": "2024-06-01"}
    ])  # fmt: skip
    case_import(actor=None, records=[(1, protected)], source="browser test")
    screening_run(actor=None, as_of=date(2025, 9, 1))
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", "sending.officer")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button:has-text('Sign in')")
    page.click("nav >> text=Caseload")
    page.click("a:has-text('B-1') >> nth=0")
    page.select_option("select[name=agreement]", "us-rwanda")
    page.fill("input[name=on]", "2025-09-01")
    page.click("button:has-text('Check')")
    # `count` does not wait: the page asked for by the click is read once it has loaded.
    page.wait_for_url("**/cases/B-1/?agreement=us-rwanda&on=2025-09-01")
    page.wait_for_load_state()
    blocked = page.locator("li.gate-block")
    blocked.first.wait_for()
    assert blocked.count() >= 1
    assert "Onward removal barred" in blocked.first.inner_text()
    assert "What would clear it" in blocked.first.inner_text()
    assert "blocked" in page.locator(".decision").inner_text()
