"""The id of the key that made each entry's MAC (key rotation, gongkai.audit.integrity).

Existing entries keep an empty key id and their MAC. On SQLite adding the column rebuilds
the table, which drops its guard triggers: they are made again at the end (as 0011 does).
"""

import importlib

from django.db import migrations, models

chain_and_guards = importlib.import_module("gongkai.audit.migrations.0011_chain_and_guards")


def guard(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        chain_and_guards.guard(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0016_task_retried_action"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="key_id",
            field=models.CharField(
                blank=True, editable=False, max_length=16, verbose_name="key id"
            ),
        ),
        migrations.RunPython(guard, migrations.RunPython.noop),
    ]
