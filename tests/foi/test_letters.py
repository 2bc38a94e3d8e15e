"""Letters: wording from the record, approval before issue, 文号, DOCX and PDF read back."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pdfplumber
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from docx import Document

from gongkai.foi import actions, letter_files, letters
from gongkai.foi.actions import ActionError
from gongkai.foi.models import LetterStatus, LetterTemplate
from gongkai.lib.report_keys import Outcome


@pytest.fixture
def case(submit, time_machine):
    application = submit(date(2026, 3, 2)).application
    time_machine.move_to("2026-03-03 10:00 +0800", tick=False)
    return application


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(BytesIO(data)).paragraphs)


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages).replace(" ", "")


def test_a_receipt_is_filled_from_the_record(case, cast):
    letter = letters.draft_letter(case, actor=cast.officer_a, kind="receipt")
    assert letter.title == "政府信息公开申请受理回执" and letter.status == LetterStatus.DRAFT
    assert "张三：" in letter.body and case.number in letter.body
    assert "2026年3月2日" in letter.body and "2026年3月30日" in letter.body
    assert "第三十三条" in letter.body and "____" in letter.body  # the agency has no phone yet


def test_a_reply_cites_the_legal_basis_of_its_outcome(case, cast, time_machine):
    time_machine.move_to("2026-03-20 10:00 +0800", tick=False)
    letter = letters.draft_reply(
        case, actor=cast.officer_a, outcome=Outcome.DENIED_PROCESS_INFO, basis="属于讨论记录。"
    )
    # Its own wording, not the report's row label (issue 17).
    assert "（三）不予公开" not in letter.body and "6.属于四类过程性信息" not in letter.body
    assert "第十六条第二款及第三十六条第（三）项" in letter.body and "属于讨论记录。" in letter.body
    assert "先自收到本答复书之日起六十日内向测试县人民政府申请行政复议" in letter.body


def test_letters_need_their_step_first(case, cast):
    with pytest.raises(ActionError):
        letters.draft_letter(case, actor=cast.officer_a, kind="extension")
    # 第三十五条 has no step of its own: the request to explain is offered on any open case.
    assert letters.available_kinds(case) == ["receipt", "explanation"]


def test_only_the_office_head_approves_and_only_approved_letters_are_issued(case, cast):
    letter = letters.draft_letter(case, actor=cast.officer_a, kind="receipt")
    letters.edit_letter(letter, actor=cast.officer_a, body=letter.body + "\n特此告知。")
    with pytest.raises(ActionError):
        letters.issue_letter(letter, actor=cast.officer_a)
    with pytest.raises(PermissionDenied):
        letters.approve_letter(letter, actor=cast.officer_a)
    letters.approve_letter(letter, actor=cast.head_a)
    with pytest.raises(ActionError):
        letters.edit_letter(letter, actor=cast.officer_a, body="改")
    issued = letters.issue_letter(letter, actor=cast.officer_a, on=date(2026, 3, 3))
    assert issued.doc_no == "测甲依申受〔2026〕1号" and issued.issued_on == date(2026, 3, 3)
    second = letters.draft_letter(case, actor=cast.officer_a, kind="receipt")
    letters.approve_letter(second, actor=cast.head_a)
    assert (
        letters.issue_letter(second, actor=cast.officer_a, on=date(2026, 3, 3)).doc_no
        == "测甲依申受〔2026〕2号"
    )


def test_docx_and_pdf_open_back_with_the_text(case, cast):
    cast.a.office_phone = "0000-1234"
    cast.a.save()
    letter = letters.draft_letter(case, actor=cast.officer_a, kind="receipt")
    draft_docx = docx_text(letter_files.render_docx(letter))
    assert "政府信息公开申请受理回执（草稿）" in draft_docx and "联系电话：0000-1234" in draft_docx
    letters.approve_letter(letter, actor=cast.head_a)
    letter = letters.issue_letter(letter, actor=cast.officer_a, on=date(2026, 3, 3))
    final_docx = docx_text(letter_files.render_docx(letter))
    assert "测甲依申受〔2026〕1号" in final_docx and "（草稿）" not in final_docx
    assert "测试县甲局" in final_docx and "2026年3月3日" in final_docx
    text = pdf_text(letter_files.render_pdf(letter))
    assert "政府信息公开申请受理回执" in text and "测甲依申受〔2026〕1号" in text
    assert case.number in text and "草稿" not in text


def test_an_administrators_wording_replaces_the_built_in_text(case, cast):
    LetterTemplate.objects.create(
        kind="receipt", title="受理通知", body="{申请人}：您的申请{申请编号}已收到。"
    )
    letter = letters.draft_letter(case, actor=cast.officer_a, kind="receipt")
    assert letter.title == "受理通知" and letter.body == f"张三：您的申请{case.number}已收到。"
    assert letters.unknown_placeholders("{申请人}{不存在}") == ["不存在"]


def test_letters_through_the_case_page(client, case, cast):
    client.force_login(cast.officer_a)
    client.post(reverse("foi:letter_draft", args=[case.pk]), {"kind": "receipt"})
    letter = case.letters.get()
    response = client.get(reverse("foi:letter_file", args=[case.pk, letter.pk, "docx"]))
    assert "受理回执" in docx_text(response.content)
    assert (
        client.post(reverse("foi:letter_action", args=[case.pk, letter.pk, "approve"])).status_code
        == 403
    )
    client.force_login(cast.head_a)
    approved = client.post(
        reverse("foi:letter_action", args=[case.pk, letter.pk, "approve"]), follow=True
    )
    letter.refresh_from_db()
    assert letter.status == LetterStatus.APPROVED
    assert "《政府信息公开申请受理回执》已审批同意，可以发文。" in approved.content.decode()
    issued = client.post(
        reverse("foi:letter_action", args=[case.pk, letter.pk, "issue"]), follow=True
    )
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ISSUED
    assert f"已发文，文号为{letter.doc_no}。" in issued.content.decode()
    client.force_login(cast.officer_b)
    assert (
        client.get(reverse("foi:letter_file", args=[case.pk, letter.pk, "pdf"])).status_code == 404
    )


def test_the_case_page_offers_the_letters_of_the_steps_on_the_timeline(
    client, case, cast, time_machine
):
    time_machine.move_to("2026-03-05 10:00 +0800", tick=False)
    actions.send_consultation(
        case,
        actor=cast.officer_a,
        on=date(2026, 3, 5),
        party="third_party",
        recipient="某某有限公司",
    )
    time_machine.move_to("2026-03-17 10:00 +0800", tick=False)
    actions.close_consultation(
        case, actor=cast.officer_a, on=date(2026, 3, 16), result="不同意公开"
    )
    client.force_login(cast.officer_a)
    page = client.get(reverse("foi:detail", args=[case.pk])).content.decode()
    for kind in ("consultation_third_party", "consultation_notice", "third_party_override"):
        assert f'<option value="{kind}">' in page, kind
    for kind in ("consultation_agency", "withdrawal", "abandonment", "delivery_record"):
        assert f'<option value="{kind}">' not in page, kind
    client.post(reverse("foi:letter_draft", args=[case.pk]), {"kind": "third_party_override"})
    letter = case.letters.get()
    assert letter.recipient == "某某有限公司" and letter.body.startswith("某某有限公司：")
    assert "贵方的意见为：不同意公开。" in letter.body
    assert "如对本机关决定公开的决定不服" in letter.body
    client.post(reverse("foi:letter_draft", args=[case.pk]), {"kind": "consultation_notice"})
    notice = case.letters.get(kind="consultation_notice")
    assert notice.recipient == "张三" and "某某有限公司" not in notice.body
    # The remedy clause is checked before the third party's notice is issued.
    letters.edit_letter(letter, actor=cast.officer_a, body="某某有限公司：\n决定公开。")
    letters.approve_letter(letter, actor=cast.head_a)
    with pytest.raises(ActionError):
        letters.issue_letter(letter, actor=cast.officer_a, on=date(2026, 3, 20))


def test_the_letter_kinds_migration_splits_consultations_and_moves_closings(case, cast):
    from importlib import import_module

    from django.apps import apps

    from gongkai.foi.models import Application, EventKind, Letter

    migration = import_module("gongkai.foi.migrations.0013_letter_kinds")
    case.events.create(
        kind=EventKind.CONSULTATION_SENT,
        on=date(2026, 3, 4),
        data={"party": "agency", "recipient": "测试县乙局", "ref": "c1"},
    )
    case.events.create(
        kind=EventKind.CONSULTATION_SENT,
        on=date(2026, 3, 5),
        data={"party": "third_party", "recipient": "某公司", "ref": "c2"},
    )
    to_agency = case.letters.create(
        kind="consultation", title="函", recipient="测试县乙局", body=""
    )
    to_company = case.letters.create(kind="consultation", title="函", recipient="某公司", body="")
    reply = case.letters.create(kind="reply", title="答复", recipient="张三", body="")
    case.events.create(kind=EventKind.WITHDRAWN, on=date(2026, 3, 6))
    other = Application.objects.create(
        **{
            f.name: getattr(case, f.name)
            for f in Application._meta.concrete_fields
            if f.name not in ("id", "number", "seq", "submission_token")
        },
        number="a-2026-00099",
        seq=99,
    )
    other.events.create(kind=EventKind.CLOSED_UNANSWERED, on=date(2026, 4, 1))
    lapsed = other.letters.create(kind="reply", title="告知", recipient="张三", body="")
    LetterTemplate.objects.create(kind="consultation", title="征求意见", body="{被征求意见方}：")
    LetterTemplate.objects.create(kind="reply", variant="withdrawn", title="撤回", body="撤")

    migration.split_kinds(apps, None)

    kinds = dict(Letter.objects.values_list("pk", "kind"))
    assert kinds[to_agency.pk] == "consultation_agency"
    assert kinds[to_company.pk] == "consultation_third_party"
    assert kinds[reply.pk] == "withdrawal" and kinds[lapsed.pk] == "abandonment"
    assert set(LetterTemplate.objects.values_list("kind", "variant")) == {
        ("consultation_third_party", ""),
        ("consultation_agency", ""),
        ("withdrawal", ""),
    }
    # The two consultation letters continue the series of the old kind.
    assert letters.series(cast.a, "consultation_agency", 2026) == ("依申征", "2026/consultation")
    migration.join_kinds(apps, None)
    assert Letter.objects.get(pk=to_agency.pk).kind == "consultation"
