"""The reminder fan-out as a task (office/tasks.py): one app's reminders per run, each once."""

from __future__ import annotations

from datetime import date

from django.core import mail
from django_tasks import TaskResultStatus

from gongkai.foi import actions
from gongkai.jobs.models import TaskFailure
from gongkai.office import tasks as office_tasks
from tests.foi.conftest import submit  # noqa: F401 - a fixture


def test_the_reminder_task_sends_one_apps_reminders_once(
    submit,  # noqa: F811
    cast,
    time_machine,
):
    cast.officer_a.email = "officer@a.example"
    cast.officer_a.save()
    case = submit(date(2026, 3, 2)).application
    actions.assign(case, actor=cast.head_a, handler=cast.officer_a, on=date(2026, 3, 2))
    time_machine.move_to("2026-03-26 09:00 +0800", tick=False)  # due 03-30
    mail.outbox.clear()
    assert office_tasks.send_reminders.enqueue("foi").return_value == 1
    [sent] = mail.outbox
    assert sent.to == ["officer@a.example"] and case.number in sent.body
    # The annual report's reminders are another job's.
    assert all("年度报告" not in m.subject for m in mail.outbox)
    # Idempotent: a second run (a retry, a second scheduler tick) sends nothing new.
    assert office_tasks.send_reminders.enqueue("foi").return_value == 0
    assert len(mail.outbox) == 1


def test_the_annual_reminders_are_their_own_job(submit, cast, time_machine):  # noqa: F811
    cast.officer_a.email = "officer@a.example"
    cast.officer_a.save()
    time_machine.move_to("2026-03-26 09:00 +0800", tick=False)  # A's 2025 report is overdue
    mail.outbox.clear()
    sent = office_tasks.send_reminders.enqueue("annual").return_value
    assert sent is not None and sent >= 1
    assert any("年度报告" in m.subject for m in mail.outbox)


def test_an_unknown_source_is_a_permanent_failure(cast):
    result = office_tasks.send_reminders.enqueue("weather")
    assert result.status == TaskResultStatus.FAILED and result.attempts == 1
    failure = TaskFailure.objects.get()
    assert failure.permanent and "未知的提醒类别" in failure.error
