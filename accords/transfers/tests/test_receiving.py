"""The receiving state's view: its officers see only the people referred to their state, each
file only as far as the state needs it, and answer for each person by name."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from accords.cases.models import Acceptance
from accords.cases.screening import case_explanation
from accords.cases.services import case_import
from accords.cases.tests.conftest import case_doc
from accords.demo.accounts import DEMO_PASSWORD
from accords.registry.models import Term
from accords.transfers import services
from accords.transfers.models import NoticeDocument, Referral
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
def two_states(world):
    """R-1 is referred to Rwanda, R-2 to Eswatini."""
    rwanda, eswatini = stages.people("R-1", "R-2")
    return {
        "R-1": stages.referred(world, rwanda, "us-rwanda"),
        "R-2": stages.referred(world, eswatini, "us-eswatini"),
    }


def _api_cases(client) -> set[str]:
    response = client.get("/api/receiving/referrals")
    assert response.status_code == 200, response.content
    return {r["case_number"] for r in response.json()}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username,theirs,not_theirs",
    [("receiving.officer", "R-1", "R-2"), ("eswatini.officer", "R-2", "R-1")],
)
def test_each_receiving_officer_sees_only_the_people_referred_to_their_state(
    two_states, signed_in, username, theirs, not_theirs
):
    client = signed_in(username)
    assert _api_cases(client) == {theirs}
    page = client.get("/receiving/").content.decode()
    assert theirs in page and not_theirs not in page
    hidden = two_states[not_theirs]
    assert client.get(f"/receiving/referrals/{hidden.pk}/").status_code == 404
    answer = {"decision": "accepted"}
    response = client.post(f"/api/referrals/{hidden.pk}/acceptance", answer, "application/json")
    assert response.status_code == 404
    assert client.post(f"/receiving/referrals/{hidden.pk}/", answer).status_code == 404
    assert not Acceptance.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username", ["sending.officer", "sending.supervisor", "counsel", "finance"]
)
def test_no_other_role_uses_the_receiving_pages_or_endpoints(two_states, signed_in, username):
    client = signed_in(username)
    assert client.get("/receiving/").status_code == 403
    assert client.get(f"/receiving/referrals/{two_states['R-1'].pk}/").status_code == 403
    assert client.get("/api/receiving/referrals").status_code == 403
    response = client.post(
        f"/api/referrals/{two_states['R-1'].pk}/acceptance", {"decision": "accepted"},
        "application/json",
    )  # fmt: skip
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_public_is_sent_to_sign_in(two_states, client):
    assert client.get("/receiving/").status_code == 302
    assert client.get("/api/receiving/referrals").status_code == 401


@pytest.mark.django_db
def test_the_file_shows_what_the_state_needs_and_nothing_more(world, signed_in):
    sections = {
        "criminal_history": [
            {"kind": "conviction", "offence_category": "drug_possession", "on": "2019-03-01"},
            {"kind": "charge", "offence_category": "fraud", "on": "2024-01-01",
             "charge_outcome": "dismissed"},
        ],
        "fear_claims": [{"country": "RW", "stated_on": "2026-01-05", "outcome": "pending"}],
    }  # fmt: skip
    parent = stages.people("F-1", family="FAM-9", given_name="Amara", counsel="counsel",
                           languages=["fr", "en"], sections=sections)[0]  # fmt: skip
    child = stages.people("F-2", family="FAM-9", given_name="Kofi", birth_date="2015-02-03")[0]
    referral = stages.referred(world, parent)
    stages.referred(world, child)
    client = signed_in("receiving.officer")
    page = client.get(f"/receiving/referrals/{referral.pk}/").content.decode()
    # Dates as the page's language writes them (English here).
    for shown in ("Amara Person", "May 2, 1988", "HN", "fr, en", "Kofi Person (Feb. 3, 2015)",
                  "drug possession", "not available on this date"):  # fmt: skip
        assert shown in page, shown
    for withheld in ("fraud", "2026-01-05", "jan. 5, 2026", "counsel", "fear"):
        assert withheld not in page.lower(), withheld
    files = {f["case_number"]: f for f in client.get("/api/receiving/referrals").json()}
    assert files["F-1"]["convictions"] == ["drug possession"]
    assert files["F-1"]["available"] is False and "fear_claim_pending" not in files["F-1"]
    assert files["F-1"]["family"] == [{"name": "Kofi Person", "birth_date": "2015-02-03"}]
    assert "counsel" not in files["F-1"]


@pytest.mark.django_db
def test_the_officer_accepts_and_declines_by_name_and_sees_the_places_left(world, signed_in):
    first, second, third = (stages.referred(world, p) for p in stages.people("A-1", "A-2", "A-3"))
    client = signed_in("receiving.officer")
    assert "250" in client.get("/receiving/").content.decode()

    page = client.post(f"/receiving/referrals/{first.pk}/", {"decision": "accepted"})
    assert page.status_code == 302
    refused = client.post(f"/receiving/referrals/{second.pk}/", {"decision": "declined"})
    assert refused.status_code == 200 and "A decline gives its reasons" in refused.content.decode()
    declined = {"decision": "declined", "reasons": "Not vetted: identity unconfirmed."}
    asked = client.post(f"/receiving/referrals/{second.pk}/", declined)
    # A decline is shown with what it does before it is recorded; nothing is written yet.
    assert asked.status_code == 200 and "It is final" in asked.content.decode()
    assert "Not vetted: identity unconfirmed." in asked.content.decode()
    assert not Referral.objects.get(pk=second.pk).acceptance_id
    confirmed = client.post(f"/receiving/referrals/{second.pk}/", {**declined, "confirmed": "True"})
    assert confirmed.status_code == 302
    api = client.post(f"/api/referrals/{third.pk}/acceptance", {"decision": "accepted"},
                      "application/json")  # fmt: skip
    assert api.status_code == 200 and api.json()["decision"] == "accepted"

    decisions = dict(Referral.objects.values_list("person__case_number", "acceptance__decision"))
    assert decisions == {"A-1": "accepted", "A-2": "declined", "A-3": "accepted"}
    listing = client.get("/receiving/").content.decode()
    assert '<td class="left">248</td>' in listing
    again = client.post(f"/api/referrals/{first.pk}/acceptance", {"decision": "declined",
                        "reasons": "changed our mind"}, "application/json")  # fmt: skip
    assert again.status_code == 422 and again.json()["detail"][0]["loc"] == ["body", "referral"]


@pytest.mark.django_db
def test_an_officer_cannot_accept_beyond_the_agreement_s_places(world, signed_in):
    last, over = (stages.referred(world, p) for p in stages.people("C-1", "C-2"))
    last.agreement.terms.filter(kind="capacity").update(quantity=1)
    client = signed_in("receiving.officer")
    assert (
        client.post(f"/receiving/referrals/{last.pk}/", {"decision": "accepted"}).status_code == 302
    )
    full = client.post(f"/api/referrals/{over.pk}/acceptance", {"decision": "accepted"},
                       "application/json")  # fmt: skip
    assert full.status_code == 422 and "places are all taken" in full.content.decode()
    assert '<td class="left">0</td>' in client.get("/receiving/").content.decode()


def _acceptance_gate(referral: Referral, on) -> dict:
    explained = case_explanation(referral.person, referral.agreement, on)
    return next(g for g in explained["gates"] if g["gate"] == "us.receiving_acceptance")


@pytest.mark.django_db
def test_an_answer_lapses_with_the_referral_it_answered(world):
    """Rwanda accepted a person, then the referral was withdrawn: a new referral of the same
    person waits for a new answer by name, and the old one still counts on the days before."""
    first = stages.accepted(world, stages.referred(world, stages.people("L-1")[0]))
    today = timezone.localdate()
    assert _acceptance_gate(first, today)["outcome"] == "pass"

    services.referral_withdraw(actor=world["sending.officer"], referral=first,
                               reason="flight cancelled")  # fmt: skip
    assert Acceptance.objects.get(pk=first.acceptance_id).lapsed_on == today
    second = stages.referred(world, first.person)
    gate = _acceptance_gate(second, today)
    assert gate["outcome"] == "pending" and gate["reason"].startswith("awaiting RW's acceptance")
    # Replay: on a day after the answer and before it lapsed, it stood (the answer moved two
    # days back, as if given then).
    Acceptance.objects.filter(pk=first.acceptance_id).update(decided_on=today - timedelta(days=2))
    assert _acceptance_gate(second, today - timedelta(days=1))["outcome"] == "pass"
    # The receiving officer sees the new proposal and answers it; the new answer counts.
    stages.accepted(world, second)
    assert _acceptance_gate(second, today)["outcome"] == "pass"


@pytest.mark.django_db
def test_a_decline_lapses_too_and_the_new_referral_awaits_an_answer(world):
    first = stages.referred(world, stages.people("L-2")[0])
    services.acceptance_decide(actor=world["receiving.officer"], referral=first,
                               decision="declined", reasons="identity unconfirmed")  # fmt: skip
    today = timezone.localdate()
    assert _acceptance_gate(first, today)["outcome"] == "block"
    services.referral_withdraw(actor=world["sending.officer"], referral=first,
                               reason="identity being confirmed")  # fmt: skip
    assert _acceptance_gate(stages.referred(world, first.person), today)["outcome"] == "pending"


@pytest.mark.django_db
def test_a_new_case_file_keeps_what_the_workflow_recorded(world):
    """The sending state's next export of a case, with a new protection and without what
    Accords recorded: the protection arrives, and the notice served, the stay, the fear claim
    and the answer recorded here all stay."""
    referral = stages.ready(world, stages.people("K-1")[0])
    person = referral.person
    services.stay_record(actor=world["counsel"], person=person, granted_by="BIA",
                         valid_from=timezone.localdate())  # fmt: skip
    services.fear_claim_record(actor=world["counsel"], person=person, country="RW",
                               stated_on=timezone.localdate())  # fmt: skip
    recorded = {"notices": 1, "stays": 1, "fear_claims": 1, "acceptances": 1}
    assert {name: getattr(person, name).count() for name in recorded} == recorded

    export = case_doc("K-1", notices=[], acceptances=[], protections=[
        {"kind": "cat_deferral", "country": "HN", "granted_on": "2024-06-01"}
    ])  # fmt: skip
    assert case_import(actor=None, records=[(1, export)], source="t")["updated"] == 1
    assert {name: getattr(person, name).count() for name in recorded} == recorded
    assert list(person.protections.values_list("country", flat=True)) == ["HN"]
    assert NoticeDocument.objects.get(referral=referral).notice.person == person
    gates = case_explanation(person, referral.agreement, timezone.localdate())["gates"]
    assert {g["gate"]: g["outcome"] for g in gates}["us.no_stay"] == "block"


@pytest.mark.django_db
def test_a_fact_the_file_brings_again_is_the_one_accords_recorded(world):
    """The next export holds the stay Accords recorded, and the fear claim Accords screened,
    as the sending state's system has them: each is the same fact, kept once, as recorded."""
    claim = {"country": "RW", "stated_on": "2025-08-01"}
    person = stages.people("K-2", sections={"fear_claims": [claim]})[0]
    screened = services.fear_claim_screen(actor=world["sending.officer"],
                                          claim=person.fear_claims.get(), outcome="negative",
                                          screened_on=timezone.localdate())  # fmt: skip
    services.stay_record(actor=world["counsel"], person=person, granted_by="BIA",
                         valid_from=timezone.localdate())  # fmt: skip

    stay = {"granted_by": "BIA", "valid_from": timezone.localdate().isoformat()}
    export = case_doc("K-2", notices=[], acceptances=[], fear_claims=[claim], stays=[stay])
    assert case_import(actor=None, records=[(1, export)], source="t")["updated"] == 1
    assert list(person.fear_claims.values_list("pk", "outcome")) == [(screened.pk, "negative")]
    assert person.stays.count() == 1


@pytest.mark.django_db
def test_the_officer_sees_what_a_monthly_quota_leaves_this_month(world, signed_in):
    referral = stages.ready(world, stages.people("Q-9")[0])
    Term.objects.create(agreement=referral.agreement, key="quota-month", kind="capacity",
                        text="up to 2 people a month", quantity=2, period="month")  # fmt: skip
    with timezone.override("Africa/Kigali"):  # the officer's zone: their month
        first, after = period_of("month", timezone.localdate())
    page = signed_in("receiving.officer").get("/receiving/").content.decode()
    first, last = date_format(first), date_format(after - timedelta(days=1))
    assert f"From {first} to {last}: 0 gone, 2 more may travel" in page
    assert "its quota of 2 people per month" in page
