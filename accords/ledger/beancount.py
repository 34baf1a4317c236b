"""The whole ledger as a Beancount file, for anyone to check with `bean-check`.

Every account is opened on the day of the ledger's first transfer; every posted transfer (and
every pending one when it is posted) is a transaction of two postings, the debited account
positive and the credited negative, so each balances. Pending, voided and expired reservations
never moved money and are left out. Narrations carry codes and references, never a person's
data.
"""

import re
from collections.abc import Iterable

from django.db.models import Q

from accords.ledger.accounts import ACCOUNT_KINDS
from accords.ledger.balances import POSTING
from accords.ledger.models import Account, Transfer
from accords.ledger.money import from_minor


def _component(text: str) -> str:
    """A Beancount account component: a capital letter, then letters, digits and hyphens."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", text) if w]
    joined = "".join(w[:1].upper() + w[1:] for w in words) or "X"
    return joined if joined[0].isalpha() else f"X{joined}"


def account_name(account: Account) -> str:
    ledger = account.ledger
    parts = [ACCOUNT_KINDS[account.kind].beancount_root, _component(ledger.agreement.key),
             ledger.currency, _component(account.kind)]  # fmt: skip
    if account.programme:
        parts.append(_component(account.programme))
    if account.key:
        parts.append(
            _component(f"person {account.key}" if account.kind == "stipend" else account.key)
        )
    return ":".join(parts)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "").replace('"', "'") + '"'


def beancount_lines(transfers=None) -> Iterable[str]:
    transfers = Transfer.objects.all() if transfers is None else transfers
    posted = (
        transfers.filter(phase__in=POSTING)
        .select_related(
            "ledger__agreement",
            "debit_account__ledger__agreement",
            "credit_account__ledger__agreement",
        )  # fmt: skip
        .order_by("on", "pk")
    )
    first = posted.values_list("on", flat=True).first()
    yield 'option "title" "Accords: the ledger of every agreement"'
    yield 'option "operating_currency" "USD"'
    if first is None:
        return
    used = Q(pk__in=posted.values("debit_account")) | Q(pk__in=posted.values("credit_account"))
    accounts = Account.objects.filter(used)
    yield ""
    for account in accounts.select_related("ledger__agreement").order_by("pk"):
        yield f"{first.isoformat()} open {account_name(account)} {account.ledger.currency}"
    for t in posted.iterator(chunk_size=5000):
        amount = from_minor(t.amount, t.ledger.currency)
        about = f"{t.code} {t.reference} (transfer {t.pk})"
        yield ""
        yield f"{t.on.isoformat()} * {_quoted(t.ledger.agreement.key)} {_quoted(about)}"
        yield f"  {account_name(t.debit_account)}  {amount} {t.ledger.currency}"
        yield f"  {account_name(t.credit_account)}  {-amount} {t.ledger.currency}"
