"""The caseload worklist and the case page: the hub of everything on record about one person
(`timeline`), where they are now, what may be done next, and the gate checklist."""

import csv
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accords.cases import hub_actions, selectors, timeline
from accords.cases.forms import CaseCheckForm, OfficerForm, SavedFilterForm, WorklistFilterForm
from accords.cases.models import Person, Standing
from accords.cases.screening import case_explanation, rules_since
from accords.cases.services import (
    caseload_export,
    officer_assign,
    saved_filter_delete,
    saved_filter_save,
)
from accords.core.roles import user_role
from accords.core.words import gate_title
from accords.registry.models import Agreement


def _worklist_filters(request) -> tuple[WorklistFilterForm, dict, str]:
    """The worklist's form, the filters it chose and their order, from the address."""
    form = WorklistFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.filters(), form.cleaned_data["sort"] or "decision"
    return form, {}, "decision"


def _worklist_read(request) -> tuple[WorklistFilterForm, selectors.Selection, str]:
    """The worklist's form, the standings it selects and their order, from the address."""
    form, filters, sort = _worklist_filters(request)
    return form, selectors.worklist(user=request.user, **filters), sort


def _supervisor(user) -> bool:
    role = user_role(user)
    return role is not None and role.key == "sending_supervisor"


@login_required
def worklist(request):
    """One row per person the user may see: search, filters, an order, and pages by key."""
    form, selection, sort = _worklist_read(request)
    try:
        page = selectors.page_read(selection, sort=sort, after=request.GET.get("after", ""),
                                   before=request.GET.get("before", ""))  # fmt: skip
    except ValueError:  # a cursor this list did not write: its first page
        page = selectors.page_read(selection, sort=sort)
    query = request.GET.copy()
    for name in ("after", "before"):
        query.pop(name, None)
    rows = [(s, [(gate_title(g["gate"]), g["outcome"]) for g in s.gates]) for s in page.rows]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "totals": [
            (decision, Standing.Decision(decision).label, n)
            for decision, n in selectors.totals(user=request.user).items()
        ],
        "saved": selectors.saved_filters(request.user),
        "save_form": SavedFilterForm(),
        "screening": selectors.screening_latest(),
        "supervisor": _supervisor(request.user),
    }
    return render(request, "cases/worklist.html", context)


def _cell(value) -> str:
    """A value for a spreadsheet: text that a spreadsheet would run as a formula is quoted."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value):
        return value


@login_required
def worklist_csv(request):
    """The filtered worklist as CSV, in its order, streamed a block of rows at a time. People's
    data leaving Accords is an action: recorded (filters and count) before the first row."""
    _form, filters, sort = _worklist_filters(request)
    caseload_export(actor=request.user, sort=sort, **filters)
    selection = selectors.worklist(user=request.user, **filters)
    ordered = selection.everyone().order_by(*selectors.sort_order(sort))
    writer = csv.writer(_Echo())
    header = [_("Case number"), _("Family name"), _("Given name"), _("Birth date"),
              _("Decision"), _("Best agreement"), _("Gates not passed"),
              _("Could clear on"), _("Under agreement"), _("Screened for")]  # fmt: skip

    names = dict(Agreement.objects.values_list("pk", "name"))

    def lines():
        yield writer.writerow([str(h) for h in header])
        for s in ordered.iterator(chunk_size=2000):
            gates = "; ".join(gate_title(g["gate"]) for g in s.gates)
            yield writer.writerow([_cell(v) for v in (
                s.case_number, s.family_name, s.given_name, s.birth_date,
                s.get_decision_display(), names.get(s.agreement_id, ""), gates,
                s.earliest_clear or "", names.get(s.clear_agreement_id, ""),
                s.as_of,
            )])  # fmt: skip

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="caseload.csv"'
    return response


@login_required
@require_POST
def worklist_filter_save(request):
    """Save the worklist's current filter under a name (the same name replaces it)."""
    form = SavedFilterForm(request.POST)
    query = WorklistFilterForm(request.POST)
    if not (form.is_valid() and query.is_valid()):
        for problem in [*form.errors.values(), *query.errors.values()]:
            messages.error(request, " ".join(problem))
        return redirect("worklist")
    kept = {k: v for k, v in request.POST.items() if k in query.fields and v}
    saved_filter_save(actor=request.user, name=form.cleaned_data["name"], query=kept)
    return redirect(f"{reverse('worklist')}?{urlencode(kept)}")


@login_required
@require_POST
def worklist_filter_delete(request, pk: int):
    saved = get_object_or_404(selectors.saved_filters(request.user), pk=pk)
    saved_filter_delete(actor=request.user, saved=saved)
    return redirect("worklist")


@login_required
def case_officer(request, case_number: str):
    """A sending supervisor assigns the case to a sending officer."""
    if not _supervisor(request.user):
        raise PermissionDenied
    try:
        person = selectors.person_get(user=request.user, case_number=case_number)
    except Person.DoesNotExist:
        raise Http404("No such case") from None
    form = OfficerForm(request.POST or None, initial={"officer": person.officer_id})
    if request.method == "POST" and form.is_valid():
        try:
            officer_assign(actor=request.user, people=[person],
                           officer=form.cleaned_data["officer"])  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The case's officer is recorded."))
            return redirect("worklist")
    return render(request, "cases/case_officer.html", {"person": person, "form": form})


@login_required
def case_detail(request, case_number: str):
    try:
        person = selectors.person_get(user=request.user, case_number=case_number)
    except Person.DoesNotExist:
        raise Http404("No such case") from None
    initial = {"on": date.today(), "agreement": request.GET.get("agreement") or "us-rwanda"}
    form = CaseCheckForm(request.GET if "on" in request.GET else None, initial=initial)
    explanation = None
    if form.is_bound and form.is_valid():
        agreement = (
            Agreement.objects.screened()
            .prefetch_related("statuses", "terms")
            .get(key=form.cleaned_data["agreement"])
        )
        explanation = case_explanation(person, agreement, form.cleaned_data["on"])
    elif not form.is_bound:
        agreement = (
            Agreement.objects.screened()
            .prefetch_related("statuses", "terms")
            .filter(key=initial["agreement"])
            .first()
        )
        if agreement:
            explanation = case_explanation(person, agreement, initial["on"])
    hub = timeline.case_hub(user=request.user, person=person)
    decisions = list(
        person.decisions.select_related("agreement", "screening").order_by(
            "-screening__started_at", "agreement__key"
        )[:20]
    )
    context = {
        "person": person,
        "form": form,
        "explanation": explanation,
        "hub": hub,
        "offers": hub_actions.actions_offered(
            user=request.user, person=person, standing=hub.standing
        ),
        "decisions": [(d, rules_since(d)) for d in decisions],
    }
    return render(request, "cases/case_detail.html", context)
