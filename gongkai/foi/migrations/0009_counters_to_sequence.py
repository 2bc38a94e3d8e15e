"""Copy the application-number and 文号 counters into orgs.Sequence.

Numbering continues from the stored values: a counter at 41 gives 42 next. Letter
counters become the scope "<year>/<letter kind>" (as foi/letters.py asks for them).
"""

from django.db import migrations

APPLICATION, LETTER_NO = "application", "letter_no"


def to_sequence(apps, schema_editor):
    NumberCounter = apps.get_model("foi", "NumberCounter")
    LetterCounter = apps.get_model("foi", "LetterCounter")
    Sequence = apps.get_model("orgs", "Sequence")
    Sequence.objects.bulk_create(
        [
            Sequence(agency_id=c.agency_id, kind=APPLICATION, scope=str(c.year), value=c.last)
            for c in NumberCounter.objects.all()
        ]
        + [
            Sequence(
                agency_id=c.agency_id, kind=LETTER_NO, scope=f"{c.year}/{c.kind}", value=c.last
            )
            for c in LetterCounter.objects.all()
        ]
    )


def from_sequence(apps, schema_editor):
    NumberCounter = apps.get_model("foi", "NumberCounter")
    LetterCounter = apps.get_model("foi", "LetterCounter")
    Sequence = apps.get_model("orgs", "Sequence")
    numbers = Sequence.objects.filter(kind=APPLICATION)
    NumberCounter.objects.bulk_create(
        NumberCounter(agency_id=s.agency_id, year=int(s.scope), last=s.value) for s in numbers
    )
    letters = Sequence.objects.filter(kind=LETTER_NO)
    LetterCounter.objects.bulk_create(
        LetterCounter(
            agency_id=s.agency_id,
            year=int(s.scope.split("/")[0]),
            kind=s.scope.split("/")[1],
            last=s.value,
        )
        for s in letters
    )
    numbers.delete()
    letters.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("foi", "0008_annual_report_indexes"),
        ("orgs", "0003_sequence"),
    ]

    operations = [migrations.RunPython(to_sequence, from_sequence)]
