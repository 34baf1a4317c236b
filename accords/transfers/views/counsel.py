"""Counsel's portal: their clients only, searched, filtered and a page at a time (counsel of
record may have thousands); one page per client with the notices served on them (the time of
electronic service as proof), their running deadlines, and forms to record a fear claim or a
stay; every deadline on a month's calendar.
The deadlines also go out as an iCalendar feed at a secret address, since calendar apps cannot
sign in; the feed names cases by number only, as it leaves Accords for a calendar service."""

import calendar
import re
from collections import defaultdict
from datetime import datetime, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from icalendar import Calendar, Event

from accords.cases.models import Person
from accords.core import validation as kinds
from accords.core.forms import form_submit
from accords.core.roles import user_role
from accords.core.words import gate_title
from accords.transfers import selectors, services
from accords.transfers.models import CounselFeedToken, Referral
from accords.transfers.views.referral_forms import FearClaimForm, StayForm

# The shape of the tokens `counsel_feed_issue` makes; anything else is not looked up at all.
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def _counsel(request) -> None:
    role = user_role(request.user)
    if role is None or role.key != "counsel":
        raise PermissionDenied("The portal is for counsel of record.")


# One page of the client list; counsel with thousands of clients page through it.
CLIENTS_PER_PAGE = 50
# The soonest of the week's deadlines shown above the list; counsel with hundreds find the
# rest by filtering the list to a deadline this week, or on the calendar.
SOON_SHOWN = 20


class ClientFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label=_("Case number or name"),
                        validators=[kinds.one_line])  # fmt: skip
    due = forms.BooleanField(required=False, label=_("A deadline this week"))
    notice = forms.BooleanField(required=False, label=_("Notice served"))
    fear = forms.BooleanField(required=False, label=_("Fear claim pending"))

    def filters(self) -> selectors.ClientFilters:
        data = self.cleaned_data
        return selectors.ClientFilters(
            search=data.get("q", ""),
            deadline_this_week=data.get("due", False),
            notice_served=data.get("notice", False),
            fear_claim_pending=data.get("fear", False),
        )


@login_required
def counsel_portal(request):
    """Counsel's clients, searched, filtered and a page at a time, each with their next
    deadline; the forms are on each client's own page."""
    _counsel(request)
    form = ClientFilterForm(request.GET)
    deadlines = selectors.deadlines_list(request.user)  # one evaluation serves the whole page
    if form.is_valid():
        clients = selectors.clients_find(request.user, form.filters(), deadlines=deadlines)
    else:  # the form says what is wrong with the search; no one matches it
        clients = selectors.clients_visible(request.user).none()
    page = Paginator(clients, CLIENTS_PER_PAGE).get_page(request.GET.get("page"))
    week_end = timezone.localdate() + timedelta(days=7)
    soon = [d for d in deadlines if d.on <= week_end]
    first_deadline = {}
    for deadline in deadlines:  # soonest first
        first_deadline.setdefault(deadline.referral.person_id, deadline)
    rows = [{"person": person, "next": first_deadline.get(person.pk)} for person in page]
    query = request.GET.copy()
    query.pop("page", None)
    feed = CounselFeedToken.objects.filter(counsel=request.user).first()
    feed_url = None
    if feed:
        feed_url = request.build_absolute_uri(
            f"{reverse('counsel_deadlines_ics')}?token={feed.token}"
        )
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "soon": soon[:SOON_SHOWN],
        "soon_more": len(soon[SOON_SHOWN:]),
        "feed": feed,
        "feed_url": feed_url,
        "total": selectors.clients_visible(request.user).count(),
    }
    return render(request, "transfers/counsel_portal.html", context)


def _client_page(request, person: Person, bound: dict | None = None, status: int = 200):
    """One client: the notices served, the running deadlines, what is on record, and the forms
    (`bound` holds a form that came back with errors, by kind)."""
    bound = bound or {}
    today = timezone.localdate()
    referrals = list(person.referrals.select_related("agreement").order_by("-referred_at"))
    open_referral = next((r for r in referrals if r.status == "open"), None)
    destination = open_referral.agreement.receiving_state_id if open_referral else ""
    context = {
        "person": person,
        "referrals": referrals,
        "notices": selectors.notices_visible(request.user)
        .filter(referral__person=person)
        .order_by("-notice__served_at"),
        "deadlines": selectors.deadlines_list(request.user, people=[person.pk]),
        "fear_form": bound.get("fear")
        or FearClaimForm(prefix="fear", initial={"country": destination, "stated_on": today}),
        "stay_form": bound.get("stay") or StayForm(prefix="stay", initial={"valid_from": today}),
        "refused": [form for form in bound.values() if form.errors],
    }
    return render(request, "transfers/counsel_client.html", context, status=status)


@login_required
def client_detail(request, case_number: str):
    _counsel(request)
    return _client_page(request, _client(request, case_number))


def _client(request, case_number: str) -> Person:
    try:
        return selectors.client_get(user=request.user, case_number=case_number)
    except Person.DoesNotExist:
        raise Http404("No such client") from None


def _record(request, case_number: str, kind: str, form_class, perform, done: str):
    """One of counsel's forms for one client, through the services, with counsel as the actor
    of the audit entry; on refusal the client's page again, the form with its messages and a
    summary of them at the top."""
    _counsel(request)
    person = _client(request, case_number)
    form = form_class(request.POST, prefix=kind)
    return form_submit(request, form, lambda data: perform(person, data), done=done,
                       back=reverse("counsel_client", args=[person.case_number]),
                       page=lambda status: _client_page(request, person, {kind: form},
                                                        status=422))  # fmt: skip


@login_required
def deadlines_calendar(request):
    """The running deadlines of counsel's clients as a month's calendar (`?month=2026-12`)."""
    _counsel(request)
    today = timezone.localdate()
    try:
        first = datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()
    except ValueError:
        first = today.replace(day=1)
    if not 1900 <= first.year <= 2999:  # a calendar's weeks run past year 1 and year 9999
        first = today.replace(day=1)
    by_day = defaultdict(list)
    for deadline in selectors.deadlines_list(request.user):
        by_day[deadline.on].append(deadline)
    weeks = [
        [{"day": day, "in_month": day.month == first.month, "today": day == today,
          "deadlines": by_day.get(day, [])} for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]  # fmt: skip
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    context = {"month": first, "weeks": weeks, "previous": previous, "following": following,
               "later": sorted(d for d in by_day if d >= following)[:1]}  # fmt: skip
    return render(request, "transfers/counsel_calendar.html", context)


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
    event.add("summary", f"{case}: {gate_title(deadline.gate)} ({referral.agreement.name})")
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
    path("counsel/clients/<str:case_number>/", client_detail, name="counsel_client"),
    path("counsel/deadlines/", deadlines_calendar, name="counsel_calendar"),
    path("counsel/clients/<str:case_number>/fear-claims/", client_fear_claim,
         name="counsel_fear_claim"),
    path("counsel/clients/<str:case_number>/stays/", client_stay, name="counsel_stay"),
    path("counsel/calendar/", feed_issue, name="counsel_feed_issue"),
    path("counsel/deadlines.ics", deadlines_ics, name="counsel_deadlines_ics"),
]  # fmt: skip
