"""Reads of reception's oversight, each scoped to what the asking user may see.

- Visits and concerns: the monitor (of the agreements they monitor) and the receiving state's
  officers (who answer the concerns).
- Grievances name a person's record: their caseworker's state, their counsel and the monitors
  of their agreement see them; nobody else does.
- Outcomes: whoever sees the arrival, except the sending state, which reads outcomes as counts
  per agreement (`outcome_counts`), and the person only through the alerts.
- Refoulement alerts: the monitor, the sending state (its own agreements) and counsel (their
  clients); the public, as counts (`refoulement_alerts_by_agreement_month`).
"""

from datetime import date, timedelta

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accords.core.roles import user_role
from accords.reception.models import (
    FOLLOW_UP_MONTHS,
    Arrival,
    Concern,
    FollowUp,
    Grievance,
    Outcome,
    RefoulementAlert,
    WelfareVisit,
)
from accords.reception.selectors.arrivals import arrivals_visible

SENDING = ("sending_officer", "sending_supervisor")
# Who reads what (each page and endpoint refuses the other roles).
VISITS_READ = CONCERNS_READ = FOLLOW_UPS_READ = ("monitor", "receiving_officer")
GRIEVANCES_READ = OUTCOMES_READ = ("monitor", "receiving_officer", "counsel")
ALERTS_READ = ("monitor", "counsel", *SENDING)
# Follow-ups show on the worklist this many days before they fall due.
FOLLOW_UP_NOTICE_DAYS = 14


def reads(user, roles: tuple[str, ...]) -> bool:
    return _key(user) in roles


def _key(user) -> str:
    role = user_role(user)
    return role.key if role else ""


def _of_arrivals(model, user, *roles: str) -> QuerySet:
    if _key(user) not in roles:
        return model.objects.none()
    return model.objects.filter(arrival__in=arrivals_visible(user)).select_related(
        "arrival__person", "arrival__agreement"
    )


def visits_visible(user) -> QuerySet[WelfareVisit]:
    return _of_arrivals(WelfareVisit, user, *VISITS_READ)


def visits_due(user) -> QuerySet[WelfareVisit]:
    return visits_visible(user).filter(status=WelfareVisit.Status.PLANNED)


def concerns_visible(user) -> QuerySet[Concern]:
    return _of_arrivals(Concern, user, *CONCERNS_READ)


def concerns_open(user) -> QuerySet[Concern]:
    return concerns_visible(user).filter(answered_on__isnull=True)


def concerns_overdue(user, today: date | None = None) -> QuerySet[Concern]:
    """Unanswered past their deadline, or answered after it."""
    today = today or timezone.localdate()
    return concerns_visible(user).filter(
        Q(answered_on__isnull=True, answer_due_on__lt=today) | Q(answered_on__gt=F("answer_due_on"))
    )


def grievances_visible(user) -> QuerySet[Grievance]:
    return _of_arrivals(Grievance, user, *GRIEVANCES_READ)


def follow_ups_visible(user) -> QuerySet[FollowUp]:
    return _of_arrivals(FollowUp, user, *FOLLOW_UPS_READ)


def outcomes_visible(user) -> QuerySet[Outcome]:
    return _of_arrivals(Outcome, user, *OUTCOMES_READ).select_related("corrects")


def outcome_current(arrival: Arrival) -> Outcome | None:
    """The latest outcome that no later one corrects."""
    return (
        arrival.outcomes.filter(corrected_by__isnull=True).order_by("-recorded_at", "-id").first()
    )


def outcome_counts(user) -> list[dict]:
    """The sending state's view: per agreement, how many people's current outcome is each."""
    latest = Outcome.objects.filter(arrival=OuterRef("arrival"), corrected_by__isnull=True)
    latest = latest.order_by("-recorded_at", "-id").values("id")[:1]
    current = Outcome.objects.filter(arrival__in=arrivals_visible(user), id=Subquery(latest))
    rows = current.values("arrival__agreement__key", "kind").annotate(people=Count("arrival"))
    return list(rows.order_by("arrival__agreement__key", "kind"))


def alerts_visible(user) -> QuerySet[RefoulementAlert]:
    if _key(user) not in ALERTS_READ:
        return RefoulementAlert.objects.none()
    return RefoulementAlert.objects.filter(arrival__in=arrivals_visible(user)).select_related(
        "arrival__person", "arrival__agreement", "outcome", "term"
    )


def alert_history(alert: RefoulementAlert) -> list[Outcome]:
    """The outcome that raised the alert and every correction after it, in order."""
    history, outcome = [], alert.outcome
    while outcome is not None:
        history.append(outcome)
        outcome = Outcome.objects.filter(corrects=outcome).first()
    return history


def follow_ups_due(user, today: date | None = None) -> list[dict]:
    """The follow-ups falling due within two weeks (or past due) and not yet recorded, for the
    arrivals the user may see and who were still in the programme's care when each fell due."""
    if _key(user) != "receiving_officer":
        return []
    today = today or timezone.localdate()
    done = set(FollowUp.objects.filter(arrival__in=arrivals_visible(user)).values_list(
        "arrival_id", "month"))  # fmt: skip
    rows = []
    horizon = today + timedelta(days=FOLLOW_UP_NOTICE_DAYS)
    for arrival in arrivals_visible(user):
        arrived = timezone.localdate(arrival.arrived_at)
        for month in FOLLOW_UP_MONTHS:
            due = _months_after(arrived, month)
            if due > horizon or (arrival.pk, month) in done:
                continue
            if arrival.left_on is not None and arrival.left_on < due:
                continue
            rows.append({"arrival": arrival, "month": month, "due_on": due, "overdue": due < today})
    return sorted(rows, key=lambda row: (row["due_on"], row["arrival"].pk))


def _months_after(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("every month has a 28th")


def refoulement_alerts_by_agreement_month() -> list[dict]:
    """The public count: per agreement and month of the removal, how many people an alert was
    raised for. No person is named; the statistics suppress small cells as they publish."""
    rows = (
        RefoulementAlert.objects.annotate(month=TruncMonth("outcome__on"))
        .values("arrival__agreement__key", "month")
        .annotate(people=Count("arrival", distinct=True))
        .order_by("arrival__agreement__key", "month")
    )
    return [{"agreement": row["arrival__agreement__key"], "month": row["month"],
             "people": row["people"]} for row in rows]  # fmt: skip
