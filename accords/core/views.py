"""The home page, and the pages of one's own account: changing one's password, and the page a
sign-in gets once django-axes has locked it out."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accords.audit import selectors as audit_selectors
from accords.core import home as home_reads
from accords.core.roles import user_role
from accords.core.services import user_password_change


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
