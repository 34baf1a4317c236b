"""A home page in a browser: the receiving officer signs in, finds the person awaiting their
state's answer counted on their home page, and follows the card to the list where they answer."""

import pytest
from playwright.sync_api import expect

from accords.core.tests.browsing import sign_in
from accords.transfers.tests import stages


@pytest.fixture
def site(transactional_db, live_server):
    return live_server.url


def test_the_receiving_officer_follows_their_home_page_to_the_work(site, page):
    world = stages.world_make()
    (person,) = stages.people("HB-1")
    stages.noticed(world, stages.referred(world, person), days_ago=0)

    sign_in(page, site, "receiving.officer")
    page.goto(f"{site}/")
    card = page.locator("ul.waiting li", has_text="People awaiting your answer")
    expect(card.locator(".count")).to_have_text("1")
    expect(page.locator("svg.chart").first).to_be_visible()
    card.locator("a").click()
    expect(page).to_have_url(f"{site}/receiving/")
    expect(page.locator("main")).to_contain_text("HB-1")
