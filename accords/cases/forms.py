from django import forms
from django.utils.translation import gettext_lazy as _

from accords.cases.models import Decision
from accords.core import validation as kinds
from accords.registry.models import Agreement


class WorklistFilterForm(forms.Form):
    agreement = forms.ChoiceField(label=_("Agreement"), required=False)
    outcome = forms.ChoiceField(
        label=_("Decision"), required=False, choices=[("", _("any")), *Decision.Outcome.choices]
    )
    gate = forms.CharField(
        label=_("Gate not passed"),
        required=False,
        widget=forms.TextInput(attrs={"list": "gates"}),
        **kinds.text(60).form,
    )
    clears_before = forms.DateField(
        label=_("Could clear by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        **kinds.DAY_CONSIDERED.form,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agreements = Agreement.objects.screened().order_by("name").values_list("key", "name")
        self.fields["agreement"].choices = [("", _("any")), *agreements]


class CaseCheckForm(forms.Form):
    agreement = forms.ChoiceField(label=_("Agreement"))
    on = forms.DateField(
        label=_("On"), widget=forms.DateInput(attrs={"type": "date"}), **kinds.DAY_CONSIDERED.form
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agreements = Agreement.objects.screened().order_by("name").values_list("key", "name")
        self.fields["agreement"].choices = list(agreements)
