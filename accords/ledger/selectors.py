"""Reads of the ledger, scoped by role: finance and auditors read every agreement's books;
everyone, signed in or not, reads only the totals per agreement and month."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth

from accords.core.roles import user_role
from accords.ledger.accounts import ACCOUNT_KINDS
from accords.ledger.balances import _OPEN_PENDING, POSTING, balances
from accords.ledger.models import Account, Claim, Ledger, Programme, Transfer
from accords.ledger.money import from_minor
from accords.registry.models import Agreement

READERS = ("finance", "auditor")
WRITERS = ("finance",)
GONE = ["departed", "handed_over"]


def books_check(user, *, write: bool = False) -> None:
    """Only finance (and, to read, auditors) open the books."""
    role = user_role(user)
    if role is None or role.key not in (WRITERS if write else READERS):
        raise PermissionDenied("Only finance officers and auditors read the ledger's books.")


def agreement_get(user, key: str) -> Agreement:
    books_check(user)
    return Agreement.objects.select_related("sending_state", "receiving_state").get(key=key)


@dataclass
class Totals:
    """A ledger's money, in minor units: committed, obliged (and still reserved), paid (to the
    receiving state and to people) and claims settled, each net of corrections."""

    currency: str
    committed: int = 0
    obliged: int = 0
    reserved: int = 0
    paid: int = 0
    claims_settled: int = 0

    def amount(self, name: str):
        return from_minor(getattr(self, name), self.currency)


def _totals_each(ledgers: list[Ledger], transfers) -> dict[int, Totals]:
    """Each ledger's totals over its transfers among those given, by ledger id: posted amounts
    per code, each correction taken off the code it corrects and every payment returned taken
    off the disbursements, and the obligations still reserved. Two grouped queries, however
    many ledgers."""
    sums: dict[int, dict[str, int]] = {ledger.pk: defaultdict(int) for ledger in ledgers}
    mine = transfers.filter(ledger__in=[ledger.pk for ledger in ledgers]).order_by()
    rows = mine.filter(phase__in=POSTING).values("ledger", "code", "corrects__code")
    for row in rows.annotate(total=Sum("amount")):
        if row["code"] == Transfer.Code.CORRECTION:
            sums[row["ledger"]][row["corrects__code"]] -= row["total"]
        else:
            sums[row["ledger"]][row["code"]] += row["total"]
    reserved = dict(
        mine.filter(_OPEN_PENDING, code=Transfer.Code.OBLIGATION)
        .values_list("ledger")
        .annotate(total=Sum("amount"))
    )
    found = {}
    for ledger in ledgers:
        code = sums[ledger.pk]
        found[ledger.pk] = Totals(
            ledger.currency, committed=code[Transfer.Code.COMMITMENT],
            obliged=code[Transfer.Code.OBLIGATION], reserved=reserved.get(ledger.pk, 0),
            paid=code[Transfer.Code.DISBURSEMENT] - code[Transfer.Code.RETURN],
            claims_settled=code[Transfer.Code.CLAIM_SETTLEMENT],
        )  # fmt: skip
    return found


def _totals(ledger: Ledger, transfers) -> Totals:
    return _totals_each([ledger], transfers)[ledger.pk]


def ledger_totals(ledger: Ledger) -> Totals:
    return _totals(ledger, ledger.transfers.all())


def books(user) -> list[tuple[Agreement, list[Totals]]]:
    """Every agreement, with the totals of each of its ledgers (none yet: an empty list)."""
    books_check(user)
    ledgers = list(Ledger.objects.all())
    totals = _totals_each(ledgers, Transfer.objects.all())
    by_agreement = defaultdict(list)
    for ledger in ledgers:
        by_agreement[ledger.agreement_id].append(totals[ledger.pk])
    return [(a, by_agreement[a.pk]) for a in Agreement.objects.all()]


@dataclass
class AccountLine:
    label: str
    kind: str
    posted: int
    reserved: int
    accounts: int = 1


@dataclass
class Sheet:
    ledger: Ledger
    totals: Totals
    lines: list[AccountLine] = field(default_factory=list)
    transferred: int = 0
    supported: int = 0
    series: list[tuple[date, int, int, int]] = field(default_factory=list)

    @property
    def per_person_transferred(self):
        spent = self.totals.paid + self.totals.claims_settled
        return (
            from_minor(spent // self.transferred, self.ledger.currency)
            if self.transferred
            else None
        )

    @property
    def per_person_supported(self):
        stipends = sum(line.posted for line in self.lines if line.kind == "stipend_paid")
        return (
            from_minor(stipends // self.supported, self.ledger.currency) if self.supported else None
        )


def _lines(ledger: Ledger) -> list[AccountLine]:
    """The balance sheet: every account's balance; the people's stipend accounts summed into
    one line (the sheet is about programmes, not persons)."""
    found = balances(ledger.transfers.all())
    lines: dict[tuple, AccountLine] = {}
    for account in ledger.accounts.order_by("kind", "programme", "key"):
        balance = found.get(account.pk)
        posted, reserved = (balance.posted, balance.debits_pending) if balance else (0, 0)
        label = ACCOUNT_KINDS[account.kind].label
        if account.programme:
            label = f"{label}: {Programme(account.programme).label}"
        group = (account.kind, account.programme)
        if group in lines:
            lines[group].posted += posted
            lines[group].reserved += reserved
            lines[group].accounts += 1
        else:
            lines[group] = AccountLine(label, account.kind, posted, reserved)
    return list(lines.values())


def _series(ledger: Ledger) -> list[tuple[date, int, int, int]]:
    """Committed, obliged and paid, cumulative at the end of each month with money in it."""
    months: dict[date, Totals] = {}
    monthly = ledger.transfers.annotate(month=TruncMonth("on")).values_list("month", flat=True)
    running = (0, 0, 0)
    out = []
    for month in sorted(set(monthly)):
        totals = _totals(ledger, ledger.transfers.filter(on__gte=month, on__lt=_next(month)))
        months[month] = totals
        running = (running[0] + totals.committed, running[1] + totals.obliged,
                   running[2] + totals.paid + totals.claims_settled)  # fmt: skip
        out.append((month, *running))
    return out


def _next(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def sheets(user, agreement: Agreement) -> list[Sheet]:
    """The agreement's balance sheet per currency, with its history and cost per person."""
    books_check(user)
    referral = apps.get_model("transfers", "Referral")
    transferred = referral.objects.filter(agreement=agreement, status__in=GONE).count()
    out = []
    for ledger in agreement.ledgers.all():
        supported = (
            Account.objects.filter(ledger=ledger, kind="stipend")
            .filter(pk__in=Transfer.objects.filter(phase__in=POSTING).values("credit_account"))
            .count()
        )
        out.append(Sheet(ledger, ledger_totals(ledger), _lines(ledger), transferred, supported,
                         _series(ledger)))  # fmt: skip
    return out


def transfers_of(user, agreement: Agreement):
    books_check(user)
    return (
        Transfer.objects.filter(ledger__agreement=agreement)
        .select_related("ledger", "debit_account", "credit_account", "term", "pending")
        .order_by("on", "pk")
    )


def claims_of(user, agreement: Agreement):
    books_check(user)
    return Claim.objects.filter(agreement=agreement).select_related("claimant", "respondent")


def ledger_totals_by_agreement_month() -> list[dict]:
    """Public: per agreement, currency and month, the money committed and paid in that month
    (net of corrections). Amounts between states only; nothing about any person."""
    rows = (
        Transfer.objects.filter(phase__in=POSTING)
        .filter(
            Q(code__in=["commitment", "disbursement", "return", "claim_settlement"])
            | Q(code="correction", corrects__code__in=["commitment", "disbursement"])
        )  # fmt: skip
        .annotate(month=TruncMonth("on"))
        .values("ledger__agreement__key", "ledger__currency", "month", "code", "corrects__code")
        .annotate(total=Sum("amount"))
    )
    found: dict[tuple, dict] = {}
    for row in rows:
        key = (row["ledger__agreement__key"], row["ledger__currency"], row["month"])
        entry = found.setdefault(key, {"committed": 0, "paid": 0})
        code, total = row["code"], row["total"]
        if code == "correction":
            code, total = row["corrects__code"], -total
        if code == "return":
            code, total = "disbursement", -total
        entry["committed" if code == "commitment" else "paid"] += total
    return [
        {"agreement": agreement, "currency": currency, "month": month,
         "committed": from_minor(v["committed"], currency),
         "paid": from_minor(v["paid"], currency)}
        for (agreement, currency, month), v in sorted(found.items())
    ]  # fmt: skip
