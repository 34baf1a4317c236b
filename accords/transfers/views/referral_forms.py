"""The forms of the referral pages and counsel's portal: referring, serving notice, recording a
fear claim, its screening or a stay, withdrawing. They check the shape of the input; the
services decide what the rules allow, and `errors_onto` puts their refusals on the form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accords.cases.models import FearClaim, Notice
from accords.registry.models import Agreement
from accords.transfers.models import DiplomaticNote, Referral, UkStep
from accords.transfers.notices import TEMPLATES

LANGUAGE_NAMES = {"en": _("English"), "es": _("Spanish"), "fr": _("French"), "ar": _("Arabic")}


def _date(label, **kwargs):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


def errors_onto(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal shown on the form: on the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class ReferralForm(forms.Form):
    case = forms.CharField(widget=forms.HiddenInput, max_length=40)
    agreement = forms.ChoiceField(label=_("Agreement"))
    proposed_on = _date(_("Proposed transfer date"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agreements = Agreement.objects.order_by("name").values_list("key", "name")
        self.fields["agreement"].choices = list(agreements)


class NoticeServeForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the notice"),
        choices=[
            (
                code,
                format_lazy(
                    "{} ({})",
                    LANGUAGE_NAMES.get(code, code),
                    _("checked translation") if checked else _("unchecked translation"),
                ),
            )
            for code, (checked, _template) in TEMPLATES.items()
        ],  # fmt: skip
    )
    served_on = forms.ChoiceField(
        label=_("Served on"),
        choices=Notice.ServedOn.choices,
        help_text=_("Counsel of record is always served as well."),
    )
    method = forms.CharField(label=_("Method"), max_length=40, initial="in person")
    uk_step = forms.ChoiceField(
        label=_("UK notice"),
        required=False,
        choices=[("", _("not under the UK regime")), *UkStep.choices],
        help_text=_("Under the UK regime a notice of intent comes first, then removal directions."),
    )
    interpreter_name = forms.CharField(
        label=_("Interpreter's name"), max_length=100, required=False
    )
    interpreter_language = forms.CharField(
        label=_("Language the interpreter read it in"),
        max_length=8,
        required=False,
        help_text=_("ISO 639 code, e.g. ti for Tigrinya."),
    )
    interpreter_attestation = forms.CharField(
        label=_("Interpreter's attestation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    exigent = forms.BooleanField(label=_("Exigent circumstances"), required=False)


class FearClaimForm(forms.Form):
    country = forms.RegexField(
        label=_("Country feared"),
        regex=r"^[A-Za-z]{2}$",
        error_messages={"invalid": _("Two letters (ISO 3166-1), e.g. RW.")},
    )
    stated_on = _date(_("Stated on"))

    def clean_country(self):
        return self.cleaned_data["country"].upper()

    def clean_stated_on(self):
        stated_on = self.cleaned_data["stated_on"]
        if stated_on > timezone.localdate():
            raise ValidationError(_("A fear cannot be stated in the future."))
        return stated_on


class FearScreenForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Screening outcome"),
        choices=[(FearClaim.Outcome.POSITIVE, _("positive")),
                 (FearClaim.Outcome.NEGATIVE, _("negative"))],
    )  # fmt: skip
    screened_on = _date(_("Screened on"))


class StayForm(forms.Form):
    granted_by = forms.CharField(
        label=_("Granted by"), max_length=40, help_text=_("The court or body, e.g. BIA.")
    )
    valid_from = _date(_("In force from"))
    valid_until = _date(_("Until (empty: until further order)"), required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("A stay cannot end before it starts."))
        return cleaned


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReferralFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("any")), *Referral.Status.choices]
    )


class DiplomaticNoteForm(forms.Form):
    """The receiving state's answer as it came by diplomatic note: its reference and file."""

    reference = forms.CharField(label=_("The note's reference"), max_length=100)
    decision = forms.ChoiceField(
        label=_("The state's answer"), choices=DiplomaticNote.Decision.choices,
        widget=forms.RadioSelect,
    )  # fmt: skip
    decided_on = _date(_("Date of the note"))
    reasons = forms.CharField(
        label=_("Reasons given (required for a decline)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    document = forms.FileField(label=_("The note's file"))


class ConfirmNoteForm(forms.Form):
    """Confirming a note asks nothing: the button is the act; a refusal shows above it."""
