"""Amounts of money: exact integers of a currency's minor unit inside the ledger, Decimal at
its edges, shown formatted in their currency. Babel (CLDR data) knows each currency's minor
unit and how it is written."""

from decimal import Decimal, InvalidOperation

import pycountry
from babel.numbers import get_currency_precision
from django.core.exceptions import ValidationError

# The largest amount a transfer holds (PostgreSQL's bigint), in minor units.
MINOR_MAX = 2**63 - 1


def currency_check(currency: str, *, field: str = "currency") -> str:
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isupper()
            and pycountry.currencies.get(alpha_3=currency)):  # fmt: skip
        shown = currency[:12] if isinstance(currency, str) else repr(currency)[:12]
        raise ValidationError({field: f'unknown ISO 4217 currency "{shown}" (e.g. USD, GBP).'})
    return currency


def to_minor(amount, currency: str, *, field: str = "amount") -> int:
    """An amount as an integer of the currency's minor unit; refused if it is not a finite
    positive amount with at most as many decimals as the currency has."""
    if isinstance(amount, float | bool):
        raise ValidationError({field: "Give the amount exactly, as a decimal, never a float."})
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: f"{str(amount)[:30]!r} is not an amount."}) from None
    if not value.is_finite() or value <= 0:
        raise ValidationError({field: "An amount is above zero."})
    minor = value.scaleb(get_currency_precision(currency))
    if minor != minor.to_integral_value():
        places = get_currency_precision(currency)
        raise ValidationError({field: f"{currency} amounts have {places} decimal places."})
    if minor > MINOR_MAX:
        raise ValidationError({field: "The amount is larger than any ledger holds."})
    return int(minor)


def from_minor(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-get_currency_precision(currency))


def shown(minor: int, currency: str) -> str:
    """An amount as people read it, in the active language: "£20,000.00", "$4,760,000.00"."""
    from accords.core.words import money

    return money(from_minor(minor, currency), currency)
