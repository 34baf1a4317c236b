"""Random journeys through the transfer workflow, with the invariants checked after every step.

hypothesis drives the services in any order a busy office might: refer, serve notice (in a
language understood or not, and let its window run), record and screen fear claims, record
stays, accept or decline, withdraw, build a flight, list, plan, lock, depart, hand over. Each call is
made whether or not it should succeed; the machine knows which, and checks the service agrees.
After every step:

- nobody has departed unless every gate passed at the moment of their departure (checked
  right after each departure, before anything else can happen to the case, at the entry's
  own `departed_at`), and the departure took off exactly those the gates and the cap allowed;
- no agreement has more places taken, or more people departed, than its capacity, nor more
  people departed in a calendar month than its monthly quota (when it has one), and no plan
  places more people than the places left or a flight has seats;
- the audit log holds exactly one entry per successful call (a refused call leaves neither an
  entry nor any change) and verifies end to end.
"""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from accords.audit.log import log_verify
from accords.audit.models import AuditEntry
from accords.cases.models import Acceptance, FearClaim, Notice, Person, Stay
from accords.cases.screening import case_explanation
from accords.cases.services import case_import
from accords.cases.tests.conftest import case_doc
from accords.core.services import user_create
from accords.core.tests.world import world_ensure
from accords.core.validation import CLOCK_SKEW
from accords.demo.accounts import DEMO_PASSWORD
from accords.registry.models import Agreement, Term
from accords.transfers import services
from accords.transfers.models import Flight, Manifest, ManifestEntry, Referral

AGREEMENTS = ("us-rwanda", "us-eswatini")  # both in force for the test caseload
PEOPLE = 3
# Each receiving state answers through its own officer.
OFFICERS = {"RW": "receiving.officer", "SZ": "eswatini.officer"}
GONE = (Referral.Status.DEPARTED, Referral.Status.HANDED_OVER)
ANY = st.integers(min_value=0, max_value=99)  # an index into what exists, taken modulo its size


def _naive(moment):
    return moment.replace(tzinfo=None)


def _departed(agreement: Agreement) -> int:
    return Referral.objects.filter(agreement=agreement, status__in=GONE).count()


def _places_held(agreement: Agreement) -> int:
    """Accepted and not withdrawn, or gone: written apart from `places.places_taken`."""
    held = set(
        Referral.objects.filter(agreement=agreement, acceptance__decision="accepted")
        .exclude(status=Referral.Status.WITHDRAWN)
        .values_list("pk", flat=True)
    )
    return len(held | set(
        Referral.objects.filter(agreement=agreement, status__in=GONE).values_list("pk", flat=True)
    ))  # fmt: skip


def _departed_by_month(agreement: Agreement) -> Counter:
    """People departed under the agreement in each (year, month), by local time: counted
    apart from `places.people_gone_in`."""
    gone = ManifestEntry.objects.filter(referral__agreement=agreement, status__in=GONE)
    moments = (timezone.localtime(at) for at in gone.values_list("departed_at", flat=True))
    return Counter((at.year, at.month) for at in moments)


def _snapshot() -> tuple:
    """Everything the services write, to show a refused call changed none of it."""
    return (
        list(Referral.objects.order_by("pk").values_list("pk", "status", "acceptance_id")),
        list(ManifestEntry.objects.order_by("pk").values_list("pk", "status")),
        list(Manifest.objects.order_by("pk").values_list("pk", "locked_at", "departed_at")),
        list(FearClaim.objects.order_by("pk").values_list("pk", "outcome", "screened_on")),
        Flight.objects.count(),
        Notice.objects.count(),
        Stay.objects.count(),
        Acceptance.objects.count(),
        AuditEntry.objects.count(),
    )


class TransferJourneys(RuleBasedStateMachine):
    world: dict  # set by the test: users, agreements and the people, made once

    def __init__(self):
        super().__init__()
        # hypothesis makes a fresh machine for each example, inside the one test's
        # transaction; a savepoint per machine, rolled back at teardown, gives every example
        # the same clean database (a hypothesis TestCase resets per @given example only).
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.audited = AuditEntry.objects.count()
        self.capacity: dict[str, int] = {}
        self.monthly: dict[str, int] = {}  # the agreements given a quota per month too
        self.referrals: list[int] = []
        self.claims: list[int] = []
        self.manifests: list[int] = []
        self.entries: list[int] = []
        self.cleared_at_departure: set[int] = set()

    def teardown(self):
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    def _user(self, name: str) -> User:
        return self.world[name]

    def _call(self, service, should_succeed: bool, lists: bool = False, **kwargs):
        """Call a service; check it succeeds or refuses as it should, and that a success
        writes one audit entry of its own name (after one `manifest.list` entry per manifest
        it listed people on, for a plan: `lists`) and a refusal writes nothing at all."""
        before = None if should_succeed else _snapshot()
        seq = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        try:
            result = service(**kwargs)
        except ValidationError as refusal:
            assert not should_succeed, f"{service.action_name} refused: {refusal}"
            assert _snapshot() == before, f"{service.action_name} was refused half-way"
            return None
        assert should_succeed, f"{service.action_name} did what it should have refused"
        written = list(AuditEntry.objects.filter(seq__gt=seq).order_by("seq"))
        expected = [service.action_name]
        if lists:
            listed_on = ManifestEntry.objects.filter(score__plan=result.pk).values("manifest")
            expected = ["manifest.list"] * listed_on.distinct().count() + expected
        assert [e.action for e in written] == expected
        self.audited += len(written)
        return result

    @staticmethod
    def _pick(pks: list[int], index: int) -> int:
        return pks[index % len(pks)]

    # The set-up of an example: how tight each agreement's quota is, and who is under way.

    @initialize(
        capacities=st.tuples(st.integers(1, 3), st.integers(1, 3)),
        monthly=st.tuples(st.none() | st.just(1), st.none() | st.just(1)),
        under_way=st.lists(st.tuples(st.integers(0, PEOPLE - 1), st.sampled_from(AGREEMENTS)),
                           unique_by=lambda pair: pair[0], min_size=1, max_size=PEOPLE),
    )  # fmt: skip
    def set_up(self, capacities, monthly, under_way):
        for key, quantity, per_month in zip(AGREEMENTS, capacities, monthly, strict=True):
            # Small caps, so that examples reach them; the real quotas are in the hundreds.
            self.world[key].terms.filter(kind=Term.Kind.CAPACITY, period=Term.Period.TOTAL).update(
                quantity=quantity
            )
            self.capacity[key] = quantity
            if per_month is not None:
                Term.objects.create(agreement=self.world[key], key="monthly-quota",
                                    kind=Term.Kind.CAPACITY, text="a monthly quota",
                                    quantity=per_month, period=Term.Period.MONTH)  # fmt: skip
                self.monthly[key] = per_month
        # Some people come referred, served and answered, so that journeys reach departure
        # within the steps an example has; they go through the same rules as every step.
        for person, key in under_way:
            self.refer(person, key)
            self.serve_notice(len(self.referrals) - 1, understood=True, window_has_run=True)
            self.decide(len(self.referrals) - 1, accept=True)

    # The sending state's steps.

    @rule(person=st.integers(0, PEOPLE - 1), key=st.sampled_from(AGREEMENTS))
    def refer(self, person, key):
        person = self.world["people"][person]
        # One open referral at a time, and none at all once the person has been transferred.
        referable = not person.referrals.filter(status__in=(Referral.Status.OPEN, *GONE)).exists()
        referral = self._call(services.referral_create, referable,
                              actor=self._user("sending.officer"), person=person,
                              agreement=self.world[key], proposed_on=timezone.localdate())  # fmt: skip
        if referral:
            self.referrals.append(referral.pk)

    @precondition(lambda self: self.referrals)
    @rule(referral=ANY, understood=st.booleans(), window_has_run=st.booleans())
    def serve_notice(self, referral, understood, window_has_run):
        referral = Referral.objects.get(pk=self._pick(self.referrals, referral))
        # The test people speak Spanish only: an English notice is served but not understood.
        notice = self._call(services.notice_serve, referral.status == Referral.Status.OPEN,
                            actor=self._user("sending.officer"), referral=referral,
                            language="es" if understood else "en")  # fmt: skip
        if notice:
            assert notice.understood == understood
            if window_has_run:
                # Windows run in days: serving the notice a month ago lets this one have run.
                Notice.objects.filter(pk=notice.pk).update(
                    served_at=timezone.now() - timedelta(days=30)
                )

    @precondition(lambda self: self.referrals)  # a fact that matters to a referral
    @rule(person=st.integers(0, PEOPLE - 1), country=st.sampled_from(["RW", "SZ"]),
          days_ago=st.integers(0, 20))  # fmt: skip
    def record_fear_claim(self, person, country, days_ago):
        claim = self._call(services.fear_claim_record, True, actor=self._user("sending.officer"),
                           person=self.world["people"][person], country=country,
                           stated_on=timezone.localdate() - timedelta(days=days_ago))  # fmt: skip
        self.claims.append(claim.pk)

    @precondition(lambda self: self.claims)
    @rule(claim=ANY, outcome=st.sampled_from(["positive", "negative", "pending"]),
          days_after=st.integers(-2, 3))  # fmt: skip
    def screen_fear_claim(self, claim, outcome, days_after):
        claim = FearClaim.objects.get(pk=self._pick(self.claims, claim))
        valid = outcome != "pending" and days_after >= 0
        self._call(services.fear_claim_screen, valid, actor=self._user("sending.officer"),
                   claim=claim, outcome=outcome,
                   screened_on=claim.stated_on + timedelta(days=days_after))  # fmt: skip

    @precondition(lambda self: self.referrals)  # a fact that matters to a referral
    @rule(person=st.integers(0, PEOPLE - 1),
          kind=st.sampled_from(["in force", "expired", "from next month"]))  # fmt: skip
    def record_stay(self, person, kind):
        today = timezone.localdate()
        valid_from, valid_until = {
            "in force": (date(2025, 1, 1), None),
            "expired": (date(2025, 1, 1), date(2025, 2, 1)),
            "from next month": (today + timedelta(days=30), None),
        }[kind]
        self._call(services.stay_record, True, actor=self._user("sending.officer"),
                   person=self.world["people"][person], granted_by="BIA",
                   valid_from=valid_from, valid_until=valid_until)  # fmt: skip

    @precondition(lambda self: self.referrals)
    @rule(referral=ANY, reason=st.sampled_from(["the case was reopened", ""]))
    def withdraw(self, referral, reason):
        referral = Referral.objects.get(pk=self._pick(self.referrals, referral))
        allowed = referral.status == Referral.Status.OPEN and bool(reason)
        self._call(services.referral_withdraw, allowed, actor=self._user("sending.officer"),
                   referral=referral, reason=reason)  # fmt: skip

    # The receiving state's answer.

    @precondition(lambda self: self.referrals)
    @rule(referral=ANY, accept=st.booleans())
    def decide(self, referral, accept):
        referral = Referral.objects.get(pk=self._pick(self.referrals, referral))
        agreement = referral.agreement
        answerable = referral.status == Referral.Status.OPEN and not referral.acceptance_id
        room = _places_held(agreement) < self.capacity[agreement.key]
        self._call(services.acceptance_decide, answerable and (room or not accept),
                   actor=self._user(OFFICERS[agreement.receiving_state_id]), referral=referral,
                   decision="accepted" if accept else "declined",
                   reasons="" if accept else "the reception site is full")  # fmt: skip

    # Flights: build, list, lock, depart, hand over.

    @precondition(lambda self: self.referrals)
    @rule(chosen=st.lists(ANY, min_size=1, max_size=3), spare_seats=st.integers(-1, 1),
          then=st.sampled_from(["lock and depart", "lock", "leave open"]))  # fmt: skip
    def build_flight(self, chosen, spare_seats, then):
        """Create a flight for the agreement of an open referral, list open referrals under
        it (one seat short now and then), and perhaps lock it, and perhaps depart it at once."""
        supervisor = self._user("sending.supervisor")
        open_ = Referral.objects.filter(status=Referral.Status.OPEN).order_by("pk")
        candidates = list(open_.values_list("pk", "agreement_id"))
        if candidates:
            agreement = Agreement.objects.get(pk=candidates[chosen[0] % len(candidates)][1])
            under_it = [pk for pk, agreement_id in candidates if agreement_id == agreement.pk]
            listing = sorted({self._pick(under_it, i) for i in chosen})
        else:
            agreement, listing = self.world[AGREEMENTS[chosen[0] % 2]], []
        flight = self._call(services.flight_create, True, actor=supervisor,
                            agreement=agreement, departs_on=timezone.localdate(),
                            route="charter", seats=max(1, len(listing) + spare_seats))  # fmt: skip
        self.manifests.append(flight.manifest.pk)
        if listing:
            self._list(flight.manifest, listing)
        if then != "leave open":
            self._call(services.manifest_lock, True, actor=supervisor, manifest=flight.manifest)
        if then == "lock and depart":
            self._depart(flight.manifest)

    @precondition(lambda self: self.manifests and self.referrals)
    @rule(manifest=ANY, chosen=st.lists(ANY, min_size=1, max_size=3))
    def list_on_manifest(self, manifest, chosen):
        manifest = Manifest.objects.get(pk=self._pick(self.manifests, manifest))
        self._list(manifest, [self._pick(self.referrals, i) for i in chosen])

    def _list(self, manifest: Manifest, pks: list[int]):
        referrals = [Referral.objects.get(pk=pk) for pk in pks]
        on_board = set(manifest.entries.values_list("referral_id", flat=True))
        listed = manifest.entries.filter(status=ManifestEntry.Status.LISTED).count()
        allowed = (
            not manifest.locked_at
            and listed + len(referrals) <= manifest.flight.seats
            and all(r.agreement_id == manifest.flight.agreement_id for r in referrals)
            and len(set(pks)) == len(pks)
            and not on_board & set(pks)
        )
        if self._call(services.manifest_list, allowed, actor=self._user("sending.supervisor"),
                      manifest=manifest, referrals=referrals):  # fmt: skip
            self.entries = list(ManifestEntry.objects.order_by("pk").values_list("pk", flat=True))

    @precondition(lambda self: self.referrals)
    @rule(key=st.sampled_from(AGREEMENTS), new_flight_seats=st.integers(0, 3))
    def plan(self, key, new_flight_seats):
        """Place the agreement's open referrals on its open flights, as a supervisor would,
        perhaps adding a flight first."""
        agreement = self.world[key]
        today = timezone.localdate()
        if new_flight_seats:
            flight = self._call(services.flight_create, True,
                                actor=self._user("sending.supervisor"), agreement=agreement,
                                departs_on=today, route="charter", seats=new_flight_seats)  # fmt: skip
            self.manifests.append(flight.manifest.pk)
        flights = Flight.objects.filter(agreement=agreement, departs_on__gte=today,
                                        manifest__locked_at=None)  # fmt: skip
        gone = _departed(agreement)
        listed = ManifestEntry.objects.filter(manifest__flight__agreement=agreement,
                                              status=ManifestEntry.Status.LISTED).count()  # fmt: skip
        plan = self._call(services.plan_create, flights.exists(),
                          actor=self._user("sending.supervisor"), agreement=agreement,
                          policy_name="default-2026", lists=True)  # fmt: skip
        if plan is None:
            return
        placed = ManifestEntry.objects.filter(score__plan=plan.pk)
        assert placed.count() == plan.solver["people_placed"]
        assert placed.count() <= max(self.capacity[key] - gone - listed, 0)
        for flight in flights:
            assert flight.manifest.entries.filter(status="listed").count() <= flight.seats
        for entry in placed.select_related("referral__person"):
            explanation = case_explanation(entry.referral.person, agreement,
                                           entry.manifest.flight.departs_on)  # fmt: skip
            assert explanation["decision"] != "blocked", f"{entry.referral} placed though blocked"
        self.entries = list(ManifestEntry.objects.order_by("pk").values_list("pk", flat=True))

    @precondition(lambda self: self.manifests)
    @rule(manifest=ANY)
    def lock(self, manifest):
        manifest = Manifest.objects.get(pk=self._pick(self.manifests, manifest))
        self._call(services.manifest_lock, not manifest.locked_at,
                   actor=self._user("sending.supervisor"), manifest=manifest)  # fmt: skip

    @precondition(lambda self: self.manifests)
    @rule(manifest=ANY, ready_one=st.booleans())
    def depart(self, manifest, ready_one):
        # A supervisor mostly departs a manifest that is ready, and sometimes the wrong one.
        ready = Manifest.objects.filter(pk__in=self.manifests, locked_at__isnull=False,
                                        departed_at=None, entries__status="listed")  # fmt: skip
        choices = sorted(set(ready.values_list("pk", flat=True))) if ready_one else []
        self._depart(Manifest.objects.get(pk=self._pick(choices or self.manifests, manifest)))

    def _depart(self, manifest: Manifest):
        manifest.refresh_from_db()
        departs = bool(manifest.locked_at) and not manifest.departed_at
        expected = self._who_may_depart(manifest) if departs else None
        result = self._call(services.manifest_depart, departs,
                            actor=self._user("sending.supervisor"), manifest=manifest)  # fmt: skip
        if result is None:
            return
        assert result["departed"] == expected
        # Nothing has happened to anyone's case since: the facts are those the departure saw.
        for entry in ManifestEntry.objects.filter(manifest=manifest, status="departed"):
            person, agreement = entry.referral.person, entry.referral.agreement
            explanation = case_explanation(person, agreement, _naive(entry.departed_at))
            closed = [g["gate"] for g in explanation["gates"] if g["outcome"] != "pass"]
            assert not closed, f"{person} departed with {closed} not passed"
            # The receiving state's last answer on this person, in the order answers were
            # recorded, is a yes: checked apart from the engine, which sees them by date.
            answers = Acceptance.objects.filter(
                person=person, receiving_state=agreement.receiving_state_id
            )
            assert answers.order_by("pk").last().decision == Acceptance.Decision.ACCEPTED
            self.cleared_at_departure.add(entry.pk)

    def _who_may_depart(self, manifest: Manifest) -> list[str]:
        """The case numbers that should depart now: listed, referral open, every gate
        passed, in listing order until the agreement's cap is reached."""
        agreement = manifest.flight.agreement
        room = self.capacity[agreement.key] - _departed(agreement)
        if agreement.key in self.monthly:
            today = timezone.localdate()
            this_month = _departed_by_month(agreement)[(today.year, today.month)]
            room = min(room, self.monthly[agreement.key] - this_month)
        now, going = _naive(timezone.now()), []
        listed = manifest.entries.filter(status=ManifestEntry.Status.LISTED).order_by("pk")
        for entry in listed.select_related("referral__person"):
            referral = entry.referral
            explanation = case_explanation(referral.person, agreement, now)
            if (
                referral.status == Referral.Status.OPEN
                and explanation["decision"] == "cleared"
                and len(going) < room
            ):
                going.append(referral.person.case_number)
        return going

    @precondition(lambda self: self.entries)
    @rule(entry=ANY, departed_one=st.booleans(), hours_after=st.integers(-1, 48),
          place=st.sampled_from(["Kigali International Airport", ""]))  # fmt: skip
    def hand_over(self, entry, departed_one, hours_after, place):
        departed = ManifestEntry.objects.filter(status=ManifestEntry.Status.DEPARTED)
        choices = list(departed.order_by("pk").values_list("pk", flat=True)) if departed_one else []
        entry = ManifestEntry.objects.get(pk=self._pick(choices or self.entries, entry))
        at = (entry.departed_at or timezone.now()) + timedelta(hours=hours_after)
        # A hand-over is recorded once it happened, not ahead (validation.CLOCK_SKEW at most).
        allowed = (entry.status == ManifestEntry.Status.DEPARTED and hours_after >= 0 and place
                   and at <= timezone.now() + CLOCK_SKEW)  # fmt: skip
        self._call(services.handover_record, bool(allowed), actor=self._user("receiving.officer"),
                   entry=entry, at=at, place=place)  # fmt: skip

    # The invariants.

    @invariant()
    def nobody_departed_without_every_gate_passed(self):
        gone = set(ManifestEntry.objects.filter(status__in=GONE).values_list("pk", flat=True))
        assert gone <= self.cleared_at_departure
        # A referral is departed or handed over exactly when one of its entries is.
        assert set(Referral.objects.filter(status__in=GONE).values_list("pk", flat=True)) == set(
            ManifestEntry.objects.filter(status__in=GONE).values_list("referral_id", flat=True)
        )

    @invariant()
    def no_agreement_is_over_capacity(self):
        for key, capacity in self.capacity.items():
            assert _places_held(self.world[key]) <= capacity
            assert _departed(self.world[key]) <= capacity
        for key, quota in self.monthly.items():
            assert all(n <= quota for n in _departed_by_month(self.world[key]).values())

    @invariant()
    def one_audit_entry_per_change_and_the_log_verifies(self):
        assert AuditEntry.objects.count() == self.audited
        assert log_verify().ok


@pytest.fixture
def world(db):
    world_ensure()
    user_create(actor=None, username="eswatini.officer", password=DEMO_PASSWORD,
                role="receiving_officer", receiving_state="SZ")  # fmt: skip
    docs = [case_doc(f"M-{i}", notices=[], acceptances=[]) for i in range(PEOPLE)]
    case_import(actor=None, records=list(enumerate(docs, 1)), source="test")
    return {
        **{u.username: u for u in User.objects.all()},
        **{a.key: a for a in Agreement.objects.filter(key__in=AGREEMENTS)},
        "people": list(Person.objects.filter(case_number__startswith="M-").order_by("pk")),
    }


def test_any_sequence_of_steps_keeps_the_transfer_invariants(world):
    TransferJourneys.world = world
    run_state_machine_as_test(
        TransferJourneys,
        settings=settings(
            # Sized for `make test`'s ten minutes on two cores (it runs on both databases, 15
            # journeys of 20 steps each); what it found is kept below as scenarios, which run
            # every time.
            max_examples=15,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


# What the machine found, kept as scenarios.


def _departed_once(world) -> tuple[Person, Referral]:
    """A person whose case file holds a notice served long ago, referred, accepted by the
    receiving state's officer and flown."""
    case_import(actor=None, records=[(1, case_doc("F-1"))], source="test")
    person, rwanda = Person.objects.get(case_number="F-1"), world["us-rwanda"]
    referral = services.referral_create(actor=world["sending.officer"], person=person,
                                        agreement=rwanda, proposed_on=timezone.localdate())  # fmt: skip
    services.acceptance_decide(actor=world["receiving.officer"], referral=referral,
                               decision="accepted")  # fmt: skip
    supervisor = world["sending.supervisor"]
    flight = services.flight_create(actor=supervisor, agreement=rwanda, route="KGL", seats=1,
                                    departs_on=timezone.localdate())  # fmt: skip
    services.manifest_list(actor=supervisor, manifest=flight.manifest, referrals=[referral])
    services.manifest_lock(actor=supervisor, manifest=flight.manifest)
    assert services.manifest_depart(actor=supervisor, manifest=flight.manifest)["departed"] == [
        "F-1"
    ]
    return person, referral


def test_a_person_already_transferred_cannot_be_referred_and_flown_again(world):
    person, _ = _departed_once(world)
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="already been transferred") as refusal:
        services.referral_create(actor=world["sending.officer"], person=person,
                                 agreement=world["us-eswatini"], proposed_on=timezone.localdate())  # fmt: skip
    assert "person" in refusal.value.message_dict
    assert AuditEntry.objects.count() == entries
    assert person.referrals.count() == 1


def test_listing_someone_already_on_the_manifest_is_refused_naming_the_field(world):
    officer, supervisor, rwanda = (
        world["sending.officer"],
        world["sending.supervisor"],
        world["us-rwanda"],
    )
    first, second = (
        services.referral_create(actor=officer, person=p, agreement=rwanda,
                                 proposed_on=timezone.localdate())
        for p in world["people"][:2]
    )  # fmt: skip
    flight = services.flight_create(actor=supervisor, agreement=rwanda, route="KGL", seats=3,
                                    departs_on=timezone.localdate())  # fmt: skip
    services.manifest_list(actor=supervisor, manifest=flight.manifest, referrals=[first])
    for again in ([first], [second, second]):
        with pytest.raises(ValidationError, match="already on this manifest") as refusal:
            services.manifest_list(actor=supervisor, manifest=flight.manifest, referrals=again)
        assert "referrals" in refusal.value.message_dict
    assert list(flight.manifest.entries.values_list("referral", flat=True)) == [first.pk]
