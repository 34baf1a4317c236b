"""The ledger in the demo: each agreement's money posted as its sources report it.

Every money term with an amount (not a per-person rate) is posted on its day (its start, else
the first publication of a source for it): a paid term is a payment under its programme, a
committed term a commitment, compensation claimed between states a claim. Payments are posted
first, from the funding source: money reported paid was paid whatever was said to be committed
(sources overlap and disagree; the finance pages set them beside the ledger and flag it).
Should the ledger refuse a figure, the demo says so. Fees of the demo's transfers
are posted by the workflow itself, under agreements that state a per-person fee.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from accords.ledger import services
from accords.ledger.models import Claim, Transfer
from accords.registry.models import Agreement, Term


def _day(term: Term) -> date:
    sources = [c.source.published_on for c in term.credits.all() if c.source.published_on]
    day = term.valid_from or min(sources, default=None) or date(2025, 1, 1)
    return min(day, timezone.localdate())


def demo_ledger_ensure() -> dict:
    """Post what is not posted yet; running it again changes nothing."""
    posted, refused = 0, []
    terms = (
        Term.objects.filter(kind=Term.Kind.MONEY, amount__gt=0)
        .exclude(money_kind=Term.MoneyKind.PER_PERSON_FEE)
        .select_related("agreement")
        .prefetch_related("credits__source")
    )
    ordered = sorted(terms, key=lambda t: (t.money_status != "paid", t.agreement.key, _day(t)))
    for term in ordered:
        if Transfer.objects.filter(term=term).exists() or Claim.objects.filter(term=term).exists():
            continue
        try:
            if term.money_kind == Term.MoneyKind.COMPENSATION_CLAIM:
                services.claim_make(actor=None, agreement=term.agreement,
                                    claimant=term.agreement.receiving_state_id,
                                    amount=term.amount, currency=term.currency,
                                    basis=term.text, made_on=_day(term), term=term)  # fmt: skip
            elif term.money_status == Term.MoneyStatus.COMMITTED:
                services.commitment_record(actor=None, term=term, on=_day(term))
            elif term.money_status == Term.MoneyStatus.PAID:
                services.payment_record(actor=None, agreement=term.agreement,
                                        programme=services.PROGRAMME_OF[term.money_kind],
                                        amount=term.amount, currency=term.currency,
                                        on=_day(term), term=term)  # fmt: skip
            else:
                continue
        except ValidationError as error:
            refused.append(f"{term.agreement.key}/{term.key}: {' '.join(error.messages)}")
            continue
        posted += 1
    return {"posted": posted, "refused": refused, "agreements": Agreement.objects.count()}
