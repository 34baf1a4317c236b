"""The caseload worklist and the case page: the hub of everything on record about one person
(`timeline`), where they are now, what may be done next, and the gate checklist."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from accords.cases import hub_actions, selectors, timeline
from accords.cases.forms import CaseCheckForm, WorklistFilterForm
from accords.cases.models import Person
from accords.cases.screening import case_explanation, rules_since
from accords.law.regime import load_regime
from accords.registry.models import Agreement


@login_required
def worklist(request):
    screening = selectors.screening_latest()
    form = WorklistFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = None
    if screening:
        decisions = selectors.worklist(user=request.user, screening=screening, **filters)
        page = Paginator(decisions, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    gates = sorted({g.id for r in ("us", "uk") for g in load_regime(r).gates})
    context = {
        "screening": screening,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "gates": gates,
    }
    return render(request, "cases/worklist.html", context)


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
