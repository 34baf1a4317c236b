"""Posting transfers: the one way money enters a ledger. Callers hold the agreement's row lock
(`agreement_lock`), so the balance read before a debit cannot change before it is written:
two payments against the last of a commitment happen one after the other."""

from django.core.exceptions import ValidationError

from accords.ledger.accounts import may_go_below_zero
from accords.ledger.balances import account_balance
from accords.ledger.models import Account, Ledger, Transfer
from accords.ledger.money import MINOR_MAX, currency_check, shown
from accords.registry.models import Agreement


def agreement_lock(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def ledger_for(agreement: Agreement, currency: str) -> Ledger:
    currency_check(currency)
    return Ledger.objects.get_or_create(agreement=agreement, currency=currency)[0]


def account_for(ledger: Ledger, kind: str, programme: str = "", key: str = "") -> Account:
    return Account.objects.get_or_create(ledger=ledger, kind=kind, programme=programme,
                                         key=key)[0]  # fmt: skip


def funding(ledger: Ledger) -> Account:
    return account_for(ledger, "funding")


def obligation_source(ledger: Ledger, programme: str) -> Account:
    """Where an obligation under a programme draws from: the programme's commitment once one
    is recorded (and then never beyond it), else the funding source (spending not committed
    in advance, shown as such)."""
    committed = Account.objects.filter(ledger=ledger, kind="committed", programme=programme)
    account = committed.first()
    if account and Transfer.objects.filter(credit_account=account).exists():
        return account
    return funding(ledger)


def debit_check(debit: Account, amount: int) -> None:
    """Refuse a debit of `amount` beyond what its account holds, where the account's kind may
    not go below zero, saying in money what it holds."""
    if may_go_below_zero(debit.kind):
        return
    balance = account_balance(debit)
    if balance.available < amount:
        currency = debit.ledger.currency
        raise ValidationError({"amount": (
            f"{shown(amount, currency)} is more than {debit} holds "
            f"({shown(max(balance.available, 0), currency)})."
        )})  # fmt: skip


def transfer_make(*, debit: Account, credit: Account, amount: int, code: str, on,
                  phase: str = Transfer.Phase.POSTED, **about) -> Transfer:  # fmt: skip
    """One new transfer, posted or pending. A debit beyond what its account holds is refused
    where the account's kind may not go below zero."""
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MINOR_MAX:
        raise ValidationError({"amount": "An amount is a whole number of minor units above zero."})
    if debit.ledger_id != credit.ledger_id:
        raise ValidationError({"account": "A transfer moves money within one ledger."})
    debit_check(debit, amount)
    if code not in Transfer.Code.values:
        raise ValueError(f"no transfer code {code!r}")
    # The accounts and amount are checked above and the rest is the caller's; a full_clean
    # would look each foreign key up again.
    transfer = Transfer(ledger_id=debit.ledger_id, debit_account=debit, credit_account=credit,
                        amount=amount, code=code, on=on, phase=phase, **about)  # fmt: skip
    transfer.save()
    return transfer


def pending_resolve(pending: Transfer, phase: str, on) -> Transfer:
    """Post, void or expire a pending transfer, once."""
    pending = Transfer.objects.select_for_update().get(pk=pending.pk)
    if pending.phase != Transfer.Phase.PENDING:
        raise ValidationError({"transfer": "Only a pending transfer is posted, voided or expired."})
    if Transfer.objects.filter(pending=pending).exists():
        raise ValidationError({"transfer": "This pending transfer is already resolved."})
    resolution = Transfer(
        ledger_id=pending.ledger_id, debit_account_id=pending.debit_account_id,
        credit_account_id=pending.credit_account_id, amount=pending.amount, code=pending.code,
        on=on, phase=phase, pending=pending, reference=pending.reference,
        term_id=pending.term_id, claim_id=pending.claim_id,
    )  # fmt: skip
    resolution.save()
    return resolution


def open_pending(ledger_filter: dict, reference: str, code: str) -> Transfer | None:
    return (
        Transfer.objects.filter(
            **ledger_filter,
            reference=reference,
            code=code,
            phase=Transfer.Phase.PENDING,
            resolution__isnull=True,
        )  # fmt: skip
        .order_by("pk")
        .first()
    )


def transfer_reverse(transfer: Transfer, on) -> Transfer:
    """A correction: a new transfer moving the amount back. A transfer is corrected once, and
    only a posted one (a pending one is voided instead)."""
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.phase not in (Transfer.Phase.POSTED, Transfer.Phase.POST):
        raise ValidationError({"transfer": "Only a posted transfer is corrected; void a pending."})
    if transfer.code == Transfer.Code.CORRECTION:
        raise ValidationError({"transfer": "A correction is not corrected; post anew."})
    if Transfer.objects.filter(corrects=transfer).exists():
        raise ValidationError({"transfer": "This transfer is already corrected."})
    return transfer_make(debit=transfer.credit_account, credit=transfer.debit_account,
                         amount=transfer.amount, code=Transfer.Code.CORRECTION, on=on,
                         corrects=transfer, reference=transfer.reference)  # fmt: skip


def oblige(ledger: Ledger, programme: str, amount: int, *, on, credit: Account | None = None,
           phase: str = Transfer.Phase.POSTED, **about) -> Transfer:  # fmt: skip
    """An obligation under a programme: from its commitment (or the funding source) to what is
    owed (the receiving state's, or a person's stipend account)."""
    credit = credit or account_for(ledger, "obliged", programme)
    return transfer_make(debit=obligation_source(ledger, programme), credit=credit, amount=amount,
                         code=Transfer.Code.OBLIGATION, on=on, phase=phase, **about)  # fmt: skip


def transfers_post_batch(ledger: Ledger, frame) -> int:
    """Post many transfers of one ledger at once (a bulk load, a migration from another
    system): a polars frame of `debit_account_id`, `credit_account_id`, `amount`, `code`, `on`
    and, where the transfers are about something, `reference`, posted in its order. The same
    rules as one at a time, checked over the whole batch at once under the agreement's lock:
    amounts above zero, two accounts of this ledger, and no account whose kind forbids it below
    zero at any point in the batch. Written with COPY (`core.bulk`). Returns the number posted."""
    import polars as pl
    from django.utils import timezone

    from accords.core.bulk import bulk_append
    from accords.ledger.balances import balances

    agreement_lock(ledger.agreement)
    if frame.is_empty():
        return 0
    kinds = dict(ledger.accounts.values_list("pk", "kind"))
    problems = frame.select(
        bad_amount=((pl.col("amount") <= 0) | (pl.col("amount") > MINOR_MAX)).any(),
        same=(pl.col("debit_account_id") == pl.col("credit_account_id")).any(),
        foreign=(~pl.col("debit_account_id").is_in(list(kinds))
                 | ~pl.col("credit_account_id").is_in(list(kinds))).any(),
    ).row(0, named=True)  # fmt: skip
    if problems["bad_amount"]:
        raise ValidationError({"amount": "An amount is a whole number of minor units above zero."})
    if problems["same"] or problems["foreign"]:
        raise ValidationError({"account": "A transfer moves money between two accounts of its "
                                          "ledger."})  # fmt: skip
    limited = [pk for pk, kind in kinds.items() if not may_go_below_zero(kind)]
    start = balances(ledger.transfers.all())
    indexed = frame.with_row_index("row")
    movements = pl.concat([
        indexed.select("row", account=pl.col("debit_account_id"), change=-pl.col("amount")),
        indexed.select("row", account=pl.col("credit_account_id"), change=pl.col("amount")),
    ]).filter(pl.col("account").is_in(limited)).sort("row")  # fmt: skip
    lows = movements.with_columns(
        level=pl.col("change").cum_sum().over("account")
        + pl.col("account").replace_strict(
            {pk: start[pk].available for pk in limited if pk in start}, default=0
        )
    ).filter(pl.col("level") < 0)
    if not lows.is_empty():
        row = lows.row(0, named=True)
        raise ValidationError({"amount": f"Transfer {row['row'] + 1} of the batch takes account "
                                         f"{row['account']} below zero."})  # fmt: skip
    bulk_append(Transfer, frame.with_columns(
        ledger_id=pl.lit(ledger.pk), phase=pl.lit(Transfer.Phase.POSTED), at=pl.lit(timezone.now()),
        **({} if "reference" in frame.columns else {"reference": pl.lit("")}),
    ))  # fmt: skip
    return frame.height
