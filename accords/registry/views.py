"""Agreement pages: the public record of every agreement, its terms and their sources."""

from itertools import groupby

from django.http import Http404
from django.shortcuts import render

from accords.registry import selectors
from accords.registry.forms import AgreementFilterForm
from accords.registry.models import Agreement, Term
from accords.registry.timeline import WIDTH, timeline_marks


def agreement_list(request):
    form = AgreementFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    agreements = list(selectors.agreement_list(**filters))
    for agreement in agreements:
        agreement.status_label = selectors.status_label(agreement.current_status)
    return render(request, "registry/agreement_list.html", {"form": form, "agreements": agreements})


def agreement_detail(request, key: str):
    try:
        agreement = selectors.agreement_get(key=key)
    except Agreement.DoesNotExist:
        raise Http404("No such agreement") from None
    agreement.status_label = selectors.status_label(agreement.current_status)
    order = list(Term.Kind.values)
    terms = sorted(agreement.terms.all(), key=lambda t: order.index(t.kind))
    context = {
        "agreement": agreement,
        "term_groups": [
            (Term.Kind(kind).label, list(group)) for kind, group in groupby(terms, lambda t: t.kind)
        ],
        "statuses": agreement.statuses.all(),
        "marks": timeline_marks(agreement.statuses.all()),
        "timeline_width": WIDTH,
        "sources": selectors.agreement_sources(agreement),
    }
    return render(request, "registry/agreement_detail.html", context)
