from django.db import migrations

# Outcomes and the refoulement alerts they raise are kept as they were made: a correction is a
# new outcome. The models refuse a change; here the database refuses it too, so no raw SQL,
# shell or other client edits an alert away.
#
# On PostgreSQL the database refuses UPDATE and DELETE (a test flush truncates, which fires no
# row trigger). On SQLite it refuses UPDATE; DELETE stays refused by the models only, since
# SQLite's test flush empties tables row by row (as the ledger's transfers, 0002).
TABLES = ("reception_outcome", "reception_refoulementalert")

PG_REFUSAL = """
CREATE FUNCTION reception_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'outcomes and refoulement alerts are kept: % on % refused',
        TG_OP, TG_TABLE_NAME;
END $$;
""" + "".join(
    f"CREATE TRIGGER reception_refuse_change BEFORE UPDATE OR DELETE ON {table}\n"
    "    FOR EACH ROW EXECUTE FUNCTION reception_refuse_change();\n"
    for table in TABLES
)
PG_REFUSAL_DROPPED = "".join(
    f"DROP TRIGGER reception_refuse_change ON {table};\n" for table in TABLES
) + "DROP FUNCTION reception_refuse_change();\n"

SQLITE_REFUSALS = [
    f"CREATE TRIGGER {table}_refuse_update BEFORE UPDATE ON {table}\n"
    f"BEGIN SELECT RAISE(ABORT, 'outcomes and refoulement alerts are kept: UPDATE on {table}"
    " refused'); END;"
    for table in TABLES
]
SQLITE_REFUSALS_DROPPED = [f"DROP TRIGGER {table}_refuse_update;" for table in TABLES]


def _by_vendor(postgresql: str, sqlite: list[str]):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(postgresql, params=None)
        elif vendor == "sqlite":
            for statement in sqlite:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("reception", "0005_uk_protections")]

    operations = [
        migrations.RunPython(
            _by_vendor(PG_REFUSAL, SQLITE_REFUSALS),
            _by_vendor(PG_REFUSAL_DROPPED, SQLITE_REFUSALS_DROPPED),
        )
    ]
