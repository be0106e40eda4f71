# ruff: noqa: S608 (the SQL is built from constant column names, never from input)
"""Busy-time versions, and the triggers that renew them (treatments.models.BusyVersion).

A trigger rather than a call in each service: every write of an appointment, a time off or a
working-hours span renews the token in its own transaction, whatever made the write.
"""

from django.db import migrations, models

# Columns of an appointment that change what it holds.
HELD = ("practitioner_id", "room_id", "starts_at", "ends_at", "room_free_at", "status")

POSTGRES = [
    "CREATE SEQUENCE IF NOT EXISTS treatments_busy_token",
    """
    CREATE OR REPLACE FUNCTION treatments_busy_renew(kind text, ref bigint) RETURNS void AS $$
        INSERT INTO treatments_busyversion (resource, ref, token)
        VALUES (kind, ref, nextval('treatments_busy_token'))
        ON CONFLICT (resource, ref) DO UPDATE SET token = EXCLUDED.token
    $$ LANGUAGE sql
    """,
    f"""
    CREATE OR REPLACE FUNCTION treatments_appointment_busy() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND ({", ".join(f"OLD.{c}" for c in HELD)})
                IS NOT DISTINCT FROM ({", ".join(f"NEW.{c}" for c in HELD)}) THEN
            RETURN NULL;
        END IF;
        -- Practitioners before rooms, lower ids first: concurrent moves lock in one order.
        IF TG_OP = 'UPDATE' THEN
            PERFORM treatments_busy_renew('staff', ref)
                FROM (SELECT DISTINCT unnest(ARRAY[OLD.practitioner_id, NEW.practitioner_id]) AS ref
                      ORDER BY 1) AS staff;
            PERFORM treatments_busy_renew('room', ref)
                FROM (SELECT DISTINCT unnest(ARRAY[OLD.room_id, NEW.room_id]) AS ref
                      ORDER BY 1) AS rooms;
        ELSIF TG_OP = 'INSERT' THEN
            PERFORM treatments_busy_renew('staff', NEW.practitioner_id);
            PERFORM treatments_busy_renew('room', NEW.room_id);
        ELSE
            PERFORM treatments_busy_renew('staff', OLD.practitioner_id);
            PERFORM treatments_busy_renew('room', OLD.room_id);
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE FUNCTION treatments_staff_busy() RETURNS trigger AS $$
    BEGIN
        IF TG_OP <> 'DELETE' THEN
            PERFORM treatments_busy_renew('staff', NEW.staff_id);
        END IF;
        IF TG_OP <> 'INSERT' AND (TG_OP = 'DELETE' OR OLD.staff_id <> NEW.staff_id) THEN
            PERFORM treatments_busy_renew('staff', OLD.staff_id);
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    # TRUNCATE fires no row trigger: renew every token.
    """
    CREATE OR REPLACE FUNCTION treatments_all_busy() RETURNS trigger AS $$
    BEGIN
        UPDATE treatments_busyversion SET token = nextval('treatments_busy_token');
        RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    """CREATE TRIGGER treatments_appointment_busy AFTER INSERT OR UPDATE OR DELETE
       ON treatments_appointment FOR EACH ROW EXECUTE FUNCTION treatments_appointment_busy()""",
    """CREATE TRIGGER treatments_appointment_busy_truncate AFTER TRUNCATE
       ON treatments_appointment FOR EACH STATEMENT EXECUTE FUNCTION treatments_all_busy()""",
    """CREATE TRIGGER treatments_time_off_busy AFTER INSERT OR UPDATE OR DELETE
       ON clinic_timeoff FOR EACH ROW EXECUTE FUNCTION treatments_staff_busy()""",
    """CREATE TRIGGER treatments_time_off_busy_truncate AFTER TRUNCATE
       ON clinic_timeoff FOR EACH STATEMENT EXECUTE FUNCTION treatments_all_busy()""",
    """CREATE TRIGGER treatments_working_hours_busy AFTER INSERT OR UPDATE OR DELETE
       ON clinic_workinghours FOR EACH ROW EXECUTE FUNCTION treatments_staff_busy()""",
    """CREATE TRIGGER treatments_working_hours_busy_truncate AFTER TRUNCATE
       ON clinic_workinghours FOR EACH STATEMENT EXECUTE FUNCTION treatments_all_busy()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS treatments_appointment_busy ON treatments_appointment",
    "DROP TRIGGER IF EXISTS treatments_appointment_busy_truncate ON treatments_appointment",
    "DROP TRIGGER IF EXISTS treatments_time_off_busy ON clinic_timeoff",
    "DROP TRIGGER IF EXISTS treatments_time_off_busy_truncate ON clinic_timeoff",
    "DROP TRIGGER IF EXISTS treatments_working_hours_busy ON clinic_workinghours",
    "DROP TRIGGER IF EXISTS treatments_working_hours_busy_truncate ON clinic_workinghours",
    "DROP FUNCTION IF EXISTS treatments_all_busy()",
    "DROP FUNCTION IF EXISTS treatments_staff_busy()",
    "DROP FUNCTION IF EXISTS treatments_appointment_busy()",
    "DROP FUNCTION IF EXISTS treatments_busy_renew(text, bigint)",
    "DROP SEQUENCE IF EXISTS treatments_busy_token",
]


def _renew(kind: str, column: str) -> str:
    # SQLite has no sequences: a random 63-bit token, never the same twice in practice.
    return (
        f"INSERT INTO treatments_busyversion (resource, ref, token) "
        f"VALUES ('{kind}', {column}, abs(random())) "
        f"ON CONFLICT (resource, ref) DO UPDATE SET token = excluded.token;"
    )


def _sqlite() -> list[str]:
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in HELD)
    appointment = {
        "insert": ("AFTER INSERT", "", ["NEW"]),
        "update": ("AFTER UPDATE", f"WHEN {changed}", ["OLD", "NEW"]),
        "delete": ("AFTER DELETE", "", ["OLD"]),
    }
    statements = []
    for name, (event, when, rows) in appointment.items():
        body = " ".join(
            _renew("staff", f"{row}.practitioner_id") + " " + _renew("room", f"{row}.room_id")
            for row in rows
        )
        statements.append(
            f"CREATE TRIGGER treatments_appointment_busy_{name} {event} ON treatments_appointment "
            f"FOR EACH ROW {when} BEGIN {body} END"
        )
    for table, label in (("clinic_timeoff", "time_off"), ("clinic_workinghours", "working_hours")):
        for name, (event, rows) in {
            "insert": ("AFTER INSERT", ["NEW"]),
            "update": ("AFTER UPDATE", ["OLD", "NEW"]),
            "delete": ("AFTER DELETE", ["OLD"]),
        }.items():
            body = " ".join(_renew("staff", f"{row}.staff_id") for row in rows)
            statements.append(
                f"CREATE TRIGGER treatments_{label}_busy_{name} {event} ON {table} "
                f"FOR EACH ROW BEGIN {body} END"
            )
    return statements


def _sqlite_drop() -> list[str]:
    names = [
        f"treatments_{label}_busy_{name}"
        for label in ("appointment", "time_off", "working_hours")
        for name in ("insert", "update", "delete")
    ]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in names]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = POSTGRES if vendor == "postgresql" else _sqlite() if vendor == "sqlite" else []
    for statement in statements:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = (
        POSTGRES_DROP if vendor == "postgresql" else _sqlite_drop() if vendor == "sqlite" else []
    )
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("treatments", "0020_fill_session_zones"),
    ]

    operations = [
        migrations.CreateModel(
            name="BusyVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "resource",
                    models.CharField(
                        choices=[("staff", "Practitioner"), ("room", "Room")], max_length=5
                    ),
                ),
                (
                    "ref",
                    models.BigIntegerField(
                        help_text="The practitioner's staff profile or the room."
                    ),
                ),
                ("token", models.BigIntegerField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("resource", "ref"), name="busy_version_unique"),
                    models.CheckConstraint(
                        condition=models.Q(("resource__in", ["staff", "room"])),
                        name="busy_version_resource",
                    ),
                ],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
