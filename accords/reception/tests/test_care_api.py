"""The care API: arrivals scoped and paginated; writes refuse bad input naming the field and
write nothing; another state's records are not found."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from accords.audit.models import AuditEntry
from accords.demo.accounts import DEMO_PASSWORD
from accords.reception.models import Intake
from accords.reception.tests import care_stages
from accords.transfers.tests import stages

TODAY = timezone.localdate().isoformat()


@pytest.fixture
def world(db):
    world = stages.world_make()
    world.update(care_stages.care_world(world))
    return world


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_arrivals_are_scoped_and_paginated(world):
    officer = _client("receiving.officer")
    listed = officer.get("/api/reception/arrivals?limit=1").json()
    assert listed["count"] == 1 and listed["items"][0]["case_number"] == "AC-CARE-1"
    item = listed["items"][0]
    assert set(item) == {"id", "case_number", "agreement", "arrived_at", "plan_due_on",
                         "plan_agreed_on", "left_on", "services_provided", "services_pending",
                         "stipend_cycles"}  # fmt: skip
    # The counts are what an agreement may share with the sending state; never to anyone else.
    assert (item["services_provided"], item["services_pending"], item["stipend_cycles"]) == (
        None, None, None)  # fmt: skip
    assert _client("eswatini.officer").get("/api/reception/arrivals").json()["count"] == 0
    assert _client("sending.officer").get("/api/reception/arrivals").json()["count"] == 1
    assert _client("finance").get("/api/reception/arrivals").status_code == 403


@pytest.mark.parametrize(
    ("field", "value"),
    [("recorded_on", "0001-01-01"), ("recorded_on", "9999-12-31"), ("housed_at", "a\x00b"),
     ("housed_at", "x" * 300_000), ("needs", ["wealth"]), ("housed_at", "")],
)  # fmt: skip
def test_an_intake_with_bad_input_is_refused_naming_the_field(world, field, value):
    entries = AuditEntry.objects.count()
    body = {"housed_at": "Hostel", "consent": True, "recorded_on": TODAY, field: value}
    answer = _post(_client("receiving.officer"),
                   f"/api/reception/arrivals/{world['arrival']}/intake", body)  # fmt: skip
    assert answer.status_code == 422
    assert field in json.dumps(answer.json()["detail"])
    assert AuditEntry.objects.count() == entries
    assert Intake.objects.get(arrival=world["arrival"]).housed_at != "Hostel"


def test_another_states_officer_finds_no_such_arrival(world):
    answer = _post(_client("eswatini.officer"),
                   f"/api/reception/arrivals/{world['arrival']}/intake",
                   {"housed_at": "Hostel", "consent": True, "recorded_on": TODAY})  # fmt: skip
    assert answer.status_code == 404


def test_the_officer_who_computed_a_cycle_cannot_approve_it_but_another_can(world):
    officer = _client("receiving.officer")
    computed = _post(officer, f"/api/reception/stipend-programmes/{world['programme']}/cycles",
                     {"starts_on": care_stages.first_of_month(1).isoformat()})  # fmt: skip
    assert computed.status_code == 201, computed.content
    cycle = computed.json()["id"]
    refused = officer.post(f"/api/reception/stipend-cycles/{cycle}/approve")
    assert refused.status_code == 422 and "cycle" in json.dumps(refused.json())
    care_stages.second_officer()
    approved = _client("receiving.approver").post(f"/api/reception/stipend-cycles/{cycle}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    entitlement = world["entitlement"]
    unapproved = _post(officer, f"/api/reception/entitlements/{entitlement}/payments",
                       {"outcome": "paid", "amount": "60.00", "on": TODAY})  # fmt: skip
    assert unapproved.status_code == 422 and "entitlement" in json.dumps(unapproved.json())
    too_precise = _post(officer, f"/api/reception/entitlements/{entitlement}/payments",
                        {"outcome": "paid", "amount": "1.001", "on": TODAY})  # fmt: skip
    assert too_precise.status_code == 422
