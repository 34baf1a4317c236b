"""The receiving state's view: its officers see only the people referred to their state, each
file only as far as the state needs it, and answer for each person by name."""

import pytest

from accords.cases.models import Acceptance
from accords.demo.accounts import DEMO_PASSWORD
from accords.transfers.models import Referral
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
            {"kind": "charge", "offence_category": "fraud_alleged", "on": "2024-01-01",
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
    for shown in ("Amara Person", "1988-05-02", "HN", "fr, en", "Kofi Person (2015-02-03)",
                  "drug possession", "a fear claim is pending"):  # fmt: skip
        assert shown in page, shown
    for withheld in ("fraud", "2026-01-05", "counsel"):
        assert withheld not in page.lower(), withheld
    files = {f["case_number"]: f for f in client.get("/api/receiving/referrals").json()}
    assert files["F-1"]["convictions"] == ["drug possession"]
    assert files["F-1"]["fear_claim_pending"] is True
    assert files["F-1"]["family"] == [{"name": "Kofi Person", "birth_date": "2015-02-03"}]
    assert "counsel" not in files["F-1"] and files["F-2"]["fear_claim_pending"] is False


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
    assert client.post(f"/receiving/referrals/{second.pk}/", declined).status_code == 302
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
