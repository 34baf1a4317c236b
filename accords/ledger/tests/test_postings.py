"""Fees follow the workflow, in the event's own transaction: reserved when the receiving state
accepts, posted when the person departs, voided when they are taken off at departure."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accords.audit.models import AuditEntry
from accords.ledger import postings
from accords.ledger import services as ledger
from accords.ledger.balances import account_balance, balances
from accords.ledger.models import Account, Transfer
from accords.ledger.tests.helpers import money_term
from accords.registry.models import Agreement, Term
from accords.transfers import services
from accords.transfers.tests import stages

TODAY = timezone.localdate()


@pytest.fixture
def world(db):
    world = stages.world_make()
    rwanda = Agreement.objects.get(key="us-rwanda")
    money_term(rwanda, "fee-per-person", Term.MoneyKind.PER_PERSON_FEE, "20000")
    return {**world, "rwanda": rwanda}


def _fees(**filters):
    return Transfer.objects.filter(code="obligation", reference__startswith="referral/", **filters)


def _depart(world, flight):
    supervisor = world["sending.supervisor"]
    services.plan_create(actor=supervisor, flight=flight, policy_name="default-2026")
    services.manifest_lock(actor=supervisor, manifest=flight.manifest)
    return services.manifest_depart(actor=supervisor, manifest=flight.manifest)


@pytest.mark.django_db
def test_an_acceptance_reserves_the_fee_and_the_departure_posts_it(world):
    (person,) = stages.people("L-1")
    start = AuditEntry.objects.count()
    referral = stages.ready(world, person)
    (pending,) = _fees(reference=f"referral/{referral.pk}")
    assert pending.phase == "pending" and pending.amount == 2_000_000  # $20,000.00 in cents
    owed = Account.objects.get(kind="obliged", programme="fees", ledger=pending.ledger)
    assert account_balance(owed).posted == 0 and account_balance(owed).credits_pending == 2_000_000
    # The acceptance's action is the only audit entry: the posting is part of it.
    assert AuditEntry.objects.count() - start == 3  # referral, notice, acceptance

    result = _depart(world, stages.flight(world, in_days=0))
    assert result["departed"] == ["L-1"]
    post = Transfer.objects.get(pending=pending)
    assert post.phase == "post" and post.amount == pending.amount
    assert account_balance(owed).posted == 2_000_000


@pytest.mark.django_db
def test_a_person_taken_off_at_departure_has_their_fee_voided(world):
    (person,) = stages.people("L-2")
    referral = stages.ready(world, person)
    flight = stages.flight(world, in_days=0)
    supervisor = world["sending.supervisor"]
    services.plan_create(actor=supervisor, flight=flight, policy_name="default-2026")
    services.manifest_lock(actor=supervisor, manifest=flight.manifest)
    services.stay_record(actor=world["sending.officer"], person=person, granted_by="BIA",
                         valid_from=TODAY)  # fmt: skip
    result = services.manifest_depart(actor=supervisor, manifest=flight.manifest)
    assert result["removed"] == ["L-2"]
    (pending,) = _fees(reference=f"referral/{referral.pk}", phase="pending")
    assert pending.resolution.phase == "void"
    owed = Account.objects.get(kind="obliged", programme="fees")
    assert account_balance(owed) == account_balance(owed).__class__()


@pytest.mark.django_db
def test_a_declined_person_obliges_nothing(world):
    (a,) = stages.people("L-3")
    referral = stages.noticed(world, stages.referred(world, a))
    services.acceptance_decide(actor=world["receiving.officer"], referral=referral,
                               decision="declined", reasons="No housing.")  # fmt: skip
    assert not _fees().exists()
    assert Transfer.objects.count() == 0


@pytest.mark.django_db
def test_obligations_beyond_a_recorded_fee_budget_refuse_the_acceptance(world):
    rwanda = world["rwanda"]
    budget = money_term(rwanda, "fee-budget", Term.MoneyKind.FEE_BUDGET, "30000")
    ledger.commitment_record(actor=world["finance"], term=budget, on=TODAY)
    (a, b) = stages.people("L-5", "L-6")
    stages.ready(world, a)
    # The places rule counts $30,000 as one place; the ledger agrees: the second $20,000 fee
    # would oblige beyond the commitment.
    with pytest.raises(ValidationError):
        stages.ready(world, b)
    committed = Account.objects.get(kind="committed", programme="fees")
    assert account_balance(committed).available == 1_000_000


@pytest.mark.django_db
def test_a_lump_sum_is_committed_and_paid_and_never_beyond(world):
    rwanda, finance = world["rwanda"], world["finance"]
    initial = rwanda.terms.get(key="money-initial-payment")  # $100,000, leaked
    ledger.commitment_record(actor=finance, term=initial, on=date(2025, 5, 1))
    with pytest.raises(ValidationError, match="already committed"):
        ledger.commitment_record(actor=finance, term=initial, on=date(2025, 5, 1))
    ledger.payment_record(actor=finance, agreement=rwanda, programme="lump_sums",
                          amount=Decimal("60000"), currency="USD", on=date(2025, 6, 1))  # fmt: skip
    with pytest.raises(ValidationError, match=r"more than committed.*\$40,000.00"):
        ledger.payment_record(actor=finance, agreement=rwanda, programme="lump_sums",
                              amount=Decimal("40000.01"), currency="USD", on=date(2025, 6, 2))  # fmt: skip
    ledger.payment_record(actor=finance, agreement=rwanda, programme="lump_sums",
                          amount=Decimal("40000"), currency="USD", on=date(2025, 6, 2))  # fmt: skip
    paid = Account.objects.get(kind="paid", programme="lump_sums")
    assert account_balance(paid).posted == 10_000_000


@pytest.mark.django_db
def test_stipends_are_obliged_paid_failed_and_returned(world):
    rwanda = world["rwanda"]
    args = {"agreement": rwanda, "person_id": 41, "currency": "USD", "cycle_ref": "2026-11"}
    postings.stipend_obliged(amount=Decimal("150.00"), on=TODAY, **args)
    with pytest.raises(ValidationError, match="already obliged"):
        postings.stipend_obliged(amount=Decimal("150.00"), on=TODAY, **args)
    postings.stipend_payment_sent(amount=Decimal("150.00"), on=TODAY, **args)
    with pytest.raises(ValidationError, match="more than"):  # all of it is reserved
        postings.stipend_payment_sent(amount=Decimal("0.01"), on=TODAY, **args)
    postings.stipend_payment_failed(on=TODAY, **args)
    postings.stipend_paid(amount=Decimal("150.00"), on=TODAY, **args)
    with pytest.raises(ValidationError, match="More is returned"):
        postings.stipend_payment_returned(amount=Decimal("150.01"), on=TODAY, **args)
    postings.stipend_payment_returned(amount=Decimal("50"), on=TODAY, **args)
    person = Account.objects.get(kind="stipend", key="41")
    assert account_balance(person).posted == 5_000
    with pytest.raises(ValidationError, match="person_id"):
        postings.stipend_obliged(**{**args, "person_id": "x"}, amount=1, on=TODAY)
    with pytest.raises(ValidationError, match="float"):
        postings.stipend_obliged(**{**args, "cycle_ref": "2026-12"}, amount=1.5, on=TODAY)


@pytest.mark.django_db
def test_a_cycles_stipends_are_obliged_in_one_batch_never_beyond_the_commitment(world):
    rwanda = world["rwanda"]
    term = money_term(rwanda, "stipend-budget", Term.MoneyKind.STIPEND, "100")
    ledger.commitment_record(actor=None, term=term, on=TODAY)
    args = {"agreement": rwanda, "currency": "USD", "on": TODAY}
    committed = Account.objects.get(kind="committed", programme="stipends")
    # More than the commitment holds: refused whole, in money (no row number, no account id),
    # and nothing written, not even the people's accounts.
    with pytest.raises(ValidationError, match=r"\$120\.00 is more than .* holds \(\$100\.00\)"):
        postings.stipends_obliged(cycle_ref="c-1", entitled=[(41, Decimal("60")),
                                                             (42, Decimal("60"))], **args)  # fmt: skip
    assert not Account.objects.filter(kind="stipend").exists()
    assert account_balance(committed).available == 10_000

    entitled = [(41, Decimal("60.00")), (42, Decimal("40"))]
    assert postings.stipends_obliged(cycle_ref="c-1", entitled=entitled, **args) == 2
    owed = {a.key: account_balance(a).posted for a in Account.objects.filter(kind="stipend")}
    assert owed == {"41": 6_000, "42": 4_000}
    assert set(Transfer.objects.filter(code="obligation", debit_account=committed).values_list(
        "reference", flat=True)) == {"stipend/c-1/41", "stipend/c-1/42"}  # fmt: skip
    assert account_balance(committed).available == 0
    # The cycle once: its batch again, or one of its people alone, is refused.
    with pytest.raises(ValidationError, match="already obliged"):
        postings.stipends_obliged(cycle_ref="c-1", entitled=entitled, **args)
    with pytest.raises(ValidationError, match="already obliged"):
        postings.stipend_obliged(cycle_ref="c-1", person_id=41, amount=Decimal("1"), **args)
    assert postings.stipends_obliged(cycle_ref="c-2", entitled=[], **args) == 0
    # A person twice in one cycle is refused, as their second obligation one at a time would be.
    with pytest.raises(ValidationError, match="once"):
        postings.stipends_obliged(cycle_ref="c-3", entitled=[(43, Decimal("1")),
                                                             (43, Decimal("1"))], **args)  # fmt: skip


@pytest.mark.django_db
def test_a_transfer_is_never_changed_and_a_correction_reverses_it_once(world):
    rwanda, finance = world["rwanda"], world["finance"]
    payment = ledger.payment_record(actor=finance, agreement=rwanda, programme="operations",
                                    amount=Decimal("10"), currency="USD", on=TODAY)  # fmt: skip
    with pytest.raises(ValidationError, match="never changed"):
        payment.amount = 1
        payment.save()
    with pytest.raises(ValidationError, match="never deleted"):
        payment.delete()
    ledger.transfer_correct(actor=finance, transfer=payment, on=TODAY)
    with pytest.raises(ValidationError, match="already corrected"):
        ledger.transfer_correct(actor=finance, transfer=payment, on=TODAY)
    paid = Account.objects.get(kind="paid", programme="operations")
    assert balances()[paid.pk].posted == 0


@pytest.mark.django_db
def test_a_pending_transfer_expires_once_on_its_day(world):
    from accords.ledger import journal

    book = journal.ledger_for(world["rwanda"], "USD")
    with transaction.atomic():
        journal.agreement_lock(world["rwanda"])
        pending = journal.oblige(book, "fund", 500, on=TODAY, phase="pending",
                                 expires_on=date(2026, 1, 31))  # fmt: skip
    assert ledger.pendings_expire(actor=None, on=date(2026, 1, 30)) == {"expired": []}
    assert ledger.pendings_expire(actor=None, on=date(2026, 1, 31)) == {"expired": [
        Transfer.objects.get(pending=pending).pk]}  # fmt: skip
    assert Transfer.objects.get(pending=pending).phase == "expire"
    assert ledger.pendings_expire(actor=None, on=date(2026, 2, 1)) == {"expired": []}
    with pytest.raises(ValidationError, match="already resolved"):
        journal.pending_resolve(pending, "post", TODAY)
