"""The people an agreement can take: its capacity or what its fee budget pays for, whichever
is less, held by acceptances, planned within and counted again at departure."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accords.core.home import places_by_agreement
from accords.registry.models import Agreement, Source, Term
from accords.registry.services import term_create
from accords.transfers import services
from accords.transfers.models import ManifestEntry
from accords.transfers.places import agreement_limit, places_taken
from accords.transfers.tests import stages


@pytest.fixture
def world(db):
    return stages.world_make()


def _money(agreement: Agreement, key: str, money_kind: str, amount, currency: str = "USD"):
    """A money term as a registry editor adds one: through the service, with its source."""
    source = Source.objects.order_by("key").first()
    return term_create(
        actor=None, agreement=agreement, key=key, kind=Term.Kind.MONEY, text=key,
        money_kind=money_kind, money_status="committed", amount=amount, currency=currency,
        sources=[{"source": source.key, "confidence": "unconfirmed"}],
    )  # fmt: skip


def _palau_without_fees() -> Agreement:
    """US–Palau (up to 75 people), with whatever fees the reference data gives it removed,
    and in force (the reference data has it only signed: people are referred under it)."""
    palau = stages.in_force("us-palau")
    palau.terms.filter(money_kind=Term.MoneyKind.PER_PERSON_FEE).delete()
    return palau


@pytest.mark.django_db
def test_a_fee_budget_pays_for_so_many_people_and_then_acceptances_are_refused(world):
    palau = _palau_without_fees()
    _money(palau, "fee", Term.MoneyKind.PER_PERSON_FEE, "20000")
    _money(palau, "fee-budget", Term.MoneyKind.FEE_BUDGET, "50000")
    limit = agreement_limit(palau)
    assert limit.people == 2  # two fees of $20,000 fit in $50,000; a third does not
    assert "fee budget of USD 50,000.00, 2 people at USD 20,000.00 each" in limit.why

    referrals = [stages.referred(world, p, "us-palau") for p in stages.people("B-1", "B-2", "B-3")]
    officer = world["receiving.officer"]
    palau.receiving_state_id = "RW"  # Rwanda's officer answers for this test's agreement
    palau.save(update_fields=["receiving_state"])
    for referral in referrals[:2]:
        services.acceptance_decide(actor=officer, referral=referral, decision="accepted")
    with pytest.raises(ValidationError, match="places are all taken: its fee budget"):
        services.acceptance_decide(actor=officer, referral=referrals[2], decision="accepted")
    assert places_taken(palau) == 2
    # A decline holds no place and is always possible.
    services.acceptance_decide(actor=officer, referral=referrals[2], decision="declined",
                               reasons="No place is funded.")  # fmt: skip


@pytest.mark.django_db
def test_the_smaller_of_capacity_and_fee_budget_binds(world):
    palau = _palau_without_fees()
    assert agreement_limit(palau).people == 75
    assert agreement_limit(palau).why == "its capacity of 75 people"
    _money(palau, "fee", Term.MoneyKind.PER_PERSON_FEE, "1000")
    _money(palau, "fee-budget", Term.MoneyKind.FEE_BUDGET, "1000000")
    assert agreement_limit(palau).people == 75  # the budget would pay for 1,000
    palau.terms.filter(kind=Term.Kind.CAPACITY).delete()
    assert agreement_limit(palau).people == 1000


@pytest.mark.django_db
def test_a_budget_without_a_fee_limits_nobody_and_one_in_another_currency_funds_nobody(world):
    palau = _palau_without_fees()
    palau.terms.filter(kind=Term.Kind.CAPACITY).delete()
    _money(palau, "fee-budget", Term.MoneyKind.FEE_BUDGET, "1000000")
    assert agreement_limit(palau).people is None
    _money(palau, "fee", Term.MoneyKind.PER_PERSON_FEE, "1000", currency="EUR")
    limit = agreement_limit(palau)
    assert limit.people == 0 and "not in the fee's currency (EUR)" in limit.why


@pytest.mark.django_db
def test_plans_and_departures_keep_within_the_fee_budget(world):
    rwanda = Agreement.objects.get(key="us-rwanda")
    rwanda.terms.filter(money_kind=Term.MoneyKind.PER_PERSON_FEE).delete()
    _money(rwanda, "fee", Term.MoneyKind.PER_PERSON_FEE, "10000")
    budget = _money(rwanda, "fee-budget", Term.MoneyKind.FEE_BUDGET, "40000")
    for person in stages.people("P-1", "P-2", "P-3", "P-4"):
        stages.ready(world, person)
    flight = stages.flight(world, seats=10, in_days=0)
    plan = services.plan_create(actor=world["sending.supervisor"], flight=flight,
                                policy_name="default-2026")  # fmt: skip
    assert plan.solver["capacity_left"] == 4 and plan.solver["people_placed"] == 4
    assert "fee budget" in plan.solver["limit"]

    # The budget is cut after the plan: departure counts again and takes the last one off.
    Term.objects.filter(pk=budget.pk).update(amount=Decimal("30000"))
    services.manifest_lock(actor=world["sending.supervisor"], manifest=flight.manifest)
    result = services.manifest_depart(actor=world["sending.supervisor"], manifest=flight.manifest)
    assert len(result["departed"]) == 3 and len(result["removed"]) == 1
    entry = ManifestEntry.objects.get(status=ManifestEntry.Status.REMOVED)
    assert [g["gate"] for g in entry.removed_reason] == ["agreement.capacity"]
    assert "fee budget of USD 30,000.00" in entry.removed_reason[0]["reason"]


@pytest.mark.django_db
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(
    capacity=st.one_of(st.none(), st.integers(0, 500)),
    fee=st.one_of(st.none(), st.integers(1, 10**6)),
    budget=st.one_of(st.none(), st.integers(0, 10**9)),
)
def test_the_limit_is_the_least_of_what_the_terms_allow(world, capacity, fee, budget):
    palau = _palau_without_fees()
    palau.terms.filter(kind=Term.Kind.CAPACITY).update(quantity=capacity)
    palau.terms.filter(key__in=["fee", "fee-budget"]).delete()
    if fee is not None:
        _money(palau, "fee", Term.MoneyKind.PER_PERSON_FEE, Decimal(fee) / 100)
    if budget is not None:
        _money(palau, "fee-budget", Term.MoneyKind.FEE_BUDGET, Decimal(budget) / 100)
    allowed = [n for n in (capacity, budget // fee if budget is not None and fee else None)
               if n is not None]  # fmt: skip
    assert agreement_limit(palau).people == (min(allowed) if allowed else None)


@pytest.mark.django_db
def test_a_yes_reported_in_the_case_file_holds_no_place_and_flies_no_one(world):
    """The case file carries Rwanda's yes, but only Rwanda answers for Rwanda: the report
    takes no place, and the departure takes the person off for want of an answer."""
    from accords.cases.models import Person
    from accords.cases.services import case_import
    from accords.cases.tests.conftest import case_doc

    rwanda = Agreement.objects.get(key="us-rwanda")
    case_import(actor=None, records=[(1, case_doc("OUT-1"))], source="test")
    referral = stages.referred(world, Person.objects.get(case_number="OUT-1"))
    assert places_taken(rwanda) == 0
    flight = stages.flight(world, in_days=0)
    services.manifest_list(actor=world["sending.supervisor"], manifest=flight.manifest,
                           referrals=[referral])  # fmt: skip
    services.manifest_lock(actor=world["sending.supervisor"], manifest=flight.manifest)
    result = services.manifest_depart(actor=world["sending.supervisor"], manifest=flight.manifest)
    assert result == {"manifest": flight.manifest.pk, "departed": [], "removed": ["OUT-1"]}
    assert places_taken(rwanda) == 0


@pytest.mark.django_db
def test_places_per_agreement_are_counted_in_one_query_however_many_agreements(world):
    """The home page's chart and the receiving officer's capacities count every agreement's
    places at once: adding agreements with people adds no query."""
    supervisor = world["sending.supervisor"]
    first, second = stages.people("PQ-1", "PQ-2")
    stages.accepted(world, stages.referred(world, first))
    places_by_agreement(supervisor)  # the user's role read once, as any page reads it
    with CaptureQueriesContext(connection) as one:
        figure = places_by_agreement(supervisor)
    assert [(name, n) for _tick, name, n in figure.key] == [
        (Agreement.objects.get(key="us-rwanda").name, 1)
    ]

    eswatini = stages.in_force("us-eswatini")
    stages.accepted(world, stages.referred(world, second, "us-eswatini"))
    palau = _palau_without_fees()
    stages.referred(world, stages.people("PQ-3")[0], "us-palau")  # referred: no place yet
    with CaptureQueriesContext(connection) as three:
        figure = places_by_agreement(supervisor)

    counted = {name: n for _tick, name, n in figure.key}
    assert len(counted) == 3 and counted[eswatini.name] == 1 and counted[palau.name] == 0
    assert counted == {a.name: places_taken(a) for a in Agreement.objects.filter(
        key__in=["us-rwanda", "us-eswatini", "us-palau"])}  # fmt: skip
    assert len(three.captured_queries) == len(one.captured_queries)
