"""The kinds of input Accords takes, declared once for every interface that takes them.

A kind (a birth date, an event on record, a stay's end, a name, a free text, a country or
language code) is a list of Django validators. The same validators guard the model fields (so
`full_clean` in the services and the web forms refuse what they refuse), the API's schemas
(`Kind.api`, a pydantic type that runs them) and the case-file format (`Kind.problems`, which
first reads the file's text as the kind's type). Each refusal is a sentence a user can act on.

Dates have a plausible range for what they mean: nothing on record happened before 1900 or
after today (give or take `CLOCK_SKEW`, for clocks and time zones that disagree), and nothing
planned lies in the past or beyond a horizon. The safeguards engine is proven not to fail on
any date these ranges let through (`accords/cases/tests/test_extreme_dates.py`).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

# Facts on record may carry tomorrow's date: the sending state's clock and time zone may run
# ahead of ours. One day, declared here once.
CLOCK_SKEW = timedelta(days=1)
# The first day anything on record can be dated, and the first day anyone on record was born.
EARLIEST_DAY = date(1900, 1, 1)
# A stay may be granted to take effect later, but not years later.
STAY_STARTS_WITHIN = timedelta(days=366)
# A stay's end is a real date within this many years; a stay without end has none at all.
STAY_ENDS_WITHIN_YEARS = 30
# Planned dates (a proposed transfer, a flight) at most this far ahead; the workflow narrows it
# to each agreement's horizon.
PLANNED_WITHIN_YEARS = 5
# The longest free text a person types (a reason, a note) and the longest attestation.
TEXT_MAX = 2000
LONG_TEXT_MAX = 5000

# ISO 3166-1 has not assigned Kosovo a code; "XK" is the user-assigned code that the European
# Commission, the US government and most international bodies use for it.
USER_ASSIGNED_STATES = {"XK": "Kosovo"}


def _today() -> date:
    return timezone.localdate()


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def latest_stay_end() -> date:
    """The latest day a stay may end on: the furthest day any kind of date accepts."""
    return _years_after(_today(), STAY_ENDS_WITHIN_YEARS)


def latest_planned_day() -> date:
    return _years_after(_today(), PLANNED_WITHIN_YEARS)


def _between(value: date, earliest: date, latest: date, *, after: str) -> None:
    if value < earliest:
        raise ValidationError(f"{value.isoformat()} is before {earliest.isoformat()}.")
    if value > latest:
        raise ValidationError(f"{value.isoformat()} is after {latest.isoformat()}: {after}")


def birth_date(value: date) -> None:
    _between(value, EARLIEST_DAY, _today(), after="a birth date cannot be in the future.")


def event_date(value: date) -> None:
    """The day something on record happened: an order, a claim, a notice, an answer."""
    _between(value, EARLIEST_DAY, _today() + CLOCK_SKEW, after="it has not happened yet.")


def event_moment(value: datetime) -> None:
    """The moment something on record happened."""
    aware = value if timezone.is_aware(value) else value.replace(tzinfo=UTC)
    if aware < datetime.combine(EARLIEST_DAY, time(), UTC):
        raise ValidationError(f"{value.isoformat()} is before {EARLIEST_DAY.isoformat()}.")
    if aware > timezone.now() + CLOCK_SKEW:
        raise ValidationError(f"{value.isoformat()} is in the future: it has not happened yet.")


def stay_start(value: date) -> None:
    latest = _today() + STAY_STARTS_WITHIN
    _between(value, EARLIEST_DAY, latest, after="a stay starts within a year at most.")


def stay_end(value: date | None) -> None:
    """A stay's last day: a real date, or none at all (no "9999-12-31" for "until further
    order", which would read as a day the stay ends)."""
    if value is None:
        return
    _between(value, EARLIEST_DAY, latest_stay_end(),
             after="for a stay without end, leave its end empty.")  # fmt: skip


def registry_day(value: date) -> None:
    """A day the registry records of an agreement: a source published, a status changed, a
    term's validity. Agreements run for years, so it may lie ahead, but no further than a stay
    may last."""
    ahead = f"the registry records days at most {STAY_ENDS_WITHIN_YEARS} years ahead."
    _between(value, EARLIEST_DAY, latest_stay_end(), after=ahead)


def planned_date(value: date) -> None:
    """A date something is planned for: not past, not beyond the horizon (the workflow may
    narrow it to an agreement's own)."""
    _between(value, _today() - CLOCK_SKEW, latest_planned_day(),
             after=f"plan at most {PLANNED_WITHIN_YEARS} years ahead.")  # fmt: skip


def day_considered(value: date) -> None:
    """A day to run the gates on: any day on record, or a planned one."""
    _between(value, EARLIEST_DAY, latest_planned_day(),
             after=f"the gates can be run at most {PLANNED_WITHIN_YEARS} years ahead.")  # fmt: skip


def offence_category(value: str) -> None:
    """One of the offence categories (`accords/law/data/offence-categories.yaml`), the words
    the agreements' exclusions are written in; the message lists them all."""
    from accords.law.offences import offence_problem

    problem = offence_problem(value)
    if problem:
        raise ValidationError(problem + ".")


def stay_scope(value: str) -> None:
    """What a stay bars: removal to any country ("all_removals"), or to the one it names."""
    if value != "all_removals":
        country_code(value)


# What diplomatic assurances about a person may assure, each with its words for pages.
ASSURED = {
    "no_torture": "no torture",
    "no_onward_removal": "no onward removal to a country the person is protected from",
    "humane_treatment": "humane treatment in detention",
    "fair_trial": "a fair trial",
}


def assured(value: list) -> None:
    """What diplomatic assurances assure, from a fixed list."""
    unknown = [v for v in value if v not in ASSURED] if isinstance(value, list) else [value]
    if unknown:
        raise ValidationError(
            f"{_shown(str(unknown[0]))} is not a kind of assurance; use: {', '.join(ASSURED)}."
        )


# Unicode's control characters (category Cc: U+0000-U+001F, U+007F-U+009F) and surrogates
# (Cs: U+D800-U+DFFF), as one expression: read in C, a 50 MB field takes milliseconds where a
# loop over its characters in Python took seconds.
def _hidden(allowed: str) -> re.Pattern:
    codes = [c for c in (*range(0x00, 0x20), *range(0x7F, 0xA0)) if chr(c) not in allowed]
    return re.compile("[" + "".join(re.escape(chr(c)) for c in codes) + "\ud800-\udfff]")


_HIDDEN = {allowed: _hidden(allowed) for allowed in ("", "\t\n\r")}


def _refuse_hidden_characters(value: str, allowed: str) -> None:
    # NUL cannot be stored in PostgreSQL text, a lone surrogate cannot be encoded at all, and
    # other control characters only hide what a text says.
    found = _HIDDEN[allowed].search(value)
    if found:
        raise ValidationError(
            f"character {found.start() + 1} (U+{ord(found.group()):04X}) is a control character "
            "or half of a character; type the text without it."
        )


def one_line(value: str) -> None:
    """A name, a code, a place: one line of visible text."""
    _refuse_hidden_characters(value, allowed="")


def free_text(value: str) -> None:
    """A reason, a note, an attestation: lines of visible text."""
    _refuse_hidden_characters(value, allowed="\t\n\r")


def _shown(value: str) -> str:
    """A refused value as a message quotes it: a few characters, never a whole upload."""
    return value if len(value) <= 40 else f"{value[:30]}... ({len(value)} characters)"


def country_code(value: str) -> None:
    known = value in USER_ASSIGNED_STATES or (
        len(value) == 2
        and value.isascii()
        and value.isupper()
        and pycountry.countries.get(alpha_2=value) is not None
    )
    if not known:
        raise ValidationError(
            f'unknown ISO 3166-1 country code "{_shown(value)}" (two letters, e.g. RW).'
        )


def language_code(value: str) -> None:
    key = {2: "alpha_2", 3: "alpha_3"}.get(len(value)) if value.isascii() else None
    found = pycountry.languages.get(**{key: value}) if key and value.islower() else None
    if found is None:
        raise ValidationError(
            f'unknown ISO 639 language code "{_shown(value)}" (e.g. es, ti, prs).'
        )


def country_codes(value: list) -> None:
    for code in value:
        country_code(code)


def language_codes(value: list) -> None:
    for code in value:
        language_code(code)


@dataclass(frozen=True)
class Kind:
    """One kind of input: its Python type, how a file's text reads as it, its validators, and
    for a text its longest length."""

    type: type
    validators: tuple[Callable[[Any], None], ...]
    max_length: int | None = None

    def check(self, value) -> None:
        """Every validator on a value of the kind's type; a ValidationError names them all."""
        messages = []
        if self.max_length is not None and len(value) > self.max_length:
            messages.append(f"at most {self.max_length} characters (it has {len(value)}).")
        for validator in self.validators:
            try:
                validator(value)
            except ValidationError as error:
                messages.extend(error.messages)
        if messages:
            raise ValidationError(messages)

    def problems(self, text) -> list[str]:
        """What is wrong with a value as a case file gives it (a date as ISO text)."""
        try:
            value = _read(self.type, text)
        except (TypeError, ValueError):
            return [f"{_shown(repr(text))} is not {_READABLE[self.type]}"]
        try:
            self.check(value)
        except ValidationError as error:
            return error.messages
        return []

    @property
    def field_validators(self) -> list:
        """The validators for a model or form field (a CharField checks its own length)."""
        length = [MaxLengthValidator(self.max_length)] if self.max_length else []
        return [*self.validators, *length]

    @property
    def form(self) -> dict:
        """The options of a form field of this kind (its `max_length` checks the length)."""
        length = {"max_length": self.max_length} if self.max_length else {}
        return {"validators": list(self.validators), **length}

    @property
    def api(self):
        """The pydantic type of the API's schemas: the same checks, errors naming the field."""
        return self._annotated(self._api_check)

    @property
    def api_or_empty(self):
        """The same, where an empty text means none (an interpreter's language unused)."""
        return self._annotated(lambda value: value if value == "" else self._api_check(value))

    def _annotated(self, check):
        constraints = [Field(max_length=self.max_length)] if self.max_length else []
        return Annotated[self.type, *constraints, AfterValidator(check)]

    def _api_check(self, value):
        try:
            for validator in self.validators:
                validator(value)
        except ValidationError as error:
            # The message goes in the context: braces in it must not read as a template.
            reason = " ".join(error.messages)
            raise PydanticCustomError("accords", "{reason}", {"reason": reason}) from None
        return value


_READABLE = {date: "a date (YYYY-MM-DD)", datetime: "an ISO 8601 date-time", str: "text"}


def _read(kind_type: type, text):
    if kind_type is str:
        if not isinstance(text, str):
            raise TypeError
        return text
    if isinstance(text, kind_type):
        return text
    if kind_type is datetime:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    return date.fromisoformat(text)


def text(max_length: int, *, lines: bool = False) -> Kind:
    """A text of at most `max_length` characters: one line, or with `lines` several."""
    return Kind(str, (free_text if lines else one_line,), max_length)


BIRTH_DATE = Kind(date, (birth_date,))
EVENT_DATE = Kind(date, (event_date,))
EVENT_MOMENT = Kind(datetime, (event_moment,))
STAY_START = Kind(date, (stay_start,))
STAY_END = Kind(date, (stay_end,))
PLANNED_DATE = Kind(date, (planned_date,))
DAY_CONSIDERED = Kind(date, (day_considered,))
COUNTRY = Kind(str, (country_code,), 2)
OFFENCE_CATEGORY = Kind(str, (offence_category,), 60)
STAY_SCOPE = Kind(str, (stay_scope,), 12)
LANGUAGE = Kind(str, (language_code,), 8)
FREE_TEXT = text(TEXT_MAX, lines=True)
LONG_TEXT = text(LONG_TEXT_MAX, lines=True)
