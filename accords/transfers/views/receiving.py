"""The receiving state's pages: the people referred to it, each file as far as the state needs it
to answer, its answer by name with reasons (a decline after a page showing what it does), the
places left under each agreement, and the flights on their way (where each hand-over is
recorded, on the manifest page)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accords.cases.models import Acceptance
from accords.core import validation as kinds
from accords.transfers import selectors, services
from accords.transfers.models import Referral

ANSWER = "cases.add_acceptance"


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Answer"), choices=Acceptance.Decision.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=gettext_lazy("Reasons (required to decline)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        **kinds.FREE_TEXT.form,
    )
    # Set by the confirmation page: a decline is recorded only once its effect has been shown.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


def _state(request) -> str:
    """The state the signed-in receiving officer serves; 403 for every other role."""
    state = selectors.receiving_state_of(request.user)
    if not state:
        raise PermissionDenied(_("Only a receiving state's officers use these pages."))
    return state


@login_required
def receiving_list(request):
    _state(request)
    referrals = list(selectors.receiving_referrals(request.user))
    files = selectors.receiving_files(referrals)
    rows = [(r, files[r.pk]) for r in referrals]
    open_ = [row for row in rows if row[0].status == Referral.Status.OPEN]
    context = {
        "state": request.user.profile.receiving_state,
        "awaiting": [row for row in open_ if not row[0].acceptance_id],
        "answered": [row for row in open_ if row[0].acceptance_id],
        "closed": [row for row in rows if row[0].status != Referral.Status.OPEN],
        "withdrawn": selectors.receiving_withdrawn_count(request.user),
        "capacity": selectors.receiving_capacity(request.user),
        "flights": selectors.flights_listed(request.user)[:20],
    }
    return render(request, "transfers/receiving_list.html", context)


@login_required
def receiving_referral(request, pk: int):
    _state(request)
    try:
        referral = selectors.receiving_referrals(request.user).get(pk=pk)
    except Referral.DoesNotExist:
        raise Http404("No such referral") from None
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if form.is_bound:
        if not request.user.has_perm(ANSWER):
            raise PermissionDenied(_("Your role may not answer for the state."))
        # A decline without reasons goes on to the service, which names the missing field.
        declining = form.is_valid() and form.cleaned_data["decision"] == "declined"
        if declining and form.cleaned_data["reasons"] and not form.cleaned_data.pop("confirmed"):
            confirm = AnswerForm(initial={**form.cleaned_data, "confirmed": True})
            context = {"referral": referral, "file": selectors.receiving_files([referral])[
                referral.pk], "form": confirm, "reasons": form.cleaned_data["reasons"]}  # fmt: skip
            return render(request, "transfers/receiving_decline.html", context)
        if form.is_valid():
            form.cleaned_data.pop("confirmed", None)
            try:
                services.acceptance_decide(actor=request.user, referral=referral,
                                           **form.cleaned_data)  # fmt: skip
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                decision = form.cleaned_data["decision"]
                messages.success(request, _("%(case)s: %(decision)s.") % {
                    "case": referral.person.case_number, "decision": decision})  # fmt: skip
                return redirect("receiving_list")
    context = {
        "referral": referral,
        "file": selectors.receiving_files([referral])[referral.pk],
        "form": form,
        "capacity": [
            c for c in selectors.receiving_capacity(request.user)
            if c["agreement"].pk == referral.agreement_id
        ],
    }  # fmt: skip
    return render(request, "transfers/receiving_referral.html", context)


urlpatterns = [
    path("receiving/", receiving_list, name="receiving_list"),
    path("receiving/referrals/<int:pk>/", receiving_referral, name="receiving_referral"),
]
