"""PostgreSQL: keep an item's tsvector in its row (STORAGE MAIN) and let the index terms
go out of line instead.

A phrase is checked against the tsvector of every candidate; out of line that costs a
TOAST lookup per candidate, several times the cost of the row itself (bench/search.py).
A tsvector longer than a page still goes out of line. Rows already written keep their
layout until `manage.py rebuild_search_index` writes them again.
"""

from django.db import migrations

FORWARD = "ALTER TABLE search_searchentry ALTER COLUMN tsv SET STORAGE MAIN"
REVERSE = "ALTER TABLE search_searchentry ALTER COLUMN tsv SET STORAGE EXTENDED"


def _run(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(_run(FORWARD), _run(REVERSE))]
