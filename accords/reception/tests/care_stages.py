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


def care_world(world) -> dict:
    """One arrival 40 days in, taken in, with a document requested and a stipend cycle computed
    (by the system, so either officer may approve it): the records the care pages name."""
    from accords.reception.tests.stages import handed_over

    (arrival,) = handed_over(world, "AC-CARE-1")
    arrival = arrived_days_ago(arrival, 40)
    taken_in(arrival)
    today = timezone.localdate()
    service = care.care_service_open(
        actor=None, arrival=arrival, kind="documents", document="identity",
        provider="Synthetic registry office", requested_on=today - timedelta(days=30),
        due_on=today - timedelta(days=2),
    )  # fmt: skip
    stipend_term()
    programme = care.stipend_programme_open(actor=None, agreement=arrival.agreement)
    cycle = care.stipend_cycle_compute(actor=None, programme=programme,
                                       starts_on=first_of_month(0))  # fmt: skip
    return {"arrival": arrival.pk, "care_service": service.pk, "programme": programme.pk,
            "cycle": cycle.pk, "entitlement": cycle.entitlements.get().pk}  # fmt: skip
