"""Referrals on the web and through the API, as a sending officer works them: refer, read every
gate, serve notice, record a fear claim, its screening and a stay, withdraw; bad input gets
the field's error and nothing is written; nobody sees a referral whose person is not theirs."""

import json
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.formats import date_format

from accords.audit.models import AuditEntry
from accords.cases.models import FearClaim, Notice, Person, Stay
from accords.cases.services import case_import
from accords.cases.tests.conftest import case_doc
from accords.core.services import user_create
from accords.core.tests.world import world_ensure
from accords.core.words import gate_title
from accords.demo.accounts import DEMO_PASSWORD
from accords.registry.models import Agreement
from accords.transfers import selectors, services
from accords.transfers.models import NoticeDocument, Referral

TODAY = timezone.localdate().isoformat()


@pytest.fixture
def world(db):
    world_ensure()
    user_create(actor=None, username="counsel.two", password=DEMO_PASSWORD, role="counsel")
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def signed_in(client, world):
    def as_user(username: str):
        client.logout()
        assert client.login(username=username, password=DEMO_PASSWORD)
        return client

    return as_user


def _person(number: str, **person) -> Person:
    doc = case_doc(number, notices=[], acceptances=[], person=person)
    case_import(actor=None, records=[(1, doc)], source="test")
    return Person.objects.get(case_number=number)


def _refer(world, person: Person, key: str = "us-rwanda") -> Referral:
    return services.referral_create(actor=world["sending.officer"], person=person,
                                    agreement=Agreement.objects.get(key=key),
                                    proposed_on=timezone.localdate())  # fmt: skip


def test_an_officer_refers_a_person_and_the_page_shows_every_gate(world, signed_in):
    _person("R-1")
    client = signed_in("sending.officer")
    form = client.get("/referrals/new/?case=R-1")
    assert form.status_code == 200 and b'name="proposed_on"' in form.content
    proposed = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = client.post("/referrals/new/", {"case": "R-1", "agreement": "us-rwanda",
                                               "proposed_on": proposed})  # fmt: skip
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/referrals/{referral.pk}/"
    assert AuditEntry.objects.filter(action="referral.create", actor=world["sending.officer"])
    page = client.get(response["Location"]).content.decode()
    for gate in ("agreement.in_force", "us.final_order", "us.notice", "us.receiving_acceptance"):
        assert gate_title(gate) in page and gate not in page
    # What each held gate waits for, and until when: acceptance has no date, notice none yet.
    assert "Waiting for" in page and "RW vets and accepts the person by name" in page
    assert "no date: until that happens" in page
    assert f"as of {date_format(date.fromisoformat(proposed))}" in page
    assert "has not answered yet" in page


def test_bad_referral_input_names_the_field_and_writes_nothing(world, signed_in):
    _person("R-2")
    client = signed_in("sending.officer")
    before = AuditEntry.objects.count()
    bad_date = client.post("/referrals/new/", {"case": "R-2", "agreement": "us-rwanda",
                                               "proposed_on": "soon"})  # fmt: skip
    assert bad_date.status_code == 422
    assert "proposed_on" in bad_date.context["form"].errors
    unknown = client.post("/referrals/new/", {"case": "R-2", "agreement": "us-atlantis",
                                              "proposed_on": TODAY})  # fmt: skip
    assert "agreement" in unknown.context["form"].errors
    assert not Referral.objects.exists() and AuditEntry.objects.count() == before
    _refer(world, Person.objects.get(case_number="R-2"))
    again = client.post("/referrals/new/", {"case": "R-2", "agreement": "us-ghana",
                                            "proposed_on": TODAY})  # fmt: skip
    assert again.status_code == 422
    assert "already has an open referral" in again.content.decode()
    assert Referral.objects.count() == 1


def test_an_officer_serves_notice_and_records_claims_stays_and_withdrawal(world, signed_in):
    referral = _refer(world, _person("R-3", languages=["es"]))
    client = signed_in("sending.officer")
    url = f"/referrals/{referral.pk}/"
    # An interpreter's language without their name and attestation is refused, on its field.
    refused = client.post(f"{url}notices/", {"language": "en", "served_on": "person",
                                             "method": "in person", "interpreter_language": "ti"})  # fmt: skip
    assert refused.status_code == 422
    assert "interpreter_name" in refused.context["serve_form"].errors
    assert not Notice.objects.exists()
    served = client.post(f"{url}notices/", {"language": "es", "served_on": "person",
                                            "method": "in person"})  # fmt: skip
    assert served.status_code == 302
    document = NoticeDocument.objects.get()
    assert document.notice.understood and not document.translation_checked
    page = client.get(url).content.decode()
    assert f"/notices/{document.pk}/" in page and "the 24-hour notice period" in page

    # Tomorrow may be today where the claim was stated (validation.CLOCK_SKEW); not later.
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    assert (
        client.post(f"{url}fear-claims/", {"country": "rw", "stated_on": future}).status_code == 422
    )
    assert (
        client.post(f"{url}fear-claims/", {"country": "rw", "stated_on": "2026-11-01"}).status_code
        == 302
    )
    claim = FearClaim.objects.get(person=referral.person)
    assert claim.country == "RW" and claim.outcome == "pending"
    screen = f"{url}fear-claims/{claim.pk}/screening/"
    early = client.post(screen, {f"screen-{claim.pk}-outcome": "negative",
                                 f"screen-{claim.pk}-screened_on": "2026-10-01"})  # fmt: skip
    assert early.status_code == 422 and "cannot precede the claim" in early.content.decode()
    assert client.post(screen, {f"screen-{claim.pk}-outcome": "negative",
                                f"screen-{claim.pk}-screened_on": "2026-11-05"}).status_code == 302  # fmt: skip
    claim.refresh_from_db()
    assert claim.outcome == "negative" and claim.screened_on == date(2026, 11, 5)

    backwards = client.post(f"{url}stays/", {"granted_by": "BIA", "valid_from": "2026-11-20",
                                             "valid_until": "2026-11-01"})  # fmt: skip
    assert backwards.status_code == 422 and not Stay.objects.exists()
    assert (
        client.post(f"{url}stays/", {"granted_by": "BIA", "valid_from": "2026-11-20"}).status_code
        == 302
    )
    assert "No stay of removal" in client.get(url).content.decode()

    assert client.post(f"{url}withdraw/", {"reason": ""}).status_code == 422
    assert client.post(f"{url}withdraw/", {"reason": "stay granted"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "withdrawn" and referral.closed_reason == "stay granted"
    assert "Serve notice" not in client.get(url).content.decode()
    actions = list(AuditEntry.objects.filter(actor=world["sending.officer"])
                   .order_by("seq").values_list("action", flat=True))  # fmt: skip
    assert actions == ["referral.create", "notice.serve", "fear_claim.record",
                       "fear_claim.screen", "stay.record", "referral.withdraw"]  # fmt: skip


def test_the_referral_list_filters_by_status(world, signed_in):
    kept, dropped = _refer(world, _person("R-4")), _refer(world, _person("R-5"))
    services.referral_withdraw(actor=world["sending.officer"], referral=dropped, reason="test")
    client = signed_in("sending.supervisor")
    everything = client.get("/referrals/").content.decode()
    assert "R-4" in everything and "R-5" in everything
    open_only = client.get("/referrals/?status=open").content.decode()
    assert f"/referrals/{kept.pk}/" in open_only and f"/referrals/{dropped.pk}/" not in open_only
    assert client.get("/referrals/?status=nonsense").status_code == 200


def test_the_referral_list_says_what_each_open_referral_waits_for(world, signed_in):
    waiting = _refer(world, _person("R-9"))  # no notice, no answer from Rwanda
    cleared = _refer(world, _imported_ready("R-10"))
    services.acceptance_decide(actor=world["receiving.officer"], referral=cleared,
                               decision="accepted")  # fmt: skip
    services.referral_withdraw(actor=world["sending.officer"], referral=_refer(
        world, _person("R-11")), reason="test")  # fmt: skip
    rows = selectors.referrals_waiting(list(Referral.objects.all()))
    assert rows[waiting.pk]["decision"] == "pending"
    assert {"us.notice", "us.receiving_acceptance"} <= set(rows[waiting.pk]["gates"])
    assert rows[cleared.pk] == {"decision": "cleared", "gates": [], "earliest_clear": None}
    assert (
        rows.get(Referral.objects.get(status="withdrawn").pk) is None
    )  # closed: nothing to wait on
    page = signed_in("sending.officer").get("/referrals/").content.decode()
    assert "Now waiting for" in page and "Receiving state accepted by name" in page
    assert "no date: until someone acts" in page


def _imported_ready(number: str) -> Person:
    """A case file whose notice was served long ago: it waits only for Rwanda's answer."""
    case_import(actor=None, records=[(1, case_doc(number))], source="test")
    return Person.objects.get(case_number=number)


def test_nobody_sees_a_referral_whose_person_is_not_theirs(world, signed_in, client):
    mine = _refer(world, _person("R-6", counsel="counsel"))
    theirs = _refer(world, _person("R-7", counsel="counsel.two"))
    ghana = _refer(world, _person("R-8"), key="us-ghana")
    counsel = signed_in("counsel")
    listed = counsel.get("/referrals/").content.decode()
    assert "R-6" in listed and "R-7" not in listed and "R-8" not in listed
    assert counsel.get(f"/referrals/{mine.pk}/").status_code == 200
    assert counsel.get(f"/referrals/{theirs.pk}/").status_code == 404
    assert "Serve notice" not in counsel.get(f"/referrals/{mine.pk}/").content.decode()
    assert counsel.post(f"/referrals/{mine.pk}/withdraw/", {"reason": "x"}).status_code == 403
    receiving = signed_in("receiving.officer")  # serves RW
    # Their view of a referral to their state is the receiving page, never the sending side's.
    assert receiving.get(f"/referrals/{mine.pk}/")["Location"] == f"/receiving/referrals/{mine.pk}/"
    assert receiving.get(f"/referrals/{ghana.pk}/").status_code == 404
    assert receiving.get(f"/api/referrals/{mine.pk}").status_code == 404
    assert receiving.get("/api/referrals").json()["items"] == []
    notice = services.notice_serve(actor=world["sending.officer"], referral=mine, language="es")
    assert receiving.get(f"/notices/{notice.document.pk}/").status_code == 404
    finance = signed_in("finance")
    assert finance.get("/referrals/").status_code == 403
    assert finance.get(f"/referrals/{mine.pk}/").status_code == 403
    assert finance.get("/referrals/new/?case=R-6").status_code == 403
    client.logout()
    assert client.get(f"/referrals/{mine.pk}/").status_code == 302
    assert client.get("/referrals/")["Location"].startswith("/accounts/login/")


# The API: the same services, the same scoping.


def _post(client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_api_refers_serves_and_explains(world, signed_in):
    _person("A-1", counsel="counsel")
    client = signed_in("sending.officer")
    created = _post(client, "/api/referrals", {"case_number": "A-1", "agreement": "us-rwanda",
                                               "proposed_on": TODAY})  # fmt: skip
    assert created.status_code == 201, created.content
    rid = created.json()["id"]
    assert created.json()["case_number"] == "A-1" and created.json()["status"] == "open"
    served = _post(client, f"/api/referrals/{rid}/notices", {"language": "es"})
    assert served.status_code == 201, served.content
    notice = served.json()
    assert notice["served_on"] == "person_and_counsel" and notice["served_electronically_at"]
    assert notice["pdf"] == f"/notices/{notice['id']}.pdf"
    claim = _post(client, f"/api/referrals/{rid}/fear-claims", {"country": "RW",
                                                                 "stated_on": "2026-11-25"})  # fmt: skip
    assert claim.status_code == 201 and claim.json()["outcome"] == "pending"
    screened = _post(client, f"/api/referrals/{rid}/fear-claims/{claim.json()['id']}/screening",
                     {"outcome": "positive", "screened_on": "2026-11-25"})  # fmt: skip
    assert screened.status_code == 200 and screened.json()["outcome"] == "positive"
    detail = client.get(f"/api/referrals/{rid}").json()
    gates = {g["gate"]: g for g in detail["explanation"]["gates"]}
    assert gates["us.notice"]["outcome"] == "pending" and gates["us.notice"]["earliest_clear"]
    assert gates["us.fear_claim"]["outcome"] != "pass"
    assert [n["id"] for n in detail["notices"]] == [notice["id"]]
    stay = _post(client, f"/api/referrals/{rid}/stays", {"granted_by": "BIA",
                                                          "valid_from": "2026-11-25"})  # fmt: skip
    assert stay.status_code == 201
    withdrawn = _post(client, f"/api/referrals/{rid}/withdraw", {"reason": "positive screening"})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    listed = client.get("/api/referrals?status=withdrawn").json()
    assert [r["id"] for r in listed["items"]] == [rid]


def test_the_api_names_the_field_at_fault_and_writes_nothing(world, signed_in):
    referral = _refer(world, _person("A-2", languages=["ti"]))
    client = signed_in("sending.officer")
    before = AuditEntry.objects.count()

    def fields(response):
        assert response.status_code == 422, response.content
        return {tuple(d["loc"])[-1] for d in response.json()["detail"]}

    assert "proposed_on" in fields(_post(client, "/api/referrals", {
        "case_number": "A-2", "agreement": "us-rwanda", "proposed_on": "soon"}))  # fmt: skip
    assert "agreement" in fields(_post(client, "/api/referrals", {
        "case_number": "A-2", "agreement": "us-atlantis", "proposed_on": TODAY}))  # fmt: skip
    twice = _post(client, "/api/referrals", {"case_number": "A-2", "agreement": "us-ghana",
                                             "proposed_on": TODAY})  # fmt: skip
    assert twice.status_code == 422 and "already has an open referral" in twice.content.decode()
    url = f"/api/referrals/{referral.pk}"
    assert "interpreter_name" in fields(_post(client, f"{url}/notices", {
        "language": "en", "interpreter_language": "ti"}))  # fmt: skip
    assert "language" in fields(_post(client, f"{url}/notices", {"language": "ti"}))
    assert "reason" in fields(_post(client, f"{url}/withdraw", {"reason": ""}))
    assert "reason" in fields(_post(client, f"{url}/withdraw", {"reason": "nul \u0000 byte"}))
    assert "valid_until" in fields(_post(client, f"{url}/stays", {
        "granted_by": "BIA", "valid_from": "2026-11-20", "valid_until": "2026-11-01"}))  # fmt: skip
    assert AuditEntry.objects.count() == before and not Notice.objects.exists()
    assert client.get("/api/referrals/99999999999999999999").status_code == 404
    assert client.get("/api/referrals/9223372036854775807").status_code == 404


def test_the_api_shows_each_role_only_its_own(world, signed_in, client):
    mine = _refer(world, _person("A-3", counsel="counsel"))
    theirs = _refer(world, _person("A-4", counsel="counsel.two"))
    counsel = signed_in("counsel")
    assert [r["id"] for r in counsel.get("/api/referrals").json()["items"]] == [mine.pk]
    assert counsel.get(f"/api/referrals/{theirs.pk}").status_code == 404
    # Counsel record a fear claim or a stay for their own client, and for no one else.
    claim = _post(counsel, f"/api/referrals/{mine.pk}/fear-claims", {"country": "RW",
                                                                     "stated_on": "2026-11-24"})  # fmt: skip
    assert claim.status_code == 201
    assert AuditEntry.objects.filter(action="fear_claim.record").get().actor == world["counsel"]
    assert _post(counsel, f"/api/referrals/{theirs.pk}/fear-claims", {
        "country": "RW", "stated_on": "2026-11-24"}).status_code == 404  # fmt: skip
    assert (
        _post(counsel, f"/api/referrals/{mine.pk}/notices", {"language": "en"}).status_code == 403
    )
    assert _post(counsel, f"/api/referrals/{mine.pk}/withdraw", {"reason": "x"}).status_code == 403
    finance = signed_in("finance")
    assert finance.get("/api/referrals").status_code == 403
    assert finance.get(f"/api/referrals/{mine.pk}").status_code == 403
    editor = signed_in("registry.editor")
    assert editor.get(f"/api/referrals/{mine.pk}").status_code == 403
    client.logout()
    assert client.get("/api/referrals").status_code == 401
    assert client.get(f"/api/referrals/{mine.pk}").status_code == 401
