"""The audit log records what an action chose, never a person's data.

A case file imported, a person referred, noticed, answered, flown and handed over, another
claiming fear, stayed and withdrawn: every entry the log keeps names its models by key, keeps
the values its action declares, and of everything else only the names and one digest.
"""

import hashlib
import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accords.audit.log import canonical_json, log_verify
from accords.audit.models import AuditEntry
from accords.cases.models import FearClaim, Notice
from accords.cases.tests.conftest import case_doc
from accords.core.actions import action, audit_details
from accords.core.services import user_create, user_preferences_set
from accords.demo.accounts import demo_accounts_ensure
from accords.registry.models import Agreement
from accords.transfers import services
from accords.transfers.models import ManifestEntry
from accords.transfers.tests.stages import flight, people, world_make

# A synthetic person whose every detail is unusual enough to be found if it were kept.
GIVEN, FAMILY, BORN = "Zephyrine", "Quillfeather", "1977-03-14"
SECRETS = [GIVEN, FAMILY, BORN, "Ondine Larkspur", "attested in Spanish", "moved to Quebec",
           "no place before March", "accords-demo"]  # fmt: skip


def _log_text() -> str:
    return json.dumps(list(AuditEntry.objects.values("details", "object_id", "action")))


@pytest.mark.django_db
def test_an_imported_case_file_leaves_no_name_or_birth_date_in_the_log(tmp_path, client):
    doc = case_doc("AUD-1", person={"given_name": GIVEN, "family_name": FAMILY,
                                    "birth_date": BORN})  # fmt: skip
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(doc) + "\n")
    call_command("import", str(path))
    other = case_doc("AUD-2", person={"given_name": GIVEN, "family_name": FAMILY,
                                      "birth_date": BORN})  # fmt: skip
    demo_accounts_ensure()
    client.force_login(User.objects.get(username="sending.officer"))
    posted = client.post("/api/case-files", [other], content_type="application/json")
    assert posted.status_code == 202
    entries = AuditEntry.objects.filter(action="case.import_chunk").order_by("seq")
    assert entries.count() == 2
    for entry, case in zip(entries, (doc, other), strict=True):
        assert entry.details["arguments"] == {"source": entry.details["arguments"]["source"]}
        digest = hashlib.sha256(canonical_json({"case_files": [case]}).encode()).hexdigest()
        assert entry.details["digest"] == {"arguments": ["case_files"], "sha256": digest}
        [[pk, file_hash]] = entry.details["result"]["cases"]
        assert pk and len(file_hash) == 64
    log = _log_text()
    assert not [s for s in (GIVEN, FAMILY, BORN) if s in log]


# What each action's entry keeps of the arguments the scenario below gives it: recorded (as
# given, or a model by key), digested, withheld.
EXPECTED = {
    "user.create": ({"username", "role", "receiving_state"}, set(), {"password"}),
    "reference_data.load": (set(), set(), set()),
    "case.import_chunk": ({"source"}, {"case_files"}, set()),
    "referral.create": ({"person", "agreement", "proposed_on"}, set(), set()),
    "notice.serve": (
        {"referral", "language", "interpreter_language"},
        {"interpreter_name", "interpreter_attestation"},
        set(),
    ),
    "acceptance.decide": ({"referral", "decision"}, {"reasons"}, set()),
    "referral.withdraw": ({"referral"}, {"reason"}, set()),
    "fear_claim.record": ({"person"}, {"country", "stated_on"}, set()),
    "fear_claim.screen": ({"claim", "outcome"}, {"screened_on"}, set()),
    "stay.record": ({"person"}, {"granted_by", "valid_from"}, set()),
    "flight.create": ({"agreement", "departs_on", "route", "seats"}, set(), set()),
    "manifest.list": ({"manifest", "referrals"}, set(), set()),
    "manifest.lock": ({"manifest"}, set(), set()),
    "manifest.depart": ({"manifest"}, set(), set()),
    "handover.record": ({"entry", "at", "place"}, set(), set()),
    "counsel_feed.issue": ({"counsel"}, set(), set()),
}


@pytest.mark.django_db
def test_each_action_keeps_what_it_declares_and_a_digest_of_the_rest():
    world = world_make()
    officer, supervisor = world["sending.officer"], world["sending.supervisor"]
    receiving = world["receiving.officer"]
    flown, declined, feared = people("AUD-1", "AUD-2", "AUD-3", given_name=GIVEN,
                                     family_name=FAMILY, birth_date=BORN)  # fmt: skip
    rwanda = Agreement.objects.get(key="us-rwanda")
    today = timezone.localdate()
    referral = services.referral_create(actor=officer, person=flown, agreement=rwanda,
                                        proposed_on=today)  # fmt: skip
    notice = services.notice_serve(actor=officer, referral=referral, language="en",
                                   interpreter_name="Ondine Larkspur", interpreter_language="es",
                                   interpreter_attestation="attested in Spanish")  # fmt: skip
    # Served eleven days ago, so its window has run by the flight.
    Notice.objects.filter(pk=notice.pk).update(served_at=timezone.now() - timedelta(days=11))
    services.acceptance_decide(actor=receiving, referral=referral, decision="accepted")
    other = services.referral_create(actor=officer, person=declined, agreement=rwanda,
                                     proposed_on=today)  # fmt: skip
    services.acceptance_decide(actor=receiving, referral=other, decision="declined",
                               reasons="no place before March")  # fmt: skip
    third = services.referral_create(actor=officer, person=feared, agreement=rwanda,
                                     proposed_on=today)  # fmt: skip
    services.referral_withdraw(actor=officer, referral=third, reason="moved to Quebec")
    services.fear_claim_record(actor=officer, person=feared, country="RW",
                               stated_on=today - timedelta(days=3))  # fmt: skip
    services.fear_claim_screen(actor=officer, claim=FearClaim.objects.get(person=feared),
                               outcome="negative", screened_on=today)  # fmt: skip
    services.stay_record(actor=officer, person=feared, granted_by="BIA", valid_from=today)
    plane = flight(world, in_days=0)
    services.manifest_list(actor=supervisor, manifest=plane.manifest, referrals=[referral])
    services.manifest_lock(actor=supervisor, manifest=plane.manifest)
    services.manifest_depart(actor=supervisor, manifest=plane.manifest)
    entry = ManifestEntry.objects.get(referral=referral, status="departed")
    services.handover_record(actor=receiving, entry=entry, place="Kigali",
                             at=entry.departed_at + timedelta(hours=2))  # fmt: skip
    services.counsel_feed_issue(actor=supervisor, counsel=world["counsel"])

    kept = {}
    for logged in AuditEntry.objects.order_by("seq"):
        details = logged.details
        kept[logged.action] = (
            set(details["arguments"]),
            set(details.get("digest", {}).get("arguments", [])),
            set(details.get("withheld", [])),
        )
    wrong = {
        name: (kept.get(name), expected)
        for name, expected in EXPECTED.items()
        if name in kept and kept[name] != expected
    }
    assert not wrong, wrong
    assert set(EXPECTED) - set(kept) == set(), set(EXPECTED) - set(kept)
    log = _log_text()
    assert not [s for s in SECRETS if s in log]
    assert log_verify().ok


@given(
    decision=st.sampled_from(["accepted", "declined"]),
    reasons=st.text(),
    password=st.text(min_size=1),
    when=st.dates(),
)
def test_the_digest_is_of_the_undeclared_values_and_only_declared_ones_are_kept(
    decision, reasons, password, when
):
    details = audit_details(
        {"decision": decision, "reasons": reasons, "password": password, "when": when,
         "progress": print},
        records=("decision",),
        withholds=("password",),
    )  # fmt: skip
    expected = hashlib.sha256(canonical_json({"reasons": reasons, "when": when}).encode())
    assert details == {
        "arguments": {"decision": decision},
        "digest": {"arguments": ["reasons", "when"], "sha256": expected.hexdigest()},
        "withheld": ["password"],
    }


def test_an_action_declaring_an_argument_it_does_not_take_is_refused_at_once():
    with pytest.raises(TypeError, match="takes no argument decison"):

        @action("test.typo", records=("decison",))
        def _typo(*, actor, decision):
            return None


@pytest.mark.django_db
def test_an_account_holders_name_and_preferences_are_kept_only_as_a_digest():
    """The full name a notice names its officer by, and the language and zone a user chose:
    their argument names and one digest, never the values."""
    user = user_create(actor=None, username="named.officer", password="a-long-Passphrase-9",
                       role="counsel", first_name=GIVEN, last_name=FAMILY)  # fmt: skip
    user_preferences_set(actor=user, user=user, language="fr", time_zone="America/Bogota")
    created = AuditEntry.objects.filter(action="user.create").latest("seq").details
    assert {"first_name", "last_name"} <= set(created["digest"]["arguments"])
    assert not {"first_name", "last_name"} & set(created["arguments"])
    chosen = AuditEntry.objects.filter(action="user.preferences_set").latest("seq").details
    assert chosen["digest"]["arguments"] == ["language", "time_zone"]
    log = _log_text()
    assert not [s for s in (GIVEN, FAMILY, "America/Bogota") if s in log]
