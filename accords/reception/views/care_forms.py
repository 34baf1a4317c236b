"""The forms of the caseworker's pages. They check the shape of the input; the services decide
what the rules allow (`accords.core.forms.form_submit` puts their refusals on the form)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accords.core import validation as kinds
from accords.reception.models import CareService, Need, Payment

PLACE = kinds.text(200)


def _date(label, required=True, kind=kinds.EVENT_DATE):
    return forms.DateField(label=label, required=required, validators=list(kind.validators),
                           widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip


def _blank(choices) -> list:
    return [("", "—"), *choices]


class IntakeForm(forms.Form):
    housed_at = forms.CharField(label=_("Housed at"), **PLACE.form)
    housed_with = forms.CharField(label=_("Housed with"), required=False, **PLACE.form)
    needs = forms.MultipleChoiceField(label=_("Needs"), choices=Need.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)  # fmt: skip
    needs_note = forms.CharField(label=_("About the needs"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}),
                                 **kinds.FREE_TEXT.form)  # fmt: skip
    consent = forms.BooleanField(label=_("Consents to the services offered"), required=False)
    recorded_on = _date(_("Interviewed on"))


class PlanForm(forms.Form):
    agreed_on = _date(_("Agreed on"))
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea(attrs={"rows": 4}),
                            **kinds.FREE_TEXT.form)  # fmt: skip


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Service"), choices=CareService.Kind.choices)
    document = forms.ChoiceField(label=_("Document"), required=False,
                                 choices=_blank(CareService.Document.choices))  # fmt: skip
    job_step = forms.ChoiceField(label=_("Job assistance step"), required=False,
                                 choices=_blank(CareService.JobStep.choices))  # fmt: skip
    provider = forms.CharField(label=_("Provider"), **PLACE.form)
    funding_term = forms.ModelChoiceField(label=_("Funded by the term"), queryset=None,
                                          required=False)  # fmt: skip
    requested_on = _date(_("Requested on"))
    due_on = _date(_("Due on"), kind=kinds.DAY_CONSIDERED)

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funding_term"].queryset = agreement.terms.filter(kind__in=["service", "money"])


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), widget=forms.RadioSelect,
        choices=[(CareService.Outcome.DONE, _("provided (a document issued)")),
                 (CareService.Outcome.REFUSED, _("refused"))],
    )  # fmt: skip
    outcome_on = _date(_("On"))
    place = forms.CharField(label=_("Place (housing)"), required=False, **PLACE.form)
    starts_on = _date(_("From"), required=False, kind=kinds.DAY_CONSIDERED)
    ends_on = _date(_("To"), required=False, kind=kinds.DAY_CONSIDERED)
    employer = forms.CharField(label=_("Employer (job placement)"), required=False, **PLACE.form)


class ProgrammeForm(forms.Form):
    agreement = forms.ModelChoiceField(label=_("Agreement"), queryset=None)

    def __init__(self, *args, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements


class CycleForm(forms.Form):
    starts_on = _date(_("Cycle starts on"), kind=kinds.DAY_CONSIDERED)


class PaymentForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Payment.Outcome.choices)
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2,
                                min_value=Decimal("0.01"))  # fmt: skip
    on = _date(_("On"))
    reference = forms.CharField(label=_("Reference"), required=False, **kinds.text(100).form)
