"""Separation of duties: the receiving state's answer counts only when that state gave it to
the referral in question, through its officer in Accords or by a diplomatic note a sending
supervisor recorded and a second supervisor confirmed. The sending side cannot answer for it by
importing a case file: such an answer is kept as a report, shown as one, and clears nothing."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accords.audit.models import AuditEntry
from accords.cases.models import Acceptance, Provenance
from accords.cases.screening import case_explanation
from accords.cases.tests.conftest import case_doc
from accords.core.services import user_create
from accords.demo.accounts import DEMO_PASSWORD
from accords.transfers import services
from accords.transfers.models import DiplomaticNote, ManifestEntry, Referral
from accords.transfers.tests import stages

NOTE = b"%PDF-1.4 Note verbale No. 2026/114: the Republic accepts the person named.\n"


@pytest.fixture
def world(db):
    world = stages.world_make()
    world["second.supervisor"] = user_create(
        actor=None, username="second.supervisor", password=DEMO_PASSWORD,
        role="sending_supervisor", sending_state="US",
    )  # fmt: skip
    return world


@pytest.fixture
def signed_in(client, world):
    def as_user(username: str):
        client.logout()
        assert client.login(username=username, password=DEMO_PASSWORD)
        return client

    return as_user


def _answer_gate(referral: Referral) -> dict:
    explained = case_explanation(
        referral.person, referral.agreement, timezone.now().replace(tzinfo=None)
    )
    return next(g for g in explained["gates"] if g["gate"] == "us.receiving_acceptance")


def _awaiting_section(page: str) -> str:
    return page.split("Awaiting your answer")[1].split("Answered, not yet travelled")[0]


def test_an_answer_the_sending_state_imports_clears_nothing(world, signed_in):
    """The issue's story: a referred person's case file is imported again with Rwanda's
    "acceptance" in it. Rwanda has not answered: the gate still waits, Rwanda's officer still
    sees the person awaiting an answer, and the planner and the departure both refuse them."""
    referral = stages.noticed(world, stages.referred(world, stages.people("IMP-1")[0]))
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    forged = case_doc("IMP-1", notices=[], acceptances=[
        {"receiving_state": "RW", "decision": "accepted", "decided_on": yesterday}
    ])  # fmt: skip
    officer = signed_in("sending.officer")
    imported = officer.post("/api/case-files", [forged], content_type="application/json")
    assert imported.status_code == 202, imported.content

    reported = Acceptance.objects.get(person=referral.person)
    assert reported.provenance == Provenance.IMPORT
    assert _answer_gate(referral)["outcome"] == "pending"

    page = officer.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Rwanda has not answered yet" in page
    assert "reported by the sending state's import; not an answer" in page
    assert "accepted this person by name" not in page

    receiving = signed_in("receiving.officer").get("/receiving/").content.decode()
    assert "IMP-1" in _awaiting_section(receiving)

    flight = stages.flight(world, in_days=0)  # departs today: departure only on its day
    services.plan_create(actor=world["sending.supervisor"], flight=flight,
                         policy_name="default-2026")  # fmt: skip
    assert not flight.manifest.entries.exists()
    # Listed by hand all the same, the departure takes the person off for want of an answer.
    supervisor = world["sending.supervisor"]
    services.manifest_list(actor=supervisor, manifest=flight.manifest, referrals=[referral])
    services.manifest_lock(actor=supervisor, manifest=flight.manifest)
    result = services.manifest_depart(actor=supervisor, manifest=flight.manifest)
    assert result["departed"] == [] and result["removed"] == ["IMP-1"]
    entry = ManifestEntry.objects.get(referral=referral)
    assert "us.receiving_acceptance" in {g["gate"] for g in entry.removed_reason}

    # Rwanda's own officer answers: that answer counts, and the report stays a report.
    stages.accepted(world, referral)
    assert _answer_gate(referral)["outcome"] == "pass"
    assert Acceptance.objects.filter(provenance=Provenance.IMPORT).count() == 1


def test_only_the_officer_of_the_receiving_state_answers_for_it(world):
    referral = stages.referred(world, stages.people("OFF-1")[0])
    for username in ("eswatini.officer", "sending.officer", "sending.supervisor"):
        with pytest.raises(ValidationError, match="receiving state's officer"):
            services.acceptance_decide(actor=world[username], referral=referral,
                                       decision="accepted")  # fmt: skip
    assert not Acceptance.objects.exists()
    stages.accepted(world, referral)
    answer = Acceptance.objects.get()
    assert (answer.provenance, answer.recorded_by, answer.recorded_as) == (
        Provenance.WORKFLOW,
        world["receiving.officer"],
        "receiving_officer",
    )


def _record_note(world, referral, by="sending.supervisor", **fields) -> DiplomaticNote:
    values = {"reference": "NV-2026/114", "decision": "accepted",
              "decided_on": timezone.localdate(), **fields}  # fmt: skip
    return services.diplomatic_note_record(
        actor=world[by], referral=referral,
        document=services.NoteFile(name="note-verbale.pdf", content=NOTE), **values,
    )  # fmt: skip


def test_a_diplomatic_note_counts_once_a_second_supervisor_confirms_it(world):
    referral = stages.noticed(world, stages.referred(world, stages.people("DN-1")[0]))
    note = _record_note(world, referral)
    assert note.document_sha256 == hashlib.sha256(NOTE).hexdigest()
    assert bytes(note.document) == NOTE
    # Recorded, not confirmed: it answers nothing yet.
    assert _answer_gate(referral)["outcome"] == "pending"
    with pytest.raises(ValidationError, match="second person"):
        services.diplomatic_note_confirm(actor=world["sending.supervisor"], note=note)
    with pytest.raises(ValidationError, match="sending supervisor"):
        services.diplomatic_note_confirm(actor=world["sending.officer"], note=note)
    assert _answer_gate(referral)["outcome"] == "pending"

    services.diplomatic_note_confirm(actor=world["second.supervisor"], note=note)
    assert _answer_gate(referral)["outcome"] == "pass"
    answer = Referral.objects.get(pk=referral.pk).acceptance
    assert (answer.provenance, answer.recorded_by, answer.confirmed_by) == (
        Provenance.DOCUMENT,
        world["sending.supervisor"],
        world["second.supervisor"],
    )
    with pytest.raises(ValidationError):
        services.diplomatic_note_confirm(actor=world["second.supervisor"], note=note)
    # The audit log names the file by its hash, never holds its bytes.
    entry = AuditEntry.objects.filter(action="diplomatic_note.record").get()
    assert note.document_sha256 in str(entry.details) and "Note verbale" not in str(entry.details)


def test_only_a_sending_supervisor_records_a_note_and_a_decline_gives_reasons(world):
    referral = stages.referred(world, stages.people("DN-2")[0])
    for username in ("sending.officer", "receiving.officer"):
        with pytest.raises(ValidationError, match="sending supervisor"):
            _record_note(world, referral, by=username)
    with pytest.raises(ValidationError, match="reasons"):
        _record_note(world, referral, decision="declined")
    with pytest.raises(ValidationError, match="file"):
        services.diplomatic_note_record(
            actor=world["sending.supervisor"], referral=referral, reference="NV-1",
            decision="accepted", decided_on=timezone.localdate(),
            document=services.NoteFile(name="empty.pdf", content=b""),
        )  # fmt: skip
    assert not DiplomaticNote.objects.exists()


def test_a_note_is_recorded_and_confirmed_on_the_referral_page(world, signed_in):
    referral = stages.noticed(world, stages.referred(world, stages.people("DN-3")[0]))
    url = f"/referrals/{referral.pk}/"
    officer = signed_in("sending.officer")
    assert b"Record the answer received by diplomatic note" not in officer.get(url).content
    upload = SimpleUploadedFile("note.pdf", NOTE, content_type="application/pdf")
    refused = officer.post(f"{url}diplomatic-notes/", {"reference": "NV-1", "decision": "accepted",
                           "decided_on": timezone.localdate().isoformat(), "document": upload})  # fmt: skip
    assert refused.status_code == 403

    supervisor = signed_in("sending.supervisor")
    missing = supervisor.post(f"{url}diplomatic-notes/", {"reference": "NV-1",
                              "decision": "accepted",
                              "decided_on": timezone.localdate().isoformat()})  # fmt: skip
    assert missing.status_code == 422 and "document" in missing.context["note_form"].errors
    upload = SimpleUploadedFile("note.pdf", NOTE, content_type="application/pdf")
    recorded = supervisor.post(f"{url}diplomatic-notes/", {"reference": "NV-1",
                               "decision": "accepted",
                               "decided_on": timezone.localdate().isoformat(),
                               "document": upload})  # fmt: skip
    assert recorded.status_code == 302
    note = DiplomaticNote.objects.get()
    page = supervisor.get(url).content.decode()
    assert "awaiting a second supervisor" in page and "Rwanda has not answered yet" in page
    own = supervisor.post(f"{url}diplomatic-notes/{note.pk}/confirm/")
    assert own.status_code == 422 and "second person" in own.content.decode()

    second = signed_in("second.supervisor")
    assert second.post(f"{url}diplomatic-notes/{note.pk}/confirm/").status_code == 302
    page = second.get(url).content.decode()
    assert (
        "by diplomatic note, recorded by sending.supervisor and confirmed by second.supervisor"
        in page
    )
    assert second.get(f"{url}diplomatic-notes/{note.pk}/file/").content == NOTE


def test_a_note_is_recorded_and_confirmed_through_the_api(world, signed_in):
    referral = stages.referred(world, stages.people("DN-4")[0])
    url = f"/api/referrals/{referral.pk}/diplomatic-notes"
    form = {"reference": "NV-7", "decision": "declined", "reasons": "identity unconfirmed",
            "decided_on": timezone.localdate().isoformat()}  # fmt: skip
    officer = signed_in("sending.officer")
    upload = SimpleUploadedFile("note.pdf", NOTE, content_type="application/pdf")
    assert officer.post(url, {**form, "document": upload}).status_code == 403

    supervisor = signed_in("sending.supervisor")
    bad = supervisor.post(url, {**form, "decision": "maybe",
                                "document": SimpleUploadedFile("n.pdf", NOTE)})  # fmt: skip
    assert bad.status_code == 422 and not DiplomaticNote.objects.exists()
    for field, value in (("reference", "NV\x007"), ("decided_on", "4607-01-01"),
                         ("reasons", "x" * 2001)):  # fmt: skip
        refused = supervisor.post(url, {**form, field: value,
                                        "document": SimpleUploadedFile("n.pdf", NOTE)})  # fmt: skip
        assert refused.status_code == 422, (field, refused.content)
        assert field in str(refused.json()["detail"]) and not DiplomaticNote.objects.exists()
    created = supervisor.post(url, {**form, "document": SimpleUploadedFile("n.pdf", NOTE)})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["document_sha256"] == hashlib.sha256(NOTE).hexdigest() and body["counts"] is False
    own = supervisor.post(f"{url}/{body['id']}/confirm")
    assert own.status_code == 422 and own.json()["detail"][0]["loc"] == ["body", "note"]

    confirmed = signed_in("second.supervisor").post(f"{url}/{body['id']}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["counts"] is True
    assert _answer_gate(referral)["outcome"] == "block"  # Rwanda declined, by note
