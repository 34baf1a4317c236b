"""A screening keeps what its decisions' gates said once (`Screening.notes`); each decision
points at it (`Decision.gate_notes`) instead of repeating the reason and citation."""

from django.db import migrations, models

NOTE = ("gate", "outcome", "reason", "citation", "clears_by")


def _pointing(apps, schema_editor):
    Screening = apps.get_model("cases", "Screening")
    Decision = apps.get_model("cases", "Decision")
    for screening in Screening.objects.all():
        notes: dict[tuple, int] = {}
        changed = []
        for decision in Decision.objects.filter(screening=screening).iterator():
            entries = []
            for gate in decision.gate_notes:
                key = tuple(gate.get(field) for field in NOTE)
                entries.append([notes.setdefault(key, len(notes)), gate.get("earliest_clear")])
            decision.gate_notes = entries
            changed.append(decision)
        Decision.objects.bulk_update(changed, ["gate_notes"], batch_size=1000)
        screening.notes = [dict(zip(NOTE, key, strict=True)) for key in notes]
        screening.save(update_fields=["notes"])


def _spelled_out(apps, schema_editor):
    Decision = apps.get_model("cases", "Decision")
    changed = []
    for decision in Decision.objects.select_related("screening").iterator():
        notes = decision.screening.notes
        decision.gate_notes = [
            {**notes[i], "earliest_clear": day} for i, day in decision.gate_notes
        ]
        changed.append(decision)
    Decision.objects.bulk_update(changed, ["gate_notes"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_answers_lapse_and_facts_recorded_in_accords")]

    operations = [
        migrations.AddField(
            model_name="screening", name="notes", field=models.JSONField(default=list)
        ),
        migrations.RenameField(model_name="decision", old_name="gates", new_name="gate_notes"),
        migrations.RunPython(_pointing, _spelled_out),
    ]
