"""Money on reception's pages: an exact Decimal shown in its currency, in the page's language
(Babel's CLDR formats: "US$60.00" in English, "60,00 $US" in French); accords.core.words.money."""

from django import template

from accords.core import words

register = template.Library()


@register.filter
def money(amount, currency: str) -> str:
    return words.money(amount, currency)
