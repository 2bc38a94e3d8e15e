"""The locked years move from a query over reports to rows of orgs.YearLock."""

from django.db import migrations

LOCKING = {"approved": "approved", "published": "published"}


def hold_locks(apps, schema_editor):
    AnnualReport = apps.get_model("annual", "AnnualReport")
    YearLock = apps.get_model("orgs", "YearLock")
    YearLock.objects.bulk_create(
        [
            YearLock(agency_id=r.agency_id, year=r.year, rollup=r.rollup, state=LOCKING[r.status])
            for r in AnnualReport.objects.filter(status__in=list(LOCKING))
        ],
        ignore_conflicts=True,
    )


def release_locks(apps, schema_editor):
    apps.get_model("orgs", "YearLock").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("annual", "0004_delete_reminder"),
        ("orgs", "0004_year_lock"),
    ]

    operations = [migrations.RunPython(hold_locks, release_locks)]
