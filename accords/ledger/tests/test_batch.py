"""Transfers posted in a batch follow the rules of transfers posted one at a time: the same
balances, and a batch that would take an account below zero at any point is refused whole."""

from datetime import date

import polars as pl
import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accords.core.tests.world import world_ensure
from accords.ledger import journal
from accords.ledger.balances import balances
from accords.ledger.models import Transfer
from accords.registry.models import Agreement

ON = date(2026, 1, 1)


def _ledger():
    world_ensure()
    ledger = journal.ledger_for(Agreement.objects.get(key="us-palau"), "USD")
    names = ["funding", "committed", "obliged", "paid"]
    return ledger, {k: journal.account_for(ledger, k, "" if k == "funding" else "fund")
                    for k in names}  # fmt: skip


def _frame(rows):
    return pl.DataFrame(rows, schema=["debit_account_id", "credit_account_id", "amount", "code",
                                      "on"], orient="row")  # fmt: skip


FLOW = [("funding", "committed", "commitment"), ("committed", "obliged", "obligation"),
        ("obliged", "paid", "disbursement")]  # fmt: skip
STEPS = st.lists(st.tuples(st.integers(0, 2), st.integers(1, 10**9)), min_size=1, max_size=30)


@pytest.mark.django_db
@given(steps=STEPS)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_batch_posts_what_one_by_one_would_and_refuses_what_it_would_refuse(steps):
    from django.db import transaction

    with transaction.atomic():
        ledger, accounts = _ledger()
        rows = [(accounts[FLOW[s][0]].pk, accounts[FLOW[s][1]].pk, amount, FLOW[s][2], ON)
                for s, amount in steps]  # fmt: skip
        refused_one_by_one = False
        with transaction.atomic():
            try:
                for debit, credit, amount, code, on in rows:
                    journal.transfer_make(debit=journal.Account.objects.get(pk=debit),
                                          credit=journal.Account.objects.get(pk=credit),
                                          amount=amount, code=code, on=on)  # fmt: skip
                one_by_one = balances(ledger.transfers.all())
            except ValidationError:
                refused_one_by_one = True
            transaction.set_rollback(True)
        try:
            with transaction.atomic():
                journal.transfers_post_batch(ledger, _frame(rows))
        except ValidationError as error:
            assert refused_one_by_one and "below zero" in str(error)
            assert not ledger.transfers.exists()
        else:
            assert not refused_one_by_one
            assert balances(ledger.transfers.all()) == one_by_one
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_batch_with_a_bad_row_names_it_and_writes_nothing():
    ledger, accounts = _ledger()
    f, c = accounts["funding"].pk, accounts["committed"].pk
    for rows, field in [([(f, c, 0, "commitment", ON)], "amount"),
                        ([(f, f, 5, "commitment", ON)], "account"),
                        ([(f, 999_999, 5, "commitment", ON)], "account"),
                        ([(f, c, 5, "commitment", ON), (c, f, 6, "correction", ON)], "amount")]:  # fmt: skip
        with pytest.raises(ValidationError) as refused:
            journal.transfers_post_batch(ledger, _frame(rows))
        assert field in refused.value.message_dict
    assert not Transfer.objects.exists()
