"""The workflow's own rules about agreements and dates, beside the safeguards the engine checks.

The engine decides whether a person may go; these rules decide whether a step makes sense at
all: an officer refers and flies people only under their own state's agreements, only on days
the agreement is (or, signed, will be) in force, from today to the agreement's planning
horizon; and a manifest departs only on its flight's day (from the agreement's departure
window before it), never earlier and never after. The services call them inside their
transactions; the forms call `agreements_usable` so they offer only what the services allow.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext

from accords.cases.screening import agreement_terms
from accords.core.roles import user_role
from accords.core.services import SENDING_ROLES
from accords.law.columns import ForcePeriod
from accords.registry.models import Agreement


def sending_state_of(user) -> str | None:
    """The state a sending officer or supervisor works for; None for every other role."""
    role = user_role(user) if user is not None else None
    if role is None or role.key not in SENDING_ROLES:
        return None
    return getattr(getattr(user, "profile", None), "sending_state_id", None)


def _periods(agreement: Agreement) -> tuple[ForcePeriod, ...]:
    # The same periods in force as the engine's gate reads, so the two cannot disagree.
    return agreement_terms(agreement, timezone.localdate()).in_force


def _covers(period: ForcePeriod, day: date) -> bool:
    return period.began <= day and (period.ended is None or day < period.ended)


def _period_words(period: ForcePeriod) -> str:
    if period.ended is None:
        return gettext("in force from %(on)s") % {"on": date_format(period.began)}
    last = period.ended - timedelta(days=1)
    return gettext("in force from %(on)s to %(last)s") % {
        "on": date_format(period.began), "last": date_format(last)}  # fmt: skip


@dataclass(frozen=True)
class Usable:
    """An agreement an officer may use, and when it enters into force if it is not yet."""

    agreement: Agreement
    starts_on: date | None  # None: in force today

    @property
    def label(self) -> str:
        if self.starts_on is None:
            return self.agreement.name
        return gettext("%(name)s (signed, not yet in force: from %(on)s)") % {
            "name": self.agreement.name, "on": date_format(self.starts_on)}  # fmt: skip


def _usable(agreement: Agreement, today: date) -> Usable | None:
    periods = _periods(agreement)
    if any(_covers(p, today) for p in periods):
        return Usable(agreement, None)
    horizon = today + timedelta(days=agreement.planning_horizon_days)
    starts = sorted(p.began for p in periods if today < p.began <= horizon)
    return Usable(agreement, starts[0]) if starts else None


def agreements_usable(user) -> list[Usable]:
    """The agreements the user may refer people or plan flights under today: their own
    state's, in force or signed with an entry into force within the planning horizon."""
    state = sending_state_of(user)
    if not state:
        return []
    today = timezone.localdate()
    agreements = Agreement.objects.screened().filter(sending_state=state)
    agreements = agreements.prefetch_related("statuses", "terms")
    return [u for a in agreements.order_by("name") if (u := _usable(a, today))]


def usable_starts_on(agreement: Agreement) -> date | None:
    """When a signed agreement enters into force, if it is not in force today."""
    usable = _usable(agreement, timezone.localdate())
    return usable.starts_on if usable else None


def agreement_refusal(actor, agreement: Agreement) -> None:
    """Refuse, naming the field `agreement`, an agreement not of the actor's own state, or
    neither in force nor entering into force within its planning horizon."""
    state = sending_state_of(actor)
    if not state:
        raise ValidationError(
            {
                "agreement": gettext(
                    "Your account works for no sending state: it cannot use agreements."
                )
            }  # fmt: skip
        )
    if agreement.sending_state_id != state:
        raise ValidationError(
            {
                "agreement": gettext("%(name)s is not an agreement of your state (%(state)s).")
                % {"name": agreement.name, "state": state}
            }  # fmt: skip
        )
    if _usable(agreement, timezone.localdate()) is None:
        raise ValidationError(
            {"agreement": gettext("%(name)s is not in force, and no entry into force within "
                                  "%(days)s days is on record.")
             % {"name": agreement.name, "days": agreement.planning_horizon_days}}
        )  # fmt: skip


def date_refusal(agreement: Agreement, day: date, *, field: str, what: str) -> None:
    """Refuse, naming `field`, a day before today, past the agreement's planning horizon, or
    outside its periods in force. `what` says in words what is dated, e.g. "a flight"."""
    today = timezone.localdate()
    horizon = today + timedelta(days=agreement.planning_horizon_days)
    if day < today:
        raise ValidationError({field: gettext("%(what)s cannot be dated in the past.") % {
            "what": capfirst(what)}})  # fmt: skip
    if day > horizon:
        raise ValidationError(
            {field: gettext("Under %(name)s, %(what)s is dated at most %(days)s days ahead "
                            "(until %(until)s).")
             % {"name": agreement.name, "what": what, "days": agreement.planning_horizon_days,
                "until": date_format(horizon)}}
        )  # fmt: skip
    periods = _periods(agreement)
    if not any(_covers(p, day) for p in periods):
        known = "; ".join(_period_words(p) for p in periods) or gettext("never in force")
        raise ValidationError(
            {field: gettext("%(name)s is not in force on %(on)s (%(known)s).")
             % {"name": agreement.name, "on": date_format(day), "known": known}}
        )  # fmt: skip


def departure_window(flight) -> tuple[datetime, datetime]:
    """From when, and until when, the flight's manifest may depart: the flight's local day,
    opening earlier by the agreement's departure window."""
    day_begins = timezone.make_aware(datetime.combine(flight.departs_on, time.min))
    opens = day_begins - timedelta(hours=flight.agreement.departure_window_hours)
    return opens, day_begins + timedelta(days=1)


def departure_refusal(flight, moment: datetime) -> None:
    """Refuse, naming the manifest, a departure before the window opens or after it closes."""
    opens, closes = departure_window(flight)
    if moment < opens:
        raise ValidationError(
            {"manifest": f"The flight leaves on {flight.departs_on:%Y-%m-%d}: its manifest can "
                         f"depart from {timezone.localtime(opens):%Y-%m-%d %H:%M}, not before."}
        )  # fmt: skip
    if moment >= closes:
        raise ValidationError(
            {"manifest": f"The flight's day ({flight.departs_on:%Y-%m-%d}) has passed: a "
                         "departure is recorded on the day it happens; plan a new flight."}
        )  # fmt: skip
