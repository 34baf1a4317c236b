"""Synthetic caseloads: realistic, wholly invented cases for demos, tests and benchmarks.

One generator, two outputs. `case_files(n, seed)` yields case-file documents (the import
format, `accords/cases/case-file.schema.json`); `accords.demo.services.caseload_bulk_load`
writes the same cases straight into the tables. Both start from `caseload_chunks`: one table
per case-file section, in the case file's own field names, so the two cannot drift.

Cases come in chunks of CHUNK, each drawn from its own random stream (seed, chunk number), so
the first n cases of a larger caseload are exactly the cases of a smaller one, and a million
cases never sit in memory at once. Every draw is on whole columns (numpy), never per person.
"""

from collections.abc import Iterator, Sequence

import numpy as np
import polars as pl

from accords.demo import draws, steps
from accords.demo.draws import between, pick, string_lists
from accords.demo.origins import NAMES

CHUNK = 5_000
SECTIONS = [
    "removal_orders", "protections", "proceedings", "stays", "criminal_history", "notices",
    "fear_claims", "acceptances", "country_requests",
]  # fmt: skip
UNIT_SIZES = [0.94, 0.02, 0.015, 0.013, 0.008, 0.004]  # people travelling alone, or families of 2-6
UK_SHARE, STATELESS_SHARE = 0.03, 0.01  # of units

_GROUPS = list(NAMES)
_GIVEN = [np.array(NAMES[g][0]) for g in _GROUPS]
_FAMILY = [np.array(NAMES[g][1]) for g in _GROUPS]


def case_number(seed: int, index: int) -> str:
    return f"S{seed}-{index + 1:07d}"


def family_key(seed: int, index: int) -> str:
    """A family is keyed by the case number of its first member."""
    return f"S{seed}-F{index + 1:07d}"


def _people(rng: np.random.Generator, seed: int, first: int) -> dict:
    """Who is in this chunk: units (alone or a family), origins, ages, names, flags."""
    m = CHUNK
    sizes = rng.choice(np.arange(1, 7), size=m, p=UNIT_SIZES)
    ends = np.cumsum(sizes)
    k = int(np.searchsorted(ends, m)) + 1
    sizes, starts = sizes[:k], ends[:k] - sizes[:k]
    unit = np.repeat(np.arange(k), sizes)[:m]
    size, position = sizes[unit], np.arange(m) - starts[unit]
    where = rng.random(k)
    uk_unit = where < UK_SHARE
    stateless_unit = ~uk_unit & (where < UK_SHARE + STATELESS_SHARE)
    profile_unit = draws.profile(rng, k, uk_unit, stateless_unit)
    profile = profile_unit[unit]
    single = size == 1
    second_adult = (position == 1) & (rng.random(m) < np.where(size == 2, 0.4, 0.6))
    unaccompanied = single & (rng.random(m) < 0.015)
    adult = (single | (position == 0) | second_adult) & ~unaccompanied
    birth = np.where(
        adult & ~single,
        between(rng, "1975-01-01", "2002-12-31", m),
        np.where(
            adult,
            between(rng, "1960-01-01", "2006-06-30", m),
            np.where(
                unaccompanied,
                between(rng, "2008-07-01", "2011-06-30", m),
                between(rng, "2009-01-01", "2024-06-30", m),
            ),
        ),
    )
    group = draws.GROUP[profile]
    family_name = pick(rng, _FAMILY, draws.GROUP[profile_unit])[unit]
    family_name = np.where(second_adult, pick(rng, _FAMILY, group), family_name)
    nationality = draws.NATIONALITY[profile]
    dual = adult & (draws.SECOND[profile] != "") & (rng.random(m) < 0.08)
    english = adult & ~draws.SPEAKS_ENGLISH[profile] & (rng.random(m) < 0.2)
    uk = uk_unit[unit]
    cases = first + np.arange(m)
    has_counsel = rng.random(m) < 0.4
    return {
        "m": m, "k": k, "unit": unit, "profile": profile, "profile_unit": profile_unit,
        "single": single, "adult": adult, "uk": uk, "uk_unit": uk_unit, "birth": birth,
        "home": np.where(nationality != "", nationality, draws.BIRTH[profile]),
        "has_counsel": has_counsel, "cases": cases,
        "persons": pl.DataFrame({
            "case": cases,
            "case_number": [case_number(seed, i) for i in cases],
            "status": np.where(rng.random(m) < 0.02, "closed", "open"),
            "given_name": pick(rng, _GIVEN, group),
            "family_name": family_name,
            "birth_date": birth,
            "country_of_birth": draws.BIRTH[profile],
            "nationalities": string_lists(
                [[n] if n else [] for n in draws.NATIONALITY],
                profile, extra=draws.SECOND[profile], when=dual,
            ),
            "languages": string_lists(
                [list(p.languages) for p in draws.PROFILES], profile, extra="en", when=english
            ),
            "family": pl.Series([family_key(seed, first + s) for s in starts[unit]]).set(
                pl.Series(single), None
            ),
            "unaccompanied_minor": unaccompanied,
            "detained": rng.random(m) < np.where(uk, 0.4, np.where(adult, 0.3, 0.05)),
            # Counsel is drawn as a number and named later, from whichever counsel exist.
            "counsel": pl.Series(rng.integers(0, 1 << 30, m)).set(pl.Series(~has_counsel), None),
        }),
    }  # fmt: skip


def caseload_chunk(seed: int, chunk: int) -> dict[str, pl.DataFrame]:
    """The CHUNK cases of one chunk: "persons" and one table per case-file section, each
    row keyed by `case` (the case's index in the caseload) and in the case file's field names."""
    rng = np.random.default_rng([seed, chunk])
    people = _people(rng, seed, chunk * CHUNK)
    orders, final_on, entered_on = draws.removal_orders(rng, people)
    notices, notice = steps.notices(rng, people, final_on)
    uk, directions = steps.uk_processes(rng, people)
    tables = {
        "persons": people["persons"],
        "removal_orders": pl.concat([orders, draws.uk_orders(people, directions)]),
        "protections": draws.protections(rng, people, entered_on),
        **draws.proceedings_and_stays(rng, people, final_on, entered_on),
        "criminal_history": draws.criminal_history(rng, people, entered_on),
        "notices": notices,
        "fear_claims": steps.fear_claims(rng, people, notice),
        "acceptances": steps.acceptances(rng, people, notice, final_on),
        "country_requests": steps.country_requests(rng, people, notice),
        "uk": uk,
    }
    return {name: table.sort("case", maintain_order=True) for name, table in tables.items()}


def caseload_chunks(n: int, seed: int) -> Iterator[dict[str, pl.DataFrame]]:
    """The first n cases of the caseload of `seed`, chunk by chunk."""
    if n < 0 or seed < 0:
        raise ValueError("the number of cases and the seed must not be negative")
    for chunk in range(-(-n // CHUNK)):
        tables = caseload_chunk(seed, chunk)
        if (chunk + 1) * CHUNK > n:
            tables = {name: t.filter(pl.col("case") < n) for name, t in tables.items()}
        yield tables


def with_counsel(persons: pl.DataFrame, counsel: Sequence[str]) -> pl.DataFrame:
    """Name counsel of record (usernames) for the people drawn to have counsel."""
    if not counsel:
        return persons.with_columns(pl.lit(None, pl.String).alias("counsel"))
    names = pl.Series(sorted(counsel), dtype=pl.String)
    return persons.with_columns(
        pl.col("counsel").mod(len(names)).map_batches(names.gather, return_dtype=pl.String)
    )


def _as_json(table: pl.DataFrame) -> list[dict]:
    """Rows with dates and instants spelled as the case-file format spells them."""
    return table.with_columns(
        pl.col(pl.Date).dt.to_string("%Y-%m-%d"),
        pl.col(pl.Datetime).dt.to_string("%Y-%m-%dT%H:%M:%S+00:00"),
    ).to_dicts()


def chunk_case_files(tables: dict[str, pl.DataFrame], counsel: Sequence[str]) -> list[dict]:
    """The case-file documents of one chunk's tables, in case order."""
    persons = _as_json(with_counsel(tables["persons"], counsel))
    first = persons[0]["case"] if persons else 0
    docs = []
    for row in persons:
        del row["case"]
        number, status = row.pop("case_number"), row.pop("status")
        docs.append({"format": 1, "case_number": number, "status": status, "person": row})
    for section in [*SECTIONS, "uk"]:
        for item in _as_json(tables[section]):
            doc = docs[item.pop("case") - first]
            if section == "uk":
                doc["uk"] = item
            else:
                doc.setdefault(section, []).append(item)
    return docs


def case_files(n: int, seed: int, *, counsel: Sequence[str] = ()) -> Iterator[dict]:
    """n synthetic case-file documents, the same for the same seed; counsel of record is named
    from `counsel` (usernames of users with the counsel role) for about 40% of people."""
    for tables in caseload_chunks(n, seed):
        yield from chunk_case_files(tables, counsel)
