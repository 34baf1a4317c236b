"""A home page in a browser: the receiving officer signs in, finds the person awaiting their
state's answer counted on their home page, and follows the card to the list where they answer."""

import pytest

from accords.demo.accounts import DEMO_PASSWORD
from accords.transfers.tests import stages


@pytest.fixture
def site(transactional_db, live_server):
    return live_server.url


def test_the_receiving_officer_follows_their_home_page_to_the_work(site, page):
    world = stages.world_make()
    (person,) = stages.people("HB-1")
    stages.noticed(world, stages.referred(world, person), days_ago=0)

    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", "receiving.officer")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button:has-text('Sign in')")
    page.goto(f"{site}/")
    card = page.locator("ul.waiting li", has_text="People awaiting your answer")
    assert card.locator(".count").inner_text() == "1"
    assert page.locator("svg.chart").count() >= 1
    card.locator("a").click()
    page.wait_for_url(f"{site}/receiving/")
    assert "HB-1" in page.content()
