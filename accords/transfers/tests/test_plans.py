"""Placement plans: seats, the agreement's places left, families whole, people cleared by the
flight's date, and a page that says who went where and why."""

import pytest

from accords.demo.accounts import DEMO_PASSWORD
from accords.registry.models import Agreement
from accords.transfers import services
from accords.transfers.models import ManifestEntry, Plan
from accords.transfers.tests import stages


@pytest.fixture
def world(db):
    return stages.world_make()


def _plan(world, flight=None, agreement=None, policy="default-2026") -> Plan:
    return services.plan_create(actor=world["sending.supervisor"], flight=flight,
                                agreement=agreement, policy_name=policy)  # fmt: skip


def _listed(flight) -> set[str]:
    return set(
        flight.manifest.entries.filter(status="listed").values_list(
            "referral__person__case_number", flat=True
        )
    )


@pytest.mark.django_db
def test_a_plan_fills_the_seats_and_never_splits_a_family(world):
    for person in stages.people("FAM-A1", "FAM-A2", family="FAM-A") + stages.people("S-1", "S-2"):
        stages.ready(world, person)
    flight = stages.flight(world, seats=3)
    plan = _plan(world, flight=flight)
    listed = _listed(flight)
    assert len(listed) == 3
    assert {"FAM-A1", "FAM-A2"} <= listed or not {"FAM-A1", "FAM-A2"} & listed
    assert plan.proven_optimal and plan.solver["people_placed"] == 3
    family = ManifestEntry.objects.get(referral__person__case_number="FAM-A1").score
    assert family["unit"] == "family FAM-A" and family["people"] == 2


@pytest.mark.django_db
def test_a_family_waits_whole_while_one_member_is_not_cleared(world):
    ready, waiting = stages.people("FAM-B1", "FAM-B2", family="FAM-B")
    stages.ready(world, ready)
    stages.referred(world, waiting)  # not yet noticed nor accepted
    alone = stages.people("S-3")[0]
    stages.ready(world, alone)
    flight = stages.flight(world, seats=10)
    plan = _plan(world, flight=flight)
    assert _listed(flight) == {"S-3"}
    (held,) = plan.solver["held_back"]
    assert held["cases"] == ["FAM-B1", "FAM-B2"]
    assert (
        "Receiving state accepted by name" in held["reason"] and "Notice served" in held["reason"]
    )


@pytest.mark.django_db
def test_a_family_with_a_member_not_referred_is_not_placed(world):
    referred, left_behind = stages.people("FAM-C1", "FAM-C2", family="FAM-C")
    stages.ready(world, referred)
    flight = stages.flight(world)
    plan = _plan(world, flight=flight)
    assert _listed(flight) == set()
    assert "FAM-C2" in plan.solver["held_back"][0]["reason"]


@pytest.mark.django_db
def test_a_plan_keeps_within_the_places_left_under_the_agreement(world):
    for person in stages.people("Q-1", "Q-2", "Q-3", "Q-4"):
        stages.ready(world, person)
    rwanda = Agreement.objects.get(key="us-rwanda")
    rwanda.terms.filter(kind="capacity").update(quantity=2)
    first, second = stages.flight(world, seats=10), stages.flight(world, seats=10, in_days=5)
    plan = _plan(world, agreement=rwanda)
    assert len(_listed(first)) + len(_listed(second)) == 2
    assert plan.solver["capacity_left"] == 2
    again = _plan(world, flight=second)
    assert again.solver["people_placed"] == 0 and again.solver["capacity_left"] == 0


@pytest.mark.django_db
def test_people_go_on_the_first_flight_they_are_cleared_for(world):
    early, late = stages.people("D-1", "D-2")
    stages.ready(world, early)
    # Served now: the 24-hour notice period runs out after today's flight, before the second.
    stages.accepted(world, stages.noticed(world, stages.referred(world, late), days_ago=0))
    first = stages.flight(world, seats=10, in_days=0)
    second = stages.flight(world, seats=10, in_days=3)
    _plan(world, agreement=Agreement.objects.get(key="us-rwanda"))
    assert "D-2" not in _listed(first)
    assert _listed(first) | _listed(second) == {"D-1", "D-2"}


@pytest.mark.django_db
def test_the_plan_page_shows_who_went_where_and_why(world, client):
    for person in stages.people("W-1", "W-2", languages=["es", "rw"]) + stages.people("W-3"):
        stages.ready(world, person)
    flight = stages.flight(world, seats=2)
    client.login(username="sending.supervisor", password=DEMO_PASSWORD)
    response = client.post(f"/api/flights/{flight.pk}/plan", {"policy": "default-2026"},
                           "application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["policy"]["weights"]["language_spoken"] == 3.0 and body["proven_optimal"]
    # Kinyarwanda speakers score higher under this policy: they take the two seats.
    assert _listed(flight) == {"W-1", "W-2"}
    page = client.get(f"/plans/{body['id']}/").content.decode()
    for shown in (
        "default-2026",
        "Speaks a language of the receiving state",
        "proven optimal",
        "W-1",
        "W-2",
        "A relative already there",
    ):
        assert shown in page, shown
    assert "language_spoken" not in page and "family_ties" not in page
    entry = ManifestEntry.objects.get(referral__person__case_number="W-1")
    assert entry.score["contributions"]["language_spoken"] == 3.0
    assert entry.score["features"]["language_spoken"] == 1.0


@pytest.mark.django_db
def test_only_a_supervisor_plans_and_only_the_sending_side_reads_plans(world, client):
    stages.ready(world, stages.people("X-1")[0])
    flight = stages.flight(world)
    client.login(username="sending.officer", password=DEMO_PASSWORD)
    assert client.post(f"/api/flights/{flight.pk}/plan", {}, "application/json").status_code == 403
    assert (
        client.post(f"/manifests/{flight.manifest.pk}/plan", {"policy": "seats-first"}).status_code
        == 403
    )
    plan = _plan(world, flight=flight, policy="seats-first")
    assert client.get(f"/plans/{plan.pk}/").status_code == 200
    client.login(username="receiving.officer", password=DEMO_PASSWORD)
    assert client.get(f"/plans/{plan.pk}/").status_code == 404
    client.login(username="sending.supervisor", password=DEMO_PASSWORD)
    unknown = client.post(f"/api/flights/{flight.pk}/plan", {"policy": "nope"}, "application/json")
    assert unknown.status_code == 422


@pytest.mark.django_db
def test_a_locked_manifest_is_not_planned(world, client):
    flight = stages.flight(world)
    services.manifest_lock(actor=world["sending.supervisor"], manifest=flight.manifest)
    client.login(username="sending.supervisor", password=DEMO_PASSWORD)
    response = client.post(f"/api/flights/{flight.pk}/plan", {}, "application/json")
    assert response.status_code == 422 and "locked" in response.content.decode()
    page = client.post(f"/manifests/{flight.manifest.pk}/plan", {"policy": "default-2026"})
    assert page.status_code == 302
    assert "locked manifest cannot change" in client.get(page.url).content.decode()
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_the_plan_command_places_as_the_page_does_and_names_bad_input(world):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    stages.ready(world, stages.people("CLI-1")[0])
    stages.referred(world, stages.people("CLI-2")[0])  # no notice yet: held back, with why
    flight = stages.flight(world)
    out = StringIO()
    call_command("plan", agreement="us-rwanda", username="sending.supervisor", stdout=out)
    said = out.getvalue()
    plan = Plan.objects.get()
    assert f"plan #{plan.pk} under default-2026: people placed 1 (travelling units 1)" in said
    assert "proven optimal" in said and "held back CLI-2: not cleared" in said
    assert _listed(flight) == {"CLI-1"} and plan.created_by.username == "sending.supervisor"

    for kwargs, field in [
        ({"agreement": "us-rwanda", "username": "sending.officer"}, "--as"),
        ({"agreement": "nowhere", "username": "sending.supervisor"}, "--agreement"),
        ({"flight": 999999, "username": "sending.supervisor"}, "--flight"),
        ({"agreement": "us-rwanda", "username": "sending.supervisor", "policy": "x"}, "policy"),
    ]:
        with pytest.raises(CommandError, match=field):
            call_command("plan", stdout=StringIO(), **kwargs)
    assert Plan.objects.count() == 1
