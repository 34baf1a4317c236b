from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from accords.cases.models import Standing
from accords.cases.standing import gate_choices
from accords.core import validation as kinds
from accords.registry.models import Agreement


class WorklistFilterForm(forms.Form):
    """The worklist's search, filters and order; the same names in the page's address, a saved
    filter and the CSV export."""

    q = forms.CharField(
        label=_("Search"), required=False,
        help_text=_("A case number, a family or given name, or a birth date (YYYY-MM-DD)"),
        **kinds.text(100).form,
    )  # fmt: skip
    agreement = forms.ChoiceField(label=_("Best agreement"), required=False)
    decision = forms.ChoiceField(
        label=_("Decision"), required=False, choices=[("", _("any")), *Standing.Decision.choices]
    )
    gate = forms.ChoiceField(label=_("Gate not passed"), required=False)
    clears_by = forms.DateField(
        label=_("Could clear by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        **kinds.DAY_CONSIDERED.form,
    )
    mine = forms.BooleanField(label=_("My cases"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False,
        choices=[("decision", _("decision")), ("case", _("case number")), ("name", _("name")),
                 ("clear", _("earliest clear")), ("-case", _("case number, last first")),
                 ("-name", _("name, Z to A")), ("-clear", _("earliest clear, latest first"))],
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agreements = Agreement.objects.screened().order_by("name").values_list("key", "name")
        self.fields["agreement"].choices = [("", _("any")), *agreements]
        self.fields["gate"].choices = [("", _("any")), *gate_choices()]

    def filters(self) -> dict:
        """The selector's arguments, from valid data."""
        data = dict(self.cleaned_data)
        data.pop("sort", None)
        return {"query": data.pop("q", ""), **data}


class SavedFilterForm(forms.Form):
    name = forms.CharField(label=_("Name this filter"), **kinds.text(60).form)


class _OfficerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class OfficerForm(forms.Form):
    officer = _OfficerChoice(
        label=_("Assigned officer"), required=False, queryset=User.objects.none(),
        empty_label=_("nobody"),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = User.objects.filter(
            groups__name="sending_officer"
        ).order_by("username")


class CaseCheckForm(forms.Form):
    agreement = forms.ChoiceField(label=_("Agreement"))
    on = forms.DateField(
        label=_("On"), widget=forms.DateInput(attrs={"type": "date"}), **kinds.DAY_CONSIDERED.form
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agreements = Agreement.objects.screened().order_by("name").values_list("key", "name")
        self.fields["agreement"].choices = list(agreements)
