"""Facts held in list columns, flattened to arrays, for the gates that must look inside them.

Per-row list operations (sorting a list, matching one list against another) are slow on a
million rows, so the country-sequence and stay gates flatten their lists once into (row, value)
arrays, work on those with numpy, and hand back one plain column per fact. The rules in `us.py`
then read those columns like any other.

A country becomes an integer, its place among all two-capital-letter codes; a (row, country)
pair becomes one integer key, so matching lists against lists is a sorted-array lookup.
"""

from datetime import date
from string import ascii_uppercase

import numpy as np
import polars as pl

_CODES = pl.Enum([a + b for a in ascii_uppercase for b in ascii_uppercase])
_BITS = 10  # 26 * 26 codes < 2**10
_NO_DAY = np.iinfo(np.int32).min  # "no date" while comparing days as integers
_OPEN = np.iinfo(np.int32).max  # an open-ended stay
_EPOCH = date(1970, 1, 1)

# Up to this many rows (re-screening the people one write touched), the helpers below work on
# Python lists: a polars operation costs some hundred microseconds however few its rows (a cast
# to the 676 codes' Enum the most), and the country sequence alone asked for a dozen of them, a
# tenth of a re-screen. Each helper gives the same arrays either way (tests/test_lists.py).
FEW_ROWS = 32


def _few(values: pl.Series | pl.DataFrame | np.ndarray) -> bool:
    return len(values) <= FEW_ROWS


def _rows(series: pl.Series) -> np.ndarray:
    if _few(series):
        lengths = [0 if v is None else len(v) for v in series.to_list()]
    else:
        lengths = series.list.len().fill_null(0).to_numpy()
    return np.repeat(np.arange(len(series), dtype=np.int64), lengths)


def _elements(series: pl.Series) -> pl.Series:
    return series.explode(empty_as_null=False, keep_nulls=False)


def _day(value: date) -> int:
    return (value - _EPOCH).days


def _days(series: pl.Series, missing: int) -> np.ndarray:
    if _few(series):
        days = series.cast(pl.Int32).to_list()
        return np.array([missing if v is None else v for v in days], np.int32)
    return series.cast(pl.Int32).fill_null(missing).to_numpy()


def _country(values: pl.Series) -> np.ndarray:
    """Codes of countries; anything that is not two capital letters becomes -1."""
    if _few(values):
        return np.array([-1 if v is None else _country_one(v) for v in values.to_list()], np.int64)
    codes = values.cast(_CODES, strict=False).to_physical().cast(pl.Int64)
    return codes.fill_null(-1).to_numpy()


def _country_one(code: str) -> int:
    """`_country` of one code, worked out in Python."""
    if len(code) == 2 and code[0] in ascii_uppercase and code[1] in ascii_uppercase:
        return ascii_uppercase.index(code[0]) * 26 + ascii_uppercase.index(code[1])
    return -1


def _is_null(series: pl.Series) -> np.ndarray:
    if _few(series):
        return np.array([v is None for v in series.to_list()], bool)
    return series.is_null().to_numpy()


def _answers(answers: pl.Series) -> np.ndarray:
    """Each answer's code (_ANSWERS); 0 for none, or one not on the list."""
    if _few(answers):
        return np.array([_ANSWERS.get(a, 0) for a in answers.to_list()], np.int8)
    coded = answers.replace_strict(_ANSWERS, default=0, return_dtype=pl.Int8)
    return coded.fill_null(0).to_numpy()


def _keys(cases: pl.DataFrame, columns: list[str]) -> list[np.ndarray]:
    """(row, country) keys of list-of-countries columns, in row order; entries that are not
    codes drop out. On many rows polars works the columns out side by side."""
    if _few(cases):
        keyed = []
        for name in columns:
            codes = [
                (row, _country_one(value))
                for row, values in enumerate(cases[name].to_list())
                for value in values or ()
                if value is not None
            ]
            keyed.append(np.array([(r << _BITS) + c for r, c in codes if c >= 0], np.int64))
        return keyed
    rows = cases.lazy().select(pl.int_range(pl.len(), dtype=pl.Int64).alias("row"), *columns)
    codes = pl.col("country").to_physical().cast(pl.Int64)
    keyed = [
        rows.select("row", pl.col(name).cast(pl.List(_CODES), strict=False).alias("country"))
        .explode("country")
        .drop_nulls()
        .select(pl.col("row") * (1 << _BITS) + codes)
        for name in columns
    ]
    return [frame.to_series().to_numpy() for frame in pl.collect_all(keyed)]


def _distinct(keys: np.ndarray) -> np.ndarray:
    """Sorted distinct keys. Keys arrive in row order, so a stable (merging) sort is quick."""
    keys = np.sort(keys, kind="stable")
    return keys[np.append(True, keys[1:] != keys[:-1])[: len(keys)]]


def _places(keys: np.ndarray, sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which of `keys` appear in a sorted array of distinct keys (a mask over `keys`), and
    where. Searching with the shorter array of the two is what keeps this quick."""
    at = np.searchsorted(sorted_keys, keys)
    found = np.append(sorted_keys, -1)[at] == keys
    return found, at[found]


def _per_row_max(rows: np.ndarray, values: np.ndarray, size: int, empty: int) -> np.ndarray:
    """Per row, the largest of its values (`empty` for rows with none, and no larger than any
    value). `np.maximum.at` is the quickest way numpy has to do this: faster here, by several
    times, than sorting into runs and reducing each."""
    out = np.full(size, empty, dtype=values.dtype)
    np.maximum.at(out, rows, values)
    return out


def _dates(days: np.ndarray) -> pl.Series:
    """Days as integers back to dates, _NO_DAY as null."""
    if _few(days):
        as_list = [None if d == _NO_DAY else d for d in days.tolist()]
        return pl.Series(as_list, dtype=pl.Int32).cast(pl.Date)
    series = pl.Series(days)
    return series.set(series == _NO_DAY, None).cast(pl.Date)


# what stands in the way of the statutory sequence, worst first
SEQUENCE_CLEAR, SEQUENCE_AWAITING, SEQUENCE_NOT_ASKED, SEQUENCE_ACCEPTED = 0, 1, 2, 3
_ACCEPTED, _REFUSED, _NO_ANSWER = 1, 2, 3
_ANSWERS = {"accepted": _ACCEPTED, "refused": _REFUSED, "no_answer": _NO_ANSWER}


class CountrySequence:
    """Where the INA 241(b)(2) sequence stands for every case, for any receiving state.

    The countries to work through are those the order designates and those of nationality,
    except the receiving state and any the person is protected from (removal there is
    impossible). Each country's latest answer on or before the day counts; no answer within
    `wait` days counts as a refusal from the day after the window.

    Built once per set of cases and day: the standing of every (case, country) pair and each
    case's worst. `columns(receiving)` then only works again on the few cases whose list holds
    the receiving state, as it drops out of their list.
    """

    def __init__(self, cases: pl.DataFrame, day: date, wait: int):
        self.size = cases.height
        designated, nationalities, withholding, cat = _keys(
            cases,
            [
                "order_designated_countries",
                "nationalities",
                "withholding_countries",
                "cat_countries",
            ],
        )
        to_check = _distinct(np.concatenate([designated, nationalities]))
        protected = _distinct(np.concatenate([withholding, cat]))
        keep = np.ones(len(to_check), bool)
        keep[_places(protected, to_check)[1]] = False
        to_check = to_check[keep]

        asked = _elements(cases["country_requests"]).struct.unnest()
        codes = _country(asked["country"])
        keys = (_rows(cases["country_requests"]) << _BITS) | codes
        asked_on = _days(asked["asked_on"], _NO_DAY)
        answer = _answers(asked["answer"])
        on_record = (codes >= 0) & (asked_on != _NO_DAY) & (asked_on <= _day(day))
        keys, asked_on, answer = keys[on_record], asked_on[on_record], answer[on_record]
        # keep each country's latest answer: sort by key then day, take the last of each key;
        # keys arrive in row order, so one stable sort of (key, day) packed in an integer is quick
        order = np.argsort((keys << 16) | np.clip(asked_on, 0, 2**16 - 1), kind="stable")
        keys, asked_on, answer = keys[order], asked_on[order], answer[order]
        latest = np.append(keys[1:] != keys[:-1], True)[: len(keys)]
        keys, asked_on, answer = keys[latest], asked_on[latest], answer[latest]

        # each latest answer set beside the country to check it answers for (none: not asked)
        found, at = _places(keys, to_check)
        said = np.zeros(len(to_check), np.int8)
        said[at] = answer[found]
        lapses = np.zeros(len(to_check), np.int32)
        lapses[at] = asked_on[found] + wait + 1
        awaiting = (said == _NO_ANSWER) & (lapses > _day(day))
        refused = (said == _REFUSED) | ((said == _NO_ANSWER) & ~awaiting)
        # an answer not on the list of known answers proves nothing: treated as not yet asked
        self.standing = np.select(
            [said == _ACCEPTED, awaiting, refused],
            [SEQUENCE_ACCEPTED, SEQUENCE_AWAITING, SEQUENCE_CLEAR],
            SEQUENCE_NOT_ASKED,
        ).astype(np.int8)
        self.lapses = np.where(awaiting, lapses, _NO_DAY).astype(np.int32)
        self.row, self.country = to_check >> _BITS, to_check & (2**_BITS - 1)
        self.state = _per_row_max(self.row, self.standing, self.size, SEQUENCE_CLEAR)
        self.clears = _per_row_max(self.row, self.lapses, self.size, _NO_DAY)
        self._untouched: pl.DataFrame | None = None  # the columns for a state on no one's list

    def columns(self, receiving: str) -> pl.DataFrame:
        """Per case: where the sequence stands for transfers to `receiving`, and when the
        awaited answers lapse."""
        own = self.country == _country_one(receiving)
        if not own.any():  # a state on no one's list (most): the same columns, made once
            if self._untouched is None:
                self._untouched = _sequence_columns(self.state, self.clears)
            return self._untouched
        rows = self.row[own]
        touched = np.zeros(self.size, bool)
        touched[rows] = True
        others = touched[self.row] & ~own
        state, clears = self.state.copy(), self.clears.copy()
        row = self.row[others]
        state[rows] = _per_row_max(row, self.standing[others], self.size, SEQUENCE_CLEAR)[rows]
        clears[rows] = _per_row_max(row, self.lapses[others], self.size, _NO_DAY)[rows]
        return _sequence_columns(state, clears)


def _sequence_columns(state: np.ndarray, clears: np.ndarray) -> pl.DataFrame:
    return pl.DataFrame({"sequence_state": state, "sequence_clears": _dates(clears)})


class Stays:
    """Every stay of every case as flat arrays, built once per set of cases and day; `columns`
    then says, for one receiving state, which cases a stay bars: one that bars every removal,
    or one that bars removal to that very state (a stay's scope)."""

    def __init__(self, cases: pl.DataFrame, day: date):
        self.size = cases.height
        rows, stays = _rows(cases["stays"]), _elements(cases["stays"]).struct.unnest()
        starts = _days(stays["from"], _NO_DAY)
        ends = _days(stays["until"], _OPEN)
        today = _day(day)
        in_force = (starts <= today) & (ends >= today)
        countries = (
            _country(stays["country"]) if "country" in stays.columns else np.full(len(rows), -1)
        )
        every = _is_null(stays["country"]) if "country" in stays.columns else None
        self.rows, self.ends = rows[in_force], ends[in_force].astype(np.int32)
        self.country = countries[in_force]
        self.every = np.ones(len(self.rows), bool) if every is None else every[in_force]
        self._untouched: pl.DataFrame | None = None  # for a state no stay names (most)

    def columns(self, receiving: str) -> pl.DataFrame:
        """Per case: whether a stay bars removal to `receiving` on the day, and the day after
        the last of those ends."""
        named = self.country == _country_one(receiving)
        if named.any():
            return self._columns(self.every | named)
        if self._untouched is None:
            self._untouched = self._columns(self.every)
        return self._untouched

    def _columns(self, bars: np.ndarray) -> pl.DataFrame:
        last = _per_row_max(self.rows[bars], self.ends[bars], self.size, _NO_DAY)
        # the day after the last day in force; none while a stay runs until further order
        ends_known = (last != _NO_DAY) & (last != _OPEN)
        clears = _dates(np.where(ends_known, last + 1, _NO_DAY))
        return pl.DataFrame({"stay_in_force": last != _NO_DAY, "stay_clears": clears})
