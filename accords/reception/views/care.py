"""Reception's pages, the care part: the receiving state's caseworker (its receiving officer)
works from one page (arrivals, plans overdue, services overdue, stipends due), records each
person's intake, plan and services from the arrival's page, and runs the stipend cycles; the
sending state sees its agreements' figures and, per person, only dates (`selectors.care`).

Every page refuses other roles (403) and finds records through the scoped selectors (404 for
another state's)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accords.core.forms import form_submit
from accords.reception.selectors import care as selectors
from accords.reception.services import care
from accords.reception.views import care_forms as forms

LISTED = 200


def _caseworker(request) -> None:
    if selectors.receiving_state_of(request.user) is None:
        raise PermissionDenied(_("Only a receiving state's officers use these pages."))


def _found(query, pk: int):
    try:
        return query.get(pk=pk)
    except ObjectDoesNotExist:
        raise Http404(_("Not found")) from None


def _arrival(request, pk: int):
    _caseworker(request)
    return _found(selectors.caseload(request.user), pk)


def _submit(request, form, call, *, title: str, back: str, done: str):
    """A form page: on a valid POST the service is called, then back to `back`; its refusal,
    or the form's, shown on the form (`core.forms.form_submit`)."""
    context = {"form": form, "title": title, "back": back}
    return form_submit(request, form, call, done=done, back=back,
                       page=lambda status: render(request, "reception/care_form.html", context,
                                                  status=status))  # fmt: skip


def _posted(request):
    return request.POST if request.method == "POST" else None


@login_required
def care_worklist(request):
    _caseworker(request)
    today = timezone.localdate()
    arrivals = Paginator(selectors.caseload(request.user), 50).get_page(request.GET.get("page"))
    overdue = selectors.services_overdue(request.user, today)
    due = selectors.stipends_due(request.user)
    context = {
        "state": request.user.profile.receiving_state,
        "arrivals": arrivals,
        "plans_overdue": selectors.plans_overdue(request.user, today)[:LISTED],
        "services_overdue": overdue[:LISTED],
        "services_overdue_count": overdue.count(),
        "stipends_due": due[:LISTED],
        "stipends_due_count": due.count(),
        "today": today,
    }
    return render(request, "reception/care_worklist.html", context)


@login_required
def care_arrival(request, pk: int):
    arrival = _arrival(request, pk)
    context = {
        "arrival": arrival,
        "intake": getattr(arrival, "intake", None),
        "plan": getattr(arrival, "plan", None),
        "services": selectors.services_of(request.user, arrival),
        "entitlements": selectors.entitlements_of(request.user, arrival),
        "today": timezone.localdate(),
    }
    return render(request, "reception/care_arrival.html", context)


@login_required
def care_intake(request, pk: int):
    arrival = _arrival(request, pk)
    intake = getattr(arrival, "intake", None)
    initial = {"recorded_on": timezone.localdate()}
    if intake:
        initial = {f: getattr(intake, f) for f in forms.IntakeForm.base_fields}
    form = forms.IntakeForm(_posted(request), initial=initial)
    return _submit(
        request, form,
        lambda data: care.intake_record(actor=request.user, arrival=arrival, **data),
        title=_("Intake of %(case)s") % {"case": arrival.person.case_number},
        back=reverse("care_arrival", args=[arrival.pk]), done=_("Intake recorded."),
    )  # fmt: skip


@login_required
def care_plan(request, pk: int):
    arrival = _arrival(request, pk)
    plan = getattr(arrival, "plan", None)
    initial = {"agreed_on": timezone.localdate()}
    if plan:
        initial = {"agreed_on": plan.agreed_on, "goals": plan.goals}
    form = forms.PlanForm(_posted(request), initial=initial)
    return _submit(
        request, form,
        lambda data: care.care_plan_record(actor=request.user, arrival=arrival, **data),
        title=_("Case plan of %(case)s") % {"case": arrival.person.case_number},
        back=reverse("care_arrival", args=[arrival.pk]), done=_("Case plan recorded."),
    )  # fmt: skip


@login_required
def care_service_new(request, pk: int):
    arrival = _arrival(request, pk)
    form = forms.ServiceForm(_posted(request), agreement=arrival.agreement,
                             initial={"requested_on": timezone.localdate()})  # fmt: skip
    return _submit(
        request, form,
        lambda data: care.care_service_open(actor=request.user, arrival=arrival, **data),
        title=_("A service for %(case)s") % {"case": arrival.person.case_number},
        back=reverse("care_arrival", args=[arrival.pk]), done=_("Service recorded."),
    )  # fmt: skip


@login_required
def care_service_outcome(request, pk: int):
    _caseworker(request)
    service = _found(selectors.services(request.user), pk)
    form = forms.OutcomeForm(_posted(request), initial={"outcome_on": timezone.localdate()})
    return _submit(
        request, form,
        lambda data: care.care_service_outcome_record(actor=request.user, service=service, **data),
        title=_("Outcome: %(service)s for %(case)s")
        % {"service": service.what, "case": service.arrival.person.case_number},
        back=reverse("care_arrival", args=[service.arrival_id]), done=_("Outcome recorded."),
    )  # fmt: skip


@login_required
def care_stipends(request):
    _caseworker(request)
    context = {
        "programmes": selectors.programmes(request.user),
        "cycles": selectors.cycles(request.user)[:LISTED],
        "open_form": forms.ProgrammeForm(
            agreements=selectors.agreements_without_programme(request.user)
        ),
        "cycle_form": forms.CycleForm(),
    }
    return render(request, "reception/care_stipends.html", context)


@login_required
def care_programme_open(request):
    _caseworker(request)
    agreements = selectors.agreements_without_programme(request.user)
    form = forms.ProgrammeForm(_posted(request), agreements=agreements)
    return _submit(
        request, form,
        lambda data: care.stipend_programme_open(actor=request.user, **data),
        title=_("Open a stipend programme"), back=reverse("care_stipends"),
        done=_("Stipend programme opened from the agreement's stipend term."),
    )  # fmt: skip


@login_required
def care_cycle_compute(request, pk: int):
    _caseworker(request)
    programme = _found(selectors.programmes(request.user), pk)
    form = forms.CycleForm(_posted(request))
    return _submit(
        request, form,
        lambda data: care.stipend_cycle_compute(actor=request.user, programme=programme, **data),
        title=_("Compute a stipend cycle"), back=reverse("care_stipends"),
        done=_("Cycle computed: another officer approves it before anything is paid."),
    )  # fmt: skip


@login_required
def care_cycle(request, pk: int):
    _caseworker(request)
    cycle = _found(selectors.cycles(request.user), pk)
    entitlements = Paginator(
        selectors.entitlements_with_owed(request.user).filter(cycle=cycle).order_by("id"), 100
    ).get_page(request.GET.get("page"))
    context = {"cycle": cycle, "entitlements": entitlements,
               "eligibility_terms": selectors.cycle_eligibility_terms(cycle),
               "payment_form": forms.PaymentForm(initial={"on": timezone.localdate()})}  # fmt: skip
    return render(request, "reception/care_cycle.html", context)


@login_required
def care_cycle_approve(request, pk: int):
    _caseworker(request)
    cycle = _found(selectors.cycles(request.user), pk)
    if request.method == "POST":
        try:
            care.stipend_cycle_approve(actor=request.user, cycle=cycle)
        except ValidationError as error:
            for problem in error.messages:
                messages.error(request, problem)
        else:
            messages.success(request, _("Cycle approved: its entitlements are owed."))
    return redirect("care_cycle", pk=cycle.pk)


@login_required
def care_payment(request, pk: int):
    _caseworker(request)
    entitlement = _found(selectors.entitlements_with_owed(request.user), pk)
    initial = {"on": timezone.localdate(), "amount": entitlement.still_owed}
    form = forms.PaymentForm(_posted(request), initial=initial)
    return _submit(
        request, form,
        lambda data: care.payment_record(actor=request.user, entitlement=entitlement, **data),
        title=_("Payment to %(case)s") % {"case": entitlement.arrival.person.case_number},
        back=reverse("care_cycle", args=[entitlement.cycle_id]), done=_("Payment recorded."),
    )  # fmt: skip


@login_required
def care_sending(request):
    if selectors.sending_state_of(request.user) is None:
        raise PermissionDenied(_("Only the sending state's officers use this page."))
    today = timezone.localdate()
    people = Paginator(selectors.sending_people(request.user, today), 100).get_page(
        request.GET.get("page")
    )
    context = {"figures": selectors.sending_figures(request.user, today), "people": people,
               "disclosures": selectors.sending_disclosures(request.user, today),
               "today": today}  # fmt: skip
    return render(request, "reception/care_sending.html", context)


urlpatterns = [
    path("reception/care/", care_worklist, name="care_worklist"),
    path("reception/care/arrivals/<int:pk>/", care_arrival, name="care_arrival"),
    path("reception/care/arrivals/<int:pk>/intake/", care_intake, name="care_intake"),
    path("reception/care/arrivals/<int:pk>/plan/", care_plan, name="care_plan"),
    path("reception/care/arrivals/<int:pk>/services/", care_service_new, name="care_service_new"),
    path("reception/care/services/<int:pk>/outcome/", care_service_outcome,
         name="care_service_outcome"),
    path("reception/care/stipends/", care_stipends, name="care_stipends"),
    path("reception/care/stipends/open/", care_programme_open, name="care_programme_open"),
    path("reception/care/programmes/<int:pk>/cycles/", care_cycle_compute,
         name="care_cycle_compute"),
    path("reception/care/cycles/<int:pk>/", care_cycle, name="care_cycle"),
    path("reception/care/cycles/<int:pk>/approve/", care_cycle_approve, name="care_cycle_approve"),
    path("reception/care/entitlements/<int:pk>/payments/", care_payment, name="care_payment"),
    path("reception/sending/", care_sending, name="care_sending"),
]  # fmt: skip
