"""The audit log for monitors and auditors: its entries searched by case, actor, action and
date, verified in the browser (`accords.audit.verification`), its latest cosigned checkpoint,
and proofs to download.

A monitor checks the log from outside: with the checkpoint the witnesses cosigned, an
inclusion proof shows an entry is in the log, a consistency proof that a later log extends an
earlier one. Proofs are JSON, hashes in base64 as in checkpoints.
"""

import base64
import json

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accords.audit import search, selectors, verification
from accords.audit.publishing import checkpoint_current, checkpoint_signed, log_origin

may_read_the_log = permission_required("audit.view_auditentry", raise_exception=True)


class InclusionForm(forms.Form):
    entry = forms.IntegerField(label=gettext_lazy("Entry number"), min_value=1)
    size = forms.IntegerField(label=gettext_lazy("In the log of (entries)"), min_value=1)

    def clean(self):
        data = super().clean()
        entry, size = data.get("entry"), data.get("size")
        if size and size > selectors.log_size():
            self.add_error("size", _("The log holds %(n)s entries.") % {"n": selectors.log_size()})
        elif entry and size and entry > size:
            self.add_error("entry", _("The entry must be within the log of that size."))
        return data


class ConsistencyForm(forms.Form):
    size1 = forms.IntegerField(label=gettext_lazy("From the log of (entries)"), min_value=1)
    size2 = forms.IntegerField(label=gettext_lazy("To the log of (entries)"), min_value=1)

    def clean(self):
        data = super().clean()
        size1, size2 = data.get("size1"), data.get("size2")
        if size2 and size2 > selectors.log_size():
            self.add_error("size2", _("The log holds %(n)s entries.") % {"n": selectors.log_size()})
        elif size1 and size2 and size1 > size2:
            self.add_error("size1", _("The earlier log cannot be larger than the later one."))
        return data


def _b64(h: bytes) -> str:
    return base64.b64encode(h).decode()


def _page(request, inclusion=None, consistency=None, status=200):
    latest = selectors.cosignature_latest()
    cosignatures = (
        selectors.cosignatures_of(size=latest.size, root_hash=latest.root_hash) if latest else []
    )
    size = selectors.log_size()
    context = {
        "origin": log_origin(),
        "size": size,
        "root": _b64(checkpoint_current().root),
        "latest": latest,
        "cosigned_note": (
            latest.checkpoint + "".join(c.signature_line for c in cosignatures) if latest else ""
        ),
        "cosignatures": cosignatures,
        "inclusion": inclusion or InclusionForm(initial={"size": size or None}),
        "consistency": consistency or ConsistencyForm(initial={"size2": size or None}),
    }
    return render(request, "audit/monitor.html", context, status=status)


@login_required
@may_read_the_log
def monitor(request):
    return _page(request)


@login_required
@may_read_the_log
def checkpoint(request):
    """The log's checkpoint now, signed; without a signing key, the page says so."""
    try:
        note = checkpoint_signed()
    except ImproperlyConfigured:
        return HttpResponse(
            _("This deployment has no key to sign the audit log's checkpoints."),
            status=503, content_type="text/plain; charset=utf-8",
        )  # fmt: skip
    return HttpResponse(note, content_type="text/plain; charset=utf-8")


def _download(document: dict, name: str) -> HttpResponse:
    response = HttpResponse(json.dumps(document, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@may_read_the_log
def inclusion_proof(request):
    form = InclusionForm(request.GET)
    if not form.is_valid():
        return _page(request, inclusion=form, status=400)
    entry, size = form.cleaned_data["entry"], form.cleaned_data["size"]
    document = {
        "origin": log_origin(),
        "entry": entry,
        "leaf_index": entry - 1,
        "tree_size": size,
        "leaf_hash": _b64(selectors.tree_nodes({(0, entry - 1)})[(0, entry - 1)]),
        "root_hash": _b64(selectors.tree_root(size)),
        "proof": [_b64(h) for h in selectors.inclusion_proof(entry - 1, size)],
    }
    return _download(document, f"inclusion-{entry}-in-{size}.json")


@login_required
@may_read_the_log
def consistency_proof(request):
    form = ConsistencyForm(request.GET)
    if not form.is_valid():
        return _page(request, consistency=form, status=400)
    size1, size2 = form.cleaned_data["size1"], form.cleaned_data["size2"]
    proof = selectors.consistency_proof(size1, size2) if size1 < size2 else []
    document = {
        "origin": log_origin(),
        "size1": size1,
        "size2": size2,
        "root1": _b64(selectors.tree_root(size1)),
        "root2": _b64(selectors.tree_root(size2)),
        "proof": [_b64(h) for h in proof],
    }
    return _download(document, f"consistency-{size1}-to-{size2}.json")


class EntrySearchForm(forms.Form):
    case = forms.CharField(label=gettext_lazy("Case number"), required=False, max_length=40)
    actor = forms.CharField(label=gettext_lazy("Who (user name)"), required=False, max_length=150)
    action = forms.CharField(
        label=gettext_lazy("Action"), required=False, max_length=100,
        help_text=gettext_lazy("The action's name or its start: referral, referral.withdraw."),
    )  # fmt: skip
    since = forms.DateField(label=gettext_lazy("From (day)"), required=False)
    until = forms.DateField(label=gettext_lazy("To (day)"), required=False)
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_case(self):
        case = self.cleaned_data["case"].strip()
        if case and not search.case_seen(self.user, case):
            # The same words for a case that does not exist and one the user may not see.
            raise forms.ValidationError(_("No case you may see has this number."))
        return case

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The last day cannot come before the first."))
        return data

    def search(self) -> search.Search:
        return search.Search(**self.cleaned_data)


class VerifyForm(forms.Form):
    scope = forms.ChoiceField(
        label=gettext_lazy("Verify"),
        choices=[
            ("whole", gettext_lazy("the whole log, if it is small enough to verify now")),
            ("recent", gettext_lazy("the most recent entries")),
        ],
        initial="whole",
    )


def _entries_page(request, form, checked=None, status=200):
    page, next_before = ([], None)
    if form.is_valid():
        page, next_before = search.entries_find(form.search())
    query = request.GET.copy()
    query.pop("before", None)
    context = {
        "form": form,
        "entries": page,
        "next_before": next_before,
        "query": query.urlencode(),
        "first_page": not request.GET.get("before"),
        "size": selectors.log_size(),
        "whole_limit": verification.WHOLE_LOG_IN_REQUEST,
        "recent": verification.RECENT_ENTRIES,
        "verify": VerifyForm(),
        "checked": checked,
    }
    return render(request, "audit/entries.html", context, status=status)


@login_required
@may_read_the_log
def entries(request):
    form = EntrySearchForm(request.GET, user=request.user)
    return _entries_page(request, form, status=200 if form.is_valid() else 400)


@login_required
@may_read_the_log
@require_POST
def verify(request):
    """Verify the log now and show the result in words (the range, if the log is large)."""
    form = VerifyForm(request.POST)
    recent = None if form.is_valid() and form.cleaned_data["scope"] == "whole" else (
        verification.RECENT_ENTRIES
    )  # fmt: skip
    checked = verification.log_check(recent=recent)
    return _entries_page(request, EntrySearchForm({}, user=request.user), checked=checked)


urlpatterns = [
    path("audit/", monitor, name="audit_monitor"),
    path("audit/entries/", entries, name="audit_entries"),
    path("audit/verify", verify, name="audit_verify"),
    path("audit/checkpoint", checkpoint, name="audit_checkpoint"),
    path("audit/proofs/inclusion", inclusion_proof, name="audit_inclusion_proof"),
    path("audit/proofs/consistency", consistency_proof, name="audit_consistency_proof"),
]
