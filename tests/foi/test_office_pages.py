"""Back-office pages of applications against the fixed cast."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.foi import actions
from gongkai.foi.models import Application, Status
from gongkai.lib.report_keys import Outcome
from tests.foi.helpers import reply_by_letter


@pytest.fixture
def case(submit):
    return submit(date(2026, 3, 2)).application


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer_a", 200), ("reviewer_a", 200), ("supervisor", 200), ("officer_b", 404), (None, 302)],
)
def test_a_case_is_visible_to_its_agency_and_supervisors_only(client, cast, case, who, status):
    if who:
        client.force_login(getattr(cast, who))
    assert client.get(reverse("foi:detail", args=[case.pk])).status_code == status


def test_lists_are_scoped_and_split_by_state(client, cast, submit, time_machine):
    old = submit(date(2026, 2, 2)).application
    submit(date(2026, 3, 20))
    time_machine.move_to("2026-03-23 10:00 +0800", tick=False)
    client.force_login(cast.officer_a)
    overdue = client.get(reverse("foi:list"), {"view": "overdue"}).context["page"]
    assert [a.pk for a in overdue] == [old.pk]
    client.force_login(cast.officer_b)
    assert client.get(reverse("foi:list"), {"view": "all"}).context["page"].paginator.count == 0


def test_the_full_identity_number_is_for_the_handler_and_office_head(client, cast, case):
    client.force_login(cast.reviewer_a)
    text = client.get(reverse("foi:detail", args=[case.pk])).content.decode()
    assert "11010519491231002X" not in text and "110105********002X" in text
    client.force_login(cast.head_a)
    assert (
        "11010519491231002X" in client.get(reverse("foi:detail", args=[case.pk])).content.decode()
    )


def test_the_reply_is_given_when_its_letter_is_issued_from_the_page(
    client, cast, case, time_machine
):
    time_machine.move_to("2026-03-20 10:00 +0800", tick=False)
    client.force_login(cast.officer_a)
    response = client.post(
        reverse("foi:step", args=[case.pk, "reply"]),
        {"step-reply-outcome": "granted", "step-reply-basis": "第三十六条第（二）项"},
        follow=True,
    )
    assert "已起草答复书" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.OPEN and case.outcome == ""
    letter = case.letters.get(kind="reply")
    page = client.get(reverse("foi:detail", args=[case.pk])).content.decode()
    assert "data-pending-reply" in page
    client.force_login(cast.head_a)
    client.post(reverse("foi:letter_action", args=[case.pk, letter.pk, "approve"]))
    time_machine.move_to("2026-03-23 10:00 +0800", tick=False)
    client.force_login(cast.officer_a)
    issued = client.post(
        reverse("foi:letter_action", args=[case.pk, letter.pk, "issue"]),
        {f"issue-{letter.pk}-on": "2026-03-23"},
        follow=True,
    ).content.decode()
    assert "已于2026-03-23答复并办结" in issued
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.outcome == Outcome.GRANTED
    assert case.closed_on == date(2026, 3, 23)


def test_a_refused_step_keeps_what_was_typed_and_says_why(client, cast, case, time_machine):
    time_machine.move_to("2026-03-25 10:00 +0800", tick=False)
    client.force_login(cast.head_a)
    response = client.post(
        reverse("foi:step", args=[case.pk, "extension"]),
        {
            "step-extension-on": "2026-03-25",
            "step-extension-days": "25",
            "step-extension-reason": "档案较多",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "档案较多" in text and "20" in text
    client.force_login(cast.officer_a)
    response = client.post(
        reverse("foi:step", args=[case.pk, "extension"]),
        {
            "step-extension-on": "2026-03-25",
            "step-extension-days": "10",
            "step-extension-reason": "档案较多",
        },
    )
    assert response.status_code == 403


def test_outsiders_cannot_post_steps(client, cast, case):
    client.force_login(cast.reviewer_a)
    assert client.post(reverse("foi:step", args=[case.pk, "withdraw"]), {}).status_code == 403
    client.force_login(cast.officer_b)
    assert client.post(reverse("foi:step", args=[case.pk, "withdraw"]), {}).status_code == 404


def test_staff_register_a_signed_for_letter_with_its_legal_receipt_date(client, cast, time_machine):
    time_machine.move_to("2026-03-06 10:00 +0800", tick=False)
    client.force_login(cast.officer_a)
    data = {
        "agency": cast.a.pk,
        "channel": "post_signed",
        "submitted_on": "2026-03-02",
        "signed_on": "2026-03-04",
        "applicant_type": "natural_person",
        "person_name": "张三",
        "id_type": "resident_id",
        "id_number": "11010519491231002x",
        "phone": "138 0000 0000",
        "address": "测试县人民路 8 号",
        "description": "预算文件",
        "provision_form": "paper",
        "delivery": "post",
    }
    response = client.post(reverse("foi:register"), data, follow=True)
    application = Application.objects.get()
    assert (
        application.received_on == date(2026, 3, 4)
        and application.id_number == "11010519491231002X"
    )
    assert "查询码" in response.content.decode()
    bad = {**data, "id_number": "110105194912310021", "signed_on": ""}
    text = client.post(reverse("foi:register"), bad).content.decode()
    assert "居民身份证号码无效" in text and "须填写本机关签收日期" in text
    assert 'value="测试县人民路 8 号"' in text


def test_the_list_exports_to_xlsx_with_masked_identity_numbers(client, cast, case):
    client.force_login(cast.officer_a)
    response = client.get(reverse("foi:list"), {"view": "all", "format": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "申请编号" and rows[1][0] == case.number
    assert rows[1][6] == "110105********002X"


def test_supervisors_filter_the_list_by_agency(client, cast, submit):
    from gongkai.foi.receipt import Channel
    from tests.foi.conftest import PERSON

    submit(date(2026, 3, 2))
    actions.submit_application(
        cast.b, PERSON, channel=Channel.ONLINE, submitted_on=date(2026, 3, 2)
    )
    client.force_login(cast.supervisor)
    page = client.get(reverse("foi:list"), {"view": "all", "agency": cast.b.pk}).context["page"]
    assert [a.agency for a in page] == [cast.b]
    assert client.get(reverse("foi:list"), {"view": "all"}).context["page"].paginator.count == 2


def test_an_over_long_request_is_refused_in_chinese(client, cast):
    from tests.portal.test_apply_and_track import FORM

    text = client.post(
        reverse("portal:apply", args=["a"]), {**FORM, "description": "长" * 5001}
    ).content.decode()
    assert "不超过 5000 字符" in text
    assert Application.objects.count() == 0


def test_spreadsheet_cells_typed_by_applicants_are_never_formulas(client, cast, submit):
    from tests.foi.conftest import PERSON

    submit(
        date(2026, 3, 2),
        applicant={**PERSON, "applicant_name": '=HYPERLINK("http://x.example","点")'},
    )
    client.force_login(cast.officer_a)
    response = client.get(reverse("foi:list"), {"view": "all", "format": "xlsx"})
    cell = load_workbook(BytesIO(response.content)).active["F2"]
    assert cell.data_type == "s" and cell.value.startswith("'=")


def test_identity_documents_are_for_the_handler_and_the_office_head(
    client, cast, settings, tmp_path, time_machine
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.foi.conftest import PERSON

    settings.MEDIA_ROOT = tmp_path
    time_machine.move_to("2026-03-02 10:00 +0800", tick=False)
    png = SimpleUploadedFile(
        "id.png", b"\\x89PNG\\r\\n\\x1a\\n" + b"\\x00" * 50, content_type="image/png"
    )
    application = actions.submit_application(
        cast.a, PERSON, channel="online", submitted_on=date(2026, 3, 2), attachments=[png]
    ).application
    url = reverse("foi:attachment", args=[application.pk, application.attachments.get().pk])
    for who, status in (("supervisor", 403), ("reviewer_a", 403), ("head_a", 200)):
        client.force_login(getattr(cast, who))
        assert client.get(url).status_code == status


def test_the_agency_s_disclosure_staff_assign_a_case_to_one_of_them(client, cast, case):
    from django.contrib.messages import get_messages

    from gongkai.foi.models import EventKind

    url = reverse("foi:assign", args=[case.pk])
    assert client.post(url, {"handler": cast.head_a.pk})["Location"].startswith(reverse("login"))
    client.force_login(cast.officer_b)
    assert client.post(url, {"handler": cast.head_a.pk}).status_code == 404
    # Seeing the case is not handling it: the first-instance reviewer and the supervisor
    # above may read the case but not give it to someone.
    for who in ("reviewer_a", "supervisor"):
        client.force_login(getattr(cast, who))
        assert client.post(url, {"handler": cast.head_a.pk}).status_code == 403, who
    case.refresh_from_db()
    assert case.handler is None
    assert not case.events.filter(kind=EventKind.ASSIGNED).exists()

    client.force_login(cast.officer_a)
    response = client.post(url, {"handler": cast.head_a.pk})
    assert response.status_code == 302 and response["Location"] == reverse(
        "foi:detail", args=[case.pk]
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["已分配给head_a。"]
    case.refresh_from_db()
    assert case.handler == cast.head_a
    event = case.events.get(kind=EventKind.ASSIGNED)
    assert event.actor == cast.officer_a
    assert event.data == {"handler": cast.head_a.pk, "handler_name": "head_a"}
    assert "head_a" in client.get(reverse("foi:detail", args=[case.pk])).content.decode()

    # Only the agency's disclosure staff can be chosen: not its reviewer, nor B's officer.
    for handler in (cast.reviewer_a, cast.officer_b):
        client.post(url, {"handler": handler.pk})
        case.refresh_from_db()
        assert case.handler == cast.head_a, handler
    # An administrator above the agency may reassign it.
    client.force_login(cast.admin_county)
    client.post(url, {"handler": cast.officer_a.pk})
    case.refresh_from_db()
    assert case.handler == cast.officer_a
    assert case.events.filter(kind=EventKind.ASSIGNED).count() == 2


def test_a_closed_case_is_not_reassigned(client, cast, case, time_machine):
    from django.contrib.messages import get_messages

    time_machine.move_to("2026-03-20 10:00 +0800", tick=False)
    reply_by_letter(
        case, officer=cast.officer_a, head=cast.head_a, on=date(2026, 3, 20), outcome="granted"
    )
    client.force_login(cast.officer_a)
    response = client.post(reverse("foi:assign", args=[case.pk]), {"handler": cast.head_a.pk})
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert case.number in message and "不能再办理" in message
    case.refresh_from_db()
    assert case.handler is None


def test_staff_register_a_foreign_organisation_without_a_credit_code(client, cast):
    client.force_login(cast.officer_a)
    data = {
        "agency": cast.a.pk,
        "channel": "in_person",
        "submitted_on": timezone.localdate().isoformat(),
        "applicant_type": "other_org",
        "organisation_name": "某国驻华商会",
        "credit_code_missing": "foreign",
        "contact_person": "李某",
        "phone": "010-65001234-12",
        "description": "外商投资项目备案办法",
        "provision_form": "paper",
        "delivery": "pick_up",
    }
    bad = {**data, "channel": "", "credit_code_missing": ""}
    text = client.post(reverse("foi:register"), bad).content.decode()
    assert "data-error-summary" in text and 'href="#id_channel"' in text
    assert 'href="#id_credit_code"' in text and 'value="某国驻华商会"' in text
    assert Application.objects.count() == 0
    response = client.post(reverse("foi:register"), data, follow=True)
    application = Application.objects.get()
    assert application.applicant_name == "某国驻华商会" and application.credit_code == ""
    assert application.credit_code_missing == "foreign"
    assert "无统一社会信用代码的原因" in response.content.decode()
    assert "境外组织" in response.content.decode()
