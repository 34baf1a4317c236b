"""Each role's home page: what waits for it, counted from a scenario built through the
services, with links to where the work is done, and the charts for the roles that read them."""

import pytest
from django.test import Client
from django.utils import timezone

from accords.core.tests.world import world_ensure
from accords.demo.accounts import DEMO_PASSWORD
from accords.reception.services.oversight import outcome_record, visit_plan
from accords.reception.tests.oversight_stages import arrived
from accords.transfers import services
from accords.transfers.tests import stages


def _home(username: str):
    client = Client()
    if username != "anonymous":
        assert client.login(username=username, password=DEMO_PASSWORD)
    response = client.get("/")
    assert response.status_code == 200
    return response


def _counts(response) -> dict[str, int]:
    return {w.label: w.count for w in response.context["waiting"]}


@pytest.fixture
def scene(db):
    """A caseload at every stage the home pages count."""
    world = stages.world_make()
    waiting, noticed, listed, client = stages.people("HM-1", "HM-2", "HM-3", "HM-4")
    stages.referred(world, waiting)  # awaits notice
    stages.noticed(world, stages.referred(world, noticed), days_ago=0)  # awaits the answer
    stages.ready(world, listed)
    flight = stages.flight(world, in_days=3)
    services.plan_create(actor=world["sending.supervisor"], flight=flight,
                         policy_name="default-2026")  # fmt: skip
    # Counsel's client, served notice.
    (client,) = stages.people("HM-4", counsel="counsel")
    stages.noticed(world, stages.referred(world, client, key="us-eswatini"), days_ago=0)
    # A person handed over, removed onward against their protection; a visit planned.
    (arrival,) = arrived(world, "HM-5", protected=True)
    visit_plan(actor=world["monitor"], arrival=arrival, planned_on=timezone.localdate())
    outcome_record(actor=world["receiving.officer"], arrival=arrival, kind="removed_onward",
                   country="SV", on=timezone.localdate())  # fmt: skip
    return world


def test_each_role_finds_its_work_on_its_home_page(scene):
    """One scene, every role's home page (the scene is the costly part: built once)."""
    counts = _counts(_home("sending.officer"))
    assert counts["Referrals awaiting notice"] == 1
    # Noticed today, their notice periods end within the week: HM-2 and counsel's client.
    assert counts["Windows ending this week"] == 2
    assert counts["Answers due from the receiving state"] == 2  # HM-2 and counsel's client
    assert "Manifests to lock" not in counts  # the supervisor's work, not the officer's

    response = _home("sending.supervisor")
    counts = _counts(response)
    assert counts["Manifests to lock"] == 1 and counts["Manifests to depart"] == 0
    assert counts["Plans made in the last 30 days"] == 2
    titles = [f.title for f in response.context["figures"]]
    assert "Places used per agreement" in titles and "Departures per month" in titles
    page = response.content.decode()
    assert "<svg" in page and "https://" not in page.split("<svg", 1)[1].split("</svg>")[0]

    # Proposed to Rwanda and unanswered: HM-1 and HM-2 (HM-3 was accepted, HM-4 is Eswatini's).
    counts = _counts(_home("receiving.officer"))
    assert counts["People awaiting your answer"] == 2
    assert counts["Hand-overs to record"] == 0
    assert _counts(_home("eswatini.officer"))["People awaiting your answer"] == 1

    assert _counts(_home("counsel"))["Clients served notice"] == 1

    response = _home("monitor")
    counts = _counts(response)
    assert counts["Welfare visits planned"] == 1
    assert counts["Refoulement alerts"] == 1
    assert "/audit/entries/" in response.content.decode()
    # No case files: no chart of blocks by gate.
    assert "Blocks by gate, latest screening" not in [f.title for f in response.context["figures"]]

    response = _home("auditor")
    assert _counts(response)["Entries in the audit log"] > 0
    assert "Search and verify the log" in response.content.decode()
    assert set(_counts(_home("finance"))) == {
        "Ledgers with payments due",
        "Commitments nearly spent",
    }
    page = _home("registry.editor").content.decode()
    assert "/admin/registry/agreement/" in page and "Waiting for you" not in page


def test_anonymous_visitors_find_the_public_agreements_and_statistics(db):
    world_ensure()
    page = _home("anonymous").content.decode()
    assert "/statistics/" in page and "/agreements/" in page
    assert "Waiting for you" not in page
