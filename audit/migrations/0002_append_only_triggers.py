"""The database itself refuses to change or delete an access log entry.

PostgreSQL: a BEFORE UPDATE OR DELETE trigger raises. SQLite: a BEFORE UPDATE trigger aborts.
SQLite gets no DELETE trigger because Django's test runner empties tables with DELETE between
tests that commit (PostgreSQL's uses TRUNCATE, which the trigger does not cover); there the app
(``AccessLog.delete`` and its queryset's ``delete``) is what refuses a delete.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION audit_accesslog_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The access log is append-only: % is refused.', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_accesslog_append_only
    BEFORE UPDATE OR DELETE ON audit_accesslog
    FOR EACH ROW EXECUTE FUNCTION audit_accesslog_refuse_change();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS audit_accesslog_append_only ON audit_accesslog;
DROP FUNCTION IF EXISTS audit_accesslog_refuse_change();
"""
SQLITE_FORWARD = """
CREATE TRIGGER audit_accesslog_append_only BEFORE UPDATE ON audit_accesslog
BEGIN
    SELECT RAISE(ABORT, 'The access log is append-only: UPDATE is refused.');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS audit_accesslog_append_only;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
