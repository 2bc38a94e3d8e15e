"""Refuse UPDATE on the audit log in the database itself, not only in the ORM.

Actor and agency references are plain ids (no foreign-key constraint, DO_NOTHING), so
removing a user or an agency never needs to touch an audit row.
"""

from django.db import migrations

SQLITE_CREATE = """
CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS audit_auditentry_no_update;"

POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION audit_auditentry_refuse_update() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit log is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
FOR EACH ROW EXECUTE FUNCTION audit_auditentry_refuse_update();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS audit_auditentry_no_update ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_auditentry_refuse_update();
"""


def create_trigger(apps, schema_editor):
    sql = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}.get(
        schema_editor.connection.vendor
    )
    if sql:
        schema_editor.execute(sql)


def drop_trigger(apps, schema_editor):
    sql = {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
