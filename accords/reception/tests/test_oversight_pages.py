"""Reception's oversight pages and API: each role reaches its own, bad input comes back naming
the field with nothing written, and the writes go through the same services."""

from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from accords.audit.models import AuditEntry
from accords.demo.accounts import DEMO_PASSWORD
from accords.reception import survey
from accords.reception.models import Concern, FollowUp, Outcome, RefoulementAlert
from accords.reception.services import oversight as services
from accords.reception.tests.oversight_stages import arrived
from accords.transfers.tests import stages


def kigali_today():
    """Today where the arrivals are and the receiving officer reads and writes days: Kigali
    (UTC+2), ahead of the server's UTC for two hours each night, as on the officer's pages."""
    return timezone.localdate(timezone=ZoneInfo("Africa/Kigali"))


@pytest.fixture
def world(db):
    return stages.world_make()


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def test_the_monitor_raises_a_concern_the_officer_answers_on_their_pages(world):
    (arrival,) = arrived(world, "OP-1")
    monitor = _client("monitor")
    response = monitor.post("/reception/monitoring/concerns/", {
        "concern-arrival": arrival.pk, "concern-severity": "high",
        "concern-text": "Sleeping on the floor."})  # fmt: skip
    assert response.status_code == 302
    concern = Concern.objects.get()
    officer = _client("receiving.officer")
    page = officer.get("/reception/concerns/").content.decode()
    assert "Sleeping on the floor." in page and "high" in page
    officer.post(f"/reception/concerns/{concern.pk}/answer/",
                 {f"concern-{concern.pk}-answer": "Bed delivered."})  # fmt: skip
    concern.refresh_from_db()
    assert concern.answer == "Bed delivered."
    assert "Bed delivered." in monitor.get("/reception/monitoring/").content.decode()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"outcome-kind": "removed_onward"}, "country"),
        ({"outcome-kind": "left", "outcome-on": "9999-01-01"}, "on"),
        ({"outcome-kind": "left", "outcome-on": "0001-01-01"}, "on"),
        ({"outcome-kind": "left", "outcome-note": "a\x00b"}, "note"),
        ({"outcome-kind": "left", "outcome-corrects": "999999"}, "corrects"),
    ],
)
def test_a_bad_outcome_on_the_page_names_the_field_and_writes_nothing(world, values, field):
    (arrival,) = arrived(world, "OP-2")
    start = AuditEntry.objects.count()
    data = {"outcome-arrival": arrival.pk, "outcome-on": kigali_today().isoformat(), **values}
    response = _client("receiving.officer").post("/reception/outcomes/", data)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not Outcome.objects.exists() and AuditEntry.objects.count() == start


def test_a_follow_up_is_scored_on_its_page(world):
    (arrival,) = arrived(world, "OP-3")
    data = {"follow-up-arrival": arrival.pk, "follow-up-month": "1",
            "follow-up-done_on": kigali_today().isoformat(),
            **{f"follow-up-{key}": "4" for key in survey.INDICATORS}}  # fmt: skip
    client = _client("receiving.officer")
    missing = {k: v for k, v in data.items() if k != "follow-up-safety"}
    assert client.post("/reception/follow-ups/", missing).status_code == 422
    assert client.post("/reception/follow-ups/", data).status_code == 302
    assert FollowUp.objects.get().scores == dict.fromkeys(survey.INDICATORS, 4)
    assert "4.00" in client.get("/reception/follow-ups/").content.decode()


def test_the_sending_state_and_counsel_read_the_alert_with_its_history(world):
    (arrival,) = arrived(world, "OP-4", protected=True, counsel="counsel")
    wrong = services.outcome_record(actor=world["monitor"], arrival=arrival, kind="removed_onward",
                                    country="SV", on=kigali_today())  # fmt: skip
    services.outcome_record(actor=world["receiving.officer"], arrival=arrival, kind="detained",
                            on=kigali_today(), corrects=wrong)  # fmt: skip
    for name in ("sending.officer", "counsel", "monitor"):
        page = _client(name).get("/reception/alerts/").content.decode()
        assert "OP-4" in page and "a correction" in page, name
    assert "removed onward" in _client("sending.officer").get("/reception/alerts/").content.decode()
    assert _client("receiving.officer").get("/reception/alerts/").status_code == 403


def test_the_api_records_an_outcome_and_shows_its_alert(world):
    (arrival,) = arrived(world, "OP-5", protected=True)
    client = _client("receiving.officer")
    response = client.post("/api/reception/outcomes", {
        "arrival": arrival.pk, "kind": "removed_onward", "on": kigali_today().isoformat(),
        "country": "SV"}, content_type="application/json")  # fmt: skip
    assert response.status_code == 201
    alert = RefoulementAlert.objects.get()
    assert response.json()["alerts"] == [alert.pk]
    alerts = _client("sending.supervisor").get("/api/reception/alerts").json()
    assert [a["id"] for a in alerts["items"]] == [alert.pk]
    assert alerts["items"][0]["case_number"] == "OP-5"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "left", "on": "9999-12-31"}, "on"),
        ({"kind": "left", "on": kigali_today().isoformat(), "note": "x\x00"}, "note"),
        ({"kind": "removed_onward", "on": kigali_today().isoformat(), "country": "XX"}, "country"),
        ({"kind": "left", "on": kigali_today().isoformat(), "arrival": 999999}, "arrival"),
        ({"kind": "nowhere", "on": kigali_today().isoformat()}, "kind"),
    ],
)
def test_bad_api_input_is_refused_naming_the_field(world, body, field):
    (arrival,) = arrived(world, "OP-6")
    start = AuditEntry.objects.count()
    response = _client("monitor").post("/api/reception/outcomes", {"arrival": arrival.pk, **body},
                                       content_type="application/json")  # fmt: skip
    assert response.status_code == 422
    assert field in str(response.json()["detail"])
    assert not Outcome.objects.exists() and AuditEntry.objects.count() == start


def test_a_follow_up_with_a_huge_score_table_is_refused_in_the_api(world):
    (arrival,) = arrived(world, "OP-7")
    scores = {f"k{i}": 3 for i in range(1000)}
    response = _client("receiving.officer").post("/api/reception/follow-ups", {
        "arrival": arrival.pk, "month": 1, "done_on": kigali_today().isoformat(), "scores": scores},
        content_type="application/json")  # fmt: skip
    assert response.status_code == 422
    assert not FollowUp.objects.exists()
