"""Letters e-mailed by background tasks (foi/tasks.py): one attempt each, retried on the
delivery's own schedule, the last failure recorded for the administrators."""

from __future__ import annotations

from django.core import mail
from django_tasks import TaskResultStatus

from gongkai.foi import tasks as foi_tasks
from gongkai.foi.models import DeliveryStatus
from gongkai.jobs import actions as jobs_actions
from gongkai.jobs.models import TaskFailure
from tests.foi.test_delivery import case, issued  # noqa: F401 - a fixture


def test_a_failing_e_mail_is_retried_by_the_periodic_job_then_recorded(
    case,  # noqa: F811
    cast,
    settings,
    time_machine,
    django_capture_on_commit_callbacks,
):
    settings.EMAIL_BACKEND = "tests.foi.test_delivery.FailingBackend"
    settings.FOI_DELIVERY_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=True):
        letter = issued(case, cast)
    [record] = letter.deliveries.all()
    assert record.status == DeliveryStatus.FAILED and record.attempts == 1
    assert not TaskFailure.objects.exists()  # its wait is the delivery's, not a failure yet
    with django_capture_on_commit_callbacks(execute=True):
        assert foi_tasks.retry_letter_emails.enqueue().return_value == 0  # the wait is not over
    time_machine.move_to("2026-03-03 10:06 +0800", tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert foi_tasks.retry_letter_emails.enqueue().return_value == 1
    record.refresh_from_db()
    assert record.attempts == 2 and record.next_attempt_at is None
    failure = TaskFailure.objects.get()
    assert failure.task_path == "gongkai.foi.tasks.email_letter" and failure.permanent
    assert failure.object_id == str(record.pk) and "421" in failure.error
    assert "2 次尝试" in failure.error  # the message for the administrators is Chinese

    # The mail server is back: the administrator's retry delivers it and resolves the failure.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        jobs_actions.retry_failure(failure, actor=cast.admin_county)
    record.refresh_from_db()
    assert record.status == DeliveryStatus.DELIVERED
    assert [m.to for m in mail.outbox] == [["zhangsan@example.com"]]
    failure.refresh_from_db()
    assert failure.resolved_at is not None


def test_a_delivered_letter_is_not_e_mailed_again(
    case,  # noqa: F811
    cast,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = issued(case, cast)
    [record] = letter.deliveries.all()
    assert record.status == DeliveryStatus.DELIVERED
    mail.outbox.clear()
    result = foi_tasks.email_letter.enqueue(record.pk)
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value is True
    assert mail.outbox == []


def test_a_vanished_delivery_is_a_permanent_failure(cast):
    result = foi_tasks.email_letter.enqueue(999_999)
    assert result.status == TaskResultStatus.FAILED
    assert TaskFailure.objects.get().permanent
