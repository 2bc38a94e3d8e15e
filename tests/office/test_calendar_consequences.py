"""A saved holiday year moves, after it commits, both kinds of working-day dates: the due
dates of open applications (第三十三条) and the publish-by dates of catalog items (第二十六条)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from gongkai.foi import actions as foi_actions
from gongkai.foi.receipt import Channel
from gongkai.office import tasks as office_tasks
from gongkai.publishing import actions as publishing_actions
from gongkai.publishing.models import Category, InfoItem
from gongkai.workdays.loading import day_one, get_calendar
from tests.foi.conftest import PERSON
from tests.jobs.test_retries import DATABASE_TASKS, run_worker
from tests.workdays.test_calendar_pages import ARRANGEMENT_2027

pytestmark = pytest.mark.django_db


def test_a_saved_year_moves_due_dates_and_publish_by_dates(client, cast, time_machine):
    time_machine.move_to("2027-01-20 10:00 +0800", tick=False)
    application = foi_actions.submit_application(
        cast.a, PERSON, channel=Channel.ONLINE, submitted_on=date(2027, 1, 20)
    ).application
    item = publishing_actions.create_item(
        cast.a,
        actor=cast.officer_a,
        category=Category.objects.get(agency=None, code="20-07"),
        formed_on=date(2027, 1, 20),
        title="2027年部门预算",
    )
    application.refresh_from_db()
    # 2027 is not entered yet: both dates run on the weekend rule less the statutory
    # holidays (除夕 02-05 and 初三 02-08 fall on weekdays) and are provisional.
    assert application.due_provisional and item.publish_due_provisional
    due_before, publish_before = application.due_on, item.publish_due_on

    client.force_login(cast.superuser)
    response = client.post(
        reverse("office:calendar_year_edit", args=[2027]), ARRANGEMENT_2027, follow=True
    )

    application.refresh_from_db()
    item.refresh_from_db()
    calendar = get_calendar(cast.a)
    # The notice gives 02-06 to 02-14 off (and 02-20 worked): each date ends later.
    assert application.due_on == calendar.add_working_days(application.received_on, 20, day_one())
    assert item.publish_due_on == calendar.add_working_days(date(2027, 1, 20), 20, day_one())
    assert due_before is not None and publish_before is not None
    assert application.due_on > due_before and item.publish_due_on > publish_before
    assert not application.due_provisional and not item.publish_due_provisional
    text = response.content.decode()
    assert f"1 件在办申请的答复期限随之改变：{application.number}" in text
    assert f"{item.index_no}（{publish_before} → {item.publish_due_on}）" in text


def test_a_published_item_keeps_its_date(client, cast, time_machine):
    # Formed before 春节 2027: the notice would move its date (see the test above).
    time_machine.move_to("2027-01-20 10:00 +0800", tick=False)
    item = publishing_actions.create_item(
        cast.a,
        actor=cast.officer_a,
        category=Category.objects.get(agency=None, code="20-07"),
        formed_on=date(2027, 1, 20),
        title="已发布的条目",
    )
    InfoItem.objects.filter(pk=item.pk).update(status="published")
    before = InfoItem.objects.get(pk=item.pk).publish_due_on

    client.force_login(cast.superuser)
    response = client.post(
        reverse("office:calendar_year_edit", args=[2027]), ARRANGEMENT_2027, follow=True
    )

    assert InfoItem.objects.get(pk=item.pk).publish_due_on == before
    assert "目录条目的发布期限随之改变" not in response.content.decode()


def test_with_a_worker_the_page_says_the_dates_follow_and_the_task_moves_them(
    client, cast, time_machine, settings
):
    time_machine.move_to("2027-01-20 10:00 +0800", tick=False)
    application = foi_actions.submit_application(
        cast.a, PERSON, channel=Channel.ONLINE, submitted_on=date(2027, 1, 20)
    ).application
    application.refresh_from_db()
    due_before = application.due_on
    settings.TASKS = DATABASE_TASKS
    client.force_login(cast.superuser)
    response = client.post(
        reverse("office:calendar_year_edit", args=[2027]), ARRANGEMENT_2027, follow=True
    )
    assert "正在后台重新计算" in response.content.decode()
    application.refresh_from_db()
    assert application.due_on == due_before  # not yet: the worker moves it
    assert DBTaskResult.objects.filter(task_path=office_tasks.follow_calendar.module_path).exists()
    run_worker()
    application.refresh_from_db()
    assert application.due_on is not None and due_before is not None
    assert application.due_on > due_before and not application.due_provisional
    # Run again: nothing left to move.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert office_tasks.follow_calendar.enqueue().return_value == {"applications": [], "items": []}
