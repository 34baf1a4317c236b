from django import forms
from django.utils.translation import gettext_lazy as _

from accords.registry.models import Agreement, State, Status


def _states(field: str):
    codes = Agreement.objects.values_list(field, flat=True).distinct()
    return [("", _("any"))] + [(s.code, s.name) for s in State.objects.filter(code__in=codes)]


class AgreementFilterForm(forms.Form):
    sending = forms.ChoiceField(label=_("Sending state"), required=False)
    receiving = forms.ChoiceField(label=_("Receiving state"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("any")), *Status.choices]
    )
    arrangement = forms.ChoiceField(
        label=_("Kind of arrangement"),
        required=False,
        choices=[("", _("any")), *Agreement.Arrangement.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sending"].choices = _states("sending_state")
        self.fields["receiving"].choices = _states("receiving_state")
