"""The forms of reception's oversight pages. Each takes its kinds from the one validation layer;
the services check the rules (who, which arrival, which dates) and name the field they refuse."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accords.core import validation as kinds
from accords.reception import survey
from accords.reception.models import FOLLOW_UP_MONTHS, Concern, Grievance, Outcome, WelfareVisit
from accords.reception.selectors.arrivals import arrivals_visible

_DATE = forms.DateInput(attrs={"type": "date"})
_TEXT = forms.Textarea(attrs={"rows": 3})


def arrival_label(arrival) -> str:
    person = arrival.person
    name = f"{person.given_name} {person.family_name}"
    return f"{person.case_number} · {name} ({arrival.agreement.name})"


class ArrivalChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return arrival_label(obj)


class _WithArrival(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["arrival"] = ArrivalChoice(
            label=_("Person"), queryset=arrivals_visible(user), empty_label=_("Choose a person")
        )
        self.order_fields(["arrival"])


class VisitPlanForm(_WithArrival):
    planned_on = forms.DateField(label=_("Visit on"), widget=_DATE, **kinds.PLANNED_DATE.form)


class VisitRecordForm(forms.Form):
    status = forms.ChoiceField(
        label=_("The visit"), widget=forms.RadioSelect,
        choices=[(WelfareVisit.Status.DONE, _("done")),
                 (WelfareVisit.Status.DENIED, _("access denied"))],
    )  # fmt: skip
    visited_on = forms.DateField(label=_("On"), widget=_DATE, **kinds.EVENT_DATE.form)
    findings = forms.CharField(
        label=_("Findings"), required=False, widget=_TEXT, **kinds.FREE_TEXT.form
    )


class ConcernForm(_WithArrival):
    severity = forms.ChoiceField(label=_("Severity"), choices=Concern.Severity.choices)
    text = forms.CharField(label=_("Concern"), widget=_TEXT, **kinds.FREE_TEXT.form)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=_TEXT, **kinds.FREE_TEXT.form)


class GrievanceForm(_WithArrival):
    subject = forms.ChoiceField(label=_("About"), choices=Grievance.Subject.choices)
    text = forms.CharField(label=_("Grievance"), widget=_TEXT, **kinds.FREE_TEXT.form)


class GrievanceAnswerForm(AnswerForm):
    resolution = forms.ChoiceField(label=_("Outcome"), choices=Grievance.Resolution.choices)
    answered_on = forms.DateField(label=_("Answered on"), widget=_DATE, **kinds.EVENT_DATE.form)


class FollowUpForm(_WithArrival):
    month = forms.TypedChoiceField(
        label=_("Follow-up at"), coerce=int,
        choices=[(m, _("%(months)s months") % {"months": m}) for m in FOLLOW_UP_MONTHS],
    )  # fmt: skip
    done_on = forms.DateField(label=_("Done on"), widget=_DATE, **kinds.EVENT_DATE.form)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, (_dimension, label) in survey.INDICATORS.items():
            self.fields[key] = forms.TypedChoiceField(
                label=label, coerce=int, choices=survey.SCORE_CHOICES, widget=forms.RadioSelect
            )

    def scores(self) -> dict[str, int]:
        return {key: self.cleaned_data.pop(key) for key in survey.INDICATORS}


class OutcomeForm(_WithArrival):
    kind = forms.ChoiceField(label=_("Outcome"), choices=Outcome.Kind.choices)
    on = forms.DateField(label=_("On"), widget=_DATE, **kinds.EVENT_DATE.form)
    country = forms.CharField(
        label=_("To country (for a return home or a removal)"), required=False,
        help_text=_("Two letters, e.g. SV."), **kinds.COUNTRY.form,
    )  # fmt: skip
    note = forms.CharField(label=_("Note"), required=False, widget=_TEXT, **kinds.FREE_TEXT.form)
    corrects = forms.IntegerField(
        label=_("Corrects the outcome number"), required=False, min_value=1, max_value=2**63 - 1,
        help_text=_("Outcomes are never changed: a correction is a new outcome."),
    )  # fmt: skip
