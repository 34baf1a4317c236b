"""Flights, placement plans and manifests: a sending supervisor creates a flight, plans it under
a named policy, locks the manifest and departs it (every gate re-checked at that moment, anyone
with a gate closed taken off with the reason), each after a page showing what it will do; the
receiving officer records each hand-over.
Reads go through accords.transfers.selectors, writes through accords.transfers.services."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accords.core import validation as kinds
from accords.registry.models import Agreement
from accords.transfers import previews, selectors, services
from accords.transfers.models import Manifest, ManifestEntry, Plan
from accords.transfers.planning import FEATURES, POLICIES
from accords.transfers.views.referral_forms import agreement_choices

DEPART = "transfers.change_manifest"
HAND_OVER = "transfers.change_manifestentry"


def _date(label):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))


class FlightForm(forms.Form):
    agreement = forms.ChoiceField(label=gettext_lazy("Agreement"))
    departs_on = _date(gettext_lazy("Departs on"))
    route = forms.CharField(label=gettext_lazy("Route"), **kinds.text(100).form)
    seats = forms.IntegerField(label=gettext_lazy("Seats"), min_value=1, max_value=1000)
    escort_ratio = forms.DecimalField(
        label=gettext_lazy("Escorts per person"), min_value=0, max_digits=4, decimal_places=2,
        initial=1,
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].choices = agreement_choices(user)


class PlanForm(forms.Form):
    policy = forms.ChoiceField(
        label=gettext_lazy("Policy"), choices=[(name, name) for name in POLICIES]
    )


class AgreementPlanForm(PlanForm):
    agreement = forms.ChoiceField(label=gettext_lazy("Agreement"))
    field_order = ["agreement", "policy"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].choices = agreement_choices(user)


class HandOverForm(forms.Form):
    at = forms.DateTimeField(
        label=gettext_lazy("Handed over at"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        **kinds.EVENT_MOMENT.form,
    )
    place = forms.CharField(label=gettext_lazy("Place"), **kinds.text(200).form)


def _refusal(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the field it names, else above the form."""
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied(_("Your role may not do this."))


def _manifest(request, pk: int) -> Manifest:
    try:
        return selectors.manifest_get(user=request.user, pk=pk)
    except Manifest.DoesNotExist:
        raise Http404("No such manifest") from None


@login_required
def flight_list(request):
    _require(request, "transfers.view_flight")
    form = FlightForm(request.POST if request.method == "POST" else None, user=request.user)
    plan_form = AgreementPlanForm(user=request.user)
    if form.is_bound:
        _require(request, "transfers.add_flight")
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["agreement"] = Agreement.objects.get(key=data["agreement"])
            try:
                flight = services.flight_create(actor=request.user, **data)
            except ValidationError as error:
                _refusal(form, error)
            else:
                messages.success(request, _("Flight created: %(flight)s.") % {"flight": flight})
                return redirect("manifest_detail", flight.manifest.pk)
    context = {"flights": selectors.flights_listed(request.user), "form": form,
               "plan_form": plan_form}  # fmt: skip
    return render(request, "transfers/flight_list.html", context)


def _plan(request, form: forms.Form, **target):
    """Run a plan from a bound form; the plan's page, or None with the refusal on the form."""
    if not form.is_valid():
        return None
    try:
        plan = services.plan_create(
            actor=request.user, policy_name=form.cleaned_data["policy"], **target
        )
    except ValidationError as error:
        _refusal(form, error)
        return None
    placed = plan.solver.get("people_placed", 0)
    messages.success(request, _("Plan %(id)s placed %(n)s people.") % {"id": plan.pk, "n": placed})
    return redirect("plan_detail", plan.pk)


def _refused(request, form: forms.Form, to: str, *args):
    for problems in form.errors.values():
        messages.error(request, " ".join(problems))
    return redirect(to, *args)


@login_required
@require_POST
def agreement_plan(request):
    _require(request, "transfers.add_plan")
    form = AgreementPlanForm(request.POST, user=request.user)
    agreement = Agreement.objects.filter(key=request.POST.get("agreement")).first()
    done = _plan(request, form, agreement=agreement) if agreement else None
    return done or _refused(request, form, "flight_list")


@login_required
@require_POST
def flight_plan(request, pk: int):
    _require(request, "transfers.add_plan")
    manifest = _manifest(request, pk)
    form = PlanForm(request.POST)
    done = _plan(request, form, flight=manifest.flight)
    return done or _refused(request, form, "manifest_detail", manifest.pk)


def _manifest_page(request, manifest: Manifest, hand_over: dict | None = None):
    entries = selectors.manifest_entries(user=request.user, manifest=manifest)
    # The form offers the next whole minute in the officer's zone (read back in it too): a
    # hand-over cannot precede the departure.
    soon = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None) + timedelta(minutes=1)
    zone = timezone.get_current_timezone_name()
    given = hand_over or {}
    for entry in entries:
        if entry.status == ManifestEntry.Status.DEPARTED:
            entry.hand_over_form = given.get(entry.pk) or HandOverForm(
                initial={"at": soon}, prefix=f"e{entry.pk}"
            )
            entry.hand_over_form.fields["at"].help_text = _("In your time zone, %(zone)s.") % {
                "zone": zone
            }
    context = {
        "manifest": manifest,
        "flight": manifest.flight,
        "entries": entries,
        "counts": {s: sum(e.status == s for e in entries) for s in ManifestEntry.Status.values},
        "plan_form": PlanForm(),
        "reasons_shown": not selectors.receiving_state_of(request.user),
    }
    return render(request, "transfers/manifest_detail.html", context)


@login_required
def manifest_detail(request, pk: int):
    return _manifest_page(request, _manifest(request, pk))


def _confirm(request, manifest: Manifest, step: str, **context):
    """The page that shows what locking or departing will do, with the button that does it."""
    entries = [e for e in selectors.manifest_entries(user=request.user, manifest=manifest)
               if e.status == ManifestEntry.Status.LISTED]  # fmt: skip
    context = {"manifest": manifest, "flight": manifest.flight, "step": step,
               "entries": entries, **context}  # fmt: skip
    return render(request, "transfers/manifest_confirm.html", context)


@login_required
def manifest_lock(request, pk: int):
    """GET: who is listed and what locking means; POST: lock."""
    _require(request, DEPART)
    manifest = _manifest(request, pk)
    if request.method != "POST":
        return _confirm(request, manifest, "lock")
    try:
        services.manifest_lock(actor=request.user, manifest=manifest)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Manifest locked: it can no longer change."))
    return redirect("manifest_detail", manifest.pk)


@login_required
def manifest_depart(request, pk: int):
    """GET: who would depart now and who would be taken off and why; POST: depart."""
    _require(request, DEPART)
    manifest = _manifest(request, pk)
    if request.method != "POST":
        return _confirm(request, manifest, "depart", preview=previews.departure_preview(manifest))
    try:
        result = services.manifest_depart(actor=request.user, manifest=manifest)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        counts = {"departed": len(result["departed"]), "removed": len(result["removed"])}
        messages.success(
            request, _("%(departed)s departed; %(removed)s taken off at departure.") % counts
        )
    return redirect("manifest_detail", manifest.pk)


@login_required
@require_POST
def entry_hand_over(request, pk: int):
    _require(request, HAND_OVER)
    try:
        entry = selectors.entry_get(user=request.user, pk=pk)
    except ManifestEntry.DoesNotExist:
        raise Http404("No such manifest entry") from None
    form = HandOverForm(request.POST, prefix=f"e{entry.pk}")
    if form.is_valid():
        try:
            services.handover_record(actor=request.user, entry=entry, **form.cleaned_data)
        except ValidationError as error:
            _refusal(form, error)
        else:
            case = entry.referral.person.case_number
            messages.success(request, _("%(case)s handed over.") % {"case": case})
            return redirect("manifest_detail", entry.manifest_id)
    manifest = _manifest(request, entry.manifest_id)
    return _manifest_page(request, manifest, hand_over={entry.pk: form})


@login_required
def plan_detail(request, pk: int):
    try:
        plan = selectors.plan_get(user=request.user, pk=pk)
    except Plan.DoesNotExist:
        raise Http404("No such plan") from None
    weights = plan.policy.get("weights", {})
    described = plan.policy.get("features", {})
    context = {
        "plan": plan,
        "entries": selectors.plan_entries(plan),
        "features": [
            (name, weights[name], described.get(name, FEATURES.get(name, ""))) for name in weights
        ],  # fmt: skip
        "held_back": plan.solver.get("held_back", []),
    }
    return render(request, "transfers/plan_detail.html", context)


urlpatterns = [
    path("flights/", flight_list, name="flight_list"),
    path("plans/", agreement_plan, name="agreement_plan"),
    path("plans/<int:pk>/", plan_detail, name="plan_detail"),
    path("manifests/<int:pk>/", manifest_detail, name="manifest_detail"),
    path("manifests/<int:pk>/plan", flight_plan, name="manifest_plan"),
    path("manifests/<int:pk>/lock", manifest_lock, name="manifest_lock"),
    path("manifests/<int:pk>/depart", manifest_depart, name="manifest_depart"),
    path("manifest-entries/<int:pk>/hand-over", entry_hand_over, name="entry_hand_over"),
]
