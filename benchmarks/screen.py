"""Benchmark: the safeguards engine screening a national caseload against ten agreements.

Uses the database named by ACCORDS_DATABASE_URL (default: PostgreSQL on 127.0.0.1, database
accords_bench, or accords_bench_quick with --quick; created and migrated if missing), bulk-loads
a seeded synthetic caseload into it once, then as of one date screens it against ten reference
agreements, timing three steps:

- read: the facts of every open case (`facts_from_database`), and the agreements' terms and
  the regime files they are screened under;
- case columns: the engine's input (`accords.law.columns.CASE_SCHEMA`) built from those facts,
  once for what every receiving state shares (`engine_base`) and once per state
  (`engine_columns`);
- evaluation: the engine proper, one `Assessor` for the date and each agreement assessed and
  decided in turn (`assessed`), as `accords screen` runs them. Agreements not in force on the
  date are evaluated all the same: their in-force gate decides. A screening of 100 cases
  before the clock starts pays the one-time costs of a new process.

Load is read plus case columns. A sample of cases is decided again by the per-case reference
evaluator of the law's tests, which must agree; it is timed on ready case records alone, its
most favourable measure.

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
from common import database_migrated, machine  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accords.settings")

SEED = 20260301
AS_OF = date(2026, 3, 1)
# Eight agreements in force on AS_OF, one not yet (Uganda) and one ended (UK-Rwanda); the two
# with Rwanda side by side, so the engine's columns for Rwanda are built once.
AGREEMENTS = [
    "us-rwanda", "uk-rwanda", "us-eswatini", "us-el-salvador", "us-costa-rica", "us-panama",
    "us-ghana", "us-south-sudan", "us-equatorial-guinea", "us-uganda",
]  # fmt: skip
SAMPLE = 2_000
DATABASE = "postgres://postgres@127.0.0.1:5432/accords_bench"


def database_ensure() -> str:
    """Create the PostgreSQL database if it is missing; migrate; load the reference data."""
    database_migrated()
    from django.db import connection

    from accords.registry.models import Agreement
    from accords.registry.reference import reference_data_load

    if Agreement.objects.filter(key__in=AGREEMENTS).count() != len(AGREEMENTS):
        reference_data_load(actor=None)
    return f"{connection.vendor} {connection.settings_dict['NAME']}"


def _as_generated(loaded: int) -> bool:
    """Whether the first and last cases loaded are what the generator makes now (its hash)."""
    from accords.cases.casefile import case_file_hash
    from accords.cases.models import Person
    from accords.demo.caseload import CHUNK, case_number, caseload_chunk, chunk_case_files

    for index in {0, loaded - 1}:
        doc = chunk_case_files(caseload_chunk(SEED, index // CHUNK), counsel=())[index % CHUNK]
        stored = Person.objects.filter(case_number=case_number(SEED, index)).first()
        if stored is None or stored.case_file_hash != case_file_hash(doc):
            return False
    return True


def caseload_ensure(n: int) -> None:
    """Bulk-load the first n cases of the benchmark's seed, unless they are there already.
    Only the benchmark's own cases are ever cleared (when there are more than n, or the
    generator has changed since they were loaded)."""
    from django.db import connection
    from tqdm import tqdm

    from accords.cases.models import Person
    from accords.demo.services import MODELS, caseload_bulk_load, caseload_prefix

    ours = Person.objects.filter(case_number__startswith=caseload_prefix(SEED)).count()
    others = Person.objects.count() - ours
    if others:
        sys.exit(f"the database holds {others:,} cases that are not the benchmark's: point "
                 "ACCORDS_DATABASE_URL at a database of its own")  # fmt: skip
    if ours and (ours > n or not _as_generated(ours)):
        print(f"caseload: clearing the {ours:,} cases loaded before (another size or generator)")
        tables = ["cases_decision", *(m._meta.db_table for m in reversed(MODELS.values()))]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {', '.join(tables)}, cases_family CASCADE")
            else:
                for table in [*tables, "cases_family"]:
                    cursor.execute(f"DELETE FROM {table}")
        ours = 0
    if ours == n:
        print(f"caseload: {n:,} cases of seed {SEED} already loaded; not loading them again")
        return
    started = time.perf_counter()
    with tqdm(total=n, unit="case", desc="bulk load") as bar:
        caseload_bulk_load(actor=None, n=n, seed=SEED, progress=bar.update)
    print(f"caseload: {n - ours:,} cases of seed {SEED} loaded in "
          f"{time.perf_counter() - started:.1f}s")  # fmt: skip


def load_facts():
    """Every open case's facts, read as columns; returns the tables and the seconds taken."""
    from accords.cases.facts import facts_from_database

    print("reading the facts of every open case ...", flush=True)
    started, cpu = time.perf_counter(), time.process_time()
    tables = facts_from_database()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    rows = sum(t.height for t in tables.values())
    print(f"load (facts_from_database): {seconds:.2f}s ({cpu:.2f}s CPU in this process): "
          f"{tables['persons'].height:,} open cases, {rows:,} fact rows in {len(tables)} "
          "tables")  # fmt: skip
    return tables, seconds


def agreements_terms(keys: list[str], as_of: date):
    """Each agreement's terms on the date, as the registry holds them, and the regime files
    they are screened under, read and checked; returns the terms and the seconds taken."""
    from accords.cases.screening import agreement_terms
    from accords.law.regime import load_regime
    from accords.registry.models import Agreement

    started = time.perf_counter()
    agreements = Agreement.objects.prefetch_related("statuses", "terms").in_bulk(
        keys, field_name="key"
    )
    terms = [agreement_terms(agreements[key], as_of) for key in keys]
    regimes = {t.regime: load_regime(t.regime) for t in terms}
    seconds = time.perf_counter() - started
    print(f"agreements and regimes ({len(terms)} agreements, {len(regimes)} regime files): "
          f"{seconds:.2f}s")  # fmt: skip
    return terms, seconds


def case_columns(tables, terms, as_of: date):
    """The engine's input columns (`accords.law.columns.CASE_SCHEMA`) for each receiving state
    on the date, from the facts read; returns them and the seconds taken."""
    from accords.cases.facts import engine_base, engine_columns

    started, cpu = time.perf_counter(), time.process_time()
    base = engine_base(tables, as_of)  # the facts that are the same for every receiving state
    states = dict.fromkeys(t.receiving_state for t in terms)
    columns = {s: engine_columns(tables, receiving=s, as_of=as_of, base=base) for s in states}
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"case columns (engine_base + engine_columns for {len(states)} receiving states): "
          f"{seconds:.2f}s ({cpu:.2f}s CPU)")  # fmt: skip
    return columns, seconds


def evaluate_all(columns, terms, as_of: date):
    """Every case under every agreement, as `accords screen` evaluates them: one `Assessor`
    for the date, then `decide`; returns each agreement's terms and decisions, and the
    seconds taken."""
    import polars as pl
    from tqdm import tqdm

    from accords.law.evaluate import Assessor, assessed

    # A new process pays one-time costs on its first screening (modules that polars and numpy
    # import when first used): screening a few cases before the clock starts pays them.
    few = {state: cases.head(100) for state, cases in columns.items()}
    for _ in assessed(Assessor(few.__getitem__, as_of), terms):
        pass
    started, cpu = time.perf_counter(), time.process_time()
    assessor = Assessor(columns.__getitem__, as_of)
    steps = tqdm(assessed(assessor, terms), total=len(terms), unit="agreement", desc="evaluation")
    decided = [(agreement, decisions) for agreement, _, decisions in steps]
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    for agreement, decisions in decided:
        counts = dict(decisions["decision"].cast(pl.String).value_counts().iter_rows())
        outcomes = ", ".join(f"{counts.get(o, 0):,} {o}" for o in ("cleared", "pending", "blocked"))
        print(f"  {agreement.id:22s} {outcomes}")
    total = sum(d.height for _, d in decided)
    cases = next(iter(columns.values())).height
    print(f"evaluation (assess + decide): {seconds:.2f}s ({cpu:.2f}s CPU) "
          f"for {total:,} decisions ({cases:,} cases x {len(terms)} agreements): "
          f"{total / seconds:,.0f} decisions/s")  # fmt: skip
    return decided, seconds


def reference_speed(tables, decided, as_of: date, sample: int) -> float:
    """Decisions per second of the per-case reference evaluator (the law tests' plain `if`s,
    one case at a time) on a sample of cases, which must decide as the engine did."""
    import polars as pl
    from tqdm import tqdm

    from accords.cases.facts import engine_columns
    from accords.law.tests.reference import reference_decision, reference_outcomes

    persons = tables["persons"]
    chosen = persons.sample(n=min(sample, persons.height), seed=SEED)
    # Whole families come along: whether a family has children is a fact about all of them.
    families = chosen.select("family_id").drop_nulls()
    people = pl.concat(
        [chosen.select("person_id"), persons.join(families, on="family_id").select("person_id")]
    ).unique()
    facts = {name: t.join(people, on="person_id", how="semi") for name, t in tables.items()}
    cases = chosen.select(case_id="case_number")
    work = []
    for terms, decisions in decided:
        columns = engine_columns(facts, receiving=terms.receiving_state, as_of=as_of)
        engine = decisions.join(cases, on="case_id").select("case_id", "decision")
        work.append((terms, columns.join(cases, on="case_id").to_dicts(), dict(engine.iter_rows())))
    disagreements, seconds = 0, 0.0
    for terms, records, engine in tqdm(work, unit="agreement", desc="per-case reference"):
        started = time.perf_counter()
        answers = [reference_decision(reference_outcomes(r, terms, as_of)) for r in records]
        seconds += time.perf_counter() - started
        disagreements += sum(
            answer != engine[r["case_id"]] for answer, r in zip(answers, records, strict=True)
        )
    total = sum(len(records) for _, records, _ in work)
    rate = total / seconds
    print(f"per-case reference: {seconds:.2f}s for {total:,} decisions ({cases.height:,} sampled "
          f"cases x {len(work)} agreements): {rate:,.0f} decisions/s; "
          f"{disagreements} disagreements with the engine")  # fmt: skip
    if disagreements:
        sys.exit("the engine and the per-case reference disagree")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="50,000 cases, for a smoke test")
    args = parser.parse_args()
    n = 50_000 if args.quick else args.cases
    os.environ.setdefault("ACCORDS_DATABASE_URL", DATABASE + ("_quick" if args.quick else ""))
    print(f"screen benchmark on {machine()}")
    print(f"database: {database_ensure()}")
    caseload_ensure(n)

    tables, read = load_facts()
    terms, law = agreements_terms(AGREEMENTS, AS_OF)
    columns, assembled = case_columns(tables, terms, AS_OF)
    decided, evaluated = evaluate_all(columns, terms, AS_OF)
    rate = sum(d.height for _, d in decided) / evaluated
    per_case = reference_speed(tables, decided, AS_OF, SAMPLE)
    loaded = read + law + assembled
    print(f"load (read + agreements and regimes + case columns): {loaded:.2f}s")
    print(f"end to end (load + evaluation): {loaded + evaluated:.2f}s")
    print(f"screen: {rate:.0f} decisions/s, {rate / per_case:.0f}x per-case")


if __name__ == "__main__":
    main()
