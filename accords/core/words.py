"""Words for codes: what pages show where the data holds a key.

Pages speak words, the API speaks codes. A gate is shown by its title (the regime files give
each gate a short plain `title`; the few checks the workflow adds beside the law's gates are
named here), an offence category by its label (titles and labels are read from the law's
files into core's catalogue by `accords.core.catalogues`, so they are translated like any page
string), a country and a language by their names in the page's language (Babel's CLDR data),
an amount of money in its currency as the page's locale writes it. The template filters of
`accords.core.templatetags.words` call these.
"""

from decimal import Decimal
from functools import cache

import pycountry
from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency
from django.utils.translation import get_language, gettext, gettext_lazy, to_locale

from accords.law.offences import offence_categories
from accords.law.policy import NOTICE
from accords.law.regime import REGIMES_DIR, load_regime

# Checks that stand beside the law's gates without being in a regime file.
_WORKFLOW_TITLES = {
    NOTICE: gettext_lazy("Programme notice period run"),
    "agreement.capacity": gettext_lazy("A place left under the agreement"),
    "family": gettext_lazy("Family able to travel together"),
    "referral": gettext_lazy("Referral still open"),
}

# A decision on a person under an agreement, and one gate's outcome, as pages say them.
_DECISIONS = {
    "cleared": gettext_lazy("cleared"),
    "pending": gettext_lazy("waiting"),
    "blocked": gettext_lazy("blocked"),
}
_OUTCOMES = {
    "pass": gettext_lazy("met"),
    "pending": gettext_lazy("waiting"),
    "block": gettext_lazy("blocks"),
}


def decision_word(value: str | None) -> str:
    """A decision (cleared, pending, blocked) in the page's language."""
    return str(_DECISIONS.get(value, value or ""))


def outcome_word(value: str | None) -> str:
    """A gate's outcome (pass, pending, block) in the page's language."""
    return str(_OUTCOMES.get(value, value or ""))


@cache
def _regime_titles() -> dict[str, str]:
    titles: dict[str, str] = {}
    for path in sorted(REGIMES_DIR.glob("*.yaml")):
        if path.stem != "common":
            titles.update((gate.id, gate.title) for gate in load_regime(path.stem).gates)
    return titles


def gate_titles() -> dict[str, str]:
    """Every gate a page can show, key to title, in the active language."""
    return {key: gate_title(key) for key in [*_regime_titles(), *_WORKFLOW_TITLES]}


def gate_title(key: str) -> str:
    """A gate in plain words ("Notice served" for `us.notice`), in the active language; a key
    no regime knows is returned as it is, so nothing is hidden."""
    if key in _WORKFLOW_TITLES:
        return str(_WORKFLOW_TITLES[key])
    title = _regime_titles().get(key)
    return gettext(title) if title else key


def offence_word(category: str) -> str:
    """An offence category ("domestic_violence") as its label in the active language; the labels
    are read from the vocabulary's file into core's catalogue. An unknown key is shown plainly."""
    label = offence_categories().get(category)
    return gettext(label) if label else category.replace("_", " ")


def _locale() -> Locale:
    try:
        return Locale.parse(to_locale(get_language() or "en"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def country_name(code: str | None) -> str:
    """An ISO 3166 alpha-2 code as the country's name in the active language ("Rwanda",
    "États-Unis"); an unknown code is shown as it is."""
    if not code:
        return ""
    return _locale().territories.get(code.upper(), code)


def language_name(code: str | None) -> str:
    """An ISO 639 / BCP 47 code as the language's name in the active language ("Kinyarwanda",
    "espagnol"); an unknown code is shown as it is."""
    if not code:
        return ""
    name = _locale().languages.get(code.replace("-", "_"))
    if name is None:
        try:
            name = Locale.parse(code.replace("-", "_")).get_display_name(_locale())
        except (UnknownLocaleError, ValueError):
            name = None
    if name is None:  # a language CLDR does not name (Dari, "prs"): ISO 639-3's English name
        found = pycountry.languages.get(alpha_3=code) if len(code) == 3 else None
        name = found.name if found else None
    return name or code


def money(amount: Decimal | int | str | None, currency: str | None) -> str:
    """An amount in its currency as the active locale writes it: "$7,500,000.00" in English,
    "7 500 000,00 $US" in French. None (no amount) is a dash."""
    if amount is None or amount == "":
        return "—"
    if not currency:
        return str(amount)
    return format_currency(Decimal(amount), currency, locale=_locale())
