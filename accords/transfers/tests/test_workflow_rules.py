"""The workflow's own rules: an officer refers and flies people only under their own state's
agreements in force, on dates from today to the agreement's horizon; a manifest departs only on
its flight's day; the planner keeps to each proposed date; and departing, locking,
withdrawing and declining show what they will do before they do it."""

import json
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accords.audit.models import AuditEntry
from accords.demo.accounts import DEMO_PASSWORD
from accords.registry.models import Agreement, Source
from accords.registry.services import agreement_create, agreement_status_record
from accords.transfers import services
from accords.transfers.models import Flight, ManifestEntry, Referral
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


def _days(n: int):
    return timezone.localdate() + timedelta(days=n)


def _post(client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


def _fields(response) -> set[str]:
    assert response.status_code == 422, response.content
    return {d["loc"][-1] for d in response.json()["detail"]}


def _refer(world, person, key="us-rwanda", on=None):
    return services.referral_create(actor=world["sending.officer"], person=person,
                                    agreement=Agreement.objects.get(key=key),
                                    proposed_on=on or timezone.localdate())  # fmt: skip


def _signed_us_agreement(starts_in: int) -> Agreement:
    """Test data: a US agreement signed last month, entering into force in `starts_in` days."""
    source = Source.objects.order_by("key").first().key
    credit = [{"source": source, "confidence": "unconfirmed"}]
    agreement = agreement_create(actor=None, key="us-ghana-two", name="US–Ghana (second, test)",
                                 sending="US", receiving="GH", kind="integration", regime="us")  # fmt: skip
    agreement_status_record(actor=None, agreement=agreement, status="signed",
                            on=_days(-30).isoformat(), sources=credit)  # fmt: skip
    agreement_status_record(actor=None, agreement=agreement, status="in_force",
                            on=_days(starts_in).isoformat(), sources=credit)  # fmt: skip
    return agreement


# --- which agreement ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_us_officer_cannot_refer_under_an_ended_a_foreign_or_an_only_signed_agreement(world):
    [person] = stages.people("W-1")
    with pytest.raises(ValidationError) as ended:
        _refer(world, person, "uk-rwanda")
    assert "agreement" in ended.value.message_dict
    assert "not an agreement of your state" in str(ended.value)
    with pytest.raises(ValidationError) as signed:
        _refer(world, person, "us-paraguay")
    assert "not in force" in signed.value.message_dict["agreement"][0]
    with pytest.raises(ValidationError, match="works for no sending state"):
        services.referral_create(actor=world["counsel"], person=person,
                                 agreement=Agreement.objects.get(key="us-rwanda"),
                                 proposed_on=timezone.localdate())  # fmt: skip
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_the_api_refuses_the_wrong_agreement_naming_the_field(world, signed_in):
    stages.people("W-2")
    client = signed_in("sending.officer")
    before = AuditEntry.objects.count()
    for key in ("uk-rwanda", "us-paraguay", "us-libya"):
        body = {"case_number": "W-2", "agreement": key, "proposed_on": _days(1).isoformat()}
        assert _fields(_post(client, "/api/referrals", body)) == {"agreement"}
    flight = {"agreement": "uk-rwanda", "departs_on": _days(5).isoformat(), "route": "LGW-KGL",
              "seats": 5}  # fmt: skip
    assert _fields(_post(signed_in("sending.supervisor"), "/api/flights", flight)) == {"agreement"}
    assert AuditEntry.objects.count() == before and not Flight.objects.exists()


@pytest.mark.django_db
def test_the_referral_form_offers_only_the_officer_s_usable_agreements_choosing_none(
    world, signed_in
):
    stages.people("W-3")
    soon = _signed_us_agreement(starts_in=20)
    page = signed_in("sending.officer").get("/referrals/new/?case=W-3")
    choices = dict(page.context["form"].fields["agreement"].choices)
    assert "us-rwanda" in choices and "us-ghana" in choices
    assert not {"uk-rwanda", "us-paraguay", "us-libya", "us-uganda", "us-palau"} & set(choices)
    assert "signed, not yet in force: from" in choices[soon.key]
    select = page.content.decode().split('name="agreement"')[1].split("</select>")[0]
    assert re.findall(r'<option value="([^"]*)" selected>', select) == [""]

    # Referred under it for a day it will be in force; the referral page marks it as such.
    client = signed_in("sending.officer")
    body = {"case": "W-3", "agreement": soon.key, "proposed_on": _days(25).isoformat()}
    made = client.post("/referrals/new/", body)
    assert made.status_code == 302, made.context["form"].errors
    assert "signed, not yet in force: from" in client.get(made["Location"]).content.decode()


@pytest.mark.django_db
def test_a_signed_agreement_takes_referrals_only_for_days_it_will_be_in_force(world):
    soon = _signed_us_agreement(starts_in=20)
    [person] = stages.people("W-4")
    with pytest.raises(ValidationError) as early:
        _refer(world, person, soon.key, on=_days(5))
    assert "not in force on" in early.value.message_dict["proposed_on"][0]
    assert _refer(world, person, soon.key, on=_days(20)).agreement == soon


# --- which dates -------------------------------------------------------------------------


@pytest.mark.django_db
def test_proposed_dates_run_from_today_to_the_agreement_s_horizon(world, signed_in):
    people = stages.people("D-1", "D-2", "D-3")
    for day in (_days(-1), _days(181)):
        with pytest.raises(ValidationError) as refused:
            _refer(world, people[0], on=day)
        assert set(refused.value.message_dict) == {"proposed_on"}
    assert _refer(world, people[0], on=_days(180)).proposed_on == _days(180)
    # The registry editor widens the horizon for this agreement; the API then allows it.
    Agreement.objects.filter(key="us-rwanda").update(planning_horizon_days=400)
    assert _refer(world, people[1], on=_days(300)).proposed_on == _days(300)
    client = signed_in("sending.officer")
    body = {"case_number": "D-3", "agreement": "us-rwanda", "proposed_on": "9999-12-31"}
    assert _fields(_post(client, "/api/referrals", body)) == {"proposed_on"}


@pytest.mark.django_db
def test_nothing_is_dated_after_the_agreement_ends(world):
    rwanda = Agreement.objects.get(key="us-rwanda")
    source = Source.objects.order_by("key").first().key
    agreement_status_record(actor=None, agreement=rwanda, status="ended",
                            on=_days(30).isoformat(),
                            sources=[{"source": source, "confidence": "unconfirmed"}])  # fmt: skip
    [person] = stages.people("D-4")
    with pytest.raises(ValidationError, match="not in force on"):
        _refer(world, person, on=_days(40))
    with pytest.raises(ValidationError) as flight:
        stages.flight(world, in_days=30)
    assert "departs_on" in flight.value.message_dict
    assert stages.flight(world, in_days=29).departs_on == _days(29)


@pytest.mark.django_db
def test_flights_run_from_today_to_the_horizon(world, signed_in):
    for days in (-1, 181):
        with pytest.raises(ValidationError) as refused:
            stages.flight(world, in_days=days)
        assert set(refused.value.message_dict) == {"departs_on"}
    client = signed_in("sending.supervisor")
    body = {"agreement": "us-rwanda", "departs_on": "9999-12-31", "route": "IAD-KGL", "seats": 5}
    assert _fields(_post(client, "/api/flights", body)) == {"departs_on"}
    page = client.post("/flights/", {**body, "escort_ratio": "1"})
    assert "departs_on" in page.context["form"].errors
    assert not Flight.objects.exists()


# --- departure on the flight's day -------------------------------------------------------


def _locked_flight(world, in_days: int):
    for person in stages.people("E-1", "E-2"):
        stages.ready(world, person)
    flight = stages.flight(world, in_days=in_days)
    supervisor = world["sending.supervisor"]
    services.plan_create(actor=supervisor, flight=flight, policy_name="default-2026")
    services.manifest_lock(actor=supervisor, manifest=flight.manifest)
    return flight


@pytest.mark.django_db
def test_a_flight_weeks_ahead_cannot_depart_today(world, signed_in):
    flight = _locked_flight(world, in_days=18)
    with pytest.raises(ValidationError) as early:
        services.manifest_depart(actor=world["sending.supervisor"], manifest=flight.manifest)
    assert "not before" in early.value.message_dict["manifest"][0]
    api = signed_in("sending.supervisor").post(f"/api/manifests/{flight.manifest.pk}/depart")
    assert api.status_code == 422 and "not before" in api.content.decode()
    assert not ManifestEntry.objects.filter(status="departed").exists()
    assert not Referral.objects.filter(status="departed").exists()


@pytest.mark.django_db
def test_the_agreement_s_window_lets_a_flight_depart_the_evening_before(world):
    flight = _locked_flight(world, in_days=1)
    Agreement.objects.filter(pk=flight.agreement_id).update(departure_window_hours=48)
    flight.refresh_from_db()
    result = services.manifest_depart(actor=world["sending.supervisor"], manifest=flight.manifest)
    assert len(result["departed"]) == 2


@pytest.mark.django_db
def test_a_flight_whose_day_has_passed_does_not_depart(world):
    flight = _locked_flight(world, in_days=0)
    Flight.objects.filter(pk=flight.pk).update(departs_on=_days(-1))
    flight.refresh_from_db()
    with pytest.raises(ValidationError, match="has passed"):
        services.manifest_depart(actor=world["sending.supervisor"], manifest=flight.manifest)


# --- the planner keeps to the proposed date ----------------------------------------------


@pytest.mark.django_db
def test_the_planner_places_nobody_before_the_date_proposed(world):
    [early, late] = stages.people("P-1", "P-2")
    stages.accepted(world, stages.noticed(world, _refer(world, early)))
    stages.accepted(world, stages.noticed(world, _refer(world, late, on=_days(10))))
    soon = stages.flight(world, in_days=3)
    plan = services.plan_create(actor=world["sending.supervisor"], flight=soon,
                                policy_name="default-2026")  # fmt: skip
    listed = set(soon.manifest.entries.values_list("referral__person__case_number", flat=True))
    assert listed == {"P-1"}
    [held] = plan.solver["held_back"]
    assert held["cases"] == ["P-2"] and f"proposed for {_days(10)}" in held["reason"]
    later = stages.flight(world, in_days=12)
    services.plan_create(actor=world["sending.supervisor"], flight=later,
                         policy_name="default-2026")  # fmt: skip
    assert [e.referral.person.case_number for e in later.manifest.entries.all()] == ["P-2"]


@pytest.mark.django_db
def test_the_planner_never_uses_a_flight_past_the_horizon(world):
    [person] = stages.people("P-3")
    stages.ready(world, person)
    far = stages.flight(world, in_days=100)
    Agreement.objects.filter(pk=far.agreement_id).update(planning_horizon_days=30)
    far.refresh_from_db()
    with pytest.raises(ValidationError, match="planning horizon"):
        services.plan_create(actor=world["sending.supervisor"], flight=far,
                             policy_name="default-2026")  # fmt: skip
    with pytest.raises(ValidationError, match="No open flight"):
        services.plan_create(actor=world["sending.supervisor"], agreement=far.agreement,
                             policy_name="default-2026")  # fmt: skip
    assert not ManifestEntry.objects.exists()


# --- confirmation before what cannot be undone -------------------------------------------


@pytest.mark.django_db
def test_locking_and_departing_show_who_and_why_before_they_happen(world, signed_in):
    for person in stages.people("C-1", "C-2"):
        stages.ready(world, person)
    flight = stages.flight(world, in_days=0)
    supervisor = world["sending.supervisor"]
    services.plan_create(actor=supervisor, flight=flight, policy_name="default-2026")
    manifest = flight.manifest
    client = signed_in("sending.supervisor")

    ask = client.get(f"/manifests/{manifest.pk}/lock")
    assert (
        ask.status_code == 200 and "C-1" in ask.content.decode() and "C-2" in ask.content.decode()
    )
    manifest.refresh_from_db()
    assert manifest.locked_at is None  # asking wrote nothing
    assert client.post(f"/manifests/{manifest.pk}/lock").status_code == 302

    stayed = ManifestEntry.objects.get(referral__person__case_number="C-2").referral.person
    services.stay_record(actor=world["sending.officer"], person=stayed, granted_by="BIA",
                         valid_from=timezone.localdate())  # fmt: skip
    ask = client.get(f"/manifests/{manifest.pk}/depart")
    preview = ask.context["preview"]
    assert [e.referral.person.case_number for e in preview.departing] == ["C-1"]
    [(off, why)] = preview.taken_off
    assert off.referral.person.case_number == "C-2" and "stay" in why[0]["reason"]
    assert "Depart now" in ask.content.decode()
    manifest.refresh_from_db()
    assert manifest.departed_at is None
    client.post(f"/manifests/{manifest.pk}/depart")
    assert dict(manifest.entries.values_list("referral__person__case_number", "status")) == {
        "C-1": "departed", "C-2": "removed"}  # fmt: skip


@pytest.mark.django_db
def test_an_early_departure_is_refused_on_the_confirmation_page_too(world, signed_in):
    flight = _locked_flight(world, in_days=18)
    page = signed_in("sending.supervisor").get(f"/manifests/{flight.manifest.pk}/depart")
    assert "not before" in page.content.decode() and "Depart now" not in page.content.decode()


@pytest.mark.django_db
def test_withdrawing_shows_that_the_answer_lapses_and_who_leaves_the_manifest(world, signed_in):
    [person] = stages.people("C-3")
    referral = stages.ready(world, person)
    flight = stages.flight(world, in_days=2)
    services.manifest_list(actor=world["sending.supervisor"], manifest=flight.manifest,
                           referrals=[referral])  # fmt: skip
    client = signed_in("sending.officer")
    assert "/withdraw/" in client.get(f"/referrals/{referral.pk}/").content.decode()
    ask = client.get(f"/referrals/{referral.pk}/withdraw/").content.decode()
    assert "answer (accepted on" in ask and "lapses" in ask and "IAD-KGL" in ask
    assert Referral.objects.get(pk=referral.pk).status == "open"
    assert client.post(f"/referrals/{referral.pk}/withdraw/", {"reason": ""}).status_code == 422
    done = client.post(f"/referrals/{referral.pk}/withdraw/", {"reason": "Motion to reopen."})
    assert done.status_code == 302 and Referral.objects.get(pk=referral.pk).status == "withdrawn"
