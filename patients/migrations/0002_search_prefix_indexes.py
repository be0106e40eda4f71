"""Indexes that serve prefix search on names under PostgreSQL.

PostgreSQL uses a plain B-tree for LIKE 'abc%' only in the C collation; the
pattern_ops operator class makes it work in any collation. SQLite has no such
operator classes and uses the plain index from 0001, so this does nothing there.
"""

from django.db import migrations

INDEXES = {
    "patient_last_name_prefix_idx": (
        "(last_name_key varchar_pattern_ops, first_name_key varchar_pattern_ops)"
    ),
    "patient_first_name_prefix_idx": "(first_name_key varchar_pattern_ops)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON patients_patient {columns}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("patients", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
