"""Counsel's portal: their clients only, the notices served on them with the time of electronic
service as proof, every running deadline, and forms to record a client's fear claim or a stay.
The deadlines also go out as an iCalendar feed at a secret address, since calendar apps cannot
sign in; the feed names cases by number only, as it leaves Accords for a calendar service."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from icalendar import Calendar, Event

from accords.cases.models import Person
from accords.core.roles import user_role
from accords.transfers import selectors, services
from accords.transfers.models import CounselFeedToken, Referral
from accords.transfers.views.referral_forms import FearClaimForm, StayForm, errors_onto

# The shape of the tokens `counsel_feed_issue` makes; anything else is not looked up at all.
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def _counsel(request) -> None:
    role = user_role(request.user)
    if role is None or role.key != "counsel":
        raise PermissionDenied("The portal is for counsel of record.")


def _portal(request, bound: dict | None = None, status: int = 200):
    """The portal; `bound` holds a form that came back with errors, by (kind, client)."""
    bound = bound or {}
    today = timezone.localdate()
    deadlines = selectors.deadlines_list(request.user)
    notices = selectors.notices_visible(request.user).order_by("-notice__served_at")
    clients = []
    for person in selectors.clients_visible(request.user).prefetch_related(
        "fear_claims", "stays", "referrals__agreement"
    ):
        open_referral = next((r for r in person.referrals.all() if r.status == "open"), None)
        destination = open_referral.agreement.receiving_state_id if open_referral else ""
        clients.append({
            "person": person,
            "referrals": person.referrals.all(),
            "notices": [d for d in notices if d.referral.person_id == person.pk],
            "deadlines": [d for d in deadlines if d.referral.person_id == person.pk],
            "fear_form": bound.get(("fear", person.pk)) or FearClaimForm(
                prefix=f"fear-{person.pk}", initial={"country": destination, "stated_on": today}),
            "stay_form": bound.get(("stay", person.pk)) or StayForm(
                prefix=f"stay-{person.pk}", initial={"valid_from": today}),
        })  # fmt: skip
    feed = CounselFeedToken.objects.filter(counsel=request.user).first()
    feed_url = None
    if feed:
        feed_url = request.build_absolute_uri(
            f"{reverse('counsel_deadlines_ics')}?token={feed.token}"
        )
    context = {"clients": clients, "deadlines": deadlines, "feed": feed, "feed_url": feed_url}
    return render(request, "transfers/counsel_portal.html", context, status=status)


@login_required
def counsel_portal(request):
    _counsel(request)
    return _portal(request)


def _client(request, case_number: str) -> Person:
    try:
        return selectors.client_get(user=request.user, case_number=case_number)
    except Person.DoesNotExist:
        raise Http404("No such client") from None


def _record(request, case_number: str, kind: str, form_class, perform, done: str):
    """One of counsel's forms for one client, through the services, with counsel as the actor
    of the audit entry; on refusal the portal again with the form's errors."""
    _counsel(request)
    person = _client(request, case_number)
    form = form_class(request.POST, prefix=f"{kind}-{person.pk}")
    if form.is_valid():
        try:
            perform(person, form.cleaned_data)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, done)
            return redirect(f"{reverse('counsel_portal')}#client-{person.case_number}")
    return _portal(request, {(kind, person.pk): form}, status=422)


@login_required
@require_POST
def client_fear_claim(request, case_number: str):
    def perform(person, data):
        services.fear_claim_record(actor=request.user, person=person, **data)

    done = _("Fear claim recorded for %(case)s.") % {"case": case_number}
    return _record(request, case_number, "fear", FearClaimForm, perform, done)


@login_required
@require_POST
def client_stay(request, case_number: str):
    def perform(person, data):
        services.stay_record(actor=request.user, person=person, **data)

    done = _("Stay recorded for %(case)s.") % {"case": case_number}
    return _record(request, case_number, "stay", StayForm, perform, done)


@login_required
@require_POST
def feed_issue(request):
    _counsel(request)
    services.counsel_feed_issue(actor=request.user, counsel=request.user)
    messages.success(request, _("A new calendar address is ready; any earlier one has stopped."))
    return redirect(f"{reverse('counsel_portal')}#calendar")


def _event(deadline: selectors.Deadline, stamp) -> Event:
    referral: Referral = deadline.referral
    case = referral.person.case_number
    event = Event()
    event.add("uid", f"accords-referral-{referral.pk}-{deadline.gate}")
    event.add("dtstamp", stamp)
    event.add("dtstart", deadline.on)
    event.add("summary", f"{case}: {deadline.gate} could clear ({referral.agreement.key})")
    event.add(
        "description",
        f"{deadline.reason}.\nWhat would clear it: {deadline.clears_by or '-'}.\n"
        f"Law: {deadline.citation}.\nReferral #{referral.pk}, proposed for "
        f"{referral.proposed_on.isoformat()}.",
    )
    return event


def deadlines_ics(request):
    """The calendar feed, found by its secret token alone; an unknown token is a 404."""
    token = request.GET.get("token", "")
    if not TOKEN.fullmatch(token):
        raise Http404("No such calendar")
    try:
        counsel = selectors.counsel_for_feed(token)
    except CounselFeedToken.DoesNotExist:
        raise Http404("No such calendar") from None
    calendar = Calendar()
    calendar.add("prodid", "-//Accords//Counsel deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Accords deadlines ({counsel.get_username()})")
    stamp = timezone.now()
    for deadline in selectors.deadlines_list(counsel):
        calendar.add_component(_event(deadline, stamp))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="accords-deadlines.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("counsel/", counsel_portal, name="counsel_portal"),
    path("counsel/clients/<str:case_number>/fear-claims/", client_fear_claim,
         name="counsel_fear_claim"),
    path("counsel/clients/<str:case_number>/stays/", client_stay, name="counsel_stay"),
    path("counsel/calendar/", feed_issue, name="counsel_feed_issue"),
    path("counsel/deadlines.ics", deadlines_ics, name="counsel_deadlines_ics"),
]  # fmt: skip
