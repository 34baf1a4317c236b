"""Benchmark: the registry's reference data and the onward-removal bar the reception work reads.

Uses the database named by ACCORDS_DATABASE_URL (default: PostgreSQL on 127.0.0.1, database
accords_registry; created and migrated if missing). Measured in the same run:

- load: `accords reference load` into a database that already holds the data (every row found
  by its key and kept, the path every demo start and deployment takes), against the first load
  into an empty registry.
- bar: `bars_onward_removal(agreement, on)` for every shipped agreement on a spread of dates,
  as the reception work asks it when an onward removal is recorded; against the baseline of
  fetching the same agreement's terms (one query, no filtering).

    .venv/bin/python benchmarks/registry.py            # 2,000 questions
    .venv/bin/python benchmarks/registry.py --quick    # 200 questions

The last line is `registry: load <T>s (<R>x the first), bar <N>/s (<R>x a terms fetch)`.
"""

import argparse
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import database_migrated, machine  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accords.settings")
os.environ.setdefault("ACCORDS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/accords_registry")


def _timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    questions = 200 if parser.parse_args().quick else 2_000
    database_migrated()
    from django.db import connection, transaction

    from accords.registry.models import Agreement, Credit, ReportedTransfer, Source, StatusChange
    from accords.registry.reference import reference_data_load
    from accords.registry.selectors import bars_onward_removal

    print(f"machine: {machine()}")
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")

    def empty() -> None:
        # Inside a transaction that is rolled back: the database keeps what it held.
        Credit.objects.all().delete()
        for model in (ReportedTransfer, StatusChange, Agreement, Source):
            model.objects.all().delete()

    with transaction.atomic():
        empty()
        first = _timed(lambda: reference_data_load(actor=None))
        again = _timed(lambda: reference_data_load(actor=None))
        agreements = list(Agreement.objects.all())
        days = [date(2022, 1, 1) + timedelta(days=37 * i) for i in range(questions)]
        pairs = [(agreements[i % len(agreements)], day) for i, day in enumerate(days)]
        barred = 0

        def ask() -> None:
            nonlocal barred
            barred = sum(bars_onward_removal(a, day) is not None for a, day in pairs)

        bar = _timed(ask)
        baseline = _timed(lambda: [list(a.terms.all()) for a, _ in pairs])
        transaction.set_rollback(True)
    print(f"load into an empty registry: {first:.2f} s ({len(agreements)} agreements)")
    print(f"load again, nothing to change: {again:.2f} s ({again / first:.2f}x the first)")
    print(
        f"bars_onward_removal: {questions} questions in {bar:.3f} s, {questions / bar:,.0f}/s; "
        f"{barred} barred; baseline terms fetch {questions / baseline:,.0f}/s "
        f"({bar / baseline:.2f}x its time)"
    )
    print(
        f"registry: load {again:.2f}s ({again / first:.2f}x the first), "
        f"bar {questions / bar:,.0f}/s ({bar / baseline:.2f}x a terms fetch)"
    )


if __name__ == "__main__":
    main()
