"""Counsel's portal: their clients and no one else, notices with the time of electronic service,
every running deadline, fear claims and stays recorded in counsel's own name, and the
deadlines as a calendar feed at a secret address."""

from copy import copy
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from accords.audit.models import AuditEntry
from accords.cases.models import FearClaim, Notice, Person, Stay
from accords.cases.screening import case_explanation
from accords.cases.services import case_import
from accords.cases.tests.conftest import case_doc
from accords.core.services import user_create
from accords.core.templatetags.moments import moment_text
from accords.core.tests.world import world_ensure
from accords.demo.accounts import DEMO_PASSWORD
from accords.registry.models import Agreement
from accords.transfers import selectors, services, views
from accords.transfers.models import CounselFeedToken, NoticeDocument, Referral


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


def _many_served(world, count: int, served: str) -> None:
    """Clients K-0000 to K-`count - 1` of counsel, each referred to Rwanda and served notice
    like the client `served` (its rows copied, in bulk: the services take a second each)."""
    model = NoticeDocument.objects.select_related("notice", "referral").get(
        referral__person__case_number=served
    )
    _clients(count)
    people = list(Person.objects.filter(case_number__startswith="K-", referrals__isnull=True))
    referrals = Referral.objects.bulk_create(
        Referral(person=p, agreement=model.referral.agreement, referred_by=world["sending.officer"],
                 proposed_on=model.referral.proposed_on) for p in people
    )  # fmt: skip
    notices = []
    for person in people:
        notice = copy(model.notice)
        notice.pk, notice.person = None, person
        notices.append(notice)
    Notice.objects.bulk_create(notices)
    NoticeDocument.objects.bulk_create(
        NoticeDocument(notice=n, referral=r, language=model.language, text=model.text,
                       translation_checked=model.translation_checked,
                       served_electronically_at=model.served_electronically_at)
        for n, r in zip(notices, referrals, strict=True)
    )  # fmt: skip


def test_counsel_see_their_clients_and_no_one_else(world, counsel):
    mine = _served(world, "C-1", given_name="Amina")
    _served(world, "C-2", counsel="counsel.two", given_name="Bruno")
    page = counsel.get("/counsel/").content.decode()
    assert "C-1" in page and "Amina" in page
    assert "C-2" not in page and "Bruno" not in page
    # The time of electronic service, to the second, is counsel's proof of service.
    served = mine.notices.get().served_electronically_at
    client_page = counsel.get("/counsel/clients/C-1/").content.decode()
    with timezone.override("UTC"):  # counsel serve no state: their pages are in UTC
        assert moment_text(served, seconds=True) in client_page
    assert f"{served:%H:%M:%S} (UTC)" in client_page
    assert counsel.get("/counsel/clients/C-2/").status_code == 404


def test_every_running_deadline_is_on_the_portal(world, counsel):
    referral = _served(world, "C-3")
    now = timezone.now().replace(tzinfo=None)
    gates = case_explanation(referral.person, referral.agreement, now)["gates"]
    notice_window = next(g for g in gates if g["gate"] == "us.notice")
    assert notice_window["outcome"] == "pending" and notice_window["earliest_clear"]
    deadlines = selectors.deadlines_list(world["counsel"])
    assert [(d.gate, d.on) for d in deadlines] == [("us.notice", notice_window["earliest_clear"])]
    for page in (counsel.get("/counsel/"), counsel.get("/counsel/clients/C-3/")):
        assert f'datetime="{notice_window["earliest_clear"]:%Y-%m-%d}"' in page.content.decode()
        assert "the 24-hour notice period is running" in page.content.decode()
    assert selectors.deadlines_list(world["counsel.two"]) == []
    assert selectors.deadlines_list(world["sending.officer"]) == []


def test_counsel_record_a_fear_claim_and_a_stay_in_their_own_name(world, counsel):
    mine = _served(world, "C-4")
    _served(world, "C-5", counsel="counsel.two")  # another counsel's client
    fear, stay = "fear", "stay"
    today = timezone.localdate().isoformat()
    recorded = counsel.post("/counsel/clients/C-4/fear-claims/", {f"{fear}-country": "RW",
                                                                   f"{fear}-stated_on": today})  # fmt: skip
    assert recorded.status_code == 302 and recorded["Location"] == "/counsel/clients/C-4/"
    claim = FearClaim.objects.get()
    assert claim.person == mine.person and claim.country == "RW"
    entry = AuditEntry.objects.get(action="fear_claim.record")
    assert entry.actor == world["counsel"]
    assert counsel.post("/counsel/clients/C-4/stays/", {f"{stay}-granted_by": "D. Mass.",
                                                        f"{stay}-valid_from": today}).status_code == 302  # fmt: skip
    assert AuditEntry.objects.get(action="stay.record").actor == world["counsel"]
    # A fear stated now is a gate held: the referral page says so.
    assert "Fear claim decided" in counsel.get(f"/referrals/{mine.pk}/").content.decode()

    # Bad input: the field's error, nothing written.
    bad = counsel.post("/counsel/clients/C-4/fear-claims/", {f"{fear}-country": "Rwanda",
                                                              f"{fear}-stated_on": today})  # fmt: skip
    assert bad.status_code == 422 and "two letters, e.g. RW" in bad.content.decode()
    # After an error: the client's page, a summary at the top linking to the field, and the
    # form with what was typed.
    page = bad.content.decode()
    summary = page.index('class="error-summary"')
    assert summary < page.index('class="stacked fear-claim"')
    assert 'href="#id_fear-country"' in page and 'value="Rwanda"' in page
    # Another counsel's client is not there to write to.
    assert counsel.post("/counsel/clients/C-5/fear-claims/", {f"{fear}-country": "RW",
                                                               f"{fear}-stated_on": today}).status_code == 404  # fmt: skip
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
    assert "C-6" in str(event["summary"]) and "Notice served" in str(event["summary"])
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


def _clients(count: int, counsel: str = "counsel") -> None:
    """`count` clients of `counsel` with final orders and nothing else, in one import."""
    docs = [case_doc(f"K-{n:04d}", notices=[], acceptances=[],
                     person={"counsel": counsel, "given_name": f"Given{n:04d}"})
            for n in range(count)]  # fmt: skip
    case_import(actor=None, records=list(enumerate(docs, 1)), source="test")


def test_a_thousand_clients_come_a_page_at_a_time(world, counsel, django_assert_max_num_queries):
    _clients(1000)
    _served(world, "C-9")  # one with a running deadline among them
    with django_assert_max_num_queries(40):
        first = counsel.get("/counsel/")
    page = first.content.decode()
    assert first.status_code == 200 and len(first.content) < 200_000
    assert "1001 clients" in page
    # By case number, fifty to a page: C-9, then K-0000 to K-0048.
    listed = page[page.index('id="clients"') : page.index('id="calendar"')]
    assert listed.count('<td><a href="/counsel/clients/') == 50
    assert "C-9" in page and "K-0048" in page and "K-0049" not in page
    last = counsel.get("/counsel/?page=21").content.decode()
    assert "K-0999" in last and "K-0998" not in last and "page 21 of 21" in last
    # Out-of-range and nonsense pages land on a real page, not an error.
    assert counsel.get("/counsel/?page=9999").status_code == 200
    assert counsel.get("/counsel/?page=%00").status_code == 200


def _listed(counsel, **query) -> str:
    """The client list of the portal's answer to `query` (not the week's deadlines above it)."""
    page = counsel.get("/counsel/", query)
    assert page.status_code == 200
    html = page.content.decode()
    return html[html.index('id="clients"') : html.index('id="calendar"')]


def test_counsel_find_a_client_by_number_or_name_and_filter(world, counsel):
    _clients(60)
    served = _served(world, "C-10", given_name="Zainab")
    _served(world, "C-11", counsel="counsel.two", given_name="Zainab")
    assert "C-10" in _listed(counsel, q="zainab")
    found = _listed(counsel, q="Given0042")
    assert "K-0042" in found and "K-0041" not in found and "1 client matches" in found
    # A notice served: only C-10, whose 24-hour notice period is a deadline this week.
    noticed = _listed(counsel, notice="on")
    assert "C-10" in noticed and "K-0001" not in noticed and "C-11" not in noticed
    due = _listed(counsel, due="on")
    assert "C-10" in due and "K-0001" not in due and "C-11" not in due
    assert "C-10" not in _listed(counsel, fear="on")
    services.fear_claim_record(actor=world["counsel"], person=served.person, country="RW",
                               stated_on=timezone.localdate())  # fmt: skip
    pending = _listed(counsel, fear="on")
    assert "C-10" in pending and "K-0001" not in pending
    # Searching for what is no one, or for nonsense, finds no one and breaks nothing.
    for q in ("nobody-at-all", "%", "_", "a" * 5000, "\x00"):
        assert "K-0001" not in _listed(counsel, q=q)


def test_deadlines_on_a_month_calendar(world, counsel):
    referral = _served(world, "C-12")
    (deadline,) = selectors.deadlines_list(world["counsel"])
    month = deadline.on.strftime("%Y-%m")
    page = counsel.get(f"/counsel/deadlines/?month={month}").content.decode()
    cell = page.index(f'datetime="{deadline.on:%Y-%m-%d}"')
    assert page.index("C-12", cell) < page.index("</td>", cell)
    assert referral.person.given_name not in page  # case numbers on the calendar, no names
    # Two months before (a month's weeks show the days around it): the deadline is not in it,
    # and the page says when the next one falls.
    earlier = (deadline.on.replace(day=1) - timedelta(days=35)).strftime("%Y-%m")
    before = counsel.get(f"/counsel/deadlines/?month={earlier}").content.decode()
    assert "C-12" not in before and f"{deadline.on.year}" in before
    for nonsense in ("2026-13", "0000-01", "\x00", "9999-12"):
        assert counsel.get("/counsel/deadlines/", {"month": nonsense}).status_code == 200


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_counsel_pages_ask_the_database_as_often_for_thirty_clients_as_for_three(world, counsel):
    """Every deadline of every open referral is worked out per agreement, not per client: the
    pages ask the database no more often for ten times the clients, each with a running
    notice period."""
    _served(world, "Q-1")
    _many_served(world, 2, served="Q-1")
    counsel.post("/counsel/calendar/")
    feed = f"/counsel/deadlines.ics?token={CounselFeedToken.objects.get().token}"
    deadline = selectors.deadlines_list(world["counsel"])[0].on
    pages = ["/counsel/", "/counsel/?due=on", f"/counsel/deadlines/?month={deadline:%Y-%m}", feed]
    few = {page: _queries(counsel, page) for page in pages}
    _many_served(world, 29, served="Q-1")
    assert len(selectors.deadlines_list(world["counsel"])) == 30
    assert {page: _queries(counsel, page) for page in pages} == few
    listed = _listed(counsel)
    assert listed.count("the 24-hour notice period is running") == 30  # each client's next


def test_the_portal_shows_the_soonest_of_the_weeks_deadlines_and_counts_the_rest(
    world, counsel, monkeypatch
):
    monkeypatch.setattr(views.counsel, "SOON_SHOWN", 2)
    _served(world, "S-1")
    _many_served(world, 2, served="S-1")
    page = counsel.get("/counsel/").content.decode()
    week = page[page.index('id="deadlines"') : page.index('id="clients"')]
    assert week.count('<td><a href="/counsel/clients/') == 2
    assert "And 1 more deadline this week." in week and 'href="?due=on#clients"' in week
    monkeypatch.setattr(views.counsel, "SOON_SHOWN", 3)
    page = counsel.get("/counsel/").content.decode()
    assert "more deadline" not in page
