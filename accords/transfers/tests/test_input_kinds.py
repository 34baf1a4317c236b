"""One validation layer for every interface: what a form refuses, the API and an import refuse
too, each naming the field and writing nothing. Each story here was a way in before: a fear of
"AA" or a claim stated in 4607 through the API, a NUL or half a character stored by an import,
a stay "until 9999-12-31" that turned every page about the person into an error."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from accords.audit.models import AuditEntry
from accords.cases.models import FearClaim, Person, Stay
from accords.cases.services import CaseFileErrors, case_import
from accords.cases.tests.conftest import case_doc
from accords.core.tests.world import world_ensure
from accords.demo.accounts import DEMO_PASSWORD
from accords.registry.models import Agreement
from accords.transfers import services
from accords.transfers.models import CounselFeedToken, Referral


@pytest.fixture
def world(db):
    world_ensure()
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def signed_in(client, world):
    def as_user(username: str):
        client.logout()
        assert client.login(username=username, password=DEMO_PASSWORD)
        return client

    return as_user


def _referral(world, number: str) -> Referral:
    doc = case_doc(number, notices=[], acceptances=[], person={"counsel": "counsel"})
    case_import(actor=None, records=[(1, doc)], source="test")
    return services.referral_create(
        actor=world["sending.officer"],
        person=Person.objects.get(case_number=number),
        agreement=Agreement.objects.get(key="us-rwanda"),
        proposed_on=timezone.localdate(),
    )


def _post(client, url: str, body: str | dict):
    text = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, text, content_type="application/json")


def _refused(response) -> dict[str, str]:
    """The fields a 422 names, each with its message."""
    assert response.status_code == 422, response.content
    return {d["loc"][-1]: d["msg"] for d in response.json()["detail"]}


def test_the_api_refuses_what_the_form_refuses(world, signed_in):
    referral = _referral(world, "V-1")
    client = signed_in("sending.officer")
    before = AuditEntry.objects.count()
    url = f"/api/referrals/{referral.pk}"
    today = timezone.localdate()

    refused = _refused(_post(client, f"{url}/fear-claims", {"country": "AA",
                                                            "stated_on": "4607-01-01"}))  # fmt: skip
    assert 'unknown ISO 3166-1 country code "AA"' in refused["country"]
    assert "has not happened yet" in refused["stated_on"]
    old = _refused(_post(client, f"{url}/fear-claims", {"country": "RW",
                                                         "stated_on": "1899-12-31"}))  # fmt: skip
    assert "before 1900-01-01" in old["stated_on"]
    screening = f"{url}/fear-claims/1/screening"
    assert "screened_on" in _refused(_post(client, screening, {"outcome": "negative",
                                                               "screened_on": "9999-01-01"}))  # fmt: skip
    forever = _refused(_post(client, f"{url}/stays", {
        "granted_by": "BIA", "valid_from": today.isoformat(), "valid_until": "9999-12-31"}))  # fmt: skip
    assert "leave its end empty" in forever["valid_until"]
    assert "granted_by" in _refused(_post(client, f"{url}/stays", {
        "granted_by": "B\u0000IA", "valid_from": today.isoformat()}))  # fmt: skip
    # A lone surrogate cannot be encoded for any database: named, never stored.
    half = '{"reason": "half a character: \\ud800"}'
    assert "reason" in _refused(_post(client, f"{url}/withdraw", half))
    assert "interpreter_language" in _refused(_post(client, f"{url}/notices", {
        "language": "es", "interpreter_language": "qq"}))  # fmt: skip
    assert "language" in _refused(_post(client, f"{url}/notices", {"language": "zz"}))

    assert AuditEntry.objects.count() == before
    assert not FearClaim.objects.exists() and not Stay.objects.exists()
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.OPEN


def test_the_forms_refuse_the_same_with_the_same_words(world, signed_in):
    referral = _referral(world, "V-2")
    client = signed_in("sending.officer")
    before = AuditEntry.objects.count()
    url = f"/referrals/{referral.pk}"

    stay = client.post(f"{url}/stays/", {"granted_by": "BIA", "valid_from": "2026-01-01",
                                         "valid_until": "9999-12-31"})  # fmt: skip
    assert "leave its end empty" in str(stay.context["stay_form"].errors["valid_until"])
    fear = client.post(f"{url}/fear-claims/", {"country": "aa", "stated_on": "2026-01-01"})
    assert 'unknown ISO 3166-1 country code "AA"' in fear.context["fear_form"].errors["country"][0]
    later = (timezone.localdate() + timedelta(days=3)).isoformat()
    fear = client.post(f"{url}/fear-claims/", {"country": "rw", "stated_on": later})
    assert "has not happened yet" in str(fear.context["fear_form"].errors["stated_on"])
    assert AuditEntry.objects.count() == before and not Stay.objects.exists()


def test_an_import_names_each_field_at_fault_and_writes_nothing(world, signed_in):
    today = timezone.localdate().isoformat()
    endless = {"granted_by": "BIA", "valid_from": today, "valid_until": "9999-12-31"}
    decline = {"receiving_state": "RW", "decision": "declined", "decided_on": today}
    bad = [
        case_doc("V-3", person={"given_name": "Nul\u0000Name"}),
        case_doc("V-4", person={"family_name": "Half\ud800"}),
        case_doc("V-5", stays=[endless]),
        case_doc("V-6", person={"birth_date": "1899-12-31", "languages": ["xx"]}),
        case_doc("V-7", fear_claims=[{"country": "AA", "stated_on": "4607-01-01"}]),
        case_doc("V-8", acceptances=[{**decline, "reasons": "x" * 2001}]),
    ]
    with pytest.raises(CaseFileErrors) as raised:
        case_import(actor=None, records=list(enumerate(bad, start=1)), source="test")
    named = {(p.line, p.field) for p in raised.value.problems}
    assert named == {
        (1, "person.given_name"),
        (2, "person.family_name"),
        (3, "stays[0].valid_until"),
        (4, "person.birth_date"),
        (4, "person.languages[0]"),
        (5, "fear_claims[0].country"),
        (5, "fear_claims[0].stated_on"),
        (6, "acceptances[0].reasons"),
    }
    assert not Person.objects.exists()

    # The API's import answers the same, field by field, and writes nothing either.
    client = signed_in("sending.officer")
    detail = _post(client, "/api/case-files", bad[:1] + bad[2:]).json()["detail"]
    assert {tuple(d["loc"][1:]) for d in detail} >= {
        (0, "person", "given_name"),
        (1, "stays[0]", "valid_until"),
    }
    assert not Person.objects.exists()


def test_a_stay_without_end_written_before_the_layer_breaks_no_page(world, signed_in):
    """Rows stored before validation (a stay until 9999-12-31) are read on every page about
    the person: a day to clear past the last day a date can name reads as no date."""
    referral = _referral(world, "V-9")
    Stay.objects.create(person=referral.person, granted_by="IJ",
                        valid_from=timezone.localdate(), valid_until="9999-12-31")  # fmt: skip
    officer = signed_in("sending.officer")
    on = timezone.localdate().isoformat()
    assert officer.get("/cases/V-9/").status_code == 200
    assert officer.get(f"/cases/V-9/?agreement=us-rwanda&on={on}").status_code == 200
    assert officer.get(f"/referrals/{referral.pk}/").status_code == 200
    check = officer.get(f"/api/cases/V-9/check?agreement=us-rwanda&on={on}")
    assert check.status_code == 200 and check.json()["decision"] == "blocked"
    assert officer.get(f"/api/referrals/{referral.pk}").status_code == 200
    counsel = signed_in("counsel")
    assert counsel.get("/counsel/").status_code == 200
    counsel.post("/counsel/calendar/")
    token = CounselFeedToken.objects.get(counsel=world["counsel"]).token
    assert Client().get(f"/counsel/deadlines.ics?token={token}").status_code == 200


def test_a_day_to_check_beyond_the_horizon_is_named_not_run(world, signed_in):
    _referral(world, "V-10")
    officer = signed_in("sending.officer")
    assert "on" in _refused(officer.get("/api/cases/V-10/check?agreement=us-rwanda&on=9999-12-31"))
    page = officer.get("/cases/V-10/?agreement=us-rwanda&on=9999-12-31")
    assert page.status_code == 200 and "on" in page.context["form"].errors


def test_a_nul_in_an_address_names_nothing_rather_than_failing(world, signed_in):
    """PostgreSQL text cannot hold NUL: asked for, it named no case but answered 500."""
    _referral(world, "V-11")
    officer = signed_in("sending.officer")
    assert officer.get("/api/cases/V-11%00").status_code == 404
    assert officer.get("/cases/V-11%00/").status_code == 404
    assert officer.get("/referrals/new/?case=V-11%00").status_code == 404
    on = timezone.localdate().isoformat()
    refused = _refused(officer.get(f"/api/cases/V-11/check?agreement=us%00&on={on}"))
    assert "agreement" in refused
    assert signed_in("counsel").post("/counsel/clients/V-11%00/stays/").status_code == 404
