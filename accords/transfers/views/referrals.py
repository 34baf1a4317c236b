"""Referral pages for sending officers: refer a person, follow every gate on the referral page,
serve notice, record a fear claim, its screening or a stay, withdraw (after a page showing what
withdrawing does); and each served notice as a page and as a PDF. Every write goes through
accords.transfers.services."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accords.cases import selectors as case_selectors
from accords.cases.models import FearClaim, Person, Provenance
from accords.core.forms import errors_onto, form_submit
from accords.core.templatetags.moments import moment_text
from accords.registry.models import Agreement
from accords.transfers import previews, rules, selectors, services
from accords.transfers.models import NoticeDocument, Referral
from accords.transfers.notice_pdf import notice_pdf as render_notice_pdf
from accords.transfers.views.referral_forms import (
    DiplomaticNoteForm,
    FearClaimForm,
    FearScreenForm,
    NoticeServeForm,
    ReferralFilterForm,
    ReferralForm,
    StayForm,
    WithdrawForm,
)

REFER = "transfers.add_referral"
CHANGE = "transfers.change_referral"


def _referral(request, pk: int) -> Referral:
    try:
        return selectors.referral_get(user=request.user, pk=pk)
    except Referral.DoesNotExist:
        raise Http404("No such referral") from None


def _detail_url(referral: Referral) -> str:
    return reverse("referral_detail", args=[referral.pk])


@login_required
@permission_required("transfers.view_referral", raise_exception=True)
def referral_list(request):
    form = ReferralFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    referrals = selectors.referral_list(user=request.user, status=status)
    page = Paginator(referrals, 50).get_page(request.GET.get("page"))
    waiting = selectors.referrals_waiting(list(page))
    rows = [(referral, waiting.get(referral.pk)) for referral in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "transfers/referral_list.html", context)


@login_required
@permission_required(REFER, raise_exception=True)
def referral_new(request):
    data = request.POST if request.method == "POST" else None
    case_number = (data or request.GET).get("case", "")
    try:
        person = case_selectors.person_get(user=request.user, case_number=case_number)
    except Person.DoesNotExist:
        raise Http404("No such case") from None
    initial = {"case": person.case_number, "proposed_on": timezone.localdate()}
    form = ReferralForm(data, initial=initial, user=request.user)
    if form.is_valid():
        agreement = Agreement.objects.get(key=form.cleaned_data["agreement"])
        try:
            referral = services.referral_create(
                actor=request.user,
                person=person,
                agreement=agreement,
                proposed_on=form.cleaned_data["proposed_on"],
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("Referred to %(a)s.") % {"a": agreement.name})
            return redirect(_detail_url(referral))
    status = 422 if form.is_bound else 200
    context = {"form": form, "person": person, "open": person.referrals.filter(status="open")}
    return render(request, "transfers/referral_new.html", context, status=status)


def _detail(request, referral: Referral, bound: dict | None = None, status: int = 200):
    """The referral page; `bound` holds a form that came back with errors, by its name."""
    bound = bound or {}
    person = referral.person
    today = timezone.localdate()
    screen_error = bound.get("screen")
    claims = [
        (claim, screen_error[1] if screen_error and screen_error[0] == claim.pk
         else FearScreenForm(prefix=f"screen-{claim.pk}", initial={"screened_on": today}))
        for claim in person.fear_claims.order_by("stated_on", "pk")
    ]  # fmt: skip
    destination = referral.agreement.receiving_state_id
    explanation = selectors.referral_explanation(referral)
    moment = explanation["as_of"]
    as_of = moment_text(moment) if isinstance(moment, datetime) else date_format(moment)
    context = {
        "referral": referral,
        "person": person,
        "explanation": explanation,
        "as_of": as_of,
        "notices": referral.notices.select_related("notice").order_by("notice__served_at"),
        "claims": claims,
        "stays": person.stays.order_by("valid_from"),
        "serve_form": bound.get("serve") or NoticeServeForm(),
        "fear_form": bound.get("fear")
        or FearClaimForm(initial={"country": destination, "stated_on": today}),
        "stay_form": bound.get("stay") or StayForm(initial={"valid_from": today}),
        "starts_on": rules.usable_starts_on(referral.agreement)
        if referral.status == Referral.Status.OPEN
        else None,
        "may_act": referral.status == Referral.Status.OPEN and request.user.has_perm(CHANGE),
        **_answer_context(request, referral, bound),
    }
    return render(request, "transfers/referral_detail.html", context, status=status)


def _answer_context(request, referral: Referral, bound: dict) -> dict:
    """The receiving state's answer as the referral page shows it: the answer that counts,
    the diplomatic notes recorded for it, and any answer the sending state's import reported,
    shown as a report that clears nothing."""
    unanswered = referral.status == Referral.Status.OPEN and not referral.acceptance_id
    notes = referral.diplomatic_notes.select_related("recorded_by", "confirmed_by")
    return {
        "answer_notes": list(notes),
        "reported_answers": referral.person.acceptances.filter(
            provenance=Provenance.IMPORT, receiving_state=referral.agreement.receiving_state_id
        ).order_by("decided_on"),
        "note_form": bound.get("note") or DiplomaticNoteForm(),
        "confirm_form": bound.get("confirm"),
        "may_record_note": unanswered and request.user.has_perm("transfers.add_diplomaticnote"),
        "may_confirm_note": unanswered and request.user.has_perm("transfers.change_diplomaticnote"),
    }


@login_required
@permission_required("transfers.view_referral", raise_exception=True)
def referral_detail(request, pk: int):
    if selectors.receiving_state_of(request.user):
        # A receiving officer's view of a referral is the receiving page, with the person's
        # file as far as their state needs it; the sending side's record is not theirs.
        if selectors.receiving_referrals(request.user).filter(pk=pk).exists():
            return redirect("receiving_referral", pk=pk)
        raise Http404("No such referral")
    return _detail(request, _referral(request, pk))


def _act(request, referral: Referral, name: str, form, perform, done: str, shown=None):
    """Run one service from one posted form: on success back to the referral page with a
    message; on refusal the same page with the form's errors, and nothing written."""
    return form_submit(request, form, perform, done=done, back=_detail_url(referral),
                       page=lambda status: _detail(request, referral, {name: shown or form},
                                                   status=422))  # fmt: skip


@login_required
@permission_required("transfers.add_noticedocument", raise_exception=True)
@require_POST
def notice_serve(request, pk: int):
    referral = _referral(request, pk)

    def perform(data):
        services.notice_serve(actor=request.user, referral=referral, **data)

    form = NoticeServeForm(request.POST)
    return _act(request, referral, "serve", form, perform, _("Notice served."))


@login_required
@permission_required("cases.add_fearclaim", raise_exception=True)
@permission_required(CHANGE, raise_exception=True)
@require_POST
def fear_claim_record(request, pk: int):
    referral = _referral(request, pk)

    def perform(data):
        services.fear_claim_record(actor=request.user, person=referral.person, **data)

    form = FearClaimForm(request.POST)
    return _act(request, referral, "fear", form, perform, _("Fear claim recorded."))


@login_required
@permission_required("cases.change_fearclaim", raise_exception=True)
@require_POST
def fear_claim_screen(request, pk: int, claim: int):
    referral = _referral(request, pk)
    try:
        fear_claim = referral.person.fear_claims.get(pk=claim)
    except FearClaim.DoesNotExist:
        raise Http404("No such fear claim") from None
    form = FearScreenForm(request.POST, prefix=f"screen-{claim}")

    def perform(data):
        services.fear_claim_screen(actor=request.user, claim=fear_claim, **data)

    done = _("Screening outcome recorded.")
    return _act(request, referral, "screen", form, perform, done, shown=(claim, form))


@login_required
@permission_required("cases.add_stay", raise_exception=True)
@permission_required(CHANGE, raise_exception=True)
@require_POST
def stay_record(request, pk: int):
    referral = _referral(request, pk)

    def perform(data):
        services.stay_record(actor=request.user, person=referral.person, **data)

    form = StayForm(request.POST)
    return _act(request, referral, "stay", form, perform, _("Stay recorded."))


@login_required
@permission_required(CHANGE, raise_exception=True)
def referral_withdraw(request, pk: int):
    """GET: what withdrawing does (the receiving state's answer lapses, the person leaves any
    manifest), with the reason to give; POST: withdraw."""
    referral = _referral(request, pk)
    form = WithdrawForm(request.POST if request.method == "POST" else None)

    def page(status: int):
        context = {"referral": referral, "person": referral.person, "form": form,
                   **previews.withdrawal_preview(referral)}  # fmt: skip
        return render(request, "transfers/referral_withdraw.html", context, status=status)

    return form_submit(
        request, form,
        lambda data: services.referral_withdraw(actor=request.user, referral=referral, **data),
        done=_("Referral withdrawn."), back=_detail_url(referral), page=page,
    )  # fmt: skip


def _notice(request, pk: int) -> NoticeDocument:
    try:
        return selectors.notice_get(user=request.user, pk=pk)
    except NoticeDocument.DoesNotExist:
        raise Http404("No such notice") from None


@login_required
@permission_required("transfers.view_noticedocument", raise_exception=True)
def notice_detail(request, pk: int):
    document = _notice(request, pk)
    return render(request, "transfers/notice_detail.html", {"document": document})


@login_required
@permission_required("transfers.view_noticedocument", raise_exception=True)
def notice_pdf(request, pk: int):
    document = _notice(request, pk)
    response = HttpResponse(render_notice_pdf(document), content_type="application/pdf")
    name = f"notice-{document.referral.person.case_number}-{document.pk}-{document.language}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, name)
    return response


urlpatterns = [
    path("referrals/", referral_list, name="referral_list"),
    path("referrals/new/", referral_new, name="referral_new"),
    path("referrals/<int:pk>/", referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/notices/", notice_serve, name="referral_notice_serve"),
    path("referrals/<int:pk>/fear-claims/", fear_claim_record, name="referral_fear_claim"),
    path(
        "referrals/<int:pk>/fear-claims/<int:claim>/screening/",
        fear_claim_screen,
        name="referral_fear_screen",
    ),
    path("referrals/<int:pk>/stays/", stay_record, name="referral_stay"),
    path("referrals/<int:pk>/withdraw/", referral_withdraw, name="referral_withdraw"),
    path("notices/<int:pk>/", notice_detail, name="notice_detail"),
    path("notices/<int:pk>.pdf", notice_pdf, name="notice_pdf"),
]
