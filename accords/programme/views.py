"""The programme's policies: each agreement's, dated, with who chose them; a supervisor of the
sending state chooses a new one here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from accords.programme import selectors, services
from accords.programme.forms import PolicyForm
from accords.registry.models import Agreement

CHOOSE = "programme.add_programmepolicy"


def _agreements(user):
    state = getattr(getattr(user, "profile", None), "sending_state_id", None)
    return Agreement.objects.filter(sending_state_id=state, regime="us").order_by("name")


@login_required
@permission_required("programme.view_programmepolicy", raise_exception=True)
def policy_list(request):
    may_choose = request.user.has_perm(CHOOSE)
    form, status = None, 200
    if may_choose:
        form = PolicyForm(agreements=_agreements(request.user))
    if request.method == "POST":
        if not may_choose:
            raise PermissionDenied
        form = PolicyForm(request.POST, agreements=_agreements(request.user))
        if form.is_valid():
            try:
                services.programme_policy_choose(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(request, _("Policy recorded. The law's gates are unchanged."))
                return redirect("programme_policies")
        status = 422
    context = {"policies": selectors.policies_visible(request.user), "form": form}
    return render(request, "programme/policies.html", context, status=status)


urlpatterns = [path("programme-policies/", policy_list, name="programme_policies")]
