"""Reception's oversight pages: the monitor's (visits due, concerns open, alerts), the receiving
state's concerns, grievances, follow-ups and outcomes, and the alerts the monitor, the sending
state and counsel read. Thin: each page reads through the selectors and writes through one
service; a refused form comes back with its errors and nothing written."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accords.core.forms import form_submit
from accords.core.roles import user_role
from accords.reception import survey
from accords.reception.models import Grievance, Outcome
from accords.reception.selectors import oversight as selectors
from accords.reception.services import oversight as services
from accords.reception.views import oversight_forms as forms

MONITOR = "reception.add_welfarevisit"
ANSWER = "reception.change_concern"
GRIEVANCE = "reception.add_grievance"
GRIEVANCE_ANSWER = "reception.change_grievance"
FOLLOW_UP = "reception.add_followup"
OUTCOME = "reception.add_outcome"
ALERTS = "reception.view_refoulementalert"


def _act(request, form, perform, done: str, back: str, page) -> object:
    """Run one service from one posted form: back to the page with a message, or the page
    again with the form's errors (422) and nothing written."""
    return form_submit(request, form, perform, done=done, back=back,
                       page=lambda status: page(request, form, status=422))  # fmt: skip


def _get(queryset, pk: int):
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404("Not one you may see") from None


# The monitor's page ---------------------------------------------------------------------------


def _monitor_page(request, form=None, status=200):
    user = request.user
    today = timezone.localdate()
    context = {
        "today": today,
        "visits": [(visit, form if getattr(form, "visit", None) == visit else
                    forms.VisitRecordForm(prefix=f"visit-{visit.pk}"))
                   for visit in selectors.visits_due(user)],
        "concerns": selectors.concerns_open(user),
        "answered": selectors.concerns_visible(user).filter(answered_on__isnull=False)[:50],
        "alerts": selectors.alerts_visible(user)[:100],
        "plan_form": forms.VisitPlanForm(user=user, prefix="plan"),
        "concern_form": forms.ConcernForm(user=user, prefix="concern"),
    }  # fmt: skip
    if form is not None and not hasattr(form, "visit"):
        context[form.context_name] = form
    return render(request, "reception/oversight_monitor.html", context, status=status)


@login_required
@permission_required(MONITOR, raise_exception=True)
def monitor(request):
    return _monitor_page(request)


@login_required
@permission_required(MONITOR, raise_exception=True)
@require_POST
def visit_plan(request):
    form = forms.VisitPlanForm(request.POST, user=request.user, prefix="plan")
    form.context_name = "plan_form"

    def perform(data):
        services.visit_plan(actor=request.user, **data)

    return _act(request, form, perform, _("Visit planned."), reverse("oversight_monitor"),
                _monitor_page)  # fmt: skip


@login_required
@permission_required(MONITOR, raise_exception=True)
@require_POST
def visit_record(request, pk: int):
    visit = _get(selectors.visits_visible(request.user), pk)
    form = forms.VisitRecordForm(request.POST, prefix=f"visit-{visit.pk}")
    form.visit = visit

    def perform(data):
        services.visit_record(actor=request.user, visit=visit, **data)

    return _act(request, form, perform, _("Visit recorded."), reverse("oversight_monitor"),
                _monitor_page)  # fmt: skip


@login_required
@permission_required(MONITOR, raise_exception=True)
@require_POST
def concern_raise(request):
    form = forms.ConcernForm(request.POST, user=request.user, prefix="concern")
    form.context_name = "concern_form"

    def perform(data):
        services.concern_raise(actor=request.user, **data)

    done = _("Concern raised. The receiving state must answer it by its deadline.")
    return _act(request, form, perform, done, reverse("oversight_monitor"), _monitor_page)


# The receiving state's concerns -----------------------------------------------------------------


def _concerns_page(request, form=None, status=200):
    user = request.user
    context = {
        "today": timezone.localdate(),
        "concerns": selectors.concerns_open(user),
        "answered": selectors.concerns_visible(user).filter(answered_on__isnull=False)[:100],
        "form": form,
        "visits": selectors.visits_visible(user).exclude(status="planned")[:100],
    }
    return render(request, "reception/oversight_concerns.html", context, status=status)


@login_required
@permission_required(ANSWER, raise_exception=True)
def concerns(request):
    return _concerns_page(request)


@login_required
@permission_required(ANSWER, raise_exception=True)
@require_POST
def concern_answer(request, pk: int):
    concern = _get(selectors.concerns_visible(request.user), pk)
    form = forms.AnswerForm(request.POST, prefix=f"concern-{concern.pk}")
    form.concern = concern

    def perform(data):
        services.concern_answer(actor=request.user, concern=concern, **data)

    return _act(request, form, perform, _("Answer recorded."), reverse("oversight_concerns"),
                _concerns_page)  # fmt: skip


# Grievances ------------------------------------------------------------------------------------


def _grievances_page(request, form=None, status=200):
    user = request.user
    answering = user.has_perm(GRIEVANCE_ANSWER)
    context = {
        "today": timezone.localdate(),
        "grievances": selectors.grievances_visible(user),
        "answering": answering,
        "form": form if form is not None and not hasattr(form, "grievance") else
        forms.GrievanceForm(user=user, prefix="file"),
        "answer_form": form if hasattr(form, "grievance") else None,
        "resolutions": Grievance.Resolution.choices,
    }  # fmt: skip
    return render(request, "reception/oversight_grievances.html", context, status=status)


@login_required
@permission_required(GRIEVANCE, raise_exception=True)
def grievances(request):
    if request.method != "POST":
        return _grievances_page(request)
    form = forms.GrievanceForm(request.POST, user=request.user, prefix="file")

    def perform(data):
        services.grievance_file(actor=request.user, **data)

    return _act(request, form, perform, _("Grievance filed."), reverse("oversight_grievances"),
                _grievances_page)  # fmt: skip


@login_required
@permission_required(GRIEVANCE_ANSWER, raise_exception=True)
@require_POST
def grievance_answer(request, pk: int):
    grievance = _get(selectors.grievances_visible(request.user), pk)
    form = forms.GrievanceAnswerForm(request.POST, prefix=f"grievance-{grievance.pk}")
    form.grievance = grievance

    def perform(data):
        services.grievance_answer(actor=request.user, grievance=grievance, **data)

    return _act(request, form, perform, _("Answer recorded."), reverse("oversight_grievances"),
                _grievances_page)  # fmt: skip


# Follow-ups ------------------------------------------------------------------------------------


def _follow_ups_page(request, form=None, status=200):
    user = request.user
    recent = selectors.follow_ups_visible(user).order_by("-done_on", "-id")[:50]
    context = {
        "due": selectors.follow_ups_due(user),
        "form": form or forms.FollowUpForm(user=user, prefix="follow-up"),
        "recent": [(row, survey.dimension_scores(row.scores)) for row in recent],
        "dimensions": survey.DIMENSIONS,
    }
    return render(request, "reception/oversight_follow_ups.html", context, status=status)


@login_required
@permission_required(FOLLOW_UP, raise_exception=True)
def follow_ups(request):
    if request.method != "POST":
        return _follow_ups_page(request)
    form = forms.FollowUpForm(request.POST, user=request.user, prefix="follow-up")

    def perform(data):
        services.follow_up_record(actor=request.user, scores=form.scores(), **data)

    return _act(request, form, perform, _("Follow-up recorded."), reverse("oversight_follow_ups"),
                _follow_ups_page)  # fmt: skip


# Outcomes --------------------------------------------------------------------------------------


def _outcomes_page(request, form=None, status=200):
    user = request.user
    context = {
        "outcomes": selectors.outcomes_visible(user).order_by("-recorded_at", "-id")[:200],
        "form": form or forms.OutcomeForm(user=user, prefix="outcome"),
    }
    return render(request, "reception/oversight_outcomes.html", context, status=status)


@login_required
@permission_required(OUTCOME, raise_exception=True)
def outcomes(request):
    if request.method != "POST":
        return _outcomes_page(request)
    form = forms.OutcomeForm(request.POST, user=request.user, prefix="outcome")

    def perform(data):
        corrects = data.pop("corrects")
        if corrects is not None:
            try:
                data["corrects"] = selectors.outcomes_visible(request.user).get(pk=corrects)
            except Outcome.DoesNotExist:
                raise ValidationError({"corrects": _("No such outcome.")}) from None
        services.outcome_record(actor=request.user, **data)

    return _act(request, form, perform, _("Outcome recorded."), reverse("oversight_outcomes"),
                _outcomes_page)  # fmt: skip


# Alerts: the monitor, the sending state and counsel ---------------------------------------------


@login_required
@permission_required(ALERTS, raise_exception=True)
def alerts(request):
    user = request.user
    role = user_role(user)
    rows = [(alert, selectors.alert_history(alert)) for alert in selectors.alerts_visible(user)]
    context = {
        "alerts": rows,
        "role": role,
        "counts": selectors.outcome_counts(user) if role.key in selectors.SENDING else [],
        "kinds": dict(Outcome.Kind.choices),
        "outcomes": selectors.outcomes_visible(user).order_by("-recorded_at", "-id")[:200]
        if role.key == "counsel" else [],
    }  # fmt: skip
    return render(request, "reception/oversight_alerts.html", context)


urlpatterns = [
    path("reception/monitoring/", monitor, name="oversight_monitor"),
    path("reception/monitoring/visits/", visit_plan, name="oversight_visit_plan"),
    path("reception/monitoring/visits/<int:pk>/", visit_record, name="oversight_visit_record"),
    path("reception/monitoring/concerns/", concern_raise, name="oversight_concern_raise"),
    path("reception/concerns/", concerns, name="oversight_concerns"),
    path("reception/concerns/<int:pk>/answer/", concern_answer, name="oversight_concern_answer"),
    path("reception/grievances/", grievances, name="oversight_grievances"),
    path("reception/grievances/<int:pk>/answer/", grievance_answer,
         name="oversight_grievance_answer"),
    path("reception/follow-ups/", follow_ups, name="oversight_follow_ups"),
    path("reception/outcomes/", outcomes, name="oversight_outcomes"),
    path("reception/alerts/", alerts, name="oversight_alerts"),
]  # fmt: skip
