"""How many people an agreement can take, and how many places are already held.

An agreement limits the people sent under it in two ways. Its total capacity (a capacity term
"in total") is a number of people. Its fee budget (a money term of kind "fee budget") is money
for per-person fees: at the agreement's fee it pays for so many people and no more. The
smaller of the two binds; an agreement that states neither takes anyone it accepts.

An agreement may also set quotas: at most so many people departing per year, month or week
(a capacity term with that period), counted over calendar periods by the day of departure.

Each person accepted by name and not withdrawn holds a place, and so does each person gone.
The services read these counts inside their transactions with the agreement's row locked, so
nothing can change between counting and acting (invariant 2 of ARCHITECTURE.md).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils import timezone

from accords.registry.models import Agreement, Term
from accords.transfers.models import ManifestEntry, Referral

GONE = [Referral.Status.DEPARTED, Referral.Status.HANDED_OVER]


@dataclass(frozen=True)
class Limit:
    """The most people the agreement can take in all (None: no limit stated), and why."""

    people: int | None
    why: str


@dataclass(frozen=True)
class Fee:
    """The agreement's per-person fee in minor units of its currency (0: none stated)."""

    minor: int
    currency: str


def _minor(amount: Decimal) -> int:
    return int(amount * 100)


def fee_term(agreement: Agreement) -> Term | None:
    """The agreement's per-person fee term: the highest it states with an amount, committed or
    paid, as the cost of a place can only be counted on the safe side. The ledger obliges
    each transfer's fee by this same term (`accords.ledger.postings`)."""
    return (
        agreement.terms.filter(kind=Term.Kind.MONEY, money_kind=Term.MoneyKind.PER_PERSON_FEE)
        .exclude(amount=None)
        .order_by("-amount", "pk")
        .first()
    )


def agreement_fee(agreement: Agreement) -> Fee:
    """The per-person fee (`fee_term`) in minor units, or none."""
    term = fee_term(agreement)
    return Fee(_minor(term.amount), term.currency) if term else Fee(0, "")


def _latest(agreement: Agreement, field: str, **kind) -> Term | None:
    """The latest-dated term of a kind that states `field`. A term with no start date counts
    as the oldest, on SQLite and PostgreSQL alike (they sort nulls differently)."""
    return (
        agreement.terms.filter(**kind)
        .exclude(**{field: None})
        .order_by(F("valid_from").desc(nulls_last=True), "-pk")
        .first()
    )


def agreement_limit(agreement: Agreement) -> Limit:
    """The binding limit of the agreement's total capacity and its fee budget."""
    limits = []
    capacity = _latest(agreement, "quantity", kind=Term.Kind.CAPACITY, period=Term.Period.TOTAL)
    if capacity:
        limits.append(Limit(capacity.quantity, f"its capacity of {capacity.quantity} people"))
    budget = _latest(agreement, "amount", kind=Term.Kind.MONEY,
                     money_kind=Term.MoneyKind.FEE_BUDGET)  # fmt: skip
    fee = agreement_fee(agreement)
    if budget and fee.minor:
        stated = f"its fee budget of {budget.currency} {budget.amount:,.2f}"
        if fee.currency != budget.currency:
            # Money in two currencies cannot be compared here; no place is paid for until
            # the agreement's terms state the fee and the budget in one currency.
            why = f"{stated}, which is not in the fee's currency ({fee.currency})"
            limits.append(Limit(0, why))
        else:
            funded = _minor(budget.amount) // fee.minor
            per = f"{fee.currency} {Decimal(fee.minor) / 100:,.2f}"
            limits.append(Limit(funded, f"{stated}, {funded} people at {per} each"))
    if not limits:
        return Limit(None, "it states no capacity and no fee budget")
    return min(limits, key=lambda limit: limit.people)


def _holding_a_place() -> Q:
    """Referrals holding a place: accepted through Accords and not withdrawn, or gone (someone
    the receiving state accepted outside Accords holds a place once they depart)."""
    accepted = Q(acceptance__decision="accepted") & ~Q(status=Referral.Status.WITHDRAWN)
    return accepted | Q(status__in=GONE)


def places_taken(agreement: Agreement) -> int:
    """People holding a place under the agreement."""
    return Referral.objects.filter(_holding_a_place(), agreement=agreement).count()


def places_taken_each(agreements) -> dict[int, int]:
    """People holding a place under each of the agreements, by agreement id (none: absent),
    in one grouped query however many agreements a page shows."""
    rows = (
        Referral.objects.filter(_holding_a_place(), agreement__in=agreements)
        .values_list("agreement")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def people_gone(agreement: Agreement) -> int:
    """People who departed under the agreement (handed over or not)."""
    return Referral.objects.filter(agreement=agreement, status__in=GONE).count()


def people_listed(agreement: Agreement) -> int:
    """People listed on the agreement's manifests that have not departed."""
    return ManifestEntry.objects.filter(
        manifest__flight__agreement=agreement, status=ManifestEntry.Status.LISTED
    ).count()


@dataclass(frozen=True)
class Quota:
    """At most `people` may depart under the agreement in each calendar `period` (a capacity
    term per year, month or week)."""

    people: int
    period: str
    why: str


def agreement_quotas(agreement: Agreement) -> list[Quota]:
    """The agreement's quotas per period: for each period, its latest-dated capacity term."""
    quotas = []
    for period in (Term.Period.YEAR, Term.Period.MONTH, Term.Period.WEEK):
        term = _latest(agreement, "quantity", kind=Term.Kind.CAPACITY, period=period)
        if term:
            why = f"its quota of {term.quantity} people {period.label}"
            quotas.append(Quota(term.quantity, period, why))
    return quotas


def period_of(period: str, day: date) -> tuple[date, date]:
    """The calendar period holding `day`: its first day, and the first day after it. A week
    runs Monday to Sunday (ISO 8601)."""
    if period == Term.Period.YEAR:
        return date(day.year, 1, 1), date(day.year + 1, 1, 1)
    if period == Term.Period.MONTH:
        first = day.replace(day=1)
        return first, (first + timedelta(days=32)).replace(day=1)
    if period == Term.Period.WEEK:
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=7)
    raise ValueError(f"no calendar period {period!r}")


def _entries_in(agreement: Agreement, period: str, day: date, *, field: str, statuses):
    start, end = period_of(period, day)
    return ManifestEntry.objects.filter(
        manifest__flight__agreement=agreement, status__in=statuses,
        **{f"{field}__gte": start, f"{field}__lt": end},
    )  # fmt: skip


def people_gone_in(agreement: Agreement, period: str, day: date) -> int:
    """People who departed under the agreement in the period holding `day` (local days)."""
    gone = [ManifestEntry.Status.DEPARTED, ManifestEntry.Status.HANDED_OVER]
    return _entries_in(agreement, period, day, field="departed_at__date", statuses=gone).count()


@dataclass(frozen=True)
class QuotaStanding:
    """A quota in the period holding one day: its first and last days, and the people gone."""

    quota: Quota
    first: date
    last: date
    gone: int

    @property
    def left(self) -> int:
        return self.quota.people - self.gone

    @property
    def why(self) -> str:
        return f"{self.quota.why}, from {self.first} to {self.last}"


def quota_standings(agreement: Agreement, day: date) -> list[QuotaStanding]:
    """Each of the agreement's quotas in the period holding `day`."""
    standings = []
    for quota in agreement_quotas(agreement):
        first, after = period_of(quota.period, day)
        gone = people_gone_in(agreement, quota.period, day)
        standings.append(QuotaStanding(quota, first, after - timedelta(days=1), gone))
    return standings


def departure_room(agreement: Agreement, moment) -> list[tuple[int, str]]:
    """How many more people may depart under the agreement at `moment`, by each limit that
    applies (its places in all, and each quota for the period `moment` falls in), and why."""
    rooms = []
    limit = agreement_limit(agreement)
    if limit.people is not None:
        rooms.append((limit.people - people_gone(agreement), limit.why))
    day = timezone.localdate(moment)
    rooms.extend((s.left, s.why) for s in quota_standings(agreement, day))
    return rooms


def quota_room(agreement: Agreement, flights) -> dict[int, int]:
    """For each flight (by id), how many more people the agreement's quotas let it carry. A
    period's room (its quota less the people gone, or listed to go, in it) is handed to its
    flights in date order, each taking what its free seats allow: never more than the quota,
    though a plan over several flights in one period may fill the earlier ones first."""
    listed = ManifestEntry.Status.LISTED
    room: dict[int, int] = {}
    for quota in agreement_quotas(agreement):
        left: dict[date, int] = {}
        for flight in sorted(flights, key=lambda f: (f.departs_on, f.pk)):
            start, _ = period_of(quota.period, flight.departs_on)
            if start not in left:
                gone = people_gone_in(agreement, quota.period, flight.departs_on)
                going = _entries_in(
                    agreement, quota.period, flight.departs_on,
                    field="manifest__flight__departs_on", statuses=[listed],
                ).count()  # fmt: skip
                left[start] = quota.people - gone - going
            free = flight.seats - flight.manifest.entries.filter(status=listed).count()
            taken = max(0, min(free, left[start]))
            left[start] -= taken
            room[flight.pk] = min(room.get(flight.pk, taken), taken)
    return room
