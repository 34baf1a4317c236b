"""Synthetic reception care for tests and the demo: a stipend term on the agreement (test data:
the reference data records stipends only as under consideration, with no amount), arrivals
moved back in time (only the clock is moved by hand), and their intake."""

from datetime import timedelta

from django.utils import timezone

from accords.core.services import user_create
from accords.demo.accounts import DEMO_PASSWORD
from accords.reception.models import Arrival
from accords.reception.services import care
from accords.registry.models import Agreement, Source, Term
from accords.registry.services import term_create

STIPEND_TERM = "money-stipend-synthetic"


def stipend_term(
    key: str = "us-rwanda",
    *,
    amount: str = "60.00",
    quantity: int = 6,
    period: str = "month",
    valid_from=None,
    valid_until=None,
) -> Term:
    """A stipend term stating an amount, per month (or week), for `quantity` periods."""  # fmt: skip
    agreement = Agreement.objects.get(key=key)
    existing = agreement.terms.filter(key=STIPEND_TERM).first()
    if existing:
        return existing
    source = Source.objects.order_by("key").first().key
    start = valid_from or timezone.localdate().replace(day=1) - timedelta(days=400)
    return term_create(
        actor=None, agreement=agreement, key=STIPEND_TERM, kind="money",
        text="Synthetic: a monthly stipend for each person relocated, for six months.",
        money_kind="stipend", money_status="committed", amount=amount, currency="USD",
        period=period, quantity=quantity, valid_from=start.isoformat(),
        valid_until=valid_until.isoformat() if valid_until else None,
        sources=[{"source": source, "confidence": "unconfirmed"}],
    )  # fmt: skip


def arrived_days_ago(arrival: Arrival, days: int) -> Arrival:
    """Move an arrival back in time, with its plan's due date (the clock, by hand)."""
    at = timezone.now() - timedelta(days=days)
    due = timezone.localdate(at) + timedelta(days=30)
    Arrival.objects.filter(pk=arrival.pk).update(arrived_at=at, plan_due_on=due)
    arrival.refresh_from_db()
    return arrival


def taken_in(arrival: Arrival, *, consent: bool = True, actor=None):
    return care.intake_record(
        actor=actor, arrival=arrival, housed_at="Synthetic hostel, Kigali",
        housed_with="alone", needs=["language"], consent=consent,
        recorded_on=timezone.localdate(arrival.arrived_at),
    )  # fmt: skip


def second_officer():
    """A second receiving officer of Rwanda, to approve what the first computed."""
    from django.contrib.auth.models import User

    found = User.objects.filter(username="receiving.approver").first()
    return found or user_create(actor=None, username="receiving.approver", password=DEMO_PASSWORD,
                                role="receiving_officer", receiving_state="RW")  # fmt: skip


def first_of_month(months_ago: int = 0):
    day = timezone.localdate().replace(day=1)
    for _ in range(months_ago):
        day = (day - timedelta(days=1)).replace(day=1)
    return day
