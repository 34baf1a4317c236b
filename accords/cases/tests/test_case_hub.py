"""The case page as the hub: for a person at each stage of a transfer, the timeline holds what
happened (newest first, with who recorded it), the page says where the person is now, and it
offers only the actions that make sense for that stage and the user's role."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accords.cases.timeline import case_hub
from accords.core.words import gate_title
from accords.demo.accounts import DEMO_PASSWORD
from accords.reception.services.oversight import outcome_record
from accords.reception.tests.oversight_stages import arrived
from accords.transfers import services
from accords.transfers.tests import stages

REFER = "Refer this person to an agreement"


@pytest.fixture
def world(db):
    return stages.world_make()


def _page(username: str, case_number: str) -> str:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    response = client.get(f"/cases/{case_number}/")
    assert response.status_code == 200
    return response.content.decode()


def _standing(world, person):
    return case_hub(user=world["sending.officer"], person=person)


def test_in_custody_the_page_offers_a_referral_and_nothing_of_a_transfer(world):
    (person,) = stages.people("HUB-1", detained=True)
    hub = _standing(world, person)
    assert hub.standing.state == "custody"
    assert hub.standing.said == "In the sending state's custody"
    page = _page("sending.officer", "HUB-1")
    assert REFER in page and "Withdraw the referral" not in page
    assert "Removal order entered" in page
    # The auditor reads the same page and is offered nothing to do.
    assert REFER not in _page("auditor", "HUB-1")


def test_referred_the_page_offers_the_referral_not_a_second_one(world):
    (person,) = stages.people("HUB-2")
    referral = stages.referred(world, person)
    hub = _standing(world, person)
    assert hub.standing.state == "referred"
    assert hub.standing.open_referral == referral
    assert hub.events[0].kind == "referral" and hub.events[0].by == "sending.officer"
    page = _page("sending.officer", "HUB-2")
    assert REFER not in page
    assert "Serve notice" in page and "Withdraw the referral" in page
    # Once notice is served, serving it again is no longer offered; the notice is on record.
    stages.noticed(world, referral, days_ago=0)
    page = _page("sending.officer", "HUB-2")
    assert "Serve notice" not in page and "Notice naming Rwanda served" in page


def test_withdrawn_the_person_is_back_in_custody_and_may_be_referred_again(world):
    (person,) = stages.people("HUB-3")
    referral = stages.referred(world, person)
    services.referral_withdraw(actor=world["sending.supervisor"], referral=referral,
                               reason="Not proposed now.")  # fmt: skip
    hub = _standing(world, person)
    assert hub.standing.state == "custody"
    withdrawn = next(e for e in hub.events if "withdrawn" in e.said)
    # Who withdrew it is read from the audit entry that did, the referral keeps no such field.
    assert withdrawn.by == "sending.supervisor" and "Not proposed now." in withdrawn.said
    assert REFER in _page("sending.officer", "HUB-3")


def test_listed_on_a_manifest_the_supervisor_is_offered_the_manifest(world):
    (person,) = stages.people("HUB-4")
    stages.ready(world, person)
    flight = stages.flight(world, in_days=3)
    services.plan_create(actor=world["sending.supervisor"], flight=flight,
                         policy_name="default-2026")  # fmt: skip
    hub = _standing(world, person)
    assert hub.standing.state == "listed"
    assert hub.standing.said.startswith("On the manifest of flight IAD-KGL")
    kinds = [e.kind for e in hub.events]
    assert {"referral", "notice", "answer", "flight"} <= set(kinds)
    # Listed when the plan listed them, by the supervisor who made it (the log says so).
    listed = next(e for e in hub.events if e.said.startswith("Listed on flight"))
    assert listed.by == "sending.supervisor" and listed.has_time
    assert hub.events[0] is listed
    assert "Lock or depart the flight" in _page("sending.supervisor", "HUB-4")
    assert REFER not in _page("sending.officer", "HUB-4")


def test_departed_nothing_is_offered_that_would_move_the_person_again(world):
    (person,) = stages.people("HUB-5")
    stages.ready(world, person)
    flight = stages.flight(world, in_days=0)
    supervisor = world["sending.supervisor"]
    services.plan_create(actor=supervisor, flight=flight, policy_name="default-2026")
    services.manifest_lock(actor=supervisor, manifest=flight.manifest)
    services.manifest_depart(actor=supervisor, manifest=flight.manifest)
    hub = _standing(world, person)
    assert hub.standing.state == "departed" and hub.standing.gone
    departed = next(e for e in hub.events if e.said.startswith("Departed on flight"))
    assert departed.by == "sending.supervisor" and departed.has_time
    page = _page("sending.officer", "HUB-5")
    for offer in (REFER, "Serve notice", "Withdraw the referral", "Record a fear claim"):
        assert offer not in page


def test_taken_off_at_departure_the_timeline_names_the_gate_in_words(world):
    (person,) = stages.people("HUB-8")
    stages.ready(world, person)
    flight = stages.flight(world, in_days=0)
    supervisor = world["sending.supervisor"]
    services.plan_create(actor=supervisor, flight=flight, policy_name="default-2026")
    services.manifest_lock(actor=supervisor, manifest=flight.manifest)
    services.stay_record(actor=world["sending.officer"], person=person, granted_by="BIA",
                         valid_from=timezone.localdate())  # fmt: skip
    services.manifest_depart(actor=supervisor, manifest=flight.manifest)
    taken = next(e for e in _standing(world, person).events if e.said.startswith("Taken off"))
    gates = [g["gate"] for g in flight.manifest.entries.get().removed_reason if g.get("gate")]
    assert gates and all(gate_title(g) in taken.said and g not in taken.said for g in gates)


def test_handed_over_then_removed_onward_the_page_shows_reception_and_the_alert(world):
    (arrival,) = arrived(world, "HUB-6", protected=True, counsel="counsel")
    hub = _standing(world, arrival.person)
    assert hub.standing.state == "handed_over"
    assert "Kigali International Airport" in hub.standing.said
    outcome_record(actor=world["receiving.officer"], arrival=arrival, kind="removed_onward",
                   country="SV", on=timezone.localdate())  # fmt: skip
    # The sending state reads alerts, not each person's outcome (reception's selectors say so).
    hub = _standing(world, arrival.person)
    assert hub.standing.state == "handed_over"
    assert not any(e.said.startswith("Outcome:") for e in hub.events)
    assert any(e.said.startswith("Refoulement alert") for e in hub.events)
    # Counsel reads their client's outcome: the person is where the outcome says.
    hub = case_hub(user=world["counsel"], person=arrival.person)
    assert hub.standing.state == "outcome" and "removed onward" in hub.standing.said
    said = [e.said for e in hub.events]
    assert any(s.startswith("Refoulement alert") for s in said)
    assert any(s.startswith("Handed over to Rwanda") for s in said)
    # Newest first.
    moments = [e.moment for e in hub.events]
    assert moments == sorted(moments, reverse=True)
    # Counsel sees their client's hub and alert; nothing offered moves the person.
    page = _page("counsel", "HUB-6")
    assert "Refoulement alert" in page and REFER not in page
    assert "Your client&#x27;s page" not in page


def test_the_timeline_reads_a_constant_number_of_queries(world):
    """One query per kind of record, never one per row: a person with three past referrals
    costs what a person with one does."""
    one, three = stages.people("HUB-7", "HUB-8")
    for person, times in ((one, 1), (three, 3)):
        for _ in range(times):
            referral = stages.referred(world, person)
            services.referral_withdraw(actor=world["sending.officer"], referral=referral,
                                       reason="Again later.")  # fmt: skip
    counts = []
    for person in (one, three):
        with CaptureQueriesContext(connection) as queries:
            case_hub(user=world["sending.officer"], person=person)
        counts.append(len(queries))
    assert counts[0] == counts[1]
