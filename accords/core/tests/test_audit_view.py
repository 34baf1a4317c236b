"""The audit view of monitors and auditors: entries found by case (through the ids the log
records, never a name), actor, action and date, a keyset page at a time; and the log verified
in the browser, a tampered entry named in words.

(Beside the core tests, not the audit app's: those begin each test with an empty log, and these
need the shared reference data, whose load is itself in the log.)"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accords.audit import search, verification
from accords.audit.checkpoint import COSIGNATURE_V1, signer_generate
from accords.audit.models import AuditEntry
from accords.audit.publishing import checkpoint_signed
from accords.audit.services import cosignature_create
from accords.audit.tests.tools import LOG_KEY, ORIGIN, tampering
from accords.cases.models import Person
from accords.core.zones import profile_today
from accords.demo.accounts import DEMO_PASSWORD
from accords.reception.tests.oversight_stages import arrived
from accords.transfers import services
from accords.transfers.tests import stages


def _today_of(username: str):
    return profile_today(User.objects.get(username=username).profile)


def _as(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


@pytest.fixture
def scene(db):
    world = stages.world_make()
    # Names found nowhere else on a page, so a name the log leaked would be seen.
    mine, other = stages.people("AU-1", "AU-2", given_name="Ysolde", family_name="Quarrington")
    referral = stages.referred(world, mine)
    services.referral_withdraw(actor=world["sending.supervisor"], referral=referral,
                               reason="Not now.")  # fmt: skip
    stages.referred(world, other)
    return world


def test_a_case_number_finds_the_entries_that_wrote_that_persons_rows(scene):
    response = _as("auditor").get("/audit/entries/", {"case": "AU-1"})
    assert response.status_code == 200
    actions = [e.action for e in response.context["entries"]]
    assert actions[:2] == ["referral.withdraw", "referral.create"]  # newest first
    assert "case.import_chunk" in actions
    page = response.content.decode()
    # The log names ids and actors, never the person's name.
    person = Person.objects.get(case_number="AU-1")
    assert person.family_name not in page
    assert person.given_name not in page and person.family_name == "Quarrington"
    # The other person's referral is not among them.
    other = _as("auditor").get("/audit/entries/", {"case": "AU-2"}).context["entries"]
    assert {e.seq for e in other}.isdisjoint(e.seq for e in response.context["entries"][:2])


def _answer(client: Client, case: str) -> tuple[int, str]:
    """The status and page of a search by case, the echoed case number and the form's token
    (new in every response, even to the same request) put aside."""
    response = client.get("/audit/entries/", {"case": case})
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "TOKEN", response.content.decode())
    return response.status_code, page.replace(case, "CASE")


def test_a_case_the_user_may_not_see_is_answered_as_one_that_does_not_exist(scene):
    """A monitor reads no case file: a case number that exists and one that does not get the
    same page, words and status, so the log cannot tell them which case numbers exist."""
    monitor = _as("monitor")
    unseen, unknown = _answer(monitor, "AU-1"), _answer(monitor, "ZZ-9")
    assert unseen == unknown
    assert unseen[0] == 400 and "No case you may see has this number." in unseen[1]
    assert "referral.create" not in unseen[1]
    # A monitor finds the case of someone arrived under an agreement they watch.
    arrived(scene, "AU-4")
    status, page = _answer(monitor, "AU-4")
    assert status == 200 and "referral.create" in page


def test_actor_action_and_dates_narrow_the_entries(scene):
    client = _as("auditor")
    found = client.get("/audit/entries/", {"actor": "sending.supervisor", "action": "referral"})
    assert [e.action for e in found.context["entries"]] == ["referral.withdraw"]
    today = _today_of("auditor")  # the dates are the auditor's, in the auditor's zone
    ahead = client.get("/audit/entries/", {"since": today + timedelta(days=1)})
    assert ahead.context["entries"] == []
    behind = client.get("/audit/entries/", {"until": today - timedelta(days=1), "case": "AU-1"})
    assert behind.context["entries"] == []
    assert client.get("/audit/entries/", {"since": today, "case": "AU-1"}).context["entries"]


def test_bad_input_names_the_field(scene):
    client = _as("auditor")
    response = client.get("/audit/entries/", {"case": "NO-SUCH-CASE"})
    assert response.status_code == 400
    assert "No case you may see has this number." in response.context["form"].errors["case"]
    today = _today_of("auditor")
    response = client.get("/audit/entries/", {"since": today, "until": today - timedelta(days=1)})
    assert response.status_code == 400 and "until" in response.context["form"].errors


def test_pages_follow_one_another_without_overlap(scene, monkeypatch):
    monkeypatch.setattr(search, "PAGE", 4)
    first, before = search.entries_find(search.Search())
    assert len(first) == search.PAGE and before == first[-1].seq
    second, _ = search.entries_find(search.Search(before=before))
    assert len(second) == 4 and max(e.seq for e in second) == before - 1
    response = _as("auditor").get("/audit/entries/")
    assert f"before={before}" in response.content.decode()


def test_verifying_in_the_browser_says_the_log_checks_out(scene, settings):
    settings.AUDIT_LOG_ORIGIN, settings.AUDIT_LOG_KEY = ORIGIN, str(LOG_KEY)
    settings.AUDIT_LOG_KEY_FILE = ""
    witness = signer_generate("monitor.example/w1", COSIGNATURE_V1)
    cosignature_create(actor=None, witness=witness, checkpoint=checkpoint_signed())
    stages.referred(scene, stages.people("AU-3")[0])
    client = _as("auditor")
    page = client.post("/audit/verify", {"scope": "whole"}).content.decode()
    assert "The log checks out." in page and "the root a witness cosigned" in page
    page = client.post("/audit/verify", {"scope": "recent"}).content.decode()
    assert "The log checks out." in page
    assert "The log extends the checkpoint a witness cosigned" in page


@pytest.mark.parametrize("scope", ["whole", "recent"])
def test_a_tampered_entry_is_named_in_words(scene, scope):
    last = AuditEntry.objects.order_by("-seq").first().seq
    with tampering():
        AuditEntry.objects.filter(seq=last - 1).update(actor_name="someone.else")
    page = _as("monitor").post("/audit/verify", {"scope": scope}).content.decode()
    assert "The log does NOT check out." in page
    assert f"ntry {last - 1} was altered after it was written" in page


def test_the_range_verified_is_said_when_the_log_is_large(scene, monkeypatch):
    monkeypatch.setattr(verification, "WHOLE_LOG_IN_REQUEST", 10)
    monkeypatch.setattr(verification, "RECENT_ENTRIES", 7)
    checked = verification.log_check()
    assert checked.ok and not checked.whole
    assert (checked.first, checked.last) == (checked.last - 6, AuditEntry.objects.count())
    assert any("were not recomputed in this request" in s for s in checked.said)
