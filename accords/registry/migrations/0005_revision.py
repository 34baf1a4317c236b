"""The registry's revision (accords/registry/revision.py): a table of one row whose token the
database itself changes, by triggers, on every write to what the engine reads of an agreement
(the agreement, its status changes and terms, the programme's policies, and the username a
policy's citation names), whatever wrote it: a service, the admin, an import or plain SQL."""

from django.conf import settings
from django.db import migrations

# The tables whose writes change the revision; for the user model, only its username.
WATCHED = ["registry_agreement", "registry_statuschange", "registry_term",
           "programme_programmepolicy"]  # fmt: skip


def _user_table(apps) -> str:
    return apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table


def revision_create(apps, schema_editor):
    run = schema_editor.execute
    users = _user_table(apps)
    if schema_editor.connection.vendor == "postgresql":
        run("CREATE TABLE registry_revision (token text NOT NULL)")
        run("INSERT INTO registry_revision VALUES (md5(random()::text || clock_timestamp()::text))")
        # Once per statement, however many rows it wrote (a registry load writes hundreds).
        run(
            "CREATE FUNCTION registry_revise() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "UPDATE registry_revision SET token = md5(random()::text || clock_timestamp()::text); "
            "RETURN NULL; END $$"
        )
        for table in WATCHED:
            run(f"CREATE TRIGGER registry_revise AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION registry_revise()")  # fmt: skip
        run(f"CREATE TRIGGER registry_revise AFTER UPDATE OF username ON {users} "
            "FOR EACH STATEMENT EXECUTE FUNCTION registry_revise()")  # fmt: skip
        return
    # SQLite: row triggers only, one per table and kind of write.
    run("CREATE TABLE registry_revision (token text NOT NULL)")
    run("INSERT INTO registry_revision VALUES (hex(randomblob(16)))")
    revise = "BEGIN UPDATE registry_revision SET token = hex(randomblob(16)); END"
    for table in WATCHED:
        for write in ("INSERT", "UPDATE", "DELETE"):
            run(f"CREATE TRIGGER registry_revise_{table}_{write.lower()} AFTER {write} "
                f"ON {table} {revise}")  # fmt: skip
    run(f"CREATE TRIGGER registry_revise_{users}_username AFTER UPDATE OF username "
        f"ON {users} {revise}")  # fmt: skip


def revision_drop(apps, schema_editor):
    run = schema_editor.execute
    users = _user_table(apps)
    if schema_editor.connection.vendor == "postgresql":
        for table in [*WATCHED, users]:
            run(f"DROP TRIGGER registry_revise ON {table}")
        run("DROP FUNCTION registry_revise()")
    else:
        for table in WATCHED:
            for write in ("insert", "update", "delete"):
                run(f"DROP TRIGGER registry_revise_{table}_{write}")
        run(f"DROP TRIGGER registry_revise_{users}_username")
    run("DROP TABLE registry_revision")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_agreement_arrangement_disputed_status_duration_terms"),
        ("programme", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(revision_create, revision_drop)]
