"""Postings from the workflow, made inside the transaction of the event that incurs them.

The transfer and reception services call these plain functions (not actions: the event's own
action is the one audit entry). Each locks the agreement's row first, so what they read of a
commitment cannot change before they write.

Per-person fees: an agreement with a per-person fee among its terms obliges it for each person
it takes. The receiving state's acceptance reserves the fee as a pending obligation; the
person's departure posts it; a person taken off at departure voids it (a later departure
obliges it anew). Stipends: a cycle's approved entitlement is an obligation to the person's
stipend account, its payment a disbursement; a payment may be sent first (pending), then
confirmed paid or failed (voided), and a payment returned moves the money back.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from accords.ledger import journal
from accords.ledger.models import Programme, Transfer
from accords.ledger.money import to_minor
from accords.registry.models import Agreement
from accords.transfers.places import fee_term


def _referral_ref(referral) -> str:
    return f"referral/{referral.pk}"


def _fee_pending(referral) -> Transfer | None:
    return journal.open_pending({"ledger__agreement_id": referral.agreement_id},
                                _referral_ref(referral), Transfer.Code.OBLIGATION)  # fmt: skip


def _fee_oblige(referral, phase: str, on) -> Transfer | None:
    agreement = journal.agreement_lock(referral.agreement)
    term = fee_term(agreement)
    if term is None:
        return None
    ledger = journal.ledger_for(agreement, term.currency)
    return journal.oblige(ledger, Programme.FEES, to_minor(term.amount, term.currency), on=on,
                          phase=phase, reference=_referral_ref(referral), term=term)  # fmt: skip


def on_acceptance(referral) -> Transfer | None:
    """The receiving state accepted the person: reserve the fee (pending obligation)."""
    if referral.acceptance is None or referral.acceptance.decision != "accepted":
        return None
    if _fee_pending(referral):
        return None
    return _fee_oblige(referral, Transfer.Phase.PENDING, timezone.localdate())


def on_departure(referral) -> Transfer | None:
    """The person departed: post the reserved fee, or oblige it now if none is reserved."""
    on = timezone.localdate()
    journal.agreement_lock(referral.agreement)
    pending = _fee_pending(referral)
    if pending:
        return journal.pending_resolve(pending, Transfer.Phase.POST, on)
    return _fee_oblige(referral, Transfer.Phase.POSTED, on)


def on_taken_off(referral) -> Transfer | None:
    """The person was taken off at departure, or the referral withdrawn: void the reserved fee."""
    journal.agreement_lock(referral.agreement)
    pending = _fee_pending(referral)
    if pending is None:
        return None
    return journal.pending_resolve(pending, Transfer.Phase.VOID, timezone.localdate())


# Stipends: plain arguments, so the reception work calls them from its own services.


def _stipend_ref(cycle_ref: str, person_id: int) -> str:
    if not isinstance(person_id, int) or isinstance(person_id, bool) or person_id <= 0:
        raise ValidationError({"person_id": "A person is named by their id, a whole number."})
    if not cycle_ref or len(cycle_ref) > 80 or not cycle_ref.isprintable():
        raise ValidationError({"cycle_ref": "A cycle's reference is 1 to 80 visible characters."})
    return f"stipend/{cycle_ref}/{person_id}"


def _stipend_accounts(agreement, person_id: int, currency: str):
    ledger = journal.ledger_for(journal.agreement_lock(agreement), currency)
    owed = journal.account_for(ledger, "stipend", Programme.STIPENDS, str(person_id))
    paid = journal.account_for(ledger, "stipend_paid", Programme.STIPENDS)
    return ledger, owed, paid


def stipend_obliged(*, agreement: Agreement, person_id: int, amount: Decimal, currency: str,
                    cycle_ref: str, on) -> Transfer:  # fmt: skip
    """A cycle's approved entitlement for one person: an obligation to their stipend account,
    from the stipends' commitment (never beyond it) or the funding source. Once per cycle."""
    reference = _stipend_ref(cycle_ref, person_id)
    ledger, owed, _ = _stipend_accounts(agreement, person_id, currency)
    minor = to_minor(amount, currency)
    if Transfer.objects.filter(ledger=ledger, reference=reference,
                               code=Transfer.Code.OBLIGATION).exists():  # fmt: skip
        raise ValidationError({"cycle_ref": "This cycle's stipend is already obliged."})
    return journal.oblige(ledger, Programme.STIPENDS, minor, on=on, credit=owed,
                          reference=reference)  # fmt: skip


def stipends_obliged(*, agreement: Agreement, currency: str, cycle_ref: str, on,
                     entitled: list[tuple[int, Decimal]]) -> int:  # fmt: skip
    """A whole cycle's approved entitlements, `(person id, amount)` each, obliged in one batch
    (`journal.transfers_post_batch`): the same obligations `stipend_obliged` makes one at a
    time, with the people's stipend accounts opened together where they are new. Refused whole
    if the cycle's stipends are already obliged, or the commitment cannot hold them all.
    Returns the number posted."""
    import polars as pl

    from accords.core.bulk import bulk_append
    from accords.ledger.models import Account

    if not entitled:
        return 0
    _stipend_ref(cycle_ref, 1)  # the cycle's reference checked once
    for person_id, _ in entitled:
        _stipend_ref(cycle_ref, person_id)
    if len({person_id for person_id, _ in entitled}) < len(entitled):
        # One at a time the second would be refused as already obliged: so is the batch.
        raise ValidationError({"person_id": "A cycle obliges each person's stipend once."})
    ledger = journal.ledger_for(journal.agreement_lock(agreement), currency)
    prefix = _stipend_ref(cycle_ref, 1).removesuffix("1")
    if Transfer.objects.filter(ledger=ledger, reference__startswith=prefix,
                               code=Transfer.Code.OBLIGATION).exists():  # fmt: skip
        raise ValidationError({"cycle_ref": "This cycle's stipend is already obliged."})
    minors = {amount: to_minor(amount, currency) for amount in {a for _, a in entitled}}
    source = journal.obligation_source(ledger, Programme.STIPENDS)
    amounts = [minors[amount] for _, amount in entitled]
    # Every obligation draws on the one source: refused whole, in money, if it cannot hold
    # them all (the batch's own check would name only a row and an account's id).
    journal.debit_check(source, sum(amounts))
    keys = [str(person_id) for person_id, _ in entitled]
    stipend_accounts = Account.objects.filter(ledger=ledger, kind="stipend",
                                              programme=Programme.STIPENDS)  # fmt: skip
    known = set(stipend_accounts.filter(key__in=keys).values_list("key", flat=True))
    new = [key for key in dict.fromkeys(keys) if key not in known]
    bulk_append(Account, pl.DataFrame({"key": new}, schema={"key": pl.String}).with_columns(
        ledger_id=pl.lit(ledger.pk), kind=pl.lit("stipend"), programme=pl.lit(Programme.STIPENDS),
    ))  # fmt: skip
    account_of = dict(stipend_accounts.filter(key__in=keys).values_list("key", "pk"))
    frame = pl.DataFrame({
        "credit_account_id": [account_of[key] for key in keys],
        "amount": amounts,
        "reference": [prefix + key for key in keys],
    }, schema={"credit_account_id": pl.Int64, "amount": pl.Int64, "reference": pl.String}
    ).with_columns(debit_account_id=pl.lit(source.pk, pl.Int64),
                   code=pl.lit(Transfer.Code.OBLIGATION), on=pl.lit(on, pl.Date))  # fmt: skip
    return journal.transfers_post_batch(ledger, frame)


def stipend_payment_sent(*, agreement: Agreement, person_id: int, amount: Decimal,
                         currency: str, cycle_ref: str, on) -> Transfer:  # fmt: skip
    """A payment on its way: the amount is reserved on the person's account (pending)."""
    reference = _stipend_ref(cycle_ref, person_id)
    _, owed, paid = _stipend_accounts(agreement, person_id, currency)
    return journal.transfer_make(debit=owed, credit=paid, amount=to_minor(amount, currency),
                                 code=Transfer.Code.DISBURSEMENT, on=on,
                                 phase=Transfer.Phase.PENDING, reference=reference)  # fmt: skip


def stipend_paid(*, agreement: Agreement, person_id: int, amount: Decimal, currency: str,
                 cycle_ref: str, on) -> Transfer:  # fmt: skip
    """The payment arrived: post the payment sent, or disburse now if none was sent."""
    reference = _stipend_ref(cycle_ref, person_id)
    ledger, owed, paid = _stipend_accounts(agreement, person_id, currency)
    minor = to_minor(amount, currency)
    pending = journal.open_pending({"ledger": ledger}, reference, Transfer.Code.DISBURSEMENT)
    if pending:
        if pending.amount != minor:
            raise ValidationError({"amount": "The amount paid is not the amount sent."})
        return journal.pending_resolve(pending, Transfer.Phase.POST, on)
    return journal.transfer_make(debit=owed, credit=paid, amount=minor, on=on,
                                 code=Transfer.Code.DISBURSEMENT, reference=reference)  # fmt: skip


def stipend_payment_failed(*, agreement: Agreement, person_id: int, currency: str,
                           cycle_ref: str, on) -> Transfer:  # fmt: skip
    """The payment sent failed: void it; the stipend is owed again."""
    reference = _stipend_ref(cycle_ref, person_id)
    ledger, _, _ = _stipend_accounts(agreement, person_id, currency)
    pending = journal.open_pending({"ledger": ledger}, reference, Transfer.Code.DISBURSEMENT)
    if pending is None:
        raise ValidationError({"cycle_ref": "No payment of this cycle's stipend is on its way."})
    return journal.pending_resolve(pending, Transfer.Phase.VOID, on)


def stipend_payment_returned(*, agreement: Agreement, person_id: int, amount: Decimal,
                             currency: str, cycle_ref: str, on) -> Transfer:  # fmt: skip
    """A paid stipend came back (a closed account): the money returns to the person's account,
    owed again, never beyond what was paid."""
    reference = _stipend_ref(cycle_ref, person_id)
    _, owed, paid = _stipend_accounts(agreement, person_id, currency)
    minor = to_minor(amount, currency)
    paid_here = sum(
        t.amount if t.credit_account_id == paid.pk else -t.amount
        for t in Transfer.objects.filter(reference=reference, ledger=owed.ledger,
                                         phase__in=[Transfer.Phase.POSTED, Transfer.Phase.POST])
        if paid.pk in (t.credit_account_id, t.debit_account_id)
    )  # fmt: skip
    if minor > paid_here:
        raise ValidationError({"amount": "More is returned than this cycle paid the person."})
    return journal.transfer_make(debit=paid, credit=owed, amount=minor, on=on,
                                 code=Transfer.Code.RETURN, reference=reference)  # fmt: skip
