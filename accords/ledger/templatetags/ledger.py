from django import template

from accords.ledger.money import shown

register = template.Library()


@register.filter
def money(minor: int, currency: str) -> str:
    """Minor units shown in their currency: {{ totals.paid|money:ledger.currency }}."""
    return shown(minor, currency)
