"""The shared starting point of the tests: the shipped reference data and the demo accounts.

The root conftest loads both once per run into the test database, and every test's transaction
rolls back to them. A test marked `transaction=True` (or using `live_server`) empties the tables
when it ends instead, so the tests that need this data ask for it through `world_ensure`, which
makes it again only when it is missing.

Making it through the services (with their audit entries) takes seconds; after a flush the
tables are put back as they stood once the session's set-up had made them (`world_keep`): a
copy of the rows, no service runs. Django's `serialized_rollback` does the like through its
serializers and each model's `save`, row by row, and only at the start of the tests marked
for it; this is one copy per table, and it serves every test that asks for the world.
"""

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from accords.demo.accounts import demo_accounts_ensure
from accords.registry.models import Agreement, Credit, Source
from accords.registry.reference import reference_data_load

_NO_STYLE = no_style()


# Tables filled anew after each flush (post_migrate: Django's content types and permissions, the
# roles' groups, accords/core/apps.py): put back with the rest, in place of what was made, so
# the kept rows' references to them hold.
_REMADE_AFTER_FLUSH = {
    "django_content_type", "auth_permission", "auth_group", "auth_group_permissions",
}  # fmt: skip
_kept: dict[str, tuple[list[str], object]] = {}


def _tables() -> list[str]:
    return sorted(
        {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
        & set(connection.introspection.table_names())
    )


def world_keep() -> None:
    """Keep a copy of every table's rows as they stand (the root conftest calls it once the
    session's set-up has made the world)."""
    _kept.clear()
    with connection.cursor() as cursor:
        for table in _tables():
            quoted = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quoted} TO STDOUT (FORMAT binary)") as copy:
                    rows = b"".join(bytes(block) for block in copy)
                if len(rows) > 21:  # the binary format's header and trailer alone: no rows
                    _kept[table] = ([], rows)
            else:
                cursor.execute(f"SELECT * FROM {quoted}")
                columns = [column[0] for column in cursor.description]
                rows = cursor.fetchall()
                if rows:
                    _kept[table] = (columns, rows)


def _flushed() -> bool:
    """Whether the database is as a flush leaves it: no kept table holds a row, but for those
    Django fills again after a flush."""
    with connection.cursor() as cursor:
        for table in _kept.keys() - _REMADE_AFTER_FLUSH:
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone():
                return False
    return True


def _world_put_back() -> None:
    """The kept rows back in their tables, and each table's id sequence past them."""
    with transaction.atomic(), connection.cursor() as cursor:
        for table in sorted(_REMADE_AFTER_FLUSH & _kept.keys()):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
        for table, (columns, rows) in _kept.items():
            quoted = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quoted} FROM STDIN (FORMAT binary)") as copy:
                    copy.write(rows)
            else:
                names = ", ".join(connection.ops.quote_name(c) for c in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {quoted} ({names}) VALUES ({marks})", rows)
        models = [m for m in apps.get_models(include_auto_created=True)
                  if m._meta.db_table in _kept]  # fmt: skip
        for statement in connection.ops.sequence_reset_sql(_NO_STYLE, models):
            cursor.execute(statement)


def _world_back_if_flushed() -> bool:
    """Put the kept world back if a flush took it; whether it did."""
    if not _kept or Agreement.objects.exists() or not _flushed():
        return False
    _world_put_back()
    return True


def reference_data_ensure() -> None:
    if _world_back_if_flushed():
        return
    # The agreements are the sign: the load writes everything in one transaction, so they are
    # there exactly when the whole reference data is. (Not the load's audit entry: the audit
    # tests empty the log and keep the data, and loading it again there took seconds a test.)
    if not Agreement.objects.exists():
        reference_data_load(actor=None)


def world_ensure() -> None:
    """The reference data and the demo accounts, made only where they are missing."""
    if _world_back_if_flushed():
        return
    reference_data_ensure()
    demo_accounts_ensure()


def registry_empty() -> None:
    """Take the shared reference data away inside the test's own transaction (it comes back when
    the test rolls back), for the tests that build a registry of their own or load into an
    empty one. The audit log keeps its entries: tests count theirs from where it stands."""
    Credit.objects.all().delete()
    Agreement.objects.all().delete()
    Source.objects.all().delete()
