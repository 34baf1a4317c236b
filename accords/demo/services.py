"""Writing a synthetic caseload straight into the tables: a million cases in about a minute.

Why by hand: importing case files goes through the ORM, one person and ten sections at a time
(some twenty queries a case, hours for a million). `bulk_create` still builds a model instance
per row and sends parameterised INSERTs; COPY helpers such as django-postgres-copy load one
model from a file but cannot give each fact row the id of a person created in the same load,
and do not speak to SQLite. Here the ids are reserved first, each chunk's tables are turned into
column text by polars in one pass, and PostgreSQL receives them through COPY (psycopg's
`cursor.copy`), SQLite through `executemany`, all in one transaction with one audit entry.

What is written is what `case_import` writes for the same `case_files(n, seed)` documents:
the same rows, the same defaults, the same case-file hash (so importing those documents later
changes nothing). A test proves it.
"""

import json
from collections.abc import Callable, Sequence
from itertools import islice

import polars as pl
from django.contrib.auth.models import User
from django.db import connection, models

from accords.cases.casefile import case_file_hash
from accords.cases.models import Family, Person, UkProcess
from accords.cases.services import SECTIONS, case_import, counsel_usernames
from accords.core.actions import action
from accords.demo.caseload import case_files, caseload_chunks, chunk_case_files, with_counsel

MODELS = {"persons": Person, **SECTIONS, "uk": UkProcess}


def caseload_prefix(seed: int) -> str:
    """What the case numbers (and family keys) of the caseload of `seed` begin with."""
    return f"S{seed}-"


def caseload_import(
    *,
    actor,
    n: int,
    seed: int,
    counsel: Sequence[str] = (),
    progress: Callable | None = None,
    batch: int = 500,
) -> dict:
    """Import `case_files(n, seed, counsel=counsel)` through `case_import`, as a person or
    system importing files would: a batch at a time, each batch its own transaction and audit
    entry. Cases already imported are unchanged, so running it again adds nothing."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    docs = case_files(n, seed, counsel=counsel)
    for start in range(0, n, batch):
        records = [(start + line, doc) for line, doc in enumerate(islice(docs, batch), start=1)]
        result = case_import(actor=actor, records=records, source=f"synthetic caseload {seed}")
        for outcome in counts:
            counts[outcome] += result[outcome]
        if progress:
            progress(len(records))
    return counts


def _reserve_ids(model, count: int) -> list[int]:
    """Primary keys for `count` new rows, taken now so fact rows can point at them."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite, inside the write transaction: nothing else can insert until it ends, and
        # AUTOINCREMENT never reuses an id, so start past both the table and its sequence.
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT MAX(id) FROM {table}), 0), "
            "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [model._meta.db_table],
        )
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def _json_text(name: str) -> pl.Expr:
    """A list of codes as `json.dumps` spells it, which is what the ORM stores."""
    items = pl.col(name).list.eval(pl.lit('"') + pl.element() + pl.lit('"')).list.join(", ")
    return pl.concat_str(pl.lit("["), items, pl.lit("]"))


def _column(field: models.Field, frame: pl.DataFrame) -> pl.Expr:
    """One model field's values as the database takes them from text."""
    name = field.attname
    if name not in frame.columns:
        default = field.get_default()
        return pl.lit(json.dumps(default) if isinstance(field, models.JSONField) else default)
    if isinstance(field, models.JSONField):
        return _json_text(name)
    if isinstance(field, models.DateTimeField):
        # SQLite holds instants as naive UTC text, as Django writes them.
        spelling = "%Y-%m-%d %H:%M:%S+00:00" if connection.vendor == "postgresql" else None
        return pl.col(name).dt.to_string(spelling or "%Y-%m-%d %H:%M:%S")
    if isinstance(field, models.DateField) and connection.vendor != "postgresql":
        return pl.col(name).dt.to_string("%Y-%m-%d")
    return pl.col(name)


def _write(model, frame: pl.DataFrame, *, with_id: bool = False) -> None:
    """Append `frame`'s rows to the model's table (ids from the database unless given)."""
    if frame.is_empty():
        return
    fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
    rows = frame.select(_column(f, frame).alias(f.column) for f in fields)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)") as copy:
                copy.write(rows.write_csv(include_header=False))
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows.rows())


def _families(persons: pl.DataFrame, known: dict[str, int]) -> pl.Series:
    """Each person's family id; families met for the first time are written now."""
    keys = persons["family"].drop_nulls().unique(maintain_order=True)
    new = [key for key in keys if key not in known]
    if new:
        ids = _reserve_ids(Family, len(new))
        known.update(zip(new, ids, strict=True))
        _write(Family, pl.DataFrame({"id": ids, "key": new}), with_id=True)
    return persons["family"].replace_strict(known, default=None, return_dtype=pl.Int64)


@action("caseload.bulk_load")
def caseload_bulk_load(
    *, actor, n: int, seed: int, counsel: Sequence[str] = (), progress: Callable | None = None
) -> dict:
    """Write the cases of `case_files(n, seed, counsel=counsel)` that are not in the database
    yet (by case number); cases already there are left as they are. `progress(k)` is called
    after each chunk with the number of cases it covered."""
    unknown = sorted(set(counsel) - counsel_usernames())
    if unknown:
        raise ValueError(f"counsel: no counsel named {', '.join(unknown)} in Accords")
    counsel_ids = dict(User.objects.filter(username__in=counsel).values_list("username", "id"))
    prefix = caseload_prefix(seed)
    numbers = Person.objects.filter(case_number__startswith=prefix).values_list("case_number")
    present = pl.DataFrame(list(numbers), schema={"case_number": pl.String}, orient="row")
    families = dict(Family.objects.filter(key__startswith=prefix).values_list("key", "id"))
    created = 0
    for tables in caseload_chunks(n, seed):
        persons = with_counsel(tables["persons"], counsel)
        hashes = [case_file_hash(doc) for doc in chunk_case_files(tables, counsel)]
        persons = persons.with_columns(case_file_hash=pl.Series(hashes, dtype=pl.String))
        persons = persons.join(present, on="case_number", how="anti", maintain_order="left")
        if not persons.is_empty():
            ids = _reserve_ids(Person, persons.height)
            persons = persons.with_columns(
                id=pl.Series(ids, dtype=pl.Int64),
                family_id=_families(persons, families),
                counsel_id=pl.col("counsel").replace_strict(
                    counsel_ids, default=None, return_dtype=pl.Int64
                ),
            )
            _write(Person, persons, with_id=True)
            person_ids = persons.select("case", person_id="id")
            for section, model in MODELS.items():
                if section != "persons":
                    _write(
                        model, tables[section].join(person_ids, on="case", maintain_order="left")
                    )
            created += persons.height
        if progress:
            progress(tables["persons"].height)
    return {"created": created, "present": n - created, "cases": n, "seed": seed}
