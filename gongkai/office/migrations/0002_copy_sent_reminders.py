"""Copy the reminders already sent from the three earlier tables into SentReminder.

foi.Reminder (application, kind, due date), publishing.ScheduleReminder (agency, month,
kind) and annual.Reminder (agency, year, kind), each per recipient, become one row each
with the key that office/reminders.py now uses, so nothing is sent twice after the
upgrade. The old tables are deleted by each app's next migration, which this one runs
before (`run_before`, so that the apps below the office never name it).
"""

from django.db import migrations

FOI = {"due_soon": "application_due_soon", "overdue": "application_overdue"}
SCHEDULE = {"submit": "schedule_submit", "publish": "schedule_publish"}
ANNUAL = {"due": "annual_due", "overdue": "annual_overdue"}


def _reverse(mapping):
    return {new: old for old, new in mapping.items()}


def to_sent_reminders(apps, schema_editor):
    SentReminder = apps.get_model("office", "SentReminder")
    rows = []
    for r in apps.get_model("foi", "Reminder").objects.select_related("application"):
        rows.append(
            SentReminder(
                kind=FOI[r.kind],
                agency_id=r.application.agency_id,
                key=f"{r.application_id}:{r.due_on.isoformat()}",
                recipient=r.recipient,
                sent_at=r.sent_at,
            )
        )
    for r in apps.get_model("publishing", "ScheduleReminder").objects.all():
        rows.append(
            SentReminder(
                kind=SCHEDULE[r.kind],
                agency_id=r.agency_id,
                key=r.month.isoformat()[:7],
                recipient=r.recipient,
                sent_at=r.sent_at,
            )
        )
    for r in apps.get_model("annual", "Reminder").objects.all():
        rows.append(
            SentReminder(
                kind=ANNUAL[r.kind],
                agency_id=r.agency_id,
                key=str(r.year),
                recipient=r.recipient,
                sent_at=r.sent_at,
            )
        )
    SentReminder.objects.bulk_create(rows, batch_size=1000)


def from_sent_reminders(apps, schema_editor):
    SentReminder = apps.get_model("office", "SentReminder")
    Reminder = apps.get_model("foi", "Reminder")
    ScheduleReminder = apps.get_model("publishing", "ScheduleReminder")
    AnnualReminder = apps.get_model("annual", "Reminder")
    foi, schedule, annual = _reverse(FOI), _reverse(SCHEDULE), _reverse(ANNUAL)
    rows = {Reminder: [], ScheduleReminder: [], AnnualReminder: []}
    for s in SentReminder.objects.all():
        if s.kind in foi:
            application_id, due_on = s.key.split(":")
            rows[Reminder].append(
                Reminder(
                    application_id=int(application_id),
                    kind=foi[s.kind],
                    due_on=due_on,
                    recipient=s.recipient,
                )
            )
        elif s.kind in schedule:
            rows[ScheduleReminder].append(
                ScheduleReminder(
                    agency_id=s.agency_id,
                    month=f"{s.key}-01",
                    kind=schedule[s.kind],
                    recipient=s.recipient,
                )
            )
        else:
            rows[AnnualReminder].append(
                AnnualReminder(
                    agency_id=s.agency_id, year=int(s.key), kind=annual[s.kind], recipient=s.recipient
                )
            )
    for model, objs in rows.items():
        model.objects.bulk_create(objs, batch_size=1000)
    SentReminder.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("office", "0001_sent_reminder"),
        ("annual", "0003_report_check"),
        ("foi", "0010_delete_counters"),
        ("publishing", "0011_delete_counters"),
    ]
    run_before = [
        ("annual", "0004_delete_reminder"),
        ("foi", "0011_delete_reminder"),
        ("publishing", "0012_delete_schedule_reminder"),
    ]

    operations = [migrations.RunPython(to_sent_reminders, from_sent_reminders)]
