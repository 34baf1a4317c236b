"""Flights and manifests: lock, depart with every gate re-checked at that moment, hand over;
each step by the role that may take it, and seen only by those who may see it."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accords.audit.log import log_verify
from accords.demo.accounts import DEMO_PASSWORD
from accords.registry.models import Term
from accords.transfers import services
from accords.transfers.models import Flight, Manifest, ManifestEntry, NoticeDocument, Referral
from accords.transfers.places import period_of
from accords.transfers.tests import stages


@pytest.fixture
def world(db):
    return stages.world_make()


@pytest.fixture
def signed_in(client, world):
    def as_user(username: str):
        client.logout()
        assert client.login(username=username, password=DEMO_PASSWORD)
        return client

    return as_user


@pytest.fixture
def listed(world):
    """Three people cleared and planned on a flight to Rwanda."""
    for person in stages.people("M-1", "M-2", "M-3"):
        stages.ready(world, person)
    flight = stages.flight(world, seats=5, in_days=0)  # departs today: only then can it
    services.plan_create(
        actor=world["sending.supervisor"], flight=flight, policy_name="default-2026"
    )
    return flight.manifest


def _status(case: str) -> str:
    return ManifestEntry.objects.get(referral__person__case_number=case).status


@pytest.mark.django_db
def test_a_stay_recorded_after_locking_takes_that_person_off_and_the_rest_depart(
    world, listed, signed_in
):
    client = signed_in("sending.supervisor")
    assert client.post(f"/manifests/{listed.pk}/lock").status_code == 302
    stayed = ManifestEntry.objects.get(referral__person__case_number="M-2").referral.person
    services.stay_record(actor=world["sending.officer"], person=stayed, granted_by="BIA",
                         valid_from=timezone.localdate())  # fmt: skip
    assert client.post(f"/manifests/{listed.pk}/depart").status_code == 302

    assert [_status(c) for c in ("M-1", "M-2", "M-3")] == ["departed", "removed", "departed"]
    reasons = ManifestEntry.objects.get(referral__person__case_number="M-2").removed_reason
    assert [g["gate"] for g in reasons] == ["us.no_stay"] and reasons[0]["citation"]
    assert Referral.objects.get(person=stayed).status == "open"
    page = client.get(f"/manifests/{listed.pk}/").content.decode()
    assert "No stay of removal" in page and reasons[0]["citation"] in page and "2 departed" in page
    assert log_verify().ok


@pytest.mark.django_db
def test_a_family_stays_together_when_one_member_cannot_depart(world):
    family = stages.people("FAM-D1", "FAM-D2", "FAM-D3", family="FAM-D")
    alone = stages.people("ALONE-1")
    for person in family + alone:
        stages.ready(world, person)
    flight = stages.flight(world, seats=5, in_days=0)
    manifest = stages.locked(world, flight)
    services.stay_record(actor=world["sending.officer"], person=family[1], granted_by="BIA",
                         valid_from=timezone.localdate())  # fmt: skip

    result = services.manifest_depart(actor=world["sending.supervisor"], manifest=manifest)
    assert result["departed"] == ["ALONE-1"]
    assert sorted(result["removed"]) == ["FAM-D1", "FAM-D2", "FAM-D3"]
    reasons = {c: [g["gate"] for g in ManifestEntry.objects.get(
        referral__person__case_number=c).removed_reason] for c in result["removed"]}  # fmt: skip
    assert reasons == {"FAM-D1": ["family"], "FAM-D2": ["us.no_stay"], "FAM-D3": ["family"]}
    said = ManifestEntry.objects.get(referral__person__case_number="FAM-D1").removed_reason
    assert "FAM-D2 cannot depart" in said[0]["reason"]


@pytest.mark.django_db
def test_a_family_that_does_not_fit_in_the_places_left_stays_whole(world):
    family = stages.people("FAM-E1", "FAM-E2", family="FAM-E")
    for person in family:
        stages.ready(world, person)
    flight = stages.flight(world, seats=5, in_days=0)
    supervisor = world["sending.supervisor"]
    services.plan_create(actor=supervisor, flight=flight, policy_name="default-2026")
    services.manifest_lock(actor=supervisor, manifest=flight.manifest)
    flight.agreement.terms.filter(kind="capacity").update(quantity=1)  # cut after locking

    result = services.manifest_depart(actor=supervisor, manifest=flight.manifest)
    assert result["departed"] == [] and sorted(result["removed"]) == ["FAM-E1", "FAM-E2"]
    for entry in ManifestEntry.objects.all():
        assert [g["gate"] for g in entry.removed_reason] == ["agreement.capacity"]


@pytest.mark.django_db
def test_a_hand_over_is_recorded_only_after_departure(world, listed, signed_in):
    entry = ManifestEntry.objects.get(referral__person__case_number="M-1")
    client = signed_in("receiving.officer")
    when = {"at": timezone.now().isoformat(), "place": "Kigali International Airport"}
    early = client.post(f"/api/manifest-entries/{entry.pk}/hand-over", when, "application/json")
    assert early.status_code == 422 and "departed" in early.content.decode()

    services.manifest_lock(actor=world["sending.supervisor"], manifest=listed)
    services.manifest_depart(actor=world["sending.supervisor"], manifest=listed)
    before = (timezone.now() - timedelta(hours=1)).isoformat()
    backwards = client.post(f"/api/manifest-entries/{entry.pk}/hand-over",
                            {**when, "at": before}, "application/json")  # fmt: skip
    assert backwards.status_code == 422 and backwards.json()["detail"][0]["loc"] == ["body", "at"]
    distant = client.post(f"/api/manifest-entries/{entry.pk}/hand-over",
                          {**when, "at": "9999-12-31T00:00:00Z"}, "application/json")  # fmt: skip
    assert distant.status_code == 422 and "not happened yet" in distant.content.decode()
    later = (timezone.localtime() + timedelta(hours=9)).strftime("%Y-%m-%dT%H:%M")
    page = client.post(f"/manifest-entries/{entry.pk}/hand-over",
                       {f"e{entry.pk}-at": later, f"e{entry.pk}-place": "Kigali"})  # fmt: skip
    assert page.status_code == 302
    other = ManifestEntry.objects.get(referral__person__case_number="M-3")
    now = {**when, "at": timezone.now().isoformat()}
    api = client.post(f"/api/manifest-entries/{other.pk}/hand-over", now, "application/json")
    assert api.status_code == 200 and api.json()["status"] == "handed_over"
    assert _status("M-1") == _status("M-3") == "handed_over"
    handed = dict(Referral.objects.values_list("person__case_number", "status"))
    assert handed == {"M-1": "handed_over", "M-2": "departed", "M-3": "handed_over"}
    assert "handed over" in client.get(f"/manifests/{listed.pk}/").content.decode()


@pytest.mark.django_db
def test_only_a_supervisor_locks_and_departs(world, listed, signed_in):
    for username in ("sending.officer", "receiving.officer", "monitor"):
        client = signed_in(username)
        assert client.post(f"/manifests/{listed.pk}/lock").status_code == 403
        assert client.post(f"/api/manifests/{listed.pk}/lock").status_code == 403
        assert client.post(f"/api/manifests/{listed.pk}/depart").status_code == 403
    client = signed_in("sending.supervisor")
    unlocked = client.post(f"/api/manifests/{listed.pk}/depart")
    assert unlocked.status_code == 422 and "locked" in unlocked.content.decode()
    assert client.post(f"/api/manifests/{listed.pk}/lock").json()["locked_at"]
    departed = client.post(f"/api/manifests/{listed.pk}/depart").json()
    assert departed["departed"] == ["M-1", "M-2", "M-3"] and departed["removed"] == []
    assert client.post(f"/api/manifests/{listed.pk}/depart").status_code == 422
    entry = ManifestEntry.objects.get(referral__person__case_number="M-1")
    when = {"at": timezone.now().isoformat(), "place": "Kigali"}
    refused = client.post(f"/api/manifest-entries/{entry.pk}/hand-over", when, "application/json")
    assert refused.status_code == 403


@pytest.mark.django_db
def test_a_receiving_officer_sees_only_flights_to_their_state_and_no_reasons(
    world, listed, signed_in
):
    services.manifest_lock(actor=world["sending.supervisor"], manifest=listed)
    person = ManifestEntry.objects.get(referral__person__case_number="M-2").referral.person
    services.stay_record(actor=world["sending.officer"], person=person, granted_by="BIA",
                         valid_from=timezone.localdate())  # fmt: skip
    services.manifest_depart(actor=world["sending.supervisor"], manifest=listed)
    stages.flight(world, key="us-eswatini")

    rwanda = signed_in("receiving.officer")
    assert [f["agreement"] for f in rwanda.get("/api/flights").json()] == ["us-rwanda"]
    page = rwanda.get(f"/manifests/{listed.pk}/").content.decode()
    assert "did not travel" in page and "No stay of removal" not in page and "score" not in page
    entries = rwanda.get(f"/api/manifests/{listed.pk}").json()["entries"]
    assert all(e["removed_reason"] == [] and e["score"] == {} for e in entries)

    eswatini = signed_in("eswatini.officer")
    assert [f["agreement"] for f in eswatini.get("/api/flights").json()] == ["us-eswatini"]
    assert eswatini.get(f"/manifests/{listed.pk}/").status_code == 404
    assert eswatini.get(f"/api/manifests/{listed.pk}").status_code == 404
    entry = ManifestEntry.objects.get(referral__person__case_number="M-1")
    when = {"at": timezone.now().isoformat(), "place": "Mbabane"}
    hidden = eswatini.post(f"/api/manifest-entries/{entry.pk}/hand-over", when, "application/json")
    assert hidden.status_code == 404
    for username in ("counsel", "finance"):
        assert signed_in(username).get(f"/manifests/{listed.pk}/").status_code == 404
        assert signed_in(username).get("/api/flights").status_code == 403


@pytest.mark.django_db
def test_a_supervisor_creates_flights_by_page_and_api(world, signed_in):
    client = signed_in("sending.supervisor")
    form = {"agreement": "us-rwanda", "departs_on": "2026-12-20", "route": "IAD-KGL",
            "seats": 40, "escort_ratio": "1.5"}  # fmt: skip
    response = client.post("/flights/", form)
    flight = Flight.objects.get()
    assert response.status_code == 302 and response.url == f"/manifests/{flight.manifest.pk}/"
    assert "IAD-KGL" in client.get("/flights/").content.decode()
    body = {"agreement": "us-eswatini", "departs_on": "2026-12-21", "route": "IAD-MTS", "seats": 12}
    created = client.post("/api/flights", body, "application/json")
    assert created.status_code == 201 and created.json()["manifest"]
    bad = client.post("/api/flights", {**body, "seats": 0}, "application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "seats"
    assert (
        client.post("/api/flights", {**body, "agreement": "nope"}, "application/json").status_code
        == 404
    )
    officer = signed_in("sending.officer")
    assert officer.post("/api/flights", body, "application/json").status_code == 403
    assert officer.post("/flights/", form).status_code == 403
    assert Flight.objects.count() == 2


@pytest.mark.django_db
def test_the_demo_stages_every_state_and_a_manifest_that_takes_one_person_off(world):
    from accords.demo.transfers import demo_transfers_ensure

    first = demo_transfers_ensure()
    assert demo_transfers_ensure() == first
    referrals = Referral.objects.filter(person__case_number__startswith="DEMO-T-")
    states = {(r.status, r.acceptance.decision if r.acceptance else None) for r in referrals}
    assert states >= {("open", None), ("open", "accepted"), ("open", "declined"),
                      ("withdrawn", None), ("departed", "accepted"), ("handed_over", "accepted")}  # fmt: skip
    assert referrals.filter(person__fear_claims__outcome="pending").exists()
    assert referrals.filter(person__fear_claims__outcome="negative").exists()
    interpreted = NoticeDocument.objects.get(referral__person__case_number="DEMO-T-16")
    assert interpreted.notice.understood and interpreted.interpreter_attestation
    waiting = referrals.get(person__case_number="DEMO-T-15")
    assert waiting.acceptance.decision == "accepted" and not waiting.entries.exists()
    result = services.manifest_depart(actor=world["sending.supervisor"],
                                      manifest=Manifest.objects.get(pk=first["manifest_ready"]))  # fmt: skip
    assert result["removed"] == ["DEMO-T-13"] and len(result["departed"]) == 4


def _quota(agreement, people: int, period: str) -> None:
    Term.objects.create(agreement=agreement, key=f"quota-{period}", kind="capacity",
                        text=f"up to {people} people {period}", quantity=people,
                        period=period)  # fmt: skip


@pytest.mark.django_db
def test_a_monthly_quota_holds_at_departure_and_in_plans(world):
    """Two people a month: a plan lists two of three, a third listed by hand is taken off at
    departure naming the quota, and a later flight that month plans nobody; once those
    departures fall in an earlier month, the month's places are free again."""
    people = stages.people("Q-1", "Q-2", "Q-3", "Q-4")
    for person in people:
        stages.ready(world, person)
    supervisor = world["sending.supervisor"]
    first = stages.flight(world, seats=5, in_days=0)
    _quota(first.agreement, 2, "month")
    services.plan_create(actor=supervisor, flight=first, policy_name="default-2026")
    assert first.manifest.entries.filter(status="listed").count() == 2
    waiting = Referral.objects.exclude(entries__manifest=first.manifest).order_by("pk")
    services.manifest_list(actor=supervisor, manifest=first.manifest, referrals=[waiting[0]])
    services.manifest_lock(actor=supervisor, manifest=first.manifest)

    result = services.manifest_depart(actor=supervisor, manifest=first.manifest)
    assert len(result["departed"]) == 2 and len(result["removed"]) == 1
    [reason] = ManifestEntry.objects.get(status="removed").removed_reason
    assert reason["gate"] == "agreement.capacity" and "2 people per month" in reason["reason"]

    later = stages.flight(world, seats=5, in_days=0)
    plan = services.plan_create(actor=supervisor, flight=later, policy_name="default-2026")
    assert plan.solver["people_placed"] == 0

    last_month = timezone.now() - timedelta(days=40)
    ManifestEntry.objects.filter(status="departed").update(departed_at=last_month)
    services.plan_create(actor=supervisor, flight=later, policy_name="default-2026")
    assert later.manifest.entries.filter(status="listed").count() == 2
    services.manifest_lock(actor=supervisor, manifest=later.manifest)
    assert len(services.manifest_depart(actor=supervisor, manifest=later.manifest)["departed"]) == 2


@pytest.mark.parametrize(
    ("period", "day", "first", "after"),
    [
        ("year", date(2026, 7, 4), date(2026, 1, 1), date(2027, 1, 1)),
        ("month", date(2026, 12, 31), date(2026, 12, 1), date(2027, 1, 1)),
        ("month", date(2028, 2, 29), date(2028, 2, 1), date(2028, 3, 1)),
        ("week", date(2026, 12, 2), date(2026, 11, 30), date(2026, 12, 7)),  # a Wednesday
        ("week", date(2027, 1, 3), date(2026, 12, 28), date(2027, 1, 4)),  # a Sunday
    ],
)
def test_a_quota_counts_over_calendar_periods(period, day, first, after):
    assert period_of(period, day) == (first, after)
