"""The receiving state's answer by diplomatic note, on the referral page: a sending supervisor
records the note with its reference and file; a second supervisor confirms it, and only then
is it the state's answer. The note's file can be read back as it was received."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accords.transfers import services
from accords.transfers.models import DiplomaticNote
from accords.transfers.views.referral_forms import ConfirmNoteForm, DiplomaticNoteForm
from accords.transfers.views.referrals import _act, _referral

RECORD = "transfers.add_diplomaticnote"
CONFIRM = "transfers.change_diplomaticnote"


def _note(request, pk: int, note: int) -> DiplomaticNote:
    referral = _referral(request, pk)
    try:
        return referral.diplomatic_notes.get(pk=note)
    except DiplomaticNote.DoesNotExist:
        raise Http404("No such note") from None


@login_required
@permission_required(RECORD, raise_exception=True)
@require_POST
def note_record(request, pk: int):
    referral = _referral(request, pk)
    form = DiplomaticNoteForm(request.POST, request.FILES)

    def perform(data):
        upload = data.pop("document")
        document = services.NoteFile(name=upload.name, content=upload.read())
        services.diplomatic_note_record(actor=request.user, referral=referral,
                                        document=document, **data)  # fmt: skip

    done = _("Note recorded. A second supervisor confirms it before it counts.")
    return _act(request, referral, "note", form, perform, done)


@login_required
@permission_required(CONFIRM, raise_exception=True)
@require_POST
def note_confirm(request, pk: int, note: int):
    found = _note(request, pk, note)

    def perform(_data):
        services.diplomatic_note_confirm(actor=request.user, note=found)

    done = _("Note confirmed: it stands as the receiving state's answer.")
    return _act(request, found.referral, "confirm", ConfirmNoteForm(request.POST), perform, done)


@login_required
@permission_required("transfers.view_referral", raise_exception=True)
def note_file(request, pk: int, note: int):
    found = _note(request, pk, note)
    response = HttpResponse(bytes(found.document), content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, found.document_name)
    return response


urlpatterns = [
    path("referrals/<int:pk>/diplomatic-notes/", note_record, name="referral_note_record"),
    path("referrals/<int:pk>/diplomatic-notes/<int:note>/confirm/", note_confirm,
         name="referral_note_confirm"),
    path("referrals/<int:pk>/diplomatic-notes/<int:note>/file/", note_file,
         name="referral_note_file"),
]  # fmt: skip
