"""The reminder fan-out (office/reminders.py, `send_reminders`): each kind goes once."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from gongkai.annual import actions as annual_actions
from gongkai.annual import reminders as annual_reminders
from gongkai.foi import actions
from gongkai.office.models import SentReminder
from gongkai.office.reminders import send
from gongkai.publishing import actions as publishing_actions
from gongkai.publishing import reminders as publishing_reminders
from gongkai.publishing.models import Category, PublicationSchedule
from tests.annual.test_actions import _approved
from tests.foi.conftest import submit  # noqa: F401 - a fixture


def send_schedule_reminders(today: date) -> int:
    return send(publishing_reminders.due(today))


def send_annual_reminders(today: date) -> int:
    return send(annual_reminders.due(today))


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 8, tzinfo=timezone.get_current_timezone())


# -- applications due soon and overdue ----------------------------------------------------
def test_reminders_go_once_per_due_date_to_the_handler_or_the_office_head(
    submit,  # noqa: F811 - the fixture imported above
    cast,
    time_machine,
):
    cast.officer_a.email = "officer@a.example"
    cast.officer_a.save()
    cast.head_a.email = "head@a.example"
    cast.head_a.save()
    assigned = submit(date(2026, 3, 2)).application
    actions.assign(assigned, actor=cast.head_a, handler=cast.officer_a, on=date(2026, 3, 2))
    unassigned = submit(date(2026, 3, 2)).application
    submit(date(2026, 3, 20))  # not due yet
    time_machine.move_to("2026-03-26 09:00 +0800", tick=False)  # due 03-30: within 3 working days
    call_command("send_reminders", stdout=StringIO())

    def case_mails():  # the same run also sends the annual report's deadline reminders
        return [m for m in mail.outbox if "年度报告" not in m.subject]

    annual = len(mail.outbox) - len(case_mails())
    assert annual == 2  # A's 2025 report is overdue: its officer and office head
    by_recipient = {m.to[0]: m for m in case_mails()}
    assert set(by_recipient) == {"officer@a.example", "head@a.example"}
    assert assigned.number in by_recipient["officer@a.example"].body
    assert unassigned.number in by_recipient["head@a.example"].body
    assert "2026-03-30" in by_recipient["head@a.example"].body

    call_command("send_reminders", stdout=StringIO())
    assert len(case_mails()) == 2 and len(mail.outbox) == 2 + annual  # nothing new

    time_machine.move_to("2026-03-31 09:00 +0800", tick=False)
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert len(case_mails()) == 4 and "超期" in case_mails()[-1].body
    assert "2 封" in out.getvalue()


def test_a_handlers_cases_share_one_email_counting_only_the_new_ones(
    submit,  # noqa: F811 - the fixture imported above
    cast,
    time_machine,
):
    cast.head_a.email = "head@a.example"
    cast.head_a.save()
    first = submit(date(2026, 3, 2)).application
    time_machine.move_to("2026-03-26 09:00 +0800", tick=False)
    call_command("send_reminders", stdout=StringIO())
    second = submit(date(2026, 3, 2)).application
    third = submit(date(2026, 3, 2)).application
    time_machine.move_to("2026-03-26 10:00 +0800", tick=False)
    call_command("send_reminders", stdout=StringIO())
    latest = [m for m in mail.outbox if "年度报告" not in m.subject][-1]
    assert latest.subject == "有 2 件政府信息公开申请需要答复"  # the new cases, not the first
    assert second.number in latest.body and third.number in latest.body
    assert first.number not in latest.body


# -- the monthly catalog schedule ---------------------------------------------------------
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
    publishing_actions.create_item(
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
    assert (
        SentReminder.objects.filter(kind__startswith="schedule_").count() == 6
    )  # two kinds, three people each
    assert send_schedule_reminders(date(2026, 5, 14)) == 3  # next month's submit reminder


def test_a_failed_send_is_tried_again(cast, settings):
    cast.officer_a.email = "a@x.cn"
    cast.officer_a.save()
    PublicationSchedule.objects.create(agency=cast.a, submit_day=15, publish_day=20)
    settings.EMAIL_BACKEND = "tests.office.test_reminders.BrokenBackend"
    assert send_schedule_reminders(date(2026, 4, 15)) == 0
    assert not SentReminder.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_schedule_reminders(date(2026, 4, 15)) == 1


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")


# -- the annual report's deadline (第四十九条) ---------------------------------------------
def test_deadline_reminders_go_once_before_and_once_after(cast, mailoutbox):
    cast.officer_a.email = "a@example.cn"
    cast.officer_a.save()
    cast.admin_county.email = "county@example.cn"
    cast.admin_county.save()
    assert send_annual_reminders(date(2026, 1, 10)) == 0  # 21 days before A's deadline
    assert send_annual_reminders(date(2026, 1, 20)) == 1  # A (department): due 31 January
    assert send_annual_reminders(date(2026, 1, 21)) == 0  # once
    assert "2026-01-31" in mailoutbox[0].subject and cast.a.name in mailoutbox[0].subject
    assert send_annual_reminders(date(2026, 2, 3)) == 1  # overdue
    # The county (a government) is due on 31 March; its admin holds no officer role there.
    assert send_annual_reminders(date(2026, 3, 20)) == 0
    report, _revision = _approved(cast)
    annual_actions.publish(report, actor=cast.head_a)
    SentReminder.objects.all().delete()
    assert send_annual_reminders(date(2026, 2, 3)) == 0  # published: nothing to remind
