"""What the receiving state must not learn: that anyone fears it or is protected from removal to
it (asylum confidentiality, 8 CFR 208.6), and who was proposed and then withdrawn. A person who
cannot travel now is "not available on this date", whatever the reason, on its pages and in its
API alike."""

import pytest
from django.utils import timezone

from accords.cases.screening import case_explanation
from accords.demo.accounts import DEMO_PASSWORD
from accords.transfers import services
from accords.transfers.tests import stages

PROTECTED = {"protections": [{"kind": "withholding", "country": "RW", "granted_on": "2024-01-01"}]}
# What a fear claim or a protection would say if it leaked, in any words.
TELLTALES = ("fear", "protection", "withholding", "asylum", "refoulement", "208.6", "torture")


@pytest.fixture
def world(db):
    return stages.world_make()


@pytest.fixture
def receiving(client, world):
    assert client.login(username="receiving.officer", password=DEMO_PASSWORD)
    return client


@pytest.fixture
def referred(world):
    """Three people noticed long enough ago to travel but for Rwanda's answer; one then states
    a fear of Rwanda, one is protected from removal to it, one is free to go."""
    fearful = stages.people("X-1", given_name="Amani")[0]
    protected = stages.people("X-2", given_name="Baraka", sections=PROTECTED)[0]
    free = stages.people("X-3", given_name="Zawadi")[0]
    referrals = {p.case_number: stages.noticed(world, stages.referred(world, p))
                 for p in (fearful, protected, free)}  # fmt: skip
    services.fear_claim_record(actor=world["sending.officer"], person=fearful, country="RW",
                               stated_on=timezone.localdate())  # fmt: skip
    return referrals


def _said_to_the_sending_side(referral) -> list[str]:
    """The reasons and citations the gates give the sending side for holding this person."""
    explained = case_explanation(referral.person, referral.agreement,
                                 timezone.now().replace(tzinfo=None))  # fmt: skip
    return [
        text
        for gate in explained["gates"]
        if gate["outcome"] != "pass" and not gate["gate"].endswith("receiving_acceptance")
        for text in (gate["reason"], gate["citation"], gate["clears_by"])
        if text
    ]


def test_the_receiving_state_learns_nothing_of_a_fear_claim_or_a_protection(referred, receiving):
    said = _said_to_the_sending_side(referred["X-1"]) + _said_to_the_sending_side(referred["X-2"])
    assert said, "the sending side is told why X-1 and X-2 are held"
    listing = receiving.get("/receiving/").content.decode()
    pages = [listing] + [
        receiving.get(f"/receiving/referrals/{r.pk}/").content.decode() for r in referred.values()
    ]
    api = receiving.get("/api/receiving/referrals")
    files = {f["case_number"]: f for f in api.json()}
    for text in [*pages, api.content.decode()]:
        for telltale in TELLTALES:
            assert telltale not in text.lower(), telltale
        for reason in said:
            assert reason not in text, reason
    assert {n: f["available"] for n, f in files.items()} == {"X-1": False, "X-2": False,
                                                             "X-3": True}  # fmt: skip
    assert "not available on this date" in pages[1] and "not available on this date" in pages[2]
    assert "yes, but for your answer" in pages[3]
    assert listing.count("not available on this date") == 2


def test_a_withdrawn_referral_leaves_the_receiving_view_but_for_a_count(world, referred, receiving):
    withdrawn = referred["X-3"]
    services.referral_withdraw(actor=world["sending.officer"], referral=withdrawn,
                               reason="case reopened")  # fmt: skip
    listing = receiving.get("/receiving/").content.decode()
    assert "X-3" not in listing and "Zawadi" not in listing
    assert "1 referral to your state was withdrawn." in listing
    assert "case reopened" not in listing
    assert receiving.get(f"/receiving/referrals/{withdrawn.pk}/").status_code == 404
    assert "X-3" not in {f["case_number"] for f in receiving.get("/api/receiving/referrals").json()}
    answer = receiving.post(f"/api/referrals/{withdrawn.pk}/acceptance", {"decision": "accepted"},
                            "application/json")  # fmt: skip
    assert answer.status_code == 404
