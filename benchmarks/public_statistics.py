"""Benchmark: publishing the public statistics of a national caseload.

A seeded synthetic programme of N people (default 1,000,000; --quick 50,000) under ten
agreements over 24 months: referred, answered (70% accepted, 10% declined), three in five of
those accepted departing the next month, 5% taken off at departure for a safeguard, nearly
all handed over; forty citizenships, a few common and many rare. Timed steps:

- count: the measures' per-agreement, per-month counts from the people's events (polars
  group-bys, as `accords/transparency/measures.py` does on the rows it reads);
- lay out: the monthly cells and their to-date totals (`tables.series_build`);
- protect: every month's table rounded, its small counts suppressed, and secondary
  suppression audited by HiGHS against the table and the previous month's
  (`tables.tables_publish`).

The baseline, measured in the same run on the same cells, is rounding and primary
suppression alone (no audit, no secondary suppression): what a naive publisher would do.
Reading the rows from the database is not timed here (a query per measure, streaming the
caseload's referrals and manifest entries once): `accords statistics publish` runs it once a
day, never inside a request.

    .venv/bin/python benchmarks/public_statistics.py            # 1,000,000 people
    .venv/bin/python benchmarks/public_statistics.py --quick    # 50,000 people

The last line is `statistics: <N> people in <T>s, protect <P>s (<R>x rounding alone)`.
"""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import machine  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accords.settings")
os.environ.setdefault("ACCORDS_DATABASE_URL", "sqlite://")

SEED = 20261202
AGREEMENTS = [f"agreement-{i:02}" for i in range(10)]
MONTHS = 24
CITIZENSHIPS = [f"C{i:02}" for i in range(40)]
FAMILIES = ["stay", "fear", "notice", "acceptance", "eligibility"]


def _events(people: int, MONTHS: int) -> dict[str, pl.DataFrame]:  # noqa: N803
    rng = np.random.default_rng(SEED)
    weights = 1 / np.arange(1, len(AGREEMENTS) + 1)
    agreement = rng.choice(len(AGREEMENTS), people, p=weights / weights.sum())
    referred = rng.integers(0, MONTHS, people)
    answer = rng.random(people)
    accepted, declined = answer < 0.7, (answer >= 0.7) & (answer < 0.8)
    citizen_weights = 1 / np.arange(1, len(CITIZENSHIPS) + 1) ** 1.5
    citizenship = rng.choice(len(CITIZENSHIPS), people, p=citizen_weights / citizen_weights.sum())
    going = accepted & (rng.random(people) < 0.6) & (referred < MONTHS - 1)
    taken_off = going & (rng.random(people) < 0.05)
    departed = going & ~taken_off
    handed = departed & (rng.random(people) < 0.97)
    family = rng.integers(0, len(FAMILIES), people)
    months = pl.Series([date(2025 + (m // 12), m % 12 + 1, 1) for m in range(MONTHS)])
    frame = pl.DataFrame({
        "agreement": np.array(AGREEMENTS)[agreement], "referred": months.gather(referred),
        "next": months.gather(np.minimum(referred + 1, MONTHS - 1)),
        "citizenship": np.array(CITIZENSHIPS)[citizenship], "family": np.array(FAMILIES)[family],
        "accepted": accepted, "declined": declined, "departed": departed, "handed": handed,
        "taken_off": taken_off,
    })  # fmt: skip
    return frame, months[-1]


def _count(frame: pl.DataFrame, where: str | None, when: str, part: str | None = None):
    chosen = frame.filter(pl.col(where)) if where else frame
    keys = [
        "agreement",
        pl.col(when).alias("month"),
        *([pl.col(part).alias("part")] if part else []),
    ]
    return chosen.group_by(keys).agg(value=pl.len().cast(pl.Int64))


def measure_frames(frame: pl.DataFrame) -> dict[str, pl.DataFrame]:
    return {
        "referrals": _count(frame, None, "referred"),
        "acceptances": _count(frame, "accepted", "referred"),
        "declines": _count(frame, "declined", "referred"),
        "departures": _count(frame, "departed", "next"),
        "departures_by_citizenship": _count(frame, "departed", "next", "citizenship"),
        "hand_overs": _count(frame, "handed", "next"),
        "taken_off": _count(frame, "taken_off", "next"),
        "taken_off_by_family": _count(frame, "taken_off", "next", "family"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50,000 people")
    parser.add_argument("--people", type=int, default=None)
    parser.add_argument("--months", type=int, default=MONTHS, help=f"default {MONTHS}")
    arguments = parser.parse_args()
    people = arguments.people or (50_000 if arguments.quick else 1_000_000)

    import django

    django.setup()
    from accords.transparency.measures import MEASURES
    from accords.transparency.protection import Rules, publish
    from accords.transparency.tables import series_build, tables_publish

    rules = Rules(base=10, threshold=11)
    print(f"machine: {machine()}")
    frame, last = _events(people, arguments.months)
    started = time.perf_counter()
    frames = measure_frames(frame)
    counted = time.perf_counter()
    series = series_build(frames, MEASURES, last)
    laid_out = time.perf_counter()
    tables = tables_publish(series, MEASURES, rules)
    protected = time.perf_counter()
    for month in series.months:  # the baseline: round and drop the small counts, no more
        values = series.counts[month]
        publish(values, {k for k, v in values.items() if 0 < v < rules.threshold}, rules)
    naive = time.perf_counter()

    cells = sum(len(t.protected.published) for t in tables)
    primary = sum(len(t.protected.primary) for t in tables)
    secondary = sum(len(t.protected.secondary) for t in tables)
    total = protected - started
    print(f"people: {people:,}; {len(AGREEMENTS)} agreements, {len(series.months)} months, "
          f"{cells:,} cells of people published")  # fmt: skip
    print(f"count:   {counted - started:8.3f} s")
    print(f"lay out: {laid_out - counted:8.3f} s")
    print(f"protect: {protected - laid_out:8.3f} s ({primary:,} small counts suppressed, "
          f"{secondary:,} more to protect them)")  # fmt: skip
    print(f"baseline (rounding and primary suppression alone): {naive - protected:8.3f} s")
    ratio = (protected - laid_out) / max(naive - protected, 1e-9)
    print(f"statistics: {people} people in {total:.2f}s, protect {protected - laid_out:.2f}s "
          f"({ratio:.0f}x rounding alone)")  # fmt: skip


if __name__ == "__main__":
    main()
