"""The forms of the referral pages and counsel's portal: referring, serving notice, recording a
fear claim, its screening or a stay, withdrawing. They check the shape of the input; the
services decide what the rules allow, and `accords.core.forms.form_submit` puts their refusals
on the form."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accords.cases.models import FearClaim, Notice, Stay
from accords.core import validation as kinds
from accords.transfers import rules
from accords.transfers.models import DiplomaticNote, Referral, UkStep
from accords.transfers.notices import NOTICE_LANGUAGES

LANGUAGE_NAMES = {"en": _("English"), "es": _("Spanish"), "fr": _("French"), "ar": _("Arabic")}


def _date(label, **kwargs):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


def agreement_choices(user) -> list[tuple[str, str]]:
    """The agreements the user may use (`rules.agreements_usable`), none chosen in advance;
    one signed but not yet in force says so, with the day it enters into force."""
    usable = rules.agreements_usable(user)
    return [("", _("Choose an agreement")), *((u.agreement.key, u.label) for u in usable)]


class ReferralForm(forms.Form):
    case = forms.CharField(widget=forms.HiddenInput, **kinds.text(40).form)
    agreement = forms.ChoiceField(
        label=_("Agreement"),
        help_text=_("Only your state's agreements in force, or signed and entering into force "
                    "soon, are offered."),
    )  # fmt: skip
    proposed_on = _date(_("Proposed transfer date"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].choices = agreement_choices(user)


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
            for code, checked in NOTICE_LANGUAGES.items()
        ],  # fmt: skip
    )
    served_on = forms.ChoiceField(
        label=_("Served on"),
        choices=Notice.ServedOn.choices,
        help_text=_("Counsel of record is always served as well."),
    )
    method = forms.CharField(label=_("Method"), initial="in person", **kinds.text(40).form)
    uk_step = forms.ChoiceField(
        label=_("UK notice"),
        required=False,
        choices=[("", _("not under the UK regime")), *UkStep.choices],
        help_text=_("Under the UK regime a notice of intent comes first, then removal directions."),
    )
    interpreter_name = forms.CharField(
        label=_("Interpreter's name"), required=False, **kinds.text(100).form
    )
    interpreter_language = forms.CharField(
        label=_("Language the interpreter read it in"),
        required=False,
        **kinds.LANGUAGE.form,
        help_text=_("ISO 639 code, e.g. ti for Tigrinya."),
    )
    interpreter_attestation = forms.CharField(
        label=_("Interpreter's attestation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        **kinds.LONG_TEXT.form,
    )
    exigent = forms.BooleanField(label=_("Exigent circumstances"), required=False)
    counsel_access = forms.BooleanField(
        label=_("The person has access to counsel during the notice period"), required=False
    )
    counsel_service = forms.ChoiceField(
        label=_("How counsel of record outside Accords was served"),
        choices=[(v, label) for v, label in Notice.CounselService.choices if v != "electronic"],
        required=False,
        help_text=_("Counsel with an Accords account is served electronically."),
    )


class FearClaimForm(forms.Form):
    country = forms.CharField(label=_("Country feared"), max_length=40)
    stated_on = _date(_("Stated on"), **kinds.EVENT_DATE.form)

    def clean_country(self):
        # People type "rw" as readily as "RW": the code is checked once it reads as one.
        country = self.cleaned_data["country"].upper()
        kinds.country_code(country)
        return country


class FearScreenForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Screening outcome"),
        choices=[(FearClaim.Outcome.POSITIVE, _("positive")),
                 (FearClaim.Outcome.NEGATIVE, _("negative"))],
    )  # fmt: skip
    screened_on = _date(_("Screened on"), **kinds.EVENT_DATE.form)


class StayForm(forms.Form):
    granted_by = forms.CharField(
        label=_("Granted by"), help_text=_("The court or body, e.g. BIA."), **kinds.text(40).form
    )
    scope = forms.CharField(
        label=_("Bars removal only to"), max_length=2, required=False,
        help_text=_("The country's code, e.g. SV, when the stay bars removal to that country "
                    "alone; empty when it bars every removal."),
    )  # fmt: skip

    def clean_scope(self):
        # People type "sv" as readily as "SV": the code is checked once it reads as one.
        country = self.cleaned_data["scope"].strip().upper()
        if not country:
            return Stay.ALL_REMOVALS
        kinds.country_code(country)
        return country

    valid_from = _date(_("In force from"), **kinds.STAY_START.form)
    valid_until = _date(
        _("Until (empty: until further order)"), required=False, **kinds.STAY_END.form
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("A stay cannot end before it starts."))
        return cleaned


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), **kinds.FREE_TEXT.form
    )


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
