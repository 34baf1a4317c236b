"""The list columns' helpers: a country's code worked out in Python is the code polars gives,
and a few rows worked out on Python lists give what polars gives on many."""

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from accords.law import lists
from accords.law.columns import cases_frame
from accords.law.lists import _country, _country_one

CAPITALS = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2)


@given(st.one_of(CAPITALS, st.text(max_size=4)))
def test_one_country_is_coded_as_a_column_of_countries_codes_it(code):
    assert _country_one(code) == _country(pl.Series([code]))[0]


def test_codes_run_from_aa_to_zz():
    assert (_country_one("AA"), _country_one("ZZ"), _country_one("RW")) == (0, 675, 17 * 26 + 22)
    assert _country_one("rw") == _country_one("R") == _country_one("RWA") == -1


DAY = date(2025, 9, 1)
# A handful of codes, so that lists share countries and the receiving states below are on them;
# beside them what is not a code (lower case, three letters), which must drop out.
COUNTRY = st.sampled_from(["RW", "SV", "MX", "rw", "RWA"])
DAYS = st.one_of(
    st.integers(-60, 60).map(lambda n: DAY + timedelta(days=n)),
    st.sampled_from([None, date.min, date.max]),
)
COUNTRIES = st.one_of(st.none(), st.lists(st.one_of(st.none(), COUNTRY), max_size=3))
PROTECTED = st.one_of(st.none(), st.lists(COUNTRY, max_size=1))  # rarer: they take countries out
REQUEST = st.fixed_dictionaries(
    {"country": st.one_of(st.none(), COUNTRY), "asked_on": DAYS,
     "answer": st.one_of(st.none(), st.sampled_from(["accepted", "refused", "no_answer", "maybe"]))}
)  # fmt: skip
STAY = st.fixed_dictionaries(
    {"granted_by": st.just("IJ"), "from": DAYS, "until": DAYS,
     "country": st.one_of(st.none(), COUNTRY)}
)  # fmt: skip
CASE = st.fixed_dictionaries(
    {
        "order_designated_countries": COUNTRIES,
        "nationalities": COUNTRIES,
        "withholding_countries": PROTECTED,
        "cat_countries": PROTECTED,
        "country_requests": st.one_of(st.none(), st.lists(REQUEST, max_size=4)),
        "stays": st.one_of(st.none(), st.lists(STAY, max_size=3)),
    }
)


def _derived(cases: pl.DataFrame) -> list[pl.DataFrame]:
    sequence, stays = lists.CountrySequence(cases, DAY, 30), lists.Stays(cases, DAY)
    return [
        frame
        for receiving in ("RW", "SV", "KE")  # on some lists, and on none
        for frame in (sequence.columns(receiving), stays.columns(receiving))
    ]


# Always tried besides the drawn ones: an answer not on the list and no answer at all, each
# about a country on the person's list (both count as not yet asked).
UNKNOWN_ANSWERS = [
    {"nationalities": ["SV", "MX"],
     "country_requests": [{"country": "SV", "asked_on": DAY, "answer": "maybe"},
                          {"country": "MX", "asked_on": DAY, "answer": None}]},
]  # fmt: skip


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(CASE, min_size=0, max_size=6))
@example(records=UNKNOWN_ANSWERS)
def test_a_few_rows_on_python_lists_derive_what_polars_derives(monkeypatch, records):
    cases = cases_frame([{"case_id": f"C-{i}", **r} for i, r in enumerate(records)])
    few = _derived(cases)
    with monkeypatch.context() as patched:
        patched.setattr(lists, "FEW_ROWS", -1)  # every frame the columnar way
        many = _derived(cases)
    for a, b in zip(few, many, strict=True):
        assert_frame_equal(a, b)


@pytest.mark.parametrize("rows", [lists.FEW_ROWS, lists.FEW_ROWS + 1])
def test_either_side_of_few_rows_the_columns_say_the_same(rows):
    """The same case on every row, a frame just few enough and one just too many: each row's
    columns are those of the case alone."""
    case = {"order_designated_countries": ["RW", "SV"], "nationalities": ["SV"],
            "country_requests": [{"country": "SV", "asked_on": DAY - timedelta(days=3),
                                  "answer": "no_answer"}],
            "stays": [{"granted_by": "IJ", "from": DAY, "until": DAY + timedelta(days=9),
                       "country": "RW"}]}  # fmt: skip
    alone = _derived(cases_frame([{"case_id": "C", **case}]))
    every = _derived(cases_frame([{"case_id": f"C-{i}", **case} for i in range(rows)]))
    for one, all_rows in zip(alone, every, strict=True):
        assert all_rows.n_unique() == 1
        assert_frame_equal(all_rows.head(1), one)
