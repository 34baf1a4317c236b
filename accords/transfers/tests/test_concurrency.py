"""Races on PostgreSQL: the transfer invariants hold when requests really run at the same time.

Each race starts two or more service calls at once from threads, each with its own database
connection, behind a barrier, and is repeated for many rounds so the interleavings vary. What
is proven:

- a stay and a departure of the same person happen one after the other, never half-and-half:
  whichever took the person's row first is the one the other sees (invariant 1);
- officers accepting the last places of a quota at once never overfill it, whether the
  agreement's capacity or its fee budget is the limit, and exactly the ones refused are told
  why (invariant 2);
- two manifests under one agreement departing at once never exceed its capacity (invariant 2).

The order in which the racers committed is read from the audit log: every action appends its
entry last, under the log head's row lock, which it holds until commit, so the entries' `seq`
is the commit order.
"""

import random
import time
from collections import Counter
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from accords.audit.log import log_verify
from accords.audit.models import AuditEntry
from accords.cases.facts import facts_from_database
from accords.cases.models import Notice, Person
from accords.cases.screening import screen_frame
from accords.cases.services import case_import
from accords.cases.tests.conftest import case_doc
from accords.core.tests.races import race
from accords.core.tests.world import world_ensure
from accords.registry.models import Agreement, Term
from accords.transfers import places, services
from accords.transfers.models import ManifestEntry, Referral

ROUNDS = 20  # each race's pause is drawn anew: 20 rounds see both orders (the prints say)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    if connection.vendor != "postgresql":
        pytest.skip(
            "real parallel writers need PostgreSQL; SQLite serialises whole transactions, "
            "so these races cannot happen there"
        )
    world_ensure()
    users = {u.username: u for u in User.objects.all()}
    return {**users, "rwanda": Agreement.objects.get(key="us-rwanda")}


def _people(prefix: str, count: int, **sections) -> list[Person]:
    docs = [case_doc(f"{prefix}-{i}", **sections) for i in range(count)]
    case_import(actor=None, records=list(enumerate(docs, 1)), source="test")
    return list(Person.objects.filter(case_number__startswith=f"{prefix}-").order_by("pk"))


def _assert_cleared(people: list[Person], agreement: Agreement):
    """Check the set-up, not the system: every racer is someone who could depart right now."""
    _, decisions = screen_frame(
        facts_from_database([p.pk for p in people]), agreement, timezone.localdate()
    )
    assert set(decisions["decision"].cast(str)) == {"cleared"}, decisions


def _set_capacity(agreement: Agreement, quantity: int):
    # The race is about the last places: the cap is moved to just above what is used now,
    # rather than filling the agreement's real quota first.
    agreement.terms.filter(kind=Term.Kind.CAPACITY, period=Term.Period.TOTAL).update(
        quantity=quantity
    )


def _departed(agreement: Agreement) -> int:
    return Referral.objects.filter(
        agreement=agreement, status__in=[Referral.Status.DEPARTED, Referral.Status.HANDED_OVER]
    ).count()


def _locked_manifest(world, referrals: list[Referral]):
    supervisor = world["sending.supervisor"]
    flight = services.flight_create(actor=supervisor, agreement=world["rwanda"],
                                    departs_on=timezone.localdate(), route="KGL", seats=10)  # fmt: skip
    services.manifest_list(actor=supervisor, manifest=flight.manifest, referrals=referrals)
    return services.manifest_lock(actor=supervisor, manifest=flight.manifest)


def test_a_stay_and_a_departure_at_once_never_both_win(world):
    """A stay committed before the departure locked the person takes them off the flight; a
    stay that waited for the departure's lock finds the person already gone. Never a departed
    person whose stay came first."""
    officer, rwanda = world["sending.officer"], world["rwanda"]
    people = _people("S", ROUNDS, notices=[], acceptances=[])
    referrals = []
    for person in people:
        referral = services.referral_create(actor=officer, person=person, agreement=rwanda,
                                            proposed_on=timezone.localdate())  # fmt: skip
        services.notice_serve(actor=officer, referral=referral, language="es")
        services.acceptance_decide(actor=world["receiving.officer"], referral=referral,
                                   decision="accepted")  # fmt: skip
        referrals.append(referral)
    # The notice window runs in days; serving the notices a month ago lets it have run.
    Notice.objects.update(served_at=timezone.now() - timedelta(days=30))
    _assert_cleared(people, rwanda)

    orders = Counter()
    for person, referral in zip(people, referrals, strict=True):
        manifest = _locked_manifest(world, [referral])
        before = AuditEntry.objects.count()
        # The departure locks its manifest and agreement before it reaches the person, so a
        # stay started with it always arrives first; holding the stay back a few milliseconds
        # in some rounds lets the departure win those.
        pause = random.choice([0, random.uniform(0, 0.03)])

        def depart(manifest=manifest):
            return services.manifest_depart(actor=world["sending.supervisor"], manifest=manifest)

        def stay(person=person, pause=pause):
            time.sleep(pause)
            return services.stay_record(actor=officer, person=person, granted_by="BIA",
                                        valid_from=date(2025, 1, 1))  # fmt: skip

        departure, _ = race(depart, stay)
        order = list(AuditEntry.objects.filter(seq__gt=before).order_by("seq")
                     .values_list("action", flat=True))  # fmt: skip
        assert sorted(order) == ["manifest.depart", "stay.record"]
        orders[order[0]] += 1
        entry = ManifestEntry.objects.get(manifest=manifest)
        if order[0] == "stay.record":
            assert departure["removed"] == [person.case_number]
            assert entry.status == ManifestEntry.Status.REMOVED
            assert "us.no_stay" in {g["gate"] for g in entry.removed_reason}
            assert Referral.objects.get(pk=referral.pk).status == Referral.Status.OPEN
        else:
            assert departure["departed"] == [person.case_number]
            assert Referral.objects.get(pk=referral.pk).status == Referral.Status.DEPARTED
    assert log_verify().ok
    # Not an invariant, a check that the race really raced: report which side won how often.
    print(f"first to commit over {ROUNDS} rounds: {dict(orders)}")


FEE = 20_000  # US dollars a person, for the fee-budget race


def _set_fee_budget(agreement: Agreement, people: int):
    """Make the fee budget, not the capacity, the limit: it pays for exactly `people`."""
    agreement.terms.filter(kind=Term.Kind.CAPACITY).update(quantity=None)
    for key, kind, amount in [("race-fee", Term.MoneyKind.PER_PERSON_FEE, FEE),
                              ("race-budget", Term.MoneyKind.FEE_BUDGET, FEE * people)]:  # fmt: skip
        Term.objects.update_or_create(
            agreement=agreement, key=key,
            defaults={"kind": Term.Kind.MONEY, "money_kind": kind, "money_status": "committed",
                      "amount": amount, "currency": "USD", "text": key},
        )  # fmt: skip


@pytest.mark.parametrize("limited_by", ["capacity", "fee budget"])
def test_officers_racing_for_the_last_places_never_overfill_the_quota(world, limited_by):
    officer, rwanda = world["sending.officer"], world["rwanda"]
    receiving = world["receiving.officer"]
    people = _people("A", ROUNDS * 3, notices=[], acceptances=[])
    referrals = [
        services.referral_create(actor=officer, person=p, agreement=rwanda,
                                 proposed_on=timezone.localdate())
        for p in people
    ]  # fmt: skip
    for round_ in range(ROUNDS):
        racing = referrals[round_ * 3 : round_ * 3 + 3]
        free = 1 + round_ % 2  # one place for three officers, or two
        taken = places.places_taken(rwanda)
        limit = _set_capacity if limited_by == "capacity" else _set_fee_budget
        limit(rwanda, taken + free)
        assert places.agreement_limit(rwanda).people == taken + free
        before = AuditEntry.objects.count()

        outcomes = race(*(
            lambda r=r: services.acceptance_decide(actor=receiving, referral=r, decision="accepted")
            for r in racing
        ))  # fmt: skip

        refused = [r for r, o in zip(racing, outcomes, strict=True) if isinstance(o, Exception)]
        assert len(refused) == len(racing) - free
        said = [str(o) for o in outcomes if isinstance(o, Exception)]
        assert all("places are all taken" in s and limited_by in s for s in said), said
        assert places.places_taken(rwanda) == taken + free
        for referral in racing:
            referral.refresh_from_db()
            assert (referral.acceptance_id is None) == (referral in refused)
        # One audit entry per acceptance that happened, none for a refusal.
        assert AuditEntry.objects.count() == before + free
    assert log_verify().ok


def test_two_manifests_departing_at_once_never_exceed_the_agreements_capacity(world):
    """Everyone was accepted while places were many; the cap then drops to one place left.
    Only the departure's own count under the agreement's lock keeps it."""
    rwanda = world["rwanda"]
    people = _people("D", ROUNDS * 2)  # the case file's month-old notice
    referrals = [
        services.referral_create(actor=world["sending.officer"], person=p, agreement=rwanda,
                                 proposed_on=timezone.localdate())
        for p in people
    ]  # fmt: skip
    for referral in referrals:
        services.acceptance_decide(actor=world["receiving.officer"], referral=referral,
                                   decision="accepted")  # fmt: skip
    _assert_cleared(people, rwanda)
    winners = Counter()
    for round_ in range(ROUNDS):
        first, second = (
            _locked_manifest(world, [r]) for r in referrals[round_ * 2 : round_ * 2 + 2]
        )
        departed = _departed(rwanda)
        _set_capacity(rwanda, departed + 1)  # one place left, two people on two flights

        outcomes = race(*(
            lambda m=m: services.manifest_depart(actor=world["sending.supervisor"], manifest=m)
            for m in (first, second)
        ))  # fmt: skip

        assert _departed(rwanda) == departed + 1 <= places.agreement_limit(rwanda).people
        assert sorted(len(o["departed"]) for o in outcomes) == [0, 1]
        loser = next(o for o in outcomes if o["removed"])
        entry = ManifestEntry.objects.get(manifest_id=loser["manifest"])
        assert [g["gate"] for g in entry.removed_reason] == ["agreement.capacity"]
        winners[outcomes[0]["departed"] and "first" or "second"] += 1
    assert log_verify().ok
    print(f"winning manifest over {ROUNDS} rounds: {dict(winners)}")
