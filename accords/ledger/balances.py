"""Balances as sums over the transfers, never stored: what each account was credited and
debited, posted and still pending (reserved, not yet posted, voided or expired)."""

from dataclasses import dataclass

from django.db.models import Q, Sum

from accords.ledger.models import Transfer

POSTING = [Transfer.Phase.POSTED, Transfer.Phase.POST]
_OPEN_PENDING = Q(phase=Transfer.Phase.PENDING, resolution__isnull=True)


@dataclass(frozen=True)
class Balance:
    debits_posted: int = 0
    credits_posted: int = 0
    debits_pending: int = 0
    credits_pending: int = 0

    @property
    def posted(self) -> int:
        """Credits less debits, as posted."""
        return self.credits_posted - self.debits_posted

    @property
    def available(self) -> int:
        """What may still be debited: posted, less what pending transfers hold reserved."""
        return self.posted - self.debits_pending


def _sums(transfers, side: str) -> dict[int, tuple[int, int]]:
    """Posted and still-pending sums per account on one side. Two queries: the posted sum
    needs no join, and only the few pending rows are joined to their resolutions."""
    posted = transfers.filter(phase__in=POSTING).values(side).annotate(total=Sum("amount"))
    pending = transfers.filter(_OPEN_PENDING).values(side).annotate(total=Sum("amount"))
    found = {row[side]: (row["total"], 0) for row in posted}
    for row in pending:
        found[row[side]] = (found.get(row[side], (0, 0))[0], row["total"])
    return found


def balances(transfers=None) -> dict[int, Balance]:
    """Every account's balance over the transfers given (all of them by default), by account
    id: two grouped sums, one per side, computed by the database."""
    transfers = Transfer.objects.all() if transfers is None else transfers
    debits = _sums(transfers, "debit_account")
    credits = _sums(transfers, "credit_account")
    found = {}
    for account in debits.keys() | credits.keys():
        (debited, reserved), (credited, incoming) = (
            debits.get(account, (0, 0)),
            credits.get(account, (0, 0)),
        )
        found[account] = Balance(debited, credited, reserved, incoming)
    return found


def account_balance(account) -> Balance:
    """One account's balance: four sums over its own rows (indexed by account and phase)."""
    mine = Transfer.objects.all()

    def total(side: str, condition: Q) -> int:
        found = mine.filter(condition, **{side: account}).aggregate(total=Sum("amount"))
        return found["total"] or 0

    posted, pending = Q(phase__in=POSTING), _OPEN_PENDING
    return Balance(total("debit_account", posted), total("credit_account", posted),
                   total("debit_account", pending), total("credit_account", pending))  # fmt: skip
