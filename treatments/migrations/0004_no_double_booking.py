"""No double booking, ever: PostgreSQL refuses overlapping appointments itself.

Exclusion constraints (btree_gist) on the time ranges of holding (not cancelled) appointments:
one practitioner, one room (up to the end of its turnover buffer) and one patient can each be in
only one appointment at a time. Two requests racing for the same slot cannot both commit, whatever
the application does. SQLite has no exclusion constraints; there the booking service checks the
same rule inside its transaction (treatments/scheduling.py).
"""

from django.db import migrations

CONSTRAINTS = {
    "appointment_practitioner_no_overlap": "practitioner_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&",
    "appointment_room_no_overlap": "room_id WITH =, tstzrange(starts_at, room_free_at, '[)') WITH &&",
    "appointment_patient_no_overlap": "patient_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for name, spec in CONSTRAINTS.items():
        schema_editor.execute(
            f"ALTER TABLE treatments_appointment ADD CONSTRAINT {name} "
            f"EXCLUDE USING gist ({spec}) WHERE (status <> 'cancelled')"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONSTRAINTS:
        schema_editor.execute(
            f"ALTER TABLE treatments_appointment DROP CONSTRAINT IF EXISTS {name}"
        )


class Migration(migrations.Migration):
    dependencies = [("treatments", "0003_appointments")]

    operations = [migrations.RunPython(create, drop)]
