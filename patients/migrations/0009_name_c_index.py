"""An index in the order a one-word name search shows its matches (PostgreSQL only).

The folded name keys hold only a-z, 0-9 and spaces; in the "C" collation a plain B-tree serves
both ``LIKE 'tho%'`` and ``ORDER BY last_name_key COLLATE "C", first_name_key COLLATE "C", id``,
so a page of matches is read in order from the first "tho" (PatientQuerySet.in_name_order).
SQLite compares bytes already and uses the name index from 0001.
"""

from django.db import migrations

NAME = "patient_name_c_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON patients_patient "
        '(last_name_key COLLATE "C", first_name_key COLLATE "C", id)'
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("patients", "0008_fill_concern_zones")]

    operations = [migrations.RunPython(create, drop)]
