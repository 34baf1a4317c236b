"""Benchmark: the safeguards engine screening a national caseload against ten agreements.

Uses the database named by ACCORDS_DATABASE_URL (default: PostgreSQL, database accords_bench
on 127.0.0.1, created and migrated if missing), bulk-loads a seeded synthetic caseload once,
then as of one date reads the facts of every open case (`facts_from_database`) and evaluates
them under ten reference agreements (`engine_columns` + `evaluate` + `decide`, one agreement
at a time, as `accords screen` does). Agreements not in force on the date are evaluated all
the same: their in-force gate decides. A sample of cases is evaluated again by the per-case
reference evaluator of the law's tests, for the speedup.

    .venv/bin/python benchmarks/screen.py            # 1,000,000 cases
    .venv/bin/python benchmarks/screen.py --quick    # 50,000 cases

The last line is `screen: <N> decisions/s, <S>x per-case`, N being decisions (cases x
agreements) per second of evaluation.
"""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accords.settings")
os.environ.setdefault("ACCORDS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/accords_bench")

import django  # noqa: E402  (settings must be chosen first)
import dj_database_url  # noqa: E402

SEED = 20260301
AS_OF = date(2026, 3, 1)
# Eight agreements in force on AS_OF, one not yet (Uganda) and one ended (UK-Rwanda).
AGREEMENTS = [
    "us-rwanda", "us-eswatini", "us-el-salvador", "us-costa-rica", "us-panama", "us-ghana",
    "us-south-sudan", "us-equatorial-guinea", "us-uganda", "uk-rwanda",
]  # fmt: skip
SAMPLE = 2_000


def machine() -> str:
    meminfo = Path("/proc/meminfo")
    memory = "unknown memory"
    if meminfo.exists():
        kib = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory = f"{kib / 1024**2:.1f} GiB memory"
    return f"{os.cpu_count()} cores, {memory}"


def database_ensure() -> str:
    """Create the PostgreSQL database if it is missing; migrate; load the reference data."""
    config = dj_database_url.parse(os.environ["ACCORDS_DATABASE_URL"])
    if "postgresql" in config["ENGINE"]:
        import psycopg
        from psycopg import sql

        with psycopg.connect(
            host=config["HOST"] or "127.0.0.1", port=config["PORT"] or 5432, user=config["USER"],
            password=config["PASSWORD"] or None, dbname="postgres", autocommit=True,
        ) as server:  # fmt: skip
            exists = server.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
            ).fetchone()
            if not exists:
                server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accords.registry.models import Agreement
    from accords.registry.reference import reference_data_load

    call_command("migrate", interactive=False, verbosity=0)
    if not Agreement.objects.filter(key__in=AGREEMENTS).count() == len(AGREEMENTS):
        reference_data_load(actor=None)
    return f"{connection.vendor} {connection.settings_dict['NAME']}"


def caseload_ensure(n: int) -> None:
    """Bulk-load the first n cases of the benchmark's seed, unless they are there already.
    Synthetic cases of another seed or size are cleared first; real cases never are."""
    from django.db import connection
    from tqdm import tqdm

    from accords.cases.models import Person
    from accords.demo.services import MODELS, caseload_bulk_load, caseload_prefix

    prefix = caseload_prefix(SEED)
    total = Person.objects.count()
    ours = Person.objects.filter(case_number__startswith=prefix).count()
    if total == ours == n:
        print(f"caseload: {n:,} cases of seed {SEED} already loaded; not loading again")
        return
    if total != ours or ours > n:
        if Person.objects.exclude(case_number__regex=r"^S[0-9]+-[0-9]+$").exists():
            sys.exit("the database holds cases that are not synthetic: point "
                     "ACCORDS_DATABASE_URL at a database of the benchmark's own")  # fmt: skip
        print(f"caseload: clearing {total:,} synthetic cases of another seed or size")
        tables = ["cases_decision", "cases_screening", *(m._meta.db_table for m in MODELS.values())]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {', '.join(tables)}, cases_family")
            else:
                for table in [*tables[:2], *reversed(tables[2:]), "cases_family"]:
                    cursor.execute(f"DELETE FROM {table}")
    started = time.perf_counter()
    with tqdm(total=n, unit="case", desc="bulk load", initial=min(ours, n)) as bar:
        caseload_bulk_load(actor=None, n=n, seed=SEED, progress=lambda k: bar.update(k))
    print(f"caseload: {n:,} cases of seed {SEED} loaded in {time.perf_counter() - started:.1f}s")


def load_facts():
    """Every open case's facts, read as columns; returns the tables and the seconds taken."""
    from accords.cases.facts import facts_from_database

    print("reading the facts of every open case ...", flush=True)
    started = time.perf_counter()
    tables = facts_from_database()
    seconds = time.perf_counter() - started
    rows = sum(t.height for t in tables.values())
    print(f"load (facts_from_database): {seconds:.2f}s: {tables['persons'].height:,} open cases, "
          f"{rows:,} fact rows in {len(tables)} tables")  # fmt: skip
    return tables, seconds


def evaluate_all(tables, keys: list[str], as_of: date):
    """Every case under every agreement; returns the number of decisions and the seconds."""
    import polars as pl
    from tqdm import tqdm

    from accords.cases.facts import engine_columns
    from accords.cases.screening import agreement_terms
    from accords.law.evaluate import decide, evaluate
    from accords.registry.models import Agreement

    agreements = Agreement.objects.prefetch_related("statuses", "terms").in_bulk(
        keys, field_name="key"
    )
    terms = [agreement_terms(agreements[key], as_of) for key in keys]
    decided, seconds = [], 0.0
    for agreement in tqdm(terms, unit="agreement", desc="evaluation"):
        started = time.perf_counter()
        columns = engine_columns(tables, receiving=agreement.receiving_state, as_of=as_of)
        decisions = decide(evaluate(columns, agreement, as_of))
        seconds += time.perf_counter() - started
        decided.append((agreement.id, decisions))
    for key, decisions in decided:
        counts = dict(decisions["decision"].cast(pl.String).value_counts().iter_rows())
        outcomes = ", ".join(f"{counts.get(o, 0):,} {o}" for o in ("cleared", "pending", "blocked"))
        print(f"  {key:22s} {outcomes}")
    total = sum(d.height for _, d in decided)
    print(f"evaluation (engine_columns + evaluate + decide): {seconds:.2f}s for {total:,} "
          f"decisions ({tables['persons'].height:,} cases x {len(keys)} agreements): "
          f"{total / seconds:,.0f} decisions/s")  # fmt: skip
    return total, seconds


def reference_speed(tables, keys, as_of, sample) -> float:
    return 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="50,000 cases, for a smoke test")
    args = parser.parse_args()
    n = 50_000 if args.quick else args.cases
    print(f"screen benchmark on {machine()}")
    print(f"database: {database_ensure()}")
    caseload_ensure(n)

    tables, loaded = load_facts()
    decisions, evaluated = evaluate_all(tables, AGREEMENTS, AS_OF)
    rate = decisions / evaluated
    per_case = reference_speed(tables, AGREEMENTS, AS_OF, SAMPLE)
    print(f"end to end (load + evaluation): {loaded + evaluated:.2f}s")
    print(f"screen: {rate:.0f} decisions/s, {rate / per_case:.0f}x per-case")


if __name__ == "__main__":
    main()
