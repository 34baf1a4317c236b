"""Counsel's portal: their clients and no one else, notices with the time of electronic service,
every running deadline, fear claims and stays recorded in counsel's own name, and the
deadlines as a calendar feed at a secret address."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from accords.audit.models import AuditEntry
from accords.cases.models import FearClaim, Notice, Person, Stay
from accords.cases.screening import case_explanation
from accords.cases.services import case_import
from accords.cases.tests.conftest import case_doc
from accords.core.services import user_create
from accords.core.tests.world import world_ensure
from accords.demo.accounts import DEMO_PASSWORD
from accords.registry.models import Agreement
from accords.transfers import selectors, services
from accords.transfers.models import CounselFeedToken, Referral


@pytest.fixture
def world(db):
    world_ensure()
    user_create(actor=None, username="counsel.two", password=DEMO_PASSWORD, role="counsel")
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def counsel(client, world):
    assert client.login(username="counsel", password=DEMO_PASSWORD)
    return client


def _served(world, number: str, counsel: str = "counsel", given_name: str = "Test") -> Referral:
    doc = case_doc(number, notices=[], acceptances=[],
                   person={"counsel": counsel, "given_name": given_name})  # fmt: skip
    case_import(actor=None, records=[(1, doc)], source="test")
    referral = services.referral_create(
        actor=world["sending.officer"],
        person=Person.objects.get(case_number=number),
        agreement=Agreement.objects.get(key="us-rwanda"),
        proposed_on=timezone.localdate(),
    )
    services.notice_serve(actor=world["sending.officer"], referral=referral, language="es")
    return referral


def test_counsel_see_their_clients_and_no_one_else(world, counsel):
    mine = _served(world, "C-1", given_name="Amina")
    _served(world, "C-2", counsel="counsel.two", given_name="Bruno")
    page = counsel.get("/counsel/").content.decode()
    assert "C-1" in page and "Amina" in page
    assert "C-2" not in page and "Bruno" not in page
    # The time of electronic service, to the second, is counsel's proof of service.
    served = mine.notices.get().served_electronically_at
    assert f"{served:%Y-%m-%d %H:%M:%S}" in page


def test_every_running_deadline_is_on_the_portal(world, counsel):
    referral = _served(world, "C-3")
    now = timezone.now().replace(tzinfo=None)
    gates = case_explanation(referral.person, referral.agreement, now)["gates"]
    notice_window = next(g for g in gates if g["gate"] == "us.notice")
    assert notice_window["outcome"] == "pending" and notice_window["earliest_clear"]
    deadlines = selectors.deadlines_list(world["counsel"])
    assert [(d.gate, d.on) for d in deadlines] == [("us.notice", notice_window["earliest_clear"])]
    page = counsel.get("/counsel/").content.decode()
    assert f"{notice_window['earliest_clear']:%Y-%m-%d}" in page
    assert "the 24-hour notice period is running" in page
    assert selectors.deadlines_list(world["counsel.two"]) == []
    assert selectors.deadlines_list(world["sending.officer"]) == []


def test_counsel_record_a_fear_claim_and_a_stay_in_their_own_name(world, counsel):
    mine = _served(world, "C-4")
    theirs = _served(world, "C-5", counsel="counsel.two")
    fear, stay = f"fear-{mine.person_id}", f"stay-{mine.person_id}"
    today = timezone.localdate().isoformat()
    recorded = counsel.post("/counsel/clients/C-4/fear-claims/", {f"{fear}-country": "RW",
                                                                   f"{fear}-stated_on": today})  # fmt: skip
    assert recorded.status_code == 302
    claim = FearClaim.objects.get()
    assert claim.person == mine.person and claim.country == "RW"
    entry = AuditEntry.objects.get(action="fear_claim.record")
    assert entry.actor == world["counsel"]
    assert counsel.post("/counsel/clients/C-4/stays/", {f"{stay}-granted_by": "D. Mass.",
                                                        f"{stay}-valid_from": today}).status_code == 302  # fmt: skip
    assert AuditEntry.objects.get(action="stay.record").actor == world["counsel"]
    # A fear stated now is a gate held: the referral page says so.
    assert "us.fear_claim" in counsel.get(f"/referrals/{mine.pk}/").content.decode()

    # Bad input: the field's error, nothing written.
    bad = counsel.post("/counsel/clients/C-4/fear-claims/", {f"{fear}-country": "Rwanda",
                                                              f"{fear}-stated_on": today})  # fmt: skip
    assert bad.status_code == 422 and "two letters, e.g. RW" in bad.content.decode()
    # Another counsel's client is not there to write to.
    other = f"fear-{theirs.person_id}"
    assert counsel.post("/counsel/clients/C-5/fear-claims/", {f"{other}-country": "RW",
                                                               f"{other}-stated_on": today}).status_code == 404  # fmt: skip
    assert FearClaim.objects.count() == 1 and Stay.objects.count() == 1


def test_the_portal_is_for_counsel(world, client):
    client.login(username="sending.officer", password=DEMO_PASSWORD)
    assert client.get("/counsel/").status_code == 403
    assert client.post("/counsel/calendar/").status_code == 403
    client.login(username="finance", password=DEMO_PASSWORD)
    assert client.get("/counsel/").status_code == 403
    client.logout()
    assert client.get("/counsel/")["Location"].startswith("/accounts/login/")


def test_deadlines_as_a_calendar_feed_at_a_secret_address(world, counsel):
    mine = _served(world, "C-6")
    _served(world, "C-7", counsel="counsel.two", given_name="Bruno")
    assert counsel.post("/counsel/calendar/").status_code == 302
    feed = CounselFeedToken.objects.get(counsel=world["counsel"])
    page = counsel.get("/counsel/").content.decode()
    assert f"/counsel/deadlines.ics?token={feed.token}" in page
    assert feed.token not in str(AuditEntry.objects.filter(action="counsel_feed.issue").values())

    client = Client()  # a calendar app, with no session
    response = client.get(f"/counsel/deadlines.ics?token={feed.token}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    expected = selectors.deadlines_list(world["counsel"])
    assert len(events) == len(expected) == 1
    event = events[0]
    assert event.decoded("dtstart") == expected[0].on
    assert "C-6" in str(event["summary"]) and "us.notice" in str(event["summary"])
    assert "notice period" in str(event["description"])
    assert f"#{mine.pk}" in str(event["description"])
    assert b"C-7" not in response.content and b"Bruno" not in response.content
    assert mine.person.given_name.encode() not in response.content

    assert client.get("/counsel/deadlines.ics?token=not-a-real-token-at-all").status_code == 404
    assert client.get("/counsel/deadlines.ics").status_code == 404
    assert client.get("/counsel/deadlines.ics?token=%00").status_code == 404
    # A new address revokes the old.
    old = feed.token
    counsel.post("/counsel/calendar/")
    assert client.get(f"/counsel/deadlines.ics?token={old}").status_code == 404


def test_a_calendar_only_holds_running_clocks(world, counsel):
    referral = _served(world, "C-8")
    # The notice was served eleven days ago: its window has run and it is no deadline any more.
    Notice.objects.filter(person=referral.person).update(
        served_at=timezone.now() - timedelta(days=11)
    )
    counsel.post("/counsel/calendar/")
    token = CounselFeedToken.objects.get().token
    calendar = Calendar.from_ical(Client().get(f"/counsel/deadlines.ics?token={token}").content)
    assert list(calendar.walk("VEVENT")) == []
