"""Reported versus paid: each money fact of the registry stays a sourced claim, set beside what
the ledger holds, and the differences are named.

Per agreement and currency, the sources' figures (the amounts of its money terms, by status,
with the surest confidence any source gives each) stand beside the ledger's committed, obliged
and paid. A difference is flagged: the ledger paying beyond what it committed, sources that
report more paid than committed (the $100,000 initial payment of a leaked cable against the
$7.5 million reported paid), and a ledger that holds other figures than the sources report.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from accords.ledger.models import Transfer
from accords.ledger.money import shown, to_minor
from accords.ledger.selectors import POSTING, Totals, books_check, ledger_totals
from accords.registry.models import Agreement, Confidence, Term

SURE_FIRST = [Confidence.OFFICIAL, Confidence.REPORTED, Confidence.LEAKED, Confidence.UNCONFIRMED]
# Money kinds whose amount is a rate, not a total: they are not added into what is committed.
RATES = {Term.MoneyKind.PER_PERSON_FEE}


@dataclass
class Fact:
    term: Term
    confidence: str
    in_ledger: int  # minor units posted against the term, net

    @property
    def label(self) -> str:
        status = self.term.get_money_status_display().lower()
        return f"{self.term.get_money_kind_display()}, {status}"

    @property
    def confidence_label(self) -> str:
        return Confidence(self.confidence).label.lower() if self.confidence else ""

    @property
    def amount(self) -> int:
        return to_minor(self.term.amount, self.term.currency) if self.term.amount > 0 else 0


@dataclass
class Reconciliation:
    currency: str
    totals: Totals
    facts: list[Fact] = field(default_factory=list)
    reported: dict[str, int] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)


def _confidence(term: Term) -> str:
    found = {credit.confidence for credit in term.credits.all()}
    return next((c for c in SURE_FIRST if c in found), "")


def _posted_against(term: Term) -> int:
    """What the ledger committed or paid against the term, net of corrections (obligations
    drawn from a commitment are the same money once more, so they are left out)."""
    linked = Transfer.objects.filter(phase__in=POSTING).exclude(code=Transfer.Code.OBLIGATION)
    posted = linked.filter(term=term).aggregate(total=Sum("amount"))["total"] or 0
    undone = linked.filter(corrects__term=term).exclude(corrects__code=Transfer.Code.OBLIGATION)
    return posted - (undone.aggregate(total=Sum("amount"))["total"] or 0)


def _flags(currency: str, totals: Totals, reported: dict[str, int]) -> list[str]:
    flags = []
    money = lambda minor: shown(minor, currency)  # noqa: E731
    if totals.committed and totals.paid > totals.committed:
        flags.append(f"The ledger paid {money(totals.paid)}, beyond the "
                     f"{money(totals.committed)} committed.")  # fmt: skip
    said_committed, said_paid = reported["committed"], reported["paid"]
    if said_committed and said_paid > said_committed:
        ratio = Decimal(said_paid) / Decimal(said_committed)
        flags.append(f"Sources report {money(said_paid)} paid against {money(said_committed)} "
                     f"committed ({ratio:.1f} times as much).")  # fmt: skip
    for name, held in (("committed", totals.committed), ("paid", totals.paid)):
        if reported[name] and held != reported[name]:
            flags.append(f"Sources report {money(reported[name])} {name}; the ledger holds "
                         f"{money(held)}.")  # fmt: skip
    return flags


def reconcile(user, agreement: Agreement) -> list[Reconciliation]:
    books_check(user)
    terms = (
        agreement.terms.filter(kind=Term.Kind.MONEY)
        .exclude(amount=None)
        .prefetch_related("credits")
        .order_by("currency", "money_status", "key")
    )
    by_currency: dict[str, list[Term]] = defaultdict(list)
    for term in terms:
        by_currency[term.currency].append(term)
    ledgers = {ledger.currency: ledger for ledger in agreement.ledgers.all()}
    out = []
    for currency in sorted(by_currency.keys() | ledgers.keys()):
        ledger = ledgers.get(currency)
        totals = ledger_totals(ledger) if ledger else Totals(currency)
        reported = {"committed": 0, "paid": 0, "claimed": 0}
        facts = []
        for term in by_currency.get(currency, []):
            facts.append(Fact(term, _confidence(term), _posted_against(term)))
            if term.money_kind not in RATES and term.money_status in reported:
                if term.amount > 0:
                    reported[term.money_status] += to_minor(term.amount, currency)
        out.append(Reconciliation(currency, totals, facts, reported,
                                  _flags(currency, totals, reported)))  # fmt: skip
    return out
