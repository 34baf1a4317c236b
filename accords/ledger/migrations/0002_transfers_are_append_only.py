from django.db import migrations

# On PostgreSQL the database itself refuses to change or remove a transfer: a correction is a
# new transfer. (SQLite keeps the rule in the model; its test flush deletes rows one by one.)
REFUSAL = """
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger transfers are immutable: % on % refused', TG_OP, TG_TABLE_NAME;
END $$;
CREATE TRIGGER ledger_refuse_change BEFORE UPDATE OR DELETE ON ledger_transfer
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
"""
REFUSAL_DROPPED = """
DROP TRIGGER ledger_refuse_change ON ledger_transfer;
DROP FUNCTION ledger_refuse_change();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(_on_postgresql(REFUSAL), _on_postgresql(REFUSAL_DROPPED))]
