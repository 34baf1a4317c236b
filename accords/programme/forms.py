from django import forms
from django.utils.translation import gettext_lazy as _

from accords.core import validation as kinds
from accords.programme.models import NOTICE_DAYS_MAX
from accords.registry.models import Agreement


class PolicyForm(forms.Form):
    agreement = forms.ModelChoiceField(
        queryset=Agreement.objects.none(), to_field_name="key", label=_("Agreement")
    )
    valid_from = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}), **kinds.PLANNED_DATE.form
    )
    notice_days = forms.IntegerField(
        label=_("Days of notice this programme gives"),
        required=False,
        min_value=1,
        max_value=NOTICE_DAYS_MAX,
        help_text=_("Leave empty to return to what the law requires from that day."),
    )
    reason = forms.CharField(
        label=_("Why"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        **kinds.FREE_TEXT.form,
    )  # fmt: skip

    def __init__(self, *args, agreements=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = (
            agreements if agreements is not None else Agreement.objects.none()
        )
