"""The plan page's words: {% load plans %}, then {{ name|feature_title }}."""

from django import template

from accords.transfers.planning import FEATURE_TITLES

register = template.Library()


@register.filter
def feature_title(name: str) -> str:
    """A placement feature as the page names it; a feature no policy now uses (kept in an older
    plan's record) keeps its name."""
    return str(FEATURE_TITLES.get(name, name))
