"""The ledger's invariants under any sequence of postings, voids, payments and corrections
(a hypothesis state machine): every ledger balances after every step, its totals are what a
plain model of the steps says, no account goes below zero where its kind forbids it, and no
transfer is ever changed or removed."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from accords.core.tests.world import world_ensure
from accords.ledger import postings, services
from accords.ledger.accounts import ACCOUNT_KINDS, may_go_below_zero
from accords.ledger.balances import balances
from accords.ledger.models import Account, Ledger, Transfer
from accords.ledger.selectors import ledger_totals
from accords.ledger.tests.helpers import money_term
from accords.registry.models import Agreement, Term

ON = date(2025, 6, 1)
CENTS = st.integers(min_value=1, max_value=10_000_000)


def _dollars(cents: int) -> Decimal:
    return Decimal(cents) / 100


def test_which_kinds_may_go_below_zero_is_a_table():
    assert [k for k in ACCOUNT_KINDS if may_go_below_zero(k)] == ["funding"]
    assert {"committed", "obliged", "paid", "stipend", "stipend_paid"} <= set(ACCOUNT_KINDS)


class Books(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.agreement = Agreement.objects.get(key="us-palau")
        self.terms = 0
        self.model = {"committed": 0, "obliged": 0, "paid": 0, "reserved": 0}
        self.stipends: dict[str, int] = {}  # cycle -> cents obliged, not sent
        self.sent: dict[str, int] = {}  # cycle -> cents sent, pending
        self.seen: dict[int, tuple] = {}

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def _refused(self, call) -> bool:
        try:
            with transaction.atomic():
                call()
        except ValidationError:
            return True
        return False

    @rule(cents=CENTS)
    def commit(self, cents):
        self.terms += 1
        term = money_term(self.agreement, f"sm-fund-{self.terms}", Term.MoneyKind.FUND,
                          _dollars(cents))  # fmt: skip
        services.commitment_record(actor=None, term=term, on=ON)
        self.model["committed"] += cents

    @rule(cents=CENTS)
    def oblige(self, cents):
        committed, drawn = self.model["committed"], self.model.setdefault("drawn", 0)
        refused = self._refused(lambda: services.obligation_record(
            actor=None, agreement=self.agreement, programme="fund", amount=_dollars(cents),
            currency="USD", on=ON))  # fmt: skip
        assert refused == bool(committed and drawn + cents > committed)
        if not refused:
            self._obliged(cents)

    def _obliged(self, cents: int) -> None:
        """Before any commitment an obligation draws on the funding source; after, on it."""
        self.model["obliged_fund"] = self.model.get("obliged_fund", 0) + cents
        self.model["obliged"] += cents
        if self.model["committed"]:
            self.model["drawn"] = self.model.get("drawn", 0) + cents

    @rule(cents=CENTS)
    def pay(self, cents):
        committed, drawn = self.model["committed"], self.model.setdefault("drawn", 0)
        owed = self.model.setdefault("obliged_fund", 0) - self.model.setdefault("paid_fund", 0)
        shortfall = max(cents - owed, 0)
        refused = self._refused(lambda: services.payment_record(
            actor=None, agreement=self.agreement, programme="fund", amount=_dollars(cents),
            currency="USD", on=ON))  # fmt: skip
        assert refused == bool(committed and shortfall and drawn + shortfall > committed)
        if not refused:
            if shortfall:
                self._obliged(shortfall)
            self.model["paid_fund"] += cents
            self.model["paid"] += cents

    @rule(cents=CENTS, cycle=st.sampled_from(["c1", "c2", "c3"]))
    def stipend(self, cents, cycle):
        args = {"agreement": self.agreement, "person_id": 7, "currency": "USD",
                "cycle_ref": cycle, "on": ON}  # fmt: skip
        refused = self._refused(lambda: postings.stipend_obliged(amount=_dollars(cents), **args))
        assert refused == (cycle in self.stipends or cycle in self.sent)
        if not refused:
            self.stipends[cycle] = cents
            self.model["obliged"] += cents

    @rule(data=st.data())
    def send_then_fail_or_pay(self, data):
        if not self.stipends:
            return
        cycle = data.draw(st.sampled_from(sorted(self.stipends)))
        cents = self.stipends.pop(cycle)
        args = {"agreement": self.agreement, "person_id": 7, "currency": "USD",
                "cycle_ref": cycle, "on": ON}  # fmt: skip
        postings.stipend_payment_sent(amount=_dollars(cents), **args)
        if data.draw(st.booleans()):
            postings.stipend_payment_failed(**{k: v for k, v in args.items()})
            assert self._refused(lambda: postings.stipend_payment_failed(**args))  # once
            self.sent[cycle] = 0
        else:
            postings.stipend_paid(amount=_dollars(cents), **args)
            self.model["paid"] += cents
            self.sent[cycle] = cents

    @rule(data=st.data())
    def correct(self, data):
        candidates = list(
            Transfer.objects.filter(
                ledger__agreement=self.agreement, phase="posted", correction__isnull=True,
                code__in=["disbursement"], credit_account__kind="paid",
            ).values_list("pk", "amount")
        )  # fmt: skip
        if not candidates:
            return
        pk, cents = data.draw(st.sampled_from(candidates))
        services.transfer_correct(actor=None, transfer=Transfer.objects.get(pk=pk), on=ON)
        self.model["paid"] -= cents
        self.model["paid_fund"] -= cents
        assert self._refused(
            lambda: services.transfer_correct(
                actor=None, transfer=Transfer.objects.get(pk=pk), on=ON
            )  # fmt: skip
        )

    @rule()
    def tamper(self):
        transfer = Transfer.objects.filter(ledger__agreement=self.agreement).first()
        if transfer is None:
            return
        with pytest.raises(ValidationError):
            transfer.save()
        with pytest.raises(ValidationError):
            transfer.delete()

    @invariant()
    def every_ledger_balances_and_no_account_goes_below_zero(self):
        found = balances()
        assert sum(b.posted for b in found.values()) == 0
        assert sum(b.credits_pending - b.debits_pending for b in found.values()) == 0
        kinds = dict(Account.objects.values_list("pk", "kind"))
        for account, balance in found.items():
            if not may_go_below_zero(kinds[account]):
                assert balance.posted >= 0 and balance.available >= 0, (kinds[account], balance)

    @invariant()
    def the_totals_are_the_model_s(self):
        ledger = Ledger.objects.filter(agreement=self.agreement).first()
        if ledger is None:
            return
        totals = ledger_totals(ledger)
        assert (totals.committed, totals.obliged, totals.paid) == (
            self.model["committed"], self.model["obliged"], self.model["paid"])  # fmt: skip

    @invariant()
    def no_transfer_changes_or_disappears(self):
        now = {t[0]: t[1:] for t in Transfer.objects.values_list(
            "pk", "debit_account", "credit_account", "amount", "code", "phase", "on")}  # fmt: skip
        assert all(now.get(pk) == row for pk, row in self.seen.items())
        self.seen = now


@pytest.mark.django_db
def test_the_books_hold_under_any_sequence_of_steps():
    world_ensure()
    run_state_machine_as_test(Books, settings=settings(
        max_examples=20, stateful_step_count=12, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))  # fmt: skip
