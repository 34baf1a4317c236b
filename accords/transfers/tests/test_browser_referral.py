"""Referral and counsel's portal in a real browser: an officer refers a person and serves
notice; counsel records a client's fear claim."""

import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from accords.cases.models import FearClaim, Person
from accords.cases.services import case_import
from accords.cases.tests.conftest import case_doc
from accords.core.tests.browsing import sign_in
from accords.core.tests.world import world_ensure
from accords.registry.models import Agreement
from accords.transfers import services
from accords.transfers.models import NoticeDocument, Referral


@pytest.fixture
def site(transactional_db, live_server):
    world_ensure()
    return live_server.url


def _person(number: str, **person) -> Person:
    doc = case_doc(number, notices=[], acceptances=[], person=person)
    case_import(actor=None, records=[(1, doc)], source="browser test")
    return Person.objects.get(case_number=number)


def test_an_officer_refers_a_person_and_serves_notice(site, page):
    _person("W-1", languages=["fr"])
    sign_in(page, site, "sending.officer")
    page.goto(f"{site}/referrals/new/?case=W-1")
    page.select_option("select[name=agreement]", "us-rwanda")
    page.fill("input[name=proposed_on]", timezone.localdate().isoformat())
    page.click("button:has-text('Refer')")
    expect(page).to_have_url(re.compile(r"/referrals/\d+/$"))
    referral = Referral.objects.get()
    assert page.url.endswith(f"/referrals/{referral.pk}/")
    notice_gate = page.locator("li.gate", has_text="Notice served")
    expect(notice_gate).to_contain_text("no written notice")

    # The notice form's language, not the site's own language switch in the header.
    page.select_option("main select[name=language]", "fr")
    page.click("button:has-text('Serve notice')")
    expect(page.locator("ul.messages")).to_contain_text("Notice served.")
    expect(page.locator("table.notices tbody tr")).to_have_count(1)
    expect(page.locator("li.gate", has_text="Notice served")).to_contain_text(
        "24-hour notice period"
    )
    document = NoticeDocument.objects.get()
    assert document.language == "fr" and document.notice.understood

    page.click("table.notices >> text=read")
    expect(page.locator(".notice-text")).to_contain_text("AVIS D'ÉLOIGNEMENT VERS UN PAYS TIERS")


def test_counsel_records_a_fear_claim_for_a_client(site, page):
    person = _person("W-2", counsel="counsel")
    officer = User.objects.get(username="sending.officer")
    referral = services.referral_create(actor=officer, person=person,
                                        agreement=Agreement.objects.get(key="us-rwanda"),
                                        proposed_on=timezone.localdate())  # fmt: skip
    services.notice_serve(actor=officer, referral=referral, language="es")
    sign_in(page, site, "counsel")
    page.goto(f"{site}/counsel/")
    # The next deadline of each client is on the list.
    expect(page.locator("table.clients")).to_contain_text("24-hour notice period")
    page.fill("input[name=q]", "W-2")
    page.click("form.filters button")
    page.click("table.clients >> text=W-2")
    # A mistake first: the page comes back with a summary of what to correct, linked to the field.
    page.locator("form.fear-claim input[name$=country]").fill("Rwanda")
    page.locator("form.fear-claim button").click()
    expect(page.locator(".error-summary")).to_be_visible()
    page.click(".error-summary a")
    expect(page.locator("input[name=fear-country]")).to_be_focused()
    page.locator("form.fear-claim input[name$=country]").fill("RW")
    page.locator("form.fear-claim button").click()
    expect(page.locator("ul.messages")).to_contain_text("Fear claim recorded for W-2.")
    expect(page.locator("main")).to_contain_text("fear of Rwanda stated on")
    assert FearClaim.objects.count() == 1
    claim = FearClaim.objects.get()
    assert claim.person == person and claim.outcome == "pending"
