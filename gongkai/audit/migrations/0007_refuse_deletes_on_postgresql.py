"""On PostgreSQL (production), refuse DELETE on the audit log in the database too.

Not on SQLite: Django's test flush empties tables with DELETE there, while on PostgreSQL
it uses TRUNCATE, which a row trigger does not see. Removing old entries after the
retention period (at least six months, 网络安全法第二十一条) is a deliberate act by the
database owner, who drops this trigger for it.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_auditentry_refuse_delete() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit log is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry
FOR EACH ROW EXECUTE FUNCTION audit_auditentry_refuse_delete();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_auditentry_no_delete ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_auditentry_refuse_delete();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_foi_action")]

    operations = [migrations.RunPython(create, drop)]
