"""Reads of the transfer workflow, each scoped to what the asking user may see.

A receiving officer sees only referrals to agreements whose receiving state they serve, each
person's file only as far as that state needs it to answer by name, and the flights to it;
plans and their scores stay with the sending side and its overseers.

Any other referral is visible to whoever may see its person (cases.selectors.people_visible),
which a receiving officer never is: the sending side's record is not theirs.
Counsel's clients and their running deadlines are read here too, so counsel's portal, its
calendar feed and the API agree.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accords.cases.facts import facts_from_database
from accords.cases.models import CriminalRecord, FearClaim, Notice, Person
from accords.cases.screening import case_explanation, screen_frame
from accords.cases.selectors import WHOLE_CASELOAD, case_number_read, people_visible
from accords.core.roles import user_role
from accords.law.evaluate import gate_lists
from accords.registry.models import Agreement
from accords.transfers.models import (
    CounselFeedToken,
    Flight,
    Manifest,
    ManifestEntry,
    NoticeDocument,
    Plan,
    Referral,
)
from accords.transfers.places import agreement_limit, places_taken_each, quota_standings


def receiving_state_of(user) -> str | None:
    """The state a receiving officer serves; None for every other role."""
    role = user_role(user)
    if role is None or role.key != "receiving_officer":
        return None
    return getattr(getattr(user, "profile", None), "receiving_state_id", None)


def _to_state_of(user) -> QuerySet[Referral]:
    state = receiving_state_of(user)
    if not state:
        return Referral.objects.none()
    return Referral.objects.filter(agreement__receiving_state=state)


def receiving_referrals(user) -> QuerySet[Referral]:
    """Referrals to agreements whose receiving state the officer serves; none for others. A
    withdrawn referral leaves the state's view (`receiving_withdrawn_count` counts them): the
    person is no longer proposed, and their file is no longer the state's to read."""
    return (
        _to_state_of(user)
        .exclude(status=Referral.Status.WITHDRAWN)
        .select_related("person", "agreement", "acceptance")
        .order_by("-referred_at", "-pk")
    )


def receiving_withdrawn_count(user) -> int:
    """How many referrals to the officer's state were withdrawn: a number, never who."""
    return _to_state_of(user).filter(status=Referral.Status.WITHDRAWN).count()


def _is_the_answer(gate: str) -> bool:
    return gate.endswith(".receiving_acceptance")


def receiving_availability(referrals: list[Referral]) -> dict[int, bool]:
    """For each open referral, whether the person could travel now but for the state's own
    answer. The reason never leaves the sending side: a fear claim, a protection, a stay or a
    notice window all read to the receiving state as "not available on this date" alike
    (asylum confidentiality, 8 CFR 208.6)."""
    waiting = referrals_waiting(referrals)
    return {
        pk: not [gate for gate in row["gates"] if not _is_the_answer(gate)]
        for pk, row in waiting.items()
    }


def receiving_files(referrals: list[Referral]) -> dict[int, dict]:
    """Each person's file as a receiving state is shown it, by referral id.

    What the state needs to vet a person by name under the agreements: identity, birth date,
    nationalities, languages, the family members referred with them under the same agreement,
    and the categories of convictions (never charges, which prove nothing), and whether the
    person is available on this date (`receiving_availability`). Counsel, counsel's notes and
    the rest of the case stay with the sending state; of a fear claim or a protection the state
    learns nothing, not even that there is one.
    """
    people = {r.person_id for r in referrals}
    convictions = defaultdict(set)
    for person_id, category in CriminalRecord.objects.filter(
        person__in=people, kind=CriminalRecord.Kind.CONVICTION
    ).values_list("person_id", "offence_category"):
        convictions[person_id].add(category.replace("_", " "))
    available = receiving_availability(referrals)
    families = {(r.person.family_id, r.agreement_id) for r in referrals if r.person.family_id}
    travelling = defaultdict(list)
    if families:
        together = Referral.objects.filter(
            person__family__in={f for f, _ in families},
            agreement__in={a for _, a in families},
        ).exclude(status=Referral.Status.WITHDRAWN)
        for other in together.select_related("person").order_by("person__birth_date"):
            travelling[(other.person.family_id, other.agreement_id)].append(other.person)
    files = {}
    for referral in referrals:
        person = referral.person
        family = travelling.get((person.family_id, referral.agreement_id), [])
        files[referral.pk] = {
            "case_number": person.case_number,
            "name": f"{person.given_name} {person.family_name}",
            "birth_date": person.birth_date,
            "nationalities": person.nationalities,
            "languages": person.languages,
            "family": [
                {"name": f"{m.given_name} {m.family_name}", "birth_date": m.birth_date}
                for m in family
                if m.pk != person.pk
            ],
            "convictions": sorted(convictions[person.pk]),
            "available": available.get(referral.pk),
        }
    return files


def receiving_capacity(user) -> list[dict]:
    """For each agreement to the officer's state: the people it can take (its capacity or what
    its fee budget pays for, whichever is less) and why, the places taken, what is left."""
    state = receiving_state_of(user)
    if not state:
        return []
    rows = []
    agreements = list(Agreement.objects.filter(receiving_state=state).order_by("name"))
    taken_each = places_taken_each(agreements)
    for agreement in agreements:
        limit, taken = agreement_limit(agreement), taken_each.get(agreement.pk, 0)
        left = None if limit.people is None else limit.people - taken
        rows.append({"agreement": agreement, "capacity": limit.people, "why": limit.why,
                     "taken": taken, "left": left,
                     "quotas": quota_standings(agreement, timezone.localdate())})  # fmt: skip
    return rows


def flights_visible(user) -> QuerySet[Flight]:
    """The sending side and its overseers see every flight; a receiving officer, the flights
    to their state; everyone else none."""
    role = user_role(user)
    flights = Flight.objects.select_related("agreement", "manifest").order_by("-departs_on", "-pk")
    if role is not None and role.key in WHOLE_CASELOAD:
        return flights
    state = receiving_state_of(user)
    return flights.filter(agreement__receiving_state=state) if state else flights.none()


def flights_listed(user) -> QuerySet[Flight]:
    """Visible flights with how many people each manifest lists, and how many departed."""
    return flights_visible(user).annotate(
        listed=Count("manifest__entries", filter=Q(manifest__entries__status="listed")),
        departed=Count(
            "manifest__entries", filter=Q(manifest__entries__status__in=["departed", "handed_over"])
        ),
    )


def manifest_get(*, user, pk: int) -> Manifest:
    """One manifest the user may see; Manifest.DoesNotExist for any other."""
    return Manifest.objects.select_related("flight__agreement", "plan", "locked_by").get(
        pk=pk, flight__in=flights_visible(user)
    )


def manifest_entries(*, user, manifest: Manifest) -> list[ManifestEntry]:
    """The manifest's people. A receiving officer learns who travelled and who did not, but
    not why someone was taken off (a stay, a fear claim) nor how the plan scored them."""
    entries = list(
        manifest.entries.select_related("referral__person__family", "handed_over_by").order_by(
            "referral__person__family_id", "referral__person__case_number"
        )
    )
    if receiving_state_of(user):
        for entry in entries:
            entry.removed_reason, entry.score = [], {}
    return entries


def entry_get(*, user, pk: int) -> ManifestEntry:
    """One manifest entry on a manifest the user may see; DoesNotExist for any other."""
    return ManifestEntry.objects.select_related("manifest__flight", "referral__person").get(
        pk=pk, manifest__flight__in=flights_visible(user)
    )


def plans_visible(user) -> QuerySet[Plan]:
    """Plans, with their policies and scores, stay with the sending side and its overseers."""
    role = user_role(user)
    if role is not None and role.key in WHOLE_CASELOAD:
        return Plan.objects.select_related("created_by")
    return Plan.objects.none()


def plan_get(*, user, pk: int) -> Plan:
    return plans_visible(user).get(pk=pk)


def plan_entries(plan: Plan) -> list[ManifestEntry]:
    """Everyone the plan placed, with the flight it placed them on and why."""
    return list(
        ManifestEntry.objects.filter(score__plan=plan.pk)
        .select_related("manifest__flight", "referral__person")
        .order_by("manifest__flight__departs_on", "manifest_id", "-score__score", "pk")
    )


def referrals_visible(user) -> QuerySet[Referral]:
    """The referrals of the people the user may see. None for a receiving officer, whose
    view of a referral is `receiving_referrals` with the file as their state sees it."""
    referrals = Referral.objects.select_related(
        "person__counsel", "agreement__receiving_state", "acceptance", "referred_by"
    )
    return referrals.filter(person__in=people_visible(user))


def referral_list(*, user, status: str = "") -> QuerySet[Referral]:
    referrals = referrals_visible(user).order_by("-referred_at", "-pk")
    return referrals.filter(status=status) if status else referrals


def referral_get(*, user, pk: int) -> Referral:
    """One visible referral; Referral.DoesNotExist for any the user may not see."""
    return referrals_visible(user).get(pk=pk)


def notices_visible(user) -> QuerySet[NoticeDocument]:
    return NoticeDocument.objects.select_related(
        "notice", "referral__person", "referral__agreement__receiving_state"
    ).filter(referral__in=referrals_visible(user))


def notice_get(*, user, pk: int) -> NoticeDocument:
    return notices_visible(user).get(pk=pk)


def clients_visible(user) -> QuerySet[Person]:
    """Counsel's own clients, and only while the user holds the counsel role."""
    return people_visible(user).filter(counsel=user)


def client_get(*, user, case_number: str) -> Person:
    return clients_visible(user).get(case_number=case_number_read(case_number))


def counsel_for_feed(token: str):
    """The counsel whose calendar-feed address this is; CounselFeedToken.DoesNotExist if none."""
    return CounselFeedToken.objects.select_related("counsel").get(token=token).counsel


def explanation_moment(referral: Referral) -> datetime | date:
    """When a referral's gates are checked: its proposed date if that is still ahead, otherwise
    now (a date means its first moment, which would miss a notice served earlier today)."""
    if referral.proposed_on > timezone.localdate():
        return referral.proposed_on
    return timezone.now().replace(tzinfo=None)


def referral_explanation(referral: Referral) -> dict:
    return case_explanation(referral.person, referral.agreement, explanation_moment(referral))


def referrals_waiting(referrals: list[Referral]) -> dict[int, dict]:
    """For each open referral, the engine's decision at this moment: the gates it waits on or
    is blocked by, and the earliest date it could clear. One evaluation per agreement for the
    whole list (the bulk path), not one per row."""
    moment = timezone.now().replace(tzinfo=None)
    open_ = [r for r in referrals if r.status == Referral.Status.OPEN]
    by_agreement = defaultdict(list)
    for referral in open_:
        by_agreement[referral.agreement_id].append(referral)
    waiting = {}
    for group in by_agreement.values():
        tables = facts_from_database([r.person_id for r in group])
        _, decisions = screen_frame(tables, group[0].agreement, moment)
        rows = {row["case_id"]: row for row in gate_lists(decisions).iter_rows(named=True)}
        for referral in group:
            row = rows[referral.person.case_number]
            waiting[referral.pk] = {
                "decision": str(row["decision"]),
                "gates": [str(g) for g in row["blocked_by"] + row["pending_on"]],
                "earliest_clear": row["earliest_clear"],
            }
    return waiting


@dataclass(frozen=True)
class Deadline:
    """A gate whose clock is running: it could clear on `on`, and until then it holds."""

    on: date
    referral: Referral
    gate: str
    reason: str
    clears_by: str
    citation: str


def deadlines_list(user, people: QuerySet[Person] | None = None) -> list[Deadline]:
    """Every running clock in the open referrals of counsel's clients (or of those among
    `people`), soonest first: notice windows, fear-claim and reopening windows, anything pending
    with a date it could clear. One evaluation per agreement for all the referrals (the bulk
    path the worklist uses), not one per referral: counsel with hundreds of open referrals
    wait no longer than counsel with one."""
    now = timezone.now().replace(tzinfo=None)
    clients = clients_visible(user)
    if people is not None:
        clients = clients.filter(pk__in=people)
    # Only what a deadline shows of its referral (the case number, the agreement, the date
    # proposed) is read: counsel may have hundreds open, and every page reads them all.
    referrals = (
        Referral.objects.filter(person__in=clients, status=Referral.Status.OPEN)
        .select_related("person")
        .only("agreement_id", "proposed_on", "person__case_number")
    )
    by_agreement = defaultdict(list)
    for referral in referrals:
        by_agreement[referral.agreement_id].append(referral)
    agreements = Agreement.objects.in_bulk(list(by_agreement))
    deadlines = []
    for agreement_id, group in by_agreement.items():
        for referral in group:
            referral.agreement = agreements[agreement_id]
        tables = facts_from_database([r.person_id for r in group])
        evaluation, _ = screen_frame(tables, agreements[agreement_id], now)
        of_case = {r.person.case_number: r for r in group}
        deadlines += [
            Deadline(row["earliest_clear"], of_case[row["case_id"]], str(row["gate"]),
                     str(row["reason"]), str(row["clears_by"] or ""), str(row["citation"] or ""))
            for row in evaluation.running().iter_rows(named=True)
        ]  # fmt: skip
    return sorted(deadlines, key=lambda d: (d.on, d.referral.person.case_number, d.gate))


@dataclass(frozen=True)
class ClientFilters:
    """What counsel narrow their client list by: words in the case number or the name, a
    deadline in the coming week, a notice served, a fear claim not yet screened."""

    search: str = ""
    deadline_this_week: bool = False
    notice_served: bool = False
    fear_claim_pending: bool = False


def clients_find(
    user, filters: ClientFilters, deadlines: list[Deadline] | None = None
) -> QuerySet[Person]:
    """Counsel's clients narrowed by `filters`, by case number (`deadlines`: the user's, when
    the caller has them already)."""
    clients = clients_visible(user)
    for word in filters.search.split()[:5]:
        clients = clients.filter(
            Q(case_number__icontains=word)
            | Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
        )
    if filters.notice_served:
        clients = clients.filter(Exists(Notice.objects.filter(person=OuterRef("pk"))))
    if filters.fear_claim_pending:
        clients = clients.filter(
            Exists(FearClaim.objects.filter(person=OuterRef("pk"), outcome="pending"))
        )
    if filters.deadline_this_week:
        week_end = timezone.localdate() + timedelta(days=7)
        deadlines = deadlines_list(user) if deadlines is None else deadlines
        soon = {d.referral.person_id for d in deadlines if d.on <= week_end}
        clients = clients.filter(pk__in=soon)
    return clients.order_by("case_number")
