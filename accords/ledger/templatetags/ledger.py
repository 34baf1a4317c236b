from django import template

from accords.core import words
from accords.ledger.money import from_minor

register = template.Library()


@register.filter
def money(minor: int | None, currency: str) -> str:
    """The ledger's minor units shown in their currency, in the page's language:
    {{ totals.paid|money:ledger.currency }} (accords.core.words.money)."""
    return words.money(None if minor is None else from_minor(minor, currency), currency)


@register.filter
def exact_money(amount, currency: str) -> str:
    """An exact Decimal amount (a claim, a figure per person) shown the same way."""
    return words.money(amount, currency)
