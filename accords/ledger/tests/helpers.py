"""What the ledger's tests share: money terms added as a registry editor adds them."""

from accords.registry.models import Agreement, Source, Term
from accords.registry.services import term_create


def money_term(agreement: Agreement, key: str, money_kind: str, amount, currency: str = "USD",
               status: str = "committed") -> Term:  # fmt: skip
    source = Source.objects.order_by("key").first()
    return term_create(
        actor=None, agreement=agreement, key=key, kind=Term.Kind.MONEY, text=key,
        money_kind=money_kind, money_status=status, amount=amount, currency=currency,
        sources=[{"source": source.key, "confidence": "unconfirmed"}],
    )  # fmt: skip
