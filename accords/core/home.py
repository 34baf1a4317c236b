"""What waits for each role on its home page, with counts and where to go, and a chart or two.

The one read that gathers from every app, so it reads each through that app's own selectors,
which scope by role: a count here is never of rows the user could not open behind its link.
Counts are counts (one query each); the engine runs only for the windows that end this week,
once per agreement over every open referral, as for counsel's deadlines.
Charts are drawn by the statistics' own bar chart (`accords.transparency.charts`).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta

import polars as pl
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accords.audit import selectors as audit
from accords.cases import selectors as cases
from accords.cases.facts import facts_from_database
from accords.cases.models import Notice
from accords.cases.screening import screen_frame
from accords.core.roles import user_role
from accords.law.regime import load_regime
from accords.ledger import selectors as ledger
from accords.reception.selectors import care, oversight
from accords.registry.models import Agreement
from accords.transfers import selectors as transfers
from accords.transfers.models import DiplomaticNote, ManifestEntry, NoticeDocument, Referral
from accords.transfers.places import places_taken_each
from accords.transparency.charts import monthly_chart

SENDING = ("sending_officer", "sending_supervisor")
# An agreement's commitment counts as nearly spent once this share of it is obliged.
NEARLY_SPENT = 0.8
MONTHS_CHARTED = 12


@dataclass(frozen=True)
class Waiting:
    """One kind of work waiting: how many, in words, and the page where it is done."""

    label: str
    count: int
    url: str
    hint: str = ""


@dataclass(frozen=True)
class Figure:
    """A chart with its title, and the words for its bars when they carry numbers."""

    title: str
    chart: object
    key: list[tuple[str, str, int]]  # the bar's label on the chart, what it stands for, count


def windows_ending(referrals: list[Referral], until) -> set[int]:
    """The referrals with a running window (a notice period, a fear-claim window: a gate
    pending with a date it could clear) that ends by `until`. One evaluation per agreement
    for all of them, as counsel's deadlines are (`transfers.selectors.deadlines_list`)."""
    now = timezone.now().replace(tzinfo=None)
    by_agreement = defaultdict(list)
    for referral in referrals:
        by_agreement[referral.agreement_id].append(referral)
    ending = set()
    for group in by_agreement.values():
        tables = facts_from_database([r.person_id for r in group])
        evaluation, _decisions = screen_frame(tables, group[0].agreement, now)
        running = evaluation.running().filter(pl.col("earliest_clear") <= until)
        of_case = {r.person.case_number: r.pk for r in group}
        ending |= {of_case[case] for case in running["case_id"].to_list()}
    return ending


def _sending(user) -> list[Waiting]:
    today = timezone.localdate()
    open_ = transfers.referrals_visible(user).filter(status=Referral.Status.OPEN)
    served = Exists(NoticeDocument.objects.filter(referral=OuterRef("pk")))
    unserved = open_.exclude(served)
    unanswered = open_.filter(served, acceptance__isnull=True)
    ending = len(windows_ending(list(open_.filter(served)), today + timedelta(days=7)))
    url = reverse("referral_list") + "?status=open"
    return [
        Waiting(
            _("Referrals awaiting notice"),
            unserved.count(),
            url,
            _("Open referrals whose person has not been served notice since."),
        ),
        Waiting(
            _("Windows ending this week"),
            ending,
            url,
            _("Open referrals that could clear within seven days, once their window runs."),
        ),
        Waiting(
            _("Answers due from the receiving state"),
            unanswered.count(),
            url,
            _("Noticed referrals the receiving state has not yet answered by name."),
        ),
    ]


def _supervisor(user) -> list[Waiting]:
    today = timezone.localdate()
    flights = transfers.flights_visible(user).filter(manifest__departed_at__isnull=True)
    listed = Exists(ManifestEntry.objects.filter(manifest=OuterRef("manifest"), status="listed"))
    to_lock = flights.filter(listed, manifest__locked_at__isnull=True, departs_on__gte=today)
    to_depart = flights.filter(manifest__locked_at__isnull=False, departs_on__lte=today)
    notes = DiplomaticNote.objects.filter(
        confirmed_at__isnull=True, referral__in=transfers.referrals_visible(user)
    ).exclude(recorded_by=user)
    plans = transfers.plans_visible(user).filter(created_at__date__gte=today - timedelta(days=30))
    flights_url = reverse("flight_list")
    return [
        Waiting(
            _("Manifests to lock"),
            to_lock.count(),
            flights_url,
            _("Flights ahead with people listed and the manifest not yet locked."),
        ),
        Waiting(
            _("Manifests to depart"),
            to_depart.count(),
            flights_url,
            _("Locked manifests whose flight's day has come."),
        ),
        Waiting(
            _("Diplomatic notes to confirm"),
            notes.count(),
            reverse("referral_list"),
            _("Notes another supervisor recorded: a second person confirms them."),
        ),
        Waiting(_("Plans made in the last 30 days"), plans.count(), reverse("agreement_plan")),
    ]


def _receiving(user) -> list[Waiting]:
    today = timezone.localdate()
    awaiting = transfers.receiving_referrals(user).filter(
        status=Referral.Status.OPEN, acceptance__isnull=True
    )
    hand_overs = ManifestEntry.objects.filter(
        status=ManifestEntry.Status.DEPARTED, manifest__flight__in=transfers.flights_visible(user)
    )
    cycles = care.cycles(user).filter(approved_at__isnull=True).exclude(computed_by=user)
    return [
        Waiting(
            _("People awaiting your answer"),
            awaiting.count(),
            reverse("receiving_list"),
            _("Proposed to your state and not yet answered by name."),
        ),
        Waiting(
            _("Hand-overs to record"),
            hand_overs.count(),
            reverse("flight_list"),
            _("People who departed to your state and whose hand-over is not recorded."),
        ),
        Waiting(
            _("Services overdue"),
            care.services_overdue(user, today).count(),
            reverse("care_worklist"),
        ),
        Waiting(
            _("Stipend cycles to approve"),
            cycles.count(),
            reverse("care_stipends"),
            _("Computed by another officer: a second person approves them."),
        ),
    ]


def _counsel(user) -> list[Waiting]:
    week = timezone.localdate() + timedelta(days=7)
    deadlines = transfers.deadlines_list(user)
    soon = {d.referral.person_id for d in deadlines if d.on <= week}
    noticed = transfers.clients_visible(user).filter(
        Exists(Notice.objects.filter(person=OuterRef("pk")))
    )
    portal = reverse("counsel_portal")
    return [
        Waiting(_("Clients with a deadline this week"), len(soon), portal + "?due=on"),
        Waiting(_("Clients served notice"), noticed.count(), portal + "?notice=on"),
    ]


def _finance(user) -> list[Waiting]:
    due = nearly = 0
    for _agreement, totals in ledger.books(user):
        for t in totals:
            due += t.obliged > t.paid + t.claims_settled
            nearly += bool(t.committed) and t.obliged >= NEARLY_SPENT * t.committed
    url = reverse("finance_home")
    return [
        Waiting(
            _("Ledgers with payments due"),
            due,
            url,
            _("Money obliged to the receiving state and not yet paid."),
        ),
        Waiting(
            _("Commitments nearly spent"),
            nearly,
            url,
            _("At least four fifths of what was committed is obliged."),
        ),
    ]


def _monitor(user) -> list[Waiting]:
    return [
        Waiting(
            _("Welfare visits planned"),
            oversight.visits_due(user).count(),
            reverse("oversight_monitor"),
        ),
        Waiting(
            _("Concerns not yet answered"),
            oversight.concerns_open(user).count(),
            reverse("oversight_monitor"),
        ),
        Waiting(
            _("Refoulement alerts"),
            oversight.alerts_visible(user).count(),
            reverse("oversight_alerts"),
        ),
    ]


def _auditor(user) -> list[Waiting]:
    return [
        Waiting(
            _("Entries in the audit log"),
            audit.log_size(),
            reverse("audit_entries"),
            _("Search them by case, actor, action and date, and verify them."),
        ),
    ]


WAITING = {
    "sending_officer": (_sending,),
    "sending_supervisor": (_sending, _supervisor),
    "receiving_officer": (_receiving,),
    "counsel": (_counsel,),
    "finance": (_finance,),
    "monitor": (_monitor,),
    "auditor": (_auditor,),
}


def waiting_for(user) -> list[Waiting]:
    """What waits for the user's role; nothing for a role whose work is elsewhere."""
    role = user_role(user)
    return [w for part in WAITING.get(role.key if role else "", ()) for w in part(user)]


def _bars(title: str, rows: list[tuple[str, int]], series: str, label: str) -> Figure | None:
    """One bar per row, labelled on the chart by its number and named in the key below."""
    if not rows:
        return None
    ticks = [str(n) for n in range(1, len(rows) + 1)]
    figures = {(tick, series): count for tick, (_name, count) in zip(ticks, rows, strict=True)}
    chart = monthly_chart(ticks, figures, {series: label}, threshold=0)
    key = [(tick, name, count) for tick, (name, count) in zip(ticks, rows, strict=True)]
    return Figure(title, chart, key)


def places_by_agreement(user) -> Figure | None:
    """Places held under each agreement with people referred (accepted or gone)."""
    role = user_role(user)
    if role is None or role.key not in cases.WHOLE_CASELOAD | {"receiving_officer"}:
        return None
    agreements = Agreement.objects.filter(referrals__isnull=False).distinct().order_by("name")
    state = transfers.receiving_state_of(user)
    if state:
        agreements = agreements.filter(receiving_state=state)
    agreements = list(agreements)
    taken = places_taken_each(agreements)
    rows = [(a.name, taken.get(a.pk, 0)) for a in agreements]
    return _bars(_("Places used per agreement"), rows, "referrals", _("places used"))


def departures_by_month(user) -> Figure | None:
    """People who departed on the flights the user may see, per month, the last twelve."""
    since = timezone.localdate().replace(day=1) - timedelta(days=31 * (MONTHS_CHARTED - 1))
    gone = ManifestEntry.objects.filter(
        manifest__flight__in=transfers.flights_visible(user),
        departed_at__isnull=False,
        departed_at__date__gte=since.replace(day=1),
    )
    months = Counter()
    per_month = gone.annotate(month=TruncMonth("departed_at")).values("month")
    for row in per_month.annotate(people=Count("pk")).order_by("month"):
        months[row["month"].strftime("%Y-%m")] += row["people"]
    if not months:
        return None
    labels = sorted(months)
    figures = {(m, "departures"): months[m] for m in labels}
    chart = monthly_chart(labels, figures, {"departures": _("departures")}, threshold=0)
    return Figure(_("Departures per month"), chart, [])


def blocks_by_gate(user) -> Figure | None:
    """How many decisions of the latest screening each gate blocks (its stored summary)."""
    role = user_role(user)
    if role is None or role.key not in cases.CASE_FILES:
        return None
    screening = cases.screening_latest()
    blocked = (screening.summary or {}).get("blocked_by_gate", {}) if screening else {}
    described = {g.id: g.description for r in ("us", "uk") for g in load_regime(r).gates}
    rows = [(described.get(gate, gate), n) for gate, n in list(blocked.items())[:10]]
    return _bars(_("Blocks by gate, latest screening"), rows, "hand_overs", _("blocked"))


def figures_for(user) -> list[Figure]:
    found = [places_by_agreement(user), departures_by_month(user), blocks_by_gate(user)]
    return [f for f in found if f]
