"""The home page, and the pages of one's own account: changing one's password, one's language
and time zone, and the page a sign-in gets once django-axes has locked it out."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import i18n

from accords.audit import selectors as audit_selectors
from accords.core import home as home_reads
from accords.core.forms import errors_onto
from accords.core.middleware import user_profile
from accords.core.roles import user_role
from accords.core.services import user_password_change, user_preferences_set
from accords.core.zones import default_zone, zone_names


def home(request):
    """Each role's home: what waits for it, with counts and links, and a chart or two."""
    role = user_role(request.user)
    context = {
        "waiting": home_reads.waiting_for(request.user),
        "figures": home_reads.figures_for(request.user),
        "latest_checkpoint": (
            audit_selectors.cosignature_latest()
            if request.user.has_perm("audit.view_auditentry")
            else None
        ),
        "role_key": role.key if role else "",
    }
    return render(request, "core/home.html", context)


class PasswordChange(auth_views.PasswordChangeView):
    """Django's form (the old password, the new one twice, the password validators), saved
    through the service so that the change has its audit entry; this session stays signed in."""

    def form_valid(self, form):
        user_password_change(
            actor=self.request.user, user=form.user, password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(self.request, form.user)
        messages.success(
            self.request, _("Your password is changed. Any other session of yours has ended.")
        )
        return redirect("home")


def signin_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once a username has failed too often from one address, in words."""
    context = {
        "failures": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)
    time_zone = forms.ChoiceField(label=gettext_lazy("Time zone"), required=False)

    def __init__(self, *args, state_zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        browser = [("", _("The language my browser asks for"))]
        self.fields["language"].choices = browser + list(settings.LANGUAGES)
        state = [("", _("My state's zone (%(zone)s)") % {"zone": state_zone})]
        self.fields["time_zone"].choices = state + [(z, z) for z in zone_names()]


def _language_cookie(response, language: str):
    """The language cookie follows the profile, so the choice holds after signing out."""
    if language:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
    return response


@login_required
def account_settings(request):
    """The language one reads pages in and the time zone one reads times in."""
    profile = user_profile(request)
    current = {"language": getattr(profile, "language", ""),
               "time_zone": getattr(profile, "time_zone", "")}  # fmt: skip
    form = PreferencesForm(request.POST or None, initial=current,
                           state_zone=default_zone(profile))  # fmt: skip
    if form.is_bound and form.is_valid():
        try:
            user_preferences_set(actor=request.user, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            language = form.cleaned_data["language"]
            translation.activate(language or translation.get_language_from_request(request))
            messages.success(request, _("Your language and time zone are saved."))
            return _language_cookie(redirect("account_settings"), language)
    return render(request, "registration/account_settings.html", {"form": form})


def language_set(request):
    """The header's language switch (Django's set_language); a signed-in user's choice is kept
    on their profile as well, so it follows them to any browser (an audited action only when
    it changes the profile)."""
    language = request.POST.get("language", "") if request.method == "POST" else ""
    profile = user_profile(request)
    kept = getattr(profile, "language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES) and language != kept:
        user_preferences_set(actor=request.user, user=request.user, language=language,
                             time_zone=getattr(profile, "time_zone", ""))  # fmt: skip
    return i18n.set_language(request)
