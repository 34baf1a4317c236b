"""The caseload worklist and the case page with its gate checklist."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from accords.cases import selectors
from accords.cases.forms import CaseCheckForm, WorklistFilterForm
from accords.cases.models import Person, Provenance, Stay
from accords.cases.screening import case_explanation, rules_since
from accords.core import validation as kinds
from accords.law.offences import offence_label
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


def _dates_that_matter(person: Person) -> list[tuple[date, str]]:
    events = []
    for order in person.orders.all():
        events.append((order.entered_on, f"removal order entered ({order.get_basis_display()})"))
        if order.final_on:
            events.append((order.final_on, f"order final: {order.get_final_how_display()}"))
    for p in person.protections.all():
        events.append((p.granted_on, f"{p.get_kind_display()} granted for {p.country}"))
    for s in person.stays.all():
        until = f" until {s.valid_until}" if s.valid_until else " until further order"
        scope = "" if s.scope == Stay.ALL_REMOVALS else f" of removal to {s.scope} only"
        events.append((s.valid_from, f"stay{scope} granted by {s.granted_by}{until}"))
    for r in person.stay_requests.all():
        events.append((r.filed_on, f"stay requested of {r.requested_of} (a request is no stay)"))
        if r.decided_on:
            events.append((r.decided_on, f"stay request {r.get_outcome_display()}"))
    for a in person.assurances.all():
        assures = ", ".join(kinds.ASSURED.get(key, key) for key in a.assures)
        found = "found credible" if a.credible else "not found credible"
        events.append((a.given_on, f"{a.receiving_state} gave assurances about this person "
                                   f"({assures}; {found})"))  # fmt: skip
    for p in person.proceedings.all():
        stay = ", with a stay request" if p.stay_requested else ""
        events.append((p.filed_on, f"{p.get_kind_display()} filed{stay}"))
        if p.decided_on:
            events.append((p.decided_on, f"{p.get_kind_display()} decided"))
    for n in person.notices.all():
        understood = "understood" if n.understood else "NOT in a language understood"
        said = f"notice naming {n.destination} served ({understood})"
        if n.provenance == Provenance.IMPORT and not (n.document_reference and n.document_sha256):
            said += ", reported by the sending state's import without the served document"
        events.append((n.served_at.date(), said))
    for f in person.fear_claims.all():
        events.append((f.stated_on, f"fear of {f.country} stated"))
        if f.screened_on:
            events.append((f.screened_on, f"fear screening: {f.outcome}"))
    for a in person.acceptances.all():
        said = f"{a.receiving_state} {a.decision} the person by name"
        if a.provenance == Provenance.IMPORT:
            said += ": reported by the sending state's import; not an answer"
        events.append((a.decided_on, said))
        if a.lapsed_on:
            events.append((a.lapsed_on, f"{a.receiving_state}'s answer lapsed: the referral it "
                                        "answered was withdrawn"))  # fmt: skip
    for c in person.criminal_history.all():
        what = "conviction" if c.kind == "conviction" else f"charge ({c.charge_outcome})"
        events.append((c.on, f"{what}: {offence_label(c.offence_category)}"))
    return sorted(events, key=lambda e: e[0])


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
    decisions = list(
        person.decisions.select_related("agreement", "screening").order_by(
            "-screening__started_at", "agreement__key"
        )[:20]
    )
    context = {
        "person": person,
        "form": form,
        "explanation": explanation,
        "events": _dates_that_matter(person),
        "decisions": [(d, rules_since(d)) for d in decisions],
    }
    return render(request, "cases/case_detail.html", context)
