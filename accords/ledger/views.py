"""Finance's pages: every agreement's books; per agreement its balance sheet, a chart of its
money over time, the cost per person, the sources' figures beside the ledger's, its claims and
a CSV of its transfers; and the form that records a payment. Thin: selectors read, services
write."""

import csv

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy

from accords.core import validation as kinds
from accords.core.roles import user_role
from accords.ledger import reconciliation, selectors, services
from accords.ledger.chart import money_chart
from accords.ledger.models import Programme
from accords.ledger.money import from_minor
from accords.registry.models import Agreement


def _agreement(request, key: str) -> Agreement:
    try:
        return selectors.agreement_get(request.user, key)
    except Agreement.DoesNotExist:
        raise Http404("No such agreement") from None


@login_required
def finance_home(request):
    return render(request, "ledger/finance_home.html", {"books": selectors.books(request.user)})


@login_required
def finance_agreement(request, key: str):
    agreement = _agreement(request, key)
    sheets = selectors.sheets(request.user, agreement)
    return render(request, "ledger/finance_agreement.html", {
        "agreement": agreement,
        "sheets": [(s, money_chart(s.series, s.ledger.currency)) for s in sheets],
        "reconciliations": reconciliation.reconcile(request.user, agreement),
        "claims": selectors.claims_of(request.user, agreement),
        "may_write": user_role(request.user).key in selectors.WRITERS,
    })  # fmt: skip


CSV_COLUMNS = ["id", "on", "currency", "code", "phase", "debit", "credit", "amount", "resolves",
               "corrects", "term", "reference"]  # fmt: skip


@login_required
def finance_csv(request, key: str):
    """Every transfer of the agreement, one row each, amounts in the currency's unit."""
    agreement = _agreement(request, key)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ledger-{agreement.key}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for t in selectors.transfers_of(request.user, agreement):
        writer.writerow([
            t.pk, t.on.isoformat(), t.ledger.currency, t.code, t.phase, str(t.debit_account),
            str(t.credit_account), from_minor(t.amount, t.ledger.currency), t.pending_id or "",
            t.corrects_id or "", t.term.key if t.term else "", t.reference,
        ])  # fmt: skip
    return response


class PaymentForm(forms.Form):
    programme = forms.ChoiceField(
        label=gettext_lazy("Programme"),
        choices=[(p, label) for p, label in Programme.choices if p in services.SPENDING],
    )
    amount = forms.DecimalField(label=gettext_lazy("Amount"), min_value=0.01, max_digits=16,
                                decimal_places=2)  # fmt: skip
    currency = forms.CharField(label=gettext_lazy("Currency (ISO 4217)"), max_length=3,
                               min_length=3)  # fmt: skip
    on = forms.DateField(label=gettext_lazy("Paid on"), **kinds.EVENT_DATE.form)


@login_required
def finance_payment(request, key: str):
    selectors.books_check(request.user, write=True)
    agreement = _agreement(request, key)
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_record(actor=request.user, agreement=agreement, **form.cleaned_data)
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            messages.success(request, "The payment is recorded.")
            return redirect("finance_agreement", key=agreement.key)
    return render(request, "ledger/finance_payment.html", {"agreement": agreement, "form": form})


urlpatterns = [
    path("finance/", finance_home, name="finance_home"),
    path("finance/<slug:key>/", finance_agreement, name="finance_agreement"),
    path("finance/<slug:key>/ledger.csv", finance_csv, name="finance_csv"),
    path("finance/<slug:key>/payments/new/", finance_payment, name="finance_payment"),
]
