"""On PostgreSQL: the database refuses to change or remove a transfer, and payments racing for
the last of a commitment never overspend it (each racer in its own thread and connection,
behind a barrier, round after round)."""

import functools
from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from accords.core.tests.races import race
from accords.core.tests.world import world_ensure
from accords.ledger import services
from accords.ledger.balances import account_balance
from accords.ledger.models import Account, Transfer
from accords.ledger.tests.helpers import money_term
from accords.registry.models import Agreement

ROUNDS = 20
ON = date(2025, 6, 1)


@pytest.fixture
def palau():
    if connection.vendor != "postgresql":
        pytest.skip("the trigger and real parallel writers need PostgreSQL")
    world_ensure()
    return Agreement.objects.get(key="us-palau")


@pytest.mark.django_db
def test_postgresql_refuses_to_change_or_remove_a_transfer(palau):
    services.payment_record(actor=None, agreement=palau, programme="fund", amount=Decimal("5"),
                            currency="USD", on=ON)  # fmt: skip
    refusals = [
        lambda: Transfer.objects.update(amount=1),
        lambda: Transfer.objects.filter(code="disbursement").update(on=date(2020, 1, 1)),
        lambda: Transfer.objects.filter(code="disbursement").delete(),
    ]
    for refused in refusals:
        with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
            refused()
    assert Transfer.objects.filter(amount=500).count() == 2  # the obligation and the payment


@pytest.mark.django_db(transaction=True)
def test_payments_racing_for_the_last_of_a_commitment_never_overspend(palau):
    committed = 0
    for n in range(ROUNDS):
        term = money_term(palau, f"race-{n}", "fund", Decimal("100.00"))
        services.commitment_record(actor=None, term=term, on=ON)
        committed += 10_000
        left = account_balance(Account.objects.get(kind="committed", programme="fund")).available
        # Each racer pays more than half of what is left: exactly one of them fits.
        each = Decimal(left // 2 + 1) / 100
        outcomes = race(*[functools.partial(
            services.payment_record, actor=None, agreement=palau, programme="fund", amount=each,
            currency="USD", on=ON)] * 3)  # fmt: skip
        paid = [o for o in outcomes if isinstance(o, Transfer)]
        assert len(paid) == 1, outcomes
        assert all("more than committed" in str(o) for o in outcomes if o not in paid)
        fund = account_balance(Account.objects.get(kind="committed", programme="fund"))
        assert fund.posted >= 0 and fund.available >= 0
    paid_total = account_balance(Account.objects.get(kind="paid", programme="fund")).posted
    assert 0 < paid_total <= committed
