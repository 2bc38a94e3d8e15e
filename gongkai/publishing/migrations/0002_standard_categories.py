"""Ship the categories of 第二十条 and 第二十一条, with a county department's usual
sub-categories (办事指南 publish within 1 working day of a change)."""

from django.db import migrations


def seed(apps, schema_editor):
    from gongkai.publishing.categories import COUNTY_DEPARTMENT_DEFAULTS, standard_categories

    Category = apps.get_model("publishing", "Category")
    by_code = {}
    for row in standard_categories():
        by_code[row["code"]], _ = Category.objects.get_or_create(agency=None, code=row["code"], defaults=row)
    for parent_code, children in COUNTY_DEPARTMENT_DEFAULTS.items():
        for i, (code, name) in enumerate(children, start=1):
            Category.objects.get_or_create(
                agency=None,
                code=code,
                defaults={
                    "parent": by_code[parent_code],
                    "name": name,
                    "levels": "county",
                    "sort_order": i,
                    "publish_days": 1 if name == "办事指南" else None,
                },
            )


def unseed(apps, schema_editor):
    standard = apps.get_model("publishing", "Category").objects.filter(agency=None)
    standard.exclude(parent=None).delete()  # children first: parents are protected
    standard.delete()


class Migration(migrations.Migration):
    dependencies = [("publishing", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
