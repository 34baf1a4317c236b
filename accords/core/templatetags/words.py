"""Template filters that show words for codes: {% load words %}, then
{{ g.gate|gate_title }}, {{ person.nationality|country }}, {{ code|language }},
{{ amount|money:currency }}. See accords/core/words.py."""

from django import template

from accords.core import words

register = template.Library()


@register.filter
def gate_title(key: str) -> str:
    return words.gate_title(key) if key else ""


@register.filter
def country(code: str | None) -> str:
    return words.country_name(code)


@register.filter
def language(code: str | None) -> str:
    return words.language_name(code)


@register.filter
def languages(codes) -> str:
    """A list of language codes as names, comma-separated."""
    return ", ".join(words.language_name(code) for code in codes or ())


@register.filter
def money(amount, currency: str | None) -> str:
    return words.money(amount, currency)
