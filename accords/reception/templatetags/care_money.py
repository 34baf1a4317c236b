"""Money on reception's pages: an exact Decimal shown in its currency, in the page's language
(Babel's CLDR formats: "US$60.00" in English, "60,00 $US" in French)."""

from babel.numbers import format_currency
from django import template
from django.utils.translation import get_language, to_locale

register = template.Library()


@register.filter
def money(amount, currency: str) -> str:
    if amount is None:
        return "—"
    return format_currency(amount, currency, locale=to_locale(get_language() or "en"))
