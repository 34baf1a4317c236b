"""Each recordable fact says where it came from instead of a yes/no "recorded in Accords":
a fact recorded in Accords was recorded in its workflow, any other came from an import."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


FACTS = ("acceptance", "fearclaim", "notice", "stay")


def provenance_from_flag(apps, schema_editor):
    for name in FACTS:
        model = apps.get_model("cases", name)
        model.objects.filter(recorded_in_accords=True).update(provenance="workflow")
        model.objects.filter(recorded_in_accords=False).update(provenance="import")


def flag_from_provenance(apps, schema_editor):
    # Each row is updated once: on PostgreSQL a row updated twice in the migration's
    # transaction leaves foreign-key trigger events that stop the ALTER TABLE after it.
    for name in FACTS:
        model = apps.get_model("cases", name)
        model.objects.filter(provenance="import").update(recorded_in_accords=False)
        model.objects.exclude(provenance="import").update(recorded_in_accords=True)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_input_kinds_validated'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='acceptance',
            name='provenance',
            field=models.CharField(choices=[('import', 'reported in an imported case file'), ('workflow', "recorded in Accords' workflow"), ('document', 'a document recorded by a supervisor, confirmed by a second person')], default='import', max_length=8),
        ),
        migrations.AddField(
            model_name='fearclaim',
            name='provenance',
            field=models.CharField(choices=[('import', 'reported in an imported case file'), ('workflow', "recorded in Accords' workflow"), ('document', 'a document recorded by a supervisor, confirmed by a second person')], default='import', max_length=8),
        ),
        migrations.AddField(
            model_name='notice',
            name='provenance',
            field=models.CharField(choices=[('import', 'reported in an imported case file'), ('workflow', "recorded in Accords' workflow"), ('document', 'a document recorded by a supervisor, confirmed by a second person')], default='import', max_length=8),
        ),
        migrations.AddField(
            model_name='stay',
            name='provenance',
            field=models.CharField(choices=[('import', 'reported in an imported case file'), ('workflow', "recorded in Accords' workflow"), ('document', 'a document recorded by a supervisor, confirmed by a second person')], default='import', max_length=8),
        ),
        migrations.RunPython(provenance_from_flag, flag_from_provenance),
        migrations.RemoveField(
            model_name='acceptance',
            name='recorded_in_accords',
        ),
        migrations.RemoveField(
            model_name='fearclaim',
            name='recorded_in_accords',
        ),
        migrations.RemoveField(
            model_name='notice',
            name='recorded_in_accords',
        ),
        migrations.RemoveField(
            model_name='stay',
            name='recorded_in_accords',
        ),
        migrations.AddField(
            model_name='acceptance',
            name='confirmed_by',
            field=models.ForeignKey(blank=True, help_text='The second person who confirmed a recorded document.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='acceptance',
            name='recorded_as',
            field=models.CharField(blank=True, help_text='The role the person who recorded it held then.', max_length=32),
        ),
        migrations.AddField(
            model_name='acceptance',
            name='recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='fearclaim',
            name='confirmed_by',
            field=models.ForeignKey(blank=True, help_text='The second person who confirmed a recorded document.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='fearclaim',
            name='recorded_as',
            field=models.CharField(blank=True, help_text='The role the person who recorded it held then.', max_length=32),
        ),
        migrations.AddField(
            model_name='fearclaim',
            name='recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='notice',
            name='confirmed_by',
            field=models.ForeignKey(blank=True, help_text='The second person who confirmed a recorded document.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='notice',
            name='document_reference',
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name='notice',
            name='document_sha256',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name='notice',
            name='recorded_as',
            field=models.CharField(blank=True, help_text='The role the person who recorded it held then.', max_length=32),
        ),
        migrations.AddField(
            model_name='notice',
            name='recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='stay',
            name='confirmed_by',
            field=models.ForeignKey(blank=True, help_text='The second person who confirmed a recorded document.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='stay',
            name='recorded_as',
            field=models.CharField(blank=True, help_text='The role the person who recorded it held then.', max_length=32),
        ),
        migrations.AddField(
            model_name='stay',
            name='recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='acceptance',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('provenance', 'document'), _negated=True), models.Q(('confirmed_by__isnull', False), models.Q(('confirmed_by', models.F('recorded_by')), _negated=True)), _connector='OR'), name='acceptance_document_confirmed_by_another'),
        ),
        migrations.AddConstraint(
            model_name='fearclaim',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('provenance', 'document'), _negated=True), models.Q(('confirmed_by__isnull', False), models.Q(('confirmed_by', models.F('recorded_by')), _negated=True)), _connector='OR'), name='fearclaim_document_confirmed_by_another'),
        ),
        migrations.AddConstraint(
            model_name='notice',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('provenance', 'document'), _negated=True), models.Q(('confirmed_by__isnull', False), models.Q(('confirmed_by', models.F('recorded_by')), _negated=True)), _connector='OR'), name='notice_document_confirmed_by_another'),
        ),
        migrations.AddConstraint(
            model_name='stay',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('provenance', 'document'), _negated=True), models.Q(('confirmed_by__isnull', False), models.Q(('confirmed_by', models.F('recorded_by')), _negated=True)), _connector='OR'), name='stay_document_confirmed_by_another'),
        ),
    ]
