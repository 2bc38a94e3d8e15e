"""Letter templates as data (issue 17): per agency → installation default → built-in,
versioned and audited, refused when they cannot be filled, previewed with the sample
case, and edited only by the agency's office head (the defaults: an administrator)."""

from __future__ import annotations

import importlib
from datetime import date
from io import BytesIO

import pdfplumber
import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongkai.audit.models import Action, AuditEntry
from gongkai.foi import actions, letter_templates, letters
from gongkai.foi.letter_templates import Slot
from gongkai.foi.models import Application, LetterTemplate, LetterTemplateVersion
from gongkai.foi.wording import DEFAULTS, REPLIES
from gongkai.lib.errors import ActionError
from gongkai.lib.report_keys import Outcome
from tests.foi.conftest import PERSON


def slot(name: str) -> Slot:
    found = letter_templates.slot(name)
    assert found is not None, name
    return found


CORRECTION = slot("correction")
NEW_TEXT = "{申请人}：\n您的申请（{申请编号}）内容不明确，请补正：\n{补正事项}\n请于{补正期限}前补正。\n特此告知。"


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages).replace(" ", "")


@pytest.fixture
def corrected(cast, submit, time_machine):
    """A case of A and one of B, each with a 补正 step on the timeline."""
    case_a = submit(date(2026, 3, 2)).application
    time_machine.move_to("2026-03-03 10:00 +0800", tick=False)
    case_b = actions.submit_application(
        cast.b, PERSON, channel="online", submitted_on=date(2026, 3, 2)
    ).application
    for application, officer in ((case_a, cast.officer_a), (case_b, cast.officer_b)):
        actions.request_correction(
            application,
            actor=officer,
            on=date(2026, 3, 3),
            items=["写明文件名称"],
            until=date(2026, 3, 17),
        )
    return case_a, case_b


def _save(cast, agency, body=NEW_TEXT, title="补正通知", target=CORRECTION, actor=None):
    actor = actor or (cast.head_a if agency is not None else cast.superuser)
    return letter_templates.save_template(
        target, agency=agency, title=title, body=body, note="试行", actor=actor
    )


def test_the_agency_text_then_the_default_then_the_built_in_one(cast, corrected):
    case_a, case_b = corrected
    builtin = DEFAULTS["correction"]
    assert letters.compose(case_a, "correction").title == builtin.title
    _save(cast, None, body="{申请人}：默认文本。", title="默认补正告知书")
    assert letters.compose(case_a, "correction").body == "张三：默认文本。"
    assert letters.compose(case_b, "correction").title == "默认补正告知书"
    _save(cast, cast.a)
    composed = letters.compose(case_a, "correction")
    assert composed.title == "补正通知" and "请补正：\n1. 写明文件名称" in composed.body
    assert letters.compose(case_b, "correction").body == "张三：默认文本。"  # B keeps the default
    assert letter_templates.current(CORRECTION, cast.a).source == letter_templates.OWN
    assert letter_templates.current(CORRECTION, cast.b).source == letter_templates.DEFAULT
    assert letter_templates.current(slot("receipt"), cast.b).source == letter_templates.BUILTIN
    # The draft the office writes is the composed text.
    letter = letters.draft_letter(case_a, actor=cast.officer_a, kind="correction")
    assert letter.title == "补正通知"


def test_an_agency_text_beats_even_an_exact_default_and_old_groups_are_read(
    cast, submit, time_machine
):
    case = submit(date(2026, 3, 2)).application
    time_machine.move_to("2026-03-20 10:00 +0800", tick=False)
    # Recorded as an import would (the case page drafts the letter from the outcome).
    actions.reply(case, actor=None, on=date(2026, 3, 20), outcome=Outcome.DENIED_PROCESS_INFO)
    LetterTemplate.objects.create(
        kind="reply", variant="denied_process_info", title="默认", body="默认。{救济途径}"
    )
    assert letters.compose(case, "reply").title == "默认"
    LetterTemplate.objects.create(
        agency=cast.a, kind="reply", variant="denied", title="本机关组", body="组。{救济途径}"
    )
    assert letters.compose(case, "reply").title == "本机关组"
    text = letters.wording("reply", "denied", "denied_process_info", agency=cast.b)
    assert text.title == "默认"
    assert letters.wording("reply", key="granted").title == REPLIES["granted"].title


def test_the_longest_outcome_key_fits_and_has_its_own_slot(cast):
    longest = max(REPLIES, key=len)
    max_length = LetterTemplate._meta.get_field("variant").max_length
    assert max_length is not None and len(longest) <= max_length
    target = slot(f"reply-{longest}")
    body = REPLIES[longest].body.replace("经审查", "经本机关审查")
    _save(cast, cast.a, body=body, title="不予公开告知书", target=target)
    assert LetterTemplate.objects.get(agency=cast.a).variant == longest
    names = {s.name for s in letter_templates.SLOTS}
    assert {"receipt", "reply-granted_published", "abandonment-other_overdue_fee"} <= names


def test_each_save_is_a_version_and_restoring_saves_another(cast):
    first = _save(cast, cast.a)
    second = _save(cast, cast.a, body=NEW_TEXT.replace("请补正", "请您补正"))
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(ActionError):  # unchanged: nothing to save
        _save(cast, cast.a, body=second.body)
    restored = letter_templates.restore(first, actor=cast.head_a)
    template = LetterTemplate.objects.get(agency=cast.a, kind="correction")
    assert restored.number == 3 and template.body == first.body
    assert restored.note == "恢复第1版" and restored.created_by == cast.head_a
    assert list(template.versions.values_list("number", flat=True)) == [3, 2, 1]
    entries = AuditEntry.objects.filter(action=Action.LETTER_TEMPLATE_CHANGED).order_by("id")
    assert [e.detail["version"] for e in entries] == [1, 2, 3]
    assert entries[2].detail["restored_from"] == 1
    assert {e.agency for e in entries} == {cast.a} and entries[0].actor == cast.head_a
    assert entries[0].detail["slot"] == "correction"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{申请人}：{未知占位符}", "未知占位符：{未知占位符}"),
        ("{申请人：请补正", "花括号不成对"),
        ("申请人}：请补正", "花括号不成对"),
        ("{申请人:>8}：请补正", "不能带冒号"),
        ("{}：请补正", "空的占位符"),
    ],
)
def test_texts_that_cannot_be_filled_are_refused(cast, body, message):
    with pytest.raises(ActionError) as refused:
        _save(cast, cast.a, body=body)
    assert message in " ".join(refused.value.messages)
    assert not LetterTemplate.objects.exists()
    assert letters.placeholder_problems("{{申请人}} 写作文字") == []


def test_a_decision_letter_keeps_its_remedy_clause(cast):
    target = slot("reply-granted")
    with pytest.raises(ActionError) as refused:
        _save(cast, cast.a, body="{申请人}：予以公开。特此告知。", title="答复书", target=target)
    assert "{救济途径}" in " ".join(refused.value.messages)
    for name in ("third_party_override", "abandonment-other_overdue_fee"):
        assert letters.placeholder_problems("无条款", slot(name).kind)
    assert letters.placeholder_problems("无条款", "correction") == []


def test_only_the_office_head_edits_the_agency_and_an_administrator_the_default(cast):
    with pytest.raises(PermissionDenied):
        _save(cast, cast.a, actor=cast.officer_a)
    with pytest.raises(PermissionDenied):
        _save(cast, None, actor=cast.head_a)
    with pytest.raises(PermissionDenied):
        _save(cast, cast.b, actor=cast.head_a)
    _save(cast, None, actor=cast.admin_county)  # an administrator of the top agency
    _save(cast, cast.b, actor=cast.superuser)
    assert not letter_templates.may_edit(cast.supervisor, cast.a)
    assert not letter_templates.may_edit(cast.supervisor, None)


def test_the_pages_by_role(client, cast):
    edit_a = reverse("foi:letter_template_agency", args=["a", "correction"])
    edit_default = reverse("foi:letter_template_default", args=["correction"])
    form = {"action": "save", "template-title": "补正通知", "template-body": NEW_TEXT}
    client.force_login(cast.officer_a)
    assert client.get(edit_a).status_code == 200  # may read and preview
    assert client.post(edit_a, form).status_code == 403
    client.force_login(cast.officer_b)
    assert client.get(edit_a).status_code == 404
    assert client.get(reverse("foi:letter_templates_agency", args=["a"])).status_code == 404
    client.force_login(cast.head_a)
    assert client.post(edit_default, form).status_code == 403
    assert client.get(reverse("foi:letter_template_agency", args=["a", "nope"])).status_code == 404
    response = client.post(edit_a, form | {"template-body": NEW_TEXT.replace("\n", "\r\n")})
    assert response.status_code == 302 and response["Location"] == edit_a
    assert LetterTemplate.objects.get(agency=cast.a).body == NEW_TEXT  # line ends as stored
    page = client.get(edit_a).content.decode()
    assert "第1版已保存" in page and "本机关" in page and "{补正事项}" in page
    listing = client.get(reverse("foi:letter_templates_agency", args=["a"])).content.decode()
    assert "补正通知" in listing and "内置" in listing and "本机关" in listing
    client.force_login(cast.admin_county)
    assert client.post(edit_default, form).status_code == 302
    listing = client.get(reverse("foi:letter_templates")).content.decode()
    assert "本级默认" in listing and "测试县甲局" in listing


def test_a_refused_text_is_kept_with_a_chinese_message(client, cast):
    client.force_login(cast.head_a)
    typed = "{申请人}：请补正{未知占位符}，谢谢"
    response = client.post(
        reverse("foi:letter_template_agency", args=["a", "correction"]),
        {"action": "save", "template-title": "补正通知", "template-body": typed},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "未知占位符：{未知占位符}" in page
    assert typed in page and not LetterTemplate.objects.exists()
    response = client.post(
        reverse("foi:letter_template_agency", args=["a", "reply-granted"]),
        {"action": "save", "template-title": "答复书", "template-body": "{申请人}：予以公开。"},
    )
    assert "必须保留占位符{救济途径}" in response.content.decode()


def test_a_preview_fills_the_typed_text_with_the_sample_case(client, cast):
    client.force_login(cast.head_a)
    url = reverse("foi:letter_template_agency", args=["a", "correction"])
    form = {"template-title": "补正通知（试行）", "template-body": NEW_TEXT}
    page = client.post(url, form | {"action": "preview"}).content.decode()
    assert "张某某：\n您的申请（a-" in page and "1. 写明所需政府信息的名称" in page
    assert "测甲依申补〔2026〕1号" in page or "测甲依申补〔" in page
    assert "补正通知（试行）" in page
    response = client.post(url, form | {"action": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "补正通知（试行）" in text and "张某某" in text and "测试县甲局" in text
    # Nothing of the preview stays.
    assert not LetterTemplate.objects.exists() and not Application.objects.exists()
    # The installation's default is previewed as a letter of an agency the user sees,
    # even where that agency has its own text.
    _save(cast, cast.a, body="{申请人}：本机关文本。")
    client.force_login(cast.admin_county)
    page = client.post(
        reverse("foi:letter_template_default", args=["correction"]),
        form | {"action": "preview", "template-body": "{申请人}：默认文本试行。"},
    ).content.decode()
    assert "张某某：默认文本试行。" in page
    assert LetterTemplate.objects.get().body == "{申请人}：本机关文本。"


def test_a_decision_letter_preview_has_its_remedy_clause(cast):
    target = slot("reply-denied_three_security_one_stability")
    made = letter_templates.preview(
        target,
        scope=cast.a,
        sample_agency=cast.a,
        title="不予公开告知书",
        body="{申请人}：不予公开。\n{救济途径}\n特此告知。",
    )
    assert "张某某：不予公开。" in made.text and "测试县人民政府申请行政复议" in made.text
    assert made.pdf().startswith(b"%PDF")


def test_restoring_from_the_page(client, cast):
    first = _save(cast, cast.a)
    _save(cast, cast.a, body="{申请人}：第二版。")
    client.force_login(cast.head_a)
    url = reverse("foi:letter_template_agency", args=["a", "correction"])
    assert client.post(url, {"action": "restore", "version": "x"}).status_code == 404
    response = client.post(url, {"action": "restore", "version": first.pk})
    assert response.status_code == 302
    template = LetterTemplate.objects.get()
    assert template.body == NEW_TEXT and template.versions.count() == 3
    client.force_login(cast.officer_a)
    assert client.post(url, {"action": "restore", "version": first.pk}).status_code == 403


def test_the_migration_gives_existing_templates_a_first_version(cast):
    LetterTemplate.objects.create(kind="receipt", title="受理通知", body="{申请人}：收到。")
    migration = importlib.import_module("gongkai.foi.migrations.0015_letter_templates_per_agency")
    migration.first_versions(apps, None)
    migration.first_versions(apps, None)  # once only
    version = LetterTemplateVersion.objects.get()
    assert (version.number, version.body, version.template.agency) == (1, "{申请人}：收到。", None)


def test_the_admin_keeps_a_version_of_each_save(client, cast):
    client.force_login(cast.superuser)
    response = client.post(
        reverse("admin:foi_lettertemplate_add"),
        {
            "agency": cast.a.pk,
            "kind": "receipt",
            "variant": "",
            "title": "受理通知",
            "body": "{申请人}：收到。",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert LetterTemplateVersion.objects.get().created_by == cast.superuser
    response = client.post(
        reverse("admin:foi_lettertemplate_add"),
        {
            "kind": "reply",
            "variant": "granted",
            "title": "答复",
            "body": "{申请人}：{未知}",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )
    assert "未知占位符" in response.content.decode()


def test_the_specimens_show_the_agency_wording(cast):
    from gongkai.foi.management.commands.letter_specimens import specimen

    _save(cast, cast.a, body="{申请人}：本机关受理回执。", title="受理回执", target=slot("receipt"))
    assert "张某某：本机关受理回执。" in specimen(cast.a, "receipt", 2026).text(cast.a)
    assert "张某某：本机关受理回执。" not in specimen(cast.b, "receipt", 2026).text(cast.b)
    assert not LetterTemplate.objects.filter(agency=cast.b).exists()
