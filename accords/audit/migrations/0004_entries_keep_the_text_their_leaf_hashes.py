from django.db import migrations, models

from accords.audit.log import entry_body

# Each entry now keeps the text its leaf hashes, so verifying hashes stored bytes instead of
# spelling every entry anew. Entries written before this get that text spelled from their
# columns exactly as verification always spelled it; nothing is rehashed: their stored hashes
# stay as they were, and an entry whose columns no longer give its hash still fails to verify.
# On PostgreSQL the entries refuse UPDATE, so the refusal is lifted for the fill alone.


def leaves_fill(apps, schema_editor):
    entry_model = apps.get_model("audit", "AuditEntry")
    connection = schema_editor.connection
    table = connection.ops.quote_name(entry_model._meta.db_table)
    postgresql = connection.vendor == "postgresql"
    fields = ["seq", "at", "actor_name", "action", "object_type", "object_id", "details",
              "prev_hash"]  # fmt: skip
    rows = entry_model.objects.order_by("seq").values_list(*fields)
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER audit_refuse_change")
        batch = []
        for seq, at, actor_name, action, object_type, object_id, details, prev in rows.iterator(
            chunk_size=5_000
        ):
            body = entry_body(
                seq=seq, at=at, actor_name=actor_name, action=action, object_type=object_type,
                object_id=object_id, details=details, prev_hash=prev,
            )  # fmt: skip
            batch.append((body.decode(), seq))
            if len(batch) == 5_000:
                cursor.executemany(f"UPDATE {table} SET leaf = %s WHERE seq = %s", batch)
                batch = []
        if batch:
            cursor.executemany(f"UPDATE {table} SET leaf = %s WHERE seq = %s", batch)
        if postgresql:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER audit_refuse_change")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_domain_rows_bound_to_entries"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="leaf",
            field=models.TextField(default=""),
            preserve_default=False,
        ),
        migrations.RunPython(leaves_fill, migrations.RunPython.noop),
    ]
