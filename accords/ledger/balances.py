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
    rows = transfers.values(side).annotate(
        posted=Sum("amount", filter=Q(phase__in=POSTING)),
        pending=Sum("amount", filter=_OPEN_PENDING),
    )
    return {row[side]: (row["posted"] or 0, row["pending"] or 0) for row in rows}


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
    both = Transfer.objects.filter(Q(debit_account=account) | Q(credit_account=account))
    return balances(both).get(account.pk, Balance())
