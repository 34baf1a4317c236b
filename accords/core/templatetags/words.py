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
def gate_titles(keys) -> str:
    """A list of gate keys as their titles, comma-separated."""
    return ", ".join(words.gate_title(key) for key in keys or ())


@register.filter
def country(code: str | None) -> str:
    return words.country_name(code)


@register.filter
def countries(codes) -> str:
    """A list of country codes as names, comma-separated."""
    return ", ".join(words.country_name(code) for code in codes or ())


@register.filter
def decision(value: str | None) -> str:
    return words.decision_word(value)


@register.filter
def outcome(value: str | None) -> str:
    return words.outcome_word(value)


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
