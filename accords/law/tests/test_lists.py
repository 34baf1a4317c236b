"""The list columns' helpers: a country's code worked out in Python is the code polars gives."""

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from accords.law.lists import _country, _country_one

CAPITALS = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2)


@given(st.one_of(CAPITALS, st.text(max_size=4)))
def test_one_country_is_coded_as_a_column_of_countries_codes_it(code):
    assert _country_one(code) == _country(pl.Series([code]))[0]


def test_codes_run_from_aa_to_zz():
    assert (_country_one("AA"), _country_one("ZZ"), _country_one("RW")) == (0, 675, 17 * 26 + 22)
    assert _country_one("rw") == _country_one("R") == _country_one("RWA") == -1
