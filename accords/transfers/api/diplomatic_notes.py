"""The receiving state's answer by diplomatic note, through the API: a sending supervisor
records the note (its reference, the answer it gives and its file, sent as a form with the
file); a second supervisor confirms it, and only then does it count. Thin: each endpoint checks
the role may do it, finds the referral through the selectors, and calls one service."""

from datetime import date, datetime

import ninja
from ninja import Field, File, Form, Path, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.security import django_auth

from accords.core import validation as kinds
from accords.core.api_auth import documented
from accords.transfers import services
from accords.transfers.api.referrals import _referral, _require
from accords.transfers.models import DiplomaticNote

router = Router(tags=["transfers"], auth=django_auth)

# Database keys are signed 64-bit: anything larger is no such row, not a database error.
Id = Path(..., ge=1, le=2**63 - 1)


class NoteIn(Schema):
    reference: kinds.text(100).api = Field(..., min_length=1)
    decision: DiplomaticNote.Decision
    decided_on: kinds.EVENT_DATE.api
    reasons: kinds.FREE_TEXT.api = ""


class NoteOut(Schema):
    id: int
    referral: int = Field(..., alias="referral_id")
    reference: str
    decision: str
    decided_on: date
    reasons: str
    document_name: str
    document_sha256: str
    recorded_by: str = Field(..., alias="recorded_by.username")
    recorded_at: datetime
    confirmed_by: str | None = Field(None, alias="confirmed_by.username")
    confirmed_at: datetime | None
    counts: bool = Field(..., description="Confirmed by a second supervisor: the state's answer.")

    @staticmethod
    def resolve_counts(note: DiplomaticNote) -> bool:
        return note.acceptance_id is not None


@router.post("/referrals/{referral_id}/diplomatic-notes", response=documented({201: NoteOut}))
def note_record(
    request, payload: Form[NoteIn], document: File[UploadedFile], referral_id: int = Id
):  # fmt: skip
    """Record the receiving state's answer received by diplomatic note, with the note's file.
    It counts for nothing until a second supervisor confirms it."""
    _require(request, "transfers.add_diplomaticnote")
    referral = _referral(request, referral_id)
    note_file = services.NoteFile(name=document.name or "note", content=document.read())
    note = services.diplomatic_note_record(actor=request.user, referral=referral,
                                           document=note_file, **payload.dict())  # fmt: skip
    return ninja.Status(201, note)


@router.post(
    "/referrals/{referral_id}/diplomatic-notes/{note_id}/confirm",
    response=documented({200: NoteOut}),
)
def note_confirm(request, referral_id: int = Id, note_id: int = Id):
    """A second supervisor, not the recorder, confirms the note: it becomes the answer."""
    _require(request, "transfers.change_diplomaticnote")
    referral = _referral(request, referral_id)
    try:
        note = referral.diplomatic_notes.get(pk=note_id)
    except DiplomaticNote.DoesNotExist:
        raise HttpError(404, "No such note") from None
    return services.diplomatic_note_confirm(actor=request.user, note=note)
