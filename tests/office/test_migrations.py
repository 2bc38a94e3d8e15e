"""The reminders already sent, copied from the three earlier tables (office migration 0002)."""

from __future__ import annotations

from datetime import date, datetime
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from gongkai.annual import reminders as annual_reminders
from gongkai.office.models import SentReminder
from gongkai.office.reminders import send
from tests.foi.conftest import submit  # noqa: F401 - a fixture

# Just before the old models are deleted: their tables and SentReminder side by side.
BEFORE_DELETION = [
    ("office", "0002_copy_sent_reminders"),
    ("foi", "0010_delete_counters"),
    ("annual", "0003_report_check"),
    ("publishing", "0011_delete_counters"),
]
copy = import_module("gongkai.office.migrations.0002_copy_sent_reminders")


@pytest.fixture
def old_schema(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_DELETION)
    yield executor.loader.project_state(BEFORE_DELETION).apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_reminders_sent_before_the_upgrade_are_not_sent_again(
    submit,  # noqa: F811 - the fixture imported above
    cast,
    transactional_db,
    request,
    mailoutbox,
):
    # The case is made with today's models, before going back to the old schema (which
    # lacks the application columns added since).
    application = submit(date(2026, 3, 2)).application
    old_schema = request.getfixturevalue("old_schema")
    old = old_schema.get_model
    sent_at = datetime(2026, 2, 3, 9, tzinfo=timezone.get_current_timezone())
    old("foi", "Reminder").objects.create(
        application_id=application.pk,
        kind="overdue",
        due_on=date(2026, 3, 30),
        recipient="head@a.example",
    )
    old("publishing", "ScheduleReminder").objects.create(
        agency_id=cast.county.pk, month=date(2026, 4, 1), kind="submit", recipient="a@x.cn"
    )
    annual = old("annual", "Reminder").objects.create(
        agency_id=cast.a.pk, year=2025, kind="overdue", recipient="a@example.cn"
    )
    old("annual", "Reminder").objects.filter(pk=annual.pk).update(sent_at=sent_at)

    copy.to_sent_reminders(old_schema, None)

    rows = set(SentReminder.objects.values_list("kind", "agency", "key", "recipient"))
    assert rows == {
        ("application_overdue", cast.a.pk, f"{application.pk}:2026-03-30", "head@a.example"),
        ("schedule_submit", cast.county.pk, "2026-04", "a@x.cn"),
        ("annual_overdue", cast.a.pk, "2025", "a@example.cn"),
    }
    assert SentReminder.objects.get(kind="annual_overdue").sent_at == sent_at
    cast.officer_a.email = "a@example.cn"
    cast.officer_a.save()
    assert send(annual_reminders.due(date(2026, 2, 3))) == 0  # already sent before the upgrade

    # And back: the reverse restores the three tables.
    for model in (("foi", "Reminder"), ("publishing", "ScheduleReminder"), ("annual", "Reminder")):
        old(*model).objects.all().delete()
    copy.from_sent_reminders(old_schema, None)
    assert not SentReminder.objects.exists()
    assert list(old("foi", "Reminder").objects.values_list("kind", "due_on")) == [
        ("overdue", date(2026, 3, 30))
    ]
    assert list(old("publishing", "ScheduleReminder").objects.values_list("month", "kind")) == [
        (date(2026, 4, 1), "submit")
    ]
    assert list(old("annual", "Reminder").objects.values_list("year", "kind")) == [
        (2025, "overdue")
    ]
