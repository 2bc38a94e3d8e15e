"""The back office's page of failed tasks and its retry button (gongkai/jobs/views.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.audit.models import Action, AuditEntry
from gongkai.jobs import queue
from gongkai.jobs.models import TaskFailure
from tests.jobs import sample_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calls():
    sample_tasks.CALLS.clear()


def failure_of(task_path: str, args: list) -> TaskFailure:
    return queue.record_failure(
        task_path,
        args,
        {},
        error="SMTP 421 服务不可用",
        error_class="smtplib.SMTPServerDisconnected",
        traceback="",
        attempts=5,
        permanent=False,
        task_id="t1",
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("superuser", 200),
        ("admin_county", 200),
        ("officer_a", 403),
        ("reviewer_a", 403),
        ("head_a", 403),
        ("supervisor", 403),
        ("officer_b", 403),
        ("auditor", 403),
    ],
)
def test_only_the_installations_administrators_see_failed_tasks(client, cast, who, status):
    failure_of("tests.jobs.sample_tasks.flaky", ["x", 1])
    client.force_login(getattr(cast, who))
    response = client.get(reverse("jobs:failures"))
    assert response.status_code == status
    retry = client.post(reverse("jobs:retry", args=[TaskFailure.objects.get().pk]))
    assert retry.status_code == (302 if status == 200 else 403)


def test_anonymous_visitors_are_sent_to_the_login(client, cast):
    failure = failure_of("tests.jobs.sample_tasks.flaky", ["x", 1])
    for url in (reverse("jobs:failures"), reverse("jobs:retry", args=[failure.pk])):
        response = client.post(url) if "retry" in url else client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_list_shows_the_task_its_object_and_error_in_chinese(client, cast):
    sample_tasks.hopeless.enqueue(cast.a.pk)
    client.force_login(cast.admin_county)
    page = client.get(reverse("jobs:failures")).content.decode()
    assert "permanently fails" in page  # the task's label
    assert cast.a.name in page
    assert "这个文件无法读取" in page
    assert "失败的后台任务" in page and "重试" in page and "不会自动重试" in page


def test_retry_queues_the_task_again_audits_it_and_resolves_on_success(
    client, cast, django_capture_on_commit_callbacks
):
    sample_tasks.CALLS.append("fixed")  # one failed call before
    failure = failure_of("tests.jobs.sample_tasks.flaky", ["fixed", 1])
    client.force_login(cast.admin_county)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jobs:retry", args=[failure.pk]), follow=True)
    assert "已重新排队" in response.content.decode()
    failure.refresh_from_db()
    assert failure.retried_by == cast.admin_county and failure.retried_at is not None
    assert failure.resolved_at is not None  # the retried task succeeded
    entry = AuditEntry.objects.get(action=Action.TASK_RETRIED)
    assert entry.actor == cast.admin_county
    assert entry.detail["task"] == "tests.jobs.sample_tasks.flaky"
    assert "已解决" in client.get(reverse("jobs:failures") + "?show=all").content.decode()
    assert "没有失败的后台任务" in client.get(reverse("jobs:failures")).content.decode()


def test_a_resolved_failure_or_a_vanished_task_cannot_be_retried(client, cast):
    resolved = failure_of("tests.jobs.sample_tasks.flaky", ["done", 0])
    TaskFailure.objects.filter(pk=resolved.pk).update(resolved_at=timezone.now())
    gone = failure_of("tests.jobs.sample_tasks.no_such_task", [])
    client.force_login(cast.admin_county)
    page = client.post(reverse("jobs:retry", args=[resolved.pk]), follow=True).content.decode()
    assert "无需重试" in page
    page = client.post(reverse("jobs:retry", args=[gone.pk]), follow=True).content.decode()
    assert "无法重试" in page
    assert not AuditEntry.objects.filter(action=Action.TASK_RETRIED).exists()


def test_retry_is_post_only(client, cast):
    failure = failure_of("tests.jobs.sample_tasks.flaky", ["x", 1])
    client.force_login(cast.admin_county)
    assert client.get(reverse("jobs:retry", args=[failure.pk])).status_code == 405
