"""Intake: numbering, receipt date, idempotent submission, acknowledgement."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from gongkai.audit.models import Action, AuditEntry
from gongkai.foi import actions
from gongkai.foi.models import Application, EventKind, Status
from gongkai.foi.receipt import Channel, legal_received_on
from tests.foi.conftest import PERSON


def test_a_submission_gets_the_next_number_a_received_event_and_a_due_date(submit, cast):
    first = submit().application
    second = submit().application
    assert (first.number, second.number) == ("a-2026-00001", "a-2026-00002")
    assert first.status == Status.OPEN and first.received_on == date(2026, 3, 2)
    assert first.due_on == date(2026, 3, 30) and not first.due_provisional
    assert list(first.events.values_list("kind", flat=True)) == [EventKind.RECEIVED]
    assert AuditEntry.objects.filter(action=Action.FOI_STEP, agency=cast.a).count() == 2


def test_numbers_restart_each_year_and_per_agency(submit, cast):
    submit(date(2025, 12, 31))
    assert submit(date(2026, 1, 5)).application.number == "a-2026-00001"
    other = actions.submit_application(
        cast.b, PERSON, channel=Channel.ONLINE, submitted_on=date(2026, 1, 5)
    )
    assert other.application.number == "b-2026-00001"


def test_the_same_form_submitted_twice_creates_one_application(submit):
    first = submit(token="form-123")
    again = submit(token="form-123")
    assert again.duplicate and again.application.pk == first.application.pk
    assert Application.objects.count() == 1
    # The first code keeps working: the same code is shown again (issue 18).
    application = Application.objects.get()
    assert again.query_code == first.query_code
    assert actions.check_query_code(application, first.query_code)


def test_a_case_without_a_seed_gets_a_new_code_on_a_double_submit(submit):
    first = submit(token="form-456")
    Application.objects.update(query_code_seed="")  # stored before seeds existed
    again = submit(token="form-456")
    application = Application.objects.get()
    assert again.query_code != first.query_code and application.query_code_seed
    assert actions.check_query_code(application, again.query_code)
    assert not actions.check_query_code(application, first.query_code)


def test_the_query_code_is_stored_only_as_a_hash(submit):
    submitted = submit()
    application = Application.objects.get()
    assert submitted.query_code not in application.query_code_hash
    assert actions.check_query_code(application, submitted.query_code.lower())
    assert not actions.check_query_code(application, "WRONG000")


def test_the_acknowledgement_is_mailed_after_commit(submit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submitted = submit()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zhangsan@example.com"]
    assert submitted.application.number in message.subject
    assert submitted.query_code in message.body


def test_a_failed_submission_gives_its_number_back(submit, cast, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "refresh", broken)
    with pytest.raises(RuntimeError):
        submit()
    monkeypatch.undo()
    assert Application.objects.count() == 0
    assert submit().application.number == "a-2026-00001"


@pytest.mark.parametrize(
    ("channel", "kwargs", "expected"),
    [
        (Channel.IN_PERSON, {}, date(2026, 3, 2)),
        (Channel.ONLINE, {}, date(2026, 3, 2)),
        (Channel.EMAIL, {}, date(2026, 3, 2)),
        (Channel.POST_SIGNED, {"signed_on": date(2026, 3, 4)}, date(2026, 3, 4)),
        (Channel.POST_PLAIN, {"confirmed_on": date(2026, 3, 5)}, date(2026, 3, 5)),
        (Channel.FAX, {"confirmed_on": date(2026, 3, 3)}, date(2026, 3, 3)),
    ],
)
def test_the_legal_date_of_receipt_follows_article_31(channel, kwargs, expected):
    assert legal_received_on(channel, submitted_on=date(2026, 3, 2), **kwargs) == expected


def test_a_channel_needing_confirmation_refuses_without_it():
    with pytest.raises(ValidationError, match="签收"):
        legal_received_on(Channel.POST_SIGNED, submitted_on=date(2026, 3, 2))
    with pytest.raises(ValidationError, match="确认"):
        legal_received_on(Channel.FAX, submitted_on=date(2026, 3, 2))


def test_a_december_request_has_a_provisional_due_date_until_next_year_is_entered(submit):
    application = submit(date(2026, 12, 10)).application
    # 2027-01-01 is 元旦 under the 放假办法 though the 2027 notice is not entered.
    assert application.due_provisional and application.due_on == date(2027, 1, 8)
