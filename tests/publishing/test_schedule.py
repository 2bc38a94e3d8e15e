"""The monthly catalog schedule and its reminders (send_reminders)."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from gongkai.publishing import actions
from gongkai.publishing.models import Category, PublicationSchedule, ScheduleReminder
from gongkai.publishing.reminders import send_schedule_reminders


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 8, tzinfo=timezone.get_current_timezone())


def test_the_county_schedule_reminds_its_departments_once_per_month(cast, time_machine):
    for user, email in (
        (cast.officer_a, "a@x.cn"),
        (cast.officer_b, "b@x.cn"),
        (cast.head_a, "h@x.cn"),
    ):
        user.email = email
        user.save()
    PublicationSchedule.objects.create(
        agency=cast.county, submit_day=15, publish_day=20, remind_days_before=3
    )
    actions.create_item(
        cast.a,
        actor=cast.officer_a,
        category=Category.objects.get(agency=None, code="20-07"),
        formed_on=date(2026, 3, 2),
        title="待报送的预算信息",
    )
    assert send_schedule_reminders(date(2026, 4, 11)) == 0  # before the window
    assert send_schedule_reminders(date(2026, 4, 12)) == 3
    subjects = {m.subject for m in mail.outbox}
    assert subjects == {"请于2026-04-15前报送目录条目"}
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "待报送的预算信息" in bodies["a@x.cn"] and "逾期未发布：1" in bodies["a@x.cn"]
    assert "待报送的预算信息" not in bodies["b@x.cn"]  # another agency's draft stays private
    assert send_schedule_reminders(date(2026, 4, 13)) == 0  # once per month
    time_machine.move_to(at(date(2026, 4, 20)))
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "目录集中发布日：2026-04-20" in {m.subject for m in mail.outbox}
    assert ScheduleReminder.objects.count() == 6  # two kinds, three people each
    assert send_schedule_reminders(date(2026, 5, 14)) == 3  # next month's submit reminder


def test_a_failed_send_is_tried_again(cast, settings):
    cast.officer_a.email = "a@x.cn"
    cast.officer_a.save()
    PublicationSchedule.objects.create(agency=cast.a, submit_day=15, publish_day=20)
    settings.EMAIL_BACKEND = "tests.publishing.test_schedule.BrokenBackend"
    assert send_schedule_reminders(date(2026, 4, 15)) == 0
    assert not ScheduleReminder.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_schedule_reminders(date(2026, 4, 15)) == 1


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")


def test_the_window_runs_across_the_end_of_a_month():
    from gongkai.publishing.reminders import next_day

    assert next_day(date(2026, 1, 29), 2, 5) == date(2026, 2, 2)
    assert next_day(date(2026, 12, 30), 1, 3) == date(2027, 1, 1)
    assert next_day(date(2026, 1, 20), 2, 5) is None
    assert next_day(date(2026, 1, 15), 15, 0) == date(2026, 1, 15)
