"""The pages in a real browser, as a reader and an officer use them."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from accords.cases.screening import screening_run
from accords.cases.services import case_import
from accords.cases.tests.conftest import case_doc
from accords.core.tests.browsing import sign_in
from accords.core.tests.world import world_ensure


@pytest.fixture
def site(transactional_db, live_server):
    world_ensure()
    return live_server.url


def test_a_reader_filters_agreements_and_reads_one_with_its_sources(site, page):
    page.goto(f"{site}/agreements/")
    page.select_option("select[name=receiving]", "RW")
    page.click("button:has-text('Filter')")
    expect(page.locator("p.count")).to_have_text("2 agreements")
    page.click("text=UK–Rwanda Migration and Economic Development Partnership")
    expect(page.locator("svg.timeline circle").nth(5)).to_be_attached()  # six or more
    page.locator("a.credit").first.click()
    expect(page).to_have_url(re.compile("#source-"))
    expect(page.locator("ol.sources li").nth(4)).to_be_attached()  # five or more


def test_an_officer_signs_in_and_checks_a_case_on_two_dates(site, page):
    protected = case_doc("B-1", protections=[
        {"kind": "cat_deferral", "country": "HN", "granted_on": "2024-06-01"}
    ])  # fmt: skip
    case_import(actor=None, records=[(1, protected)], source="browser test")
    screening_run(actor=None, as_of=date(2025, 9, 1))
    sign_in(page, site, "sending.officer")
    page.click("nav >> text=Caseload")
    page.click("a:has-text('B-1') >> nth=0")
    page.select_option("select[name=agreement]", "us-rwanda")
    page.fill("input[name=on]", "2025-09-01")
    page.click("button:has-text('Check')")
    expect(page).to_have_url(re.compile(r"/cases/B-1/\?agreement=us-rwanda&on=2025-09-01$"))
    blocked = page.locator("li.gate-block").first
    expect(blocked).to_contain_text("Onward removal barred")
    expect(blocked).to_contain_text("What would clear it")
    expect(page.locator(".decision")).to_contain_text("blocked")
