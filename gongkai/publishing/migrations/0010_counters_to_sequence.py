"""Copy the 索引号 counters into orgs.Sequence; numbering continues from the stored values."""

from django.db import migrations

INDEX_NO = "index_no"


def to_sequence(apps, schema_editor):
    IndexCounter = apps.get_model("publishing", "IndexCounter")
    Sequence = apps.get_model("orgs", "Sequence")
    Sequence.objects.bulk_create(
        Sequence(agency_id=c.agency_id, kind=INDEX_NO, scope=str(c.year), value=c.last)
        for c in IndexCounter.objects.all()
    )


def from_sequence(apps, schema_editor):
    IndexCounter = apps.get_model("publishing", "IndexCounter")
    Sequence = apps.get_model("orgs", "Sequence")
    sequences = Sequence.objects.filter(kind=INDEX_NO)
    IndexCounter.objects.bulk_create(
        IndexCounter(agency_id=s.agency_id, year=int(s.scope), last=s.value) for s in sequences
    )
    sequences.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0003_sequence"),
        ("publishing", "0009_feed_indexes"),
    ]

    operations = [migrations.RunPython(to_sequence, from_sequence)]
