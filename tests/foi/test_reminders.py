from __future__ import annotations

from datetime import date
from io import StringIO

from django.core import mail
from django.core.management import call_command

from gongkai.foi import actions


def test_reminders_go_once_per_due_date_to_the_handler_or_the_office_head(
    submit, cast, time_machine
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
