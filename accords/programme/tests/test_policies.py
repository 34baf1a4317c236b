"""A programme's own notice policy: chosen by a supervisor of the sending state, dated, shown
beside the law everywhere the gates are explained, and holding a departure until its own
period has run, while the law's gate still says what the law requires."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from accords.audit.models import AuditEntry
from accords.cases.screening import case_explanation
from accords.programme.models import ProgrammePolicy
from accords.programme.services import programme_policy_choose
from accords.registry.models import Agreement
from accords.transfers.previews import gates_closed
from accords.transfers.tests import stages

TODAY = timezone.localdate()


@pytest.fixture
def world(db):
    return stages.world_make()


@pytest.fixture
def referral(world):
    """Cleared by the law: noticed 3 days ago (the law in force asks 24 hours), accepted."""
    (person,) = stages.people("PP-1")
    return stages.accepted(world, stages.noticed(world, stages.referred(world, person), 3))


def _choose(world, days=10, **changes):
    values = {"agreement": Agreement.objects.get(key="us-rwanda"), "valid_from": TODAY,
              "notice_days": days, "reason": "Keep the injunction's ten days while the appeal runs."}  # fmt: skip
    return programme_policy_choose(actor=world["sending.supervisor"], **{**values, **changes})


def _gate(explanation, gate_id):
    return next(g for g in explanation["gates"] if g["gate"] == gate_id)


@pytest.mark.django_db
def test_the_explanation_shows_the_law_and_the_programme_side_by_side(world, referral):
    before = case_explanation(
        referral.person, referral.agreement, timezone.now().replace(tzinfo=None)
    )
    assert before["decision"] == "cleared"
    _choose(world)
    now = timezone.now().replace(tzinfo=None)
    explanation = case_explanation(referral.person, referral.agreement, now)
    law, programme = _gate(explanation, "us.notice"), _gate(explanation, "programme.notice")
    assert law["outcome"] == "pass"
    assert law["programme"].startswith("the law requires 24 hours' notice (6 if exigent); "
                                       "this programme gives 10 days' notice")  # fmt: skip
    assert "chosen by sending.supervisor (Sending supervisor) on" in law["programme"]
    assert programme["outcome"] == "pending" and programme["layer"] == "programme"
    # The day after it runs, on the engine's calendar: a moment's day in UTC.
    assert programme["earliest_clear"] == now.date() + timedelta(days=8)
    assert (explanation["decision"], explanation["law_decision"]) == ("pending", "cleared")
    # the departure's own check holds the person until the programme's days have run
    closed = gates_closed(referral.person, referral, referral.agreement, timezone.now())
    assert [g["gate"] for g in closed] == ["programme.notice"]


@pytest.mark.django_db
def test_choosing_a_policy_is_one_audited_action_that_keeps_the_reason_out(world):
    start = AuditEntry.objects.count()
    policy = _choose(world)
    assert AuditEntry.objects.count() == start + 1
    entry = AuditEntry.objects.latest("pk")
    said = json.dumps(entry.details) if hasattr(entry, "details") else str(entry.__dict__)
    assert "programme_policy.choose" in str(entry.__dict__)
    assert "injunction" not in said
    assert (
        policy.chosen_by == world["sending.supervisor"] and policy.chosen_as == "sending_supervisor"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "actor", "field"),
    [
        ({}, "sending.officer", "agreement"),  # the wrong role
        ({}, "receiving.officer", "agreement"),
        ({"agreement": "uk-rwanda"}, "sending.supervisor", "agreement"),  # not the US programme
        ({"valid_from": TODAY - timedelta(days=30)}, "sending.supervisor", "valid_from"),
        ({"valid_from": TODAY.replace(year=9999)}, "sending.supervisor", "valid_from"),
        ({"notice_days": 0}, "sending.supervisor", "notice_days"),
        ({"notice_days": 366}, "sending.supervisor", "notice_days"),
        ({"reason": "ten\x00days"}, "sending.supervisor", "reason"),
        ({"reason": "x" * 50_000_000}, "sending.supervisor", "reason"),
    ],
)
def test_bad_choices_are_refused_naming_the_field_and_nothing_is_written(
    world, changes, actor, field
):
    if "agreement" in changes:
        changes["agreement"] = Agreement.objects.get(key=changes["agreement"])
    start = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        _choose(world, **changes) if actor == "sending.supervisor" else programme_policy_choose(
            actor=world[actor], agreement=Agreement.objects.get(key="us-rwanda"),
            valid_from=TODAY, notice_days=10)  # fmt: skip
    assert field in refused.value.message_dict
    assert not ProgrammePolicy.objects.exists() and AuditEntry.objects.count() == start


@pytest.mark.django_db
def test_two_policies_on_one_day_are_refused(world):
    _choose(world)
    with pytest.raises(ValidationError, match="already chose a policy from this day"):
        _choose(world, notice_days=14)


@pytest.mark.django_db
def test_a_later_version_returns_to_the_law_alone(world, referral):
    _choose(world)
    _choose(world, days=None, valid_from=TODAY + timedelta(days=2))
    later = timezone.now().replace(tzinfo=None) + timedelta(days=2)
    explanation = case_explanation(referral.person, referral.agreement, later)
    assert _gate(explanation, "programme.notice")["outcome"] == "pass"
    assert explanation["programme"] == [] and explanation["decision"] == "cleared"


@pytest.mark.django_db
def test_the_pages_and_the_api_show_both(world, referral, client):
    client.force_login(world["sending.supervisor"])
    page = client.post("/programme-policies/", {"agreement": "us-rwanda", "valid_from": TODAY,
                                                "notice_days": 10, "reason": ""})  # fmt: skip
    assert page.status_code == 302
    listing = client.get("/programme-policies/").content.decode()
    assert "10 days' notice of the destination" in listing and "sending.supervisor" in listing
    case_page = client.get(f"/cases/{referral.person.case_number}/?agreement=us-rwanda&on={TODAY}")
    text = case_page.content.decode()
    assert "Beside the law" in text and "this programme gives 10 days&#x27; notice" in text
    assert "By the law alone" in text and "Programme policy" in text
    referral_page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Beside the law" in referral_page and "Programme notice period run" in referral_page
    api = client.get(f"/api/referrals/{referral.pk}").json()["explanation"]
    assert api["law_decision"] == "cleared" and api["decision"] == "pending"
    notice = next(g for g in api["gates"] if g["gate"] == "us.notice")
    assert "this programme gives 10 days' notice" in notice["programme"]
    check = client.get(
        f"/api/cases/{referral.person.case_number}/check?agreement=us-rwanda&on={TODAY}"
    ).json()
    assert check["programme"] and check["law_decision"] in {"cleared", "pending"}
    assert client.get("/api/programme-policies").json()[0]["notice_days"] == 10


@pytest.mark.django_db
def test_the_api_refuses_naming_the_field(world, client):
    client.force_login(world["sending.supervisor"])
    body = {"agreement": "us-rwanda", "valid_from": "9999-01-01", "notice_days": 10}
    refused = client.post("/api/programme-policies", body, content_type="application/json")
    assert refused.status_code == 422 and "valid_from" in json.dumps(refused.json())
    uk = {**body, "agreement": "uk-rwanda", "valid_from": TODAY.isoformat()}
    refused = client.post("/api/programme-policies", uk, content_type="application/json")
    assert refused.status_code == 422 and "agreement" in json.dumps(refused.json())
    client.force_login(world["sending.officer"])
    ok = {**body, "valid_from": TODAY.isoformat()}
    refused = client.post("/api/programme-policies", ok, content_type="application/json")
    assert refused.status_code == 403


@pytest.mark.django_db
def test_check_explain_shows_both(world, tmp_path, capsys):
    from accords.cases.tests.conftest import case_doc

    _choose(world)
    served = (timezone.now() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    doc = case_doc("PP-9")
    doc["notices"][0]["served_at"] = served
    path = tmp_path / "case.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(SystemExit):
        call_command(
            "check", str(path), "--agreement", "us-rwanda", "--on", TODAY.isoformat(), "--explain"
        )
    out = capsys.readouterr().out
    assert "beside the law: the law requires 24 hours' notice" in out
    assert "programme policy: programme policy chosen by sending.supervisor" in out
    assert "by the law alone:" in out
