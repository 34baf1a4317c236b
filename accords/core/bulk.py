"""Appending many rows to a model's table at once: the synthetic caseload, a screening's
decisions.

Why by hand: `bulk_create` builds a model instance per row and sends parameterised INSERTs, far
too slow for millions of rows; COPY helpers such as django-postgres-copy load one model from a
file but cannot give rows ids reserved in the same load, and do not speak to SQLite. Here a
polars frame is turned into each column's text in one pass, and PostgreSQL receives it through
COPY (psycopg's `cursor.copy`), SQLite through `executemany`, inside the caller's transaction.
"""

import json

import polars as pl
from django.db import connection, models

from accords.audit.rows import noting, rows_written


def reserve_ids(model, count: int) -> list[int]:
    """Primary keys for `count` new rows, taken now so other rows can point at them."""
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
        # a list of codes is spelled out here; a text column is JSON already
        return pl.col(name) if frame.schema[name] == pl.String else _json_text(name)
    if isinstance(field, models.DateTimeField):
        # SQLite holds instants as naive UTC text, as Django writes them.
        spelling = "%Y-%m-%d %H:%M:%S+00:00" if connection.vendor == "postgresql" else None
        return pl.col(name).dt.to_string(spelling or "%Y-%m-%d %H:%M:%S")
    if isinstance(field, models.DateField) and connection.vendor != "postgresql":
        return pl.col(name).dt.to_string("%Y-%m-%d")
    return pl.col(name)


def bulk_append(model, frame: pl.DataFrame, *, with_id: bool = False) -> None:
    """Append `frame`'s rows to the model's table (ids from the database unless given). Its
    columns are named by the fields' attribute names (`person_id`); a field it lacks takes
    its default. Inside an action the rows are noted for its audit entry (accords.audit.rows)."""
    if frame.is_empty():
        return
    if noting():
        # Inside an action every row is bound to its audit entry by key: take the keys now.
        if not with_id:
            frame, with_id = (
                frame.with_columns(pl.Series("id", reserve_ids(model, frame.height))),
                True,
            )
        rows_written(model, frame["id"].to_list())
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
