"""The kinds of input: each date kind takes every day of its range and neither neighbour; a text
takes no NUL, no half character and nothing past its length; codes are real ISO codes. And the
three ways a kind is used (a model or form field, the API's type, a case file's text) agree on
every value, so no interface lets through what another refuses."""

import unicodedata
from datetime import date, timedelta

import pycountry
import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter
from pydantic import ValidationError as ApiError

from accords.core import validation as kinds

TODAY = timezone.localdate()

# Each date kind with the first and last day it takes.
RANGES = {
    "birth date": (kinds.BIRTH_DATE, kinds.EARLIEST_DAY, TODAY),
    "event on record": (kinds.EVENT_DATE, kinds.EARLIEST_DAY, TODAY + kinds.CLOCK_SKEW),
    "stay start": (kinds.STAY_START, kinds.EARLIEST_DAY, TODAY + kinds.STAY_STARTS_WITHIN),
    "stay end": (kinds.STAY_END, kinds.EARLIEST_DAY, kinds.latest_stay_end()),
    "planned date": (kinds.PLANNED_DATE, TODAY - kinds.CLOCK_SKEW, kinds.latest_planned_day()),
    "day considered": (kinds.DAY_CONSIDERED, kinds.EARLIEST_DAY, kinds.latest_planned_day()),
}


def _accepted_by_field(kind: kinds.Kind, value) -> bool:
    # The kind alone: not whether the form requires a value or strips spaces around it.
    field = (
        forms.CharField(strip=False, required=False, **kind.form)
        if kind.type is str
        else forms.DateField(**kind.form)
    )
    try:
        field.clean(value)
    except ValidationError:
        return False
    return True


def _accepted_by_api(kind: kinds.Kind, value) -> bool:
    try:
        TypeAdapter(kind.api).validate_python(value)
    except ApiError:
        return False
    return True


def _accepted_everywhere(kind: kinds.Kind, value) -> bool:
    """Whether the kind takes the value, after checking every interface agrees."""
    text = value.isoformat() if isinstance(value, date) else value
    verdicts = {
        "field": _accepted_by_field(kind, value),
        "api": _accepted_by_api(kind, value),
        "case file": not kind.problems(text),
    }
    assert len(set(verdicts.values())) == 1, verdicts
    return verdicts["field"]


@pytest.mark.parametrize("name", RANGES)
def test_each_date_kind_takes_its_range_and_neither_neighbour(name):
    kind, first, last = RANGES[name]
    assert _accepted_everywhere(kind, first) and _accepted_everywhere(kind, last)
    assert not _accepted_everywhere(kind, first - timedelta(days=1))
    assert not _accepted_everywhere(kind, last + timedelta(days=1))


@given(name=st.sampled_from(list(RANGES)), day=st.dates())
def test_every_interface_agrees_on_every_day(name, day):
    kind, first, last = RANGES[name]
    assert _accepted_everywhere(kind, day) == (first <= day <= last)


def test_a_stay_without_end_is_left_empty_not_dated_9999():
    with pytest.raises(ValidationError, match="leave its end empty"):
        kinds.stay_end(date(9999, 12, 31))
    kinds.stay_end(None)


TEXTS = [kinds.text(40), kinds.FREE_TEXT]


@given(kind=st.sampled_from(TEXTS), value=st.text(max_size=60))
def test_every_interface_agrees_on_every_text(kind, value):
    lines = kind is kinds.FREE_TEXT
    hidden = any(
        unicodedata.category(c) in ("Cc", "Cs") and not (lines and c in "\t\n\r") for c in value
    )
    assert _accepted_everywhere(kind, value) == (len(value) <= kind.max_length and not hidden)


@pytest.mark.parametrize("kind", TEXTS)
@pytest.mark.parametrize("hidden", ["\x00", "\ud800", "\udfff"])
def test_no_text_holds_a_nul_or_half_a_character(kind, hidden):
    assert not _accepted_everywhere(kind, f"before{hidden}after")


def test_codes_are_real_iso_codes():
    for country in pycountry.countries:
        kinds.country_code(country.alpha_2)
    kinds.country_code("XK")  # Kosovo, user-assigned
    for code in ("AA", "rw", "R", "RWA", "ZZ"):
        assert not _accepted_everywhere(kinds.COUNTRY, code)
    for code in ("es", "ti", "prs", "rw", "quc"):
        assert _accepted_everywhere(kinds.LANGUAGE, code)
    for code in ("xx", "ES", "e", "english", "zzz"):
        assert not _accepted_everywhere(kinds.LANGUAGE, code)


def test_an_event_moment_may_be_a_day_ahead_of_our_clock_and_no_more():
    now = timezone.now()
    kinds.event_moment(now + timedelta(hours=23))
    with pytest.raises(ValidationError, match="has not happened yet"):
        kinds.event_moment(now + timedelta(days=1, minutes=1))
    with pytest.raises(ValidationError, match="before 1900-01-01"):
        kinds.event_moment(now.replace(year=1899))


def test_a_refusal_quotes_a_few_characters_never_a_whole_upload():
    huge = "9" * 5_000_000
    for kind in (kinds.EVENT_DATE, kinds.EVENT_MOMENT, kinds.COUNTRY, kinds.LANGUAGE):
        assert 0 < sum(len(message) for message in kind.problems(huge)) < 200
