"""The decision letter for every outcome of table 三: its own wording citing its article,
no row labels, no "。。", the remedy clause where §8.3 wants one, issued after the check."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gongkai.foi import actions, letters, remedy
from gongkai.foi.models import Event, EventKind, Letter, LetterTemplate
from gongkai.foi.wording import ABANDONMENT, DEFAULTS, REPLIES
from gongkai.lib.report_format import outcome_rows
from gongkai.lib.report_keys import OVERDUE_OUTCOMES, Outcome

# wording key → (the outcome it records, the facts given, the citation the letter must carry)
CASES: dict[str, tuple[str, dict[str, Any], str]] = {
    "granted_published": (
        Outcome.GRANTED,
        {"published_at": "本机关门户网站“法定主动公开内容”栏目（索引号：qsx-jyj/2026-00012）"},
        "第三十六条第（一）项",
    ),
    Outcome.GRANTED: (Outcome.GRANTED, {}, "第三十六条第（二）项"),
    Outcome.PARTIALLY_GRANTED: (
        Outcome.PARTIALLY_GRANTED,
        {"withheld": [{"part": "个人信息", "reason": "属于个人隐私", "basis": "条例第十五条"}]},
        "第三十七条",
    ),
    Outcome.DENIED_STATE_SECRET: (
        Outcome.DENIED_STATE_SECRET,
        {},
        "第十四条及第三十六条第（三）项",
    ),
    Outcome.DENIED_LAW_PROHIBITED: (
        Outcome.DENIED_LAW_PROHIBITED,
        {"law": "《中华人民共和国统计法》"},
        "第十四条及第三十六条第（三）项",
    ),
    Outcome.DENIED_THREE_SECURITY_ONE_STABILITY: (
        Outcome.DENIED_THREE_SECURITY_ONE_STABILITY,
        {},
        "第十四条及第三十六条第（三）项",
    ),
    Outcome.DENIED_THIRD_PARTY_RIGHTS: (
        Outcome.DENIED_THIRD_PARTY_RIGHTS,
        {},
        "第十五条、第三十二条及第三十六条第（三）项",
    ),
    Outcome.DENIED_INTERNAL_AFFAIRS: (
        Outcome.DENIED_INTERNAL_AFFAIRS,
        {},
        "第十六条第一款及第三十六条第（三）项",
    ),
    Outcome.DENIED_PROCESS_INFO: (
        Outcome.DENIED_PROCESS_INFO,
        {},
        "第十六条第二款及第三十六条第（三）项",
    ),
    Outcome.DENIED_ENFORCEMENT_CASE_FILE: (
        Outcome.DENIED_ENFORCEMENT_CASE_FILE,
        {},
        "第十六条第二款及第三十六条第（三）项",
    ),
    Outcome.DENIED_ADMINISTRATIVE_QUERY: (
        Outcome.DENIED_ADMINISTRATIVE_QUERY,
        {"law": "《不动产登记暂行条例》", "competent_agency": "测试县不动产登记中心"},
        "第三十六条第（七）项",
    ),
    Outcome.UNABLE_NOT_HELD: (
        Outcome.UNABLE_NOT_HELD,
        {"search_record": "以“部门预算”为关键词检索了本机关公文系统，并询问了财务科。"},
        "第三十六条第（四）项",
    ),
    "unable_not_held_elsewhere": (
        Outcome.UNABLE_NOT_HELD,
        {"competent_agency": "测试县财政局", "competent_contact": "0000-5678，测试县人民路 9 号"},
        "第三十六条第（五）项",
    ),
    Outcome.UNABLE_NEEDS_CREATION: (Outcome.UNABLE_NEEDS_CREATION, {}, "第三十八条"),
    Outcome.UNABLE_UNCLEAR_AFTER_CORRECTION: (
        Outcome.UNABLE_UNCLEAR_AFTER_CORRECTION,
        {},
        "第三十条",
    ),
    Outcome.NP_PETITION_COMPLAINT: (Outcome.NP_PETITION_COMPLAINT, {}, "第三十九条第一款"),
    Outcome.NP_REPEATED: (
        Outcome.NP_REPEATED,
        {"earlier_reply": "2026年1月5日，测甲依申答〔2026〕1号"},
        "第三十六条第（六）项",
    ),
    Outcome.NP_PUBLICATION: (Outcome.NP_PUBLICATION, {}, "第三十九条第二款"),
    Outcome.NP_MASSIVE_UNREASONABLE: (Outcome.NP_MASSIVE_UNREASONABLE, {}, "第三十五条"),
    Outcome.NP_CONFIRM_OR_REISSUE: (Outcome.NP_CONFIRM_OR_REISSUE, {}, "第二条"),
    Outcome.OTHER_OVERDUE_CORRECTION: (Outcome.OTHER_OVERDUE_CORRECTION, {}, "第三十条"),
    Outcome.OTHER_OVERDUE_FEE: (Outcome.OTHER_OVERDUE_FEE, {}, "国办函〔2020〕109号"),
    Outcome.OTHER_MISC: (Outcome.OTHER_MISC, {}, ""),
    "withdrawn": (Outcome.OTHER_MISC, {}, ""),
}

# The row labels of table 三, which a letter must never print (with their counting notes).
ROW_LABELS = [r["label"] for r in outcome_rows()] + [
    "（三）不予公开",
    "（四）无法提供",
    "（五）不予处理",
    "（六）其他处理",
    "区分处理的",
]


# The letters that close a case without a reply have their own kinds (issue 17).
KIND = {
    Outcome.OTHER_OVERDUE_CORRECTION: ("abandonment", "依申弃"),
    Outcome.OTHER_OVERDUE_FEE: ("abandonment", "依申弃"),
    "withdrawn": ("withdrawal", "依申撤"),
}


def test_every_outcome_and_every_wording_has_a_case_here():
    assert set(CASES) == set(REPLIES) | set(ABANDONMENT) | {"withdrawn"}
    assert {outcome for outcome, _facts, _cite in CASES.values()} == set(Outcome)


def close(case, cast, key: str, outcome: str, facts: dict[str, Any]) -> Letter | None:
    """Close the case as `key` says; for a reply, the decision letter it drafts."""
    on = date(2026, 3, 20)
    if key == "withdrawn":
        actions.withdraw(case, actor=cast.officer_a, on=on, note="电话撤回")
    elif outcome in OVERDUE_OUTCOMES:
        # The lapsed step and the closing, as close_overdue records them.
        if outcome == Outcome.OTHER_OVERDUE_CORRECTION:
            case.events.create(
                kind=EventKind.CORRECTION_REQUESTED,
                on=date(2026, 3, 4),
                data={"items": ["写明文件名称"], "until": "2026-03-13"},
            )
        else:
            case.events.create(
                kind=EventKind.FEE_NOTICE_SENT,
                on=date(2026, 3, 4),
                data={"method": "pages", "amount": 120, "pages": 300},
            )
        case.outcome = outcome
        case.save(update_fields=["outcome"])
        case.events.create(kind=EventKind.CLOSED_UNANSWERED, on=on, data={"outcome": outcome})
    else:
        if outcome == Outcome.UNABLE_UNCLEAR_AFTER_CORRECTION:
            # Recorded as the import of earlier steps: the clock stands at 03-25, further
            # than FOI_BACKDATE_WORKING_DAYS after them.
            actions.request_correction(
                case,
                actor=None,
                on=date(2026, 3, 4),
                items=["写明文件名称"],
                until=date(2026, 3, 13),
            )
            actions.receive_correction(case, actor=None, on=date(2026, 3, 9))
        return letters.draft_reply(
            case,
            actor=cast.officer_a,
            outcome=outcome,
            basis="" if outcome != Outcome.OTHER_MISC else "申请事项已由本机关另案办理。",
            documents="2025年度部门预算表"
            if outcome in (Outcome.GRANTED, Outcome.PARTIALLY_GRANTED)
            else "",
            facts=facts,
        )
    return None


@pytest.fixture
def case(submit, time_machine):
    application = submit(date(2026, 3, 2)).application
    time_machine.move_to("2026-03-25 10:00 +0800", tick=False)
    return application


@pytest.mark.parametrize("key", list(CASES))
def test_the_decision_letter_of_each_outcome(case, cast, key):
    outcome, facts, citation = CASES[key]
    drafted = close(case, cast, key, outcome, facts)
    kind, code = KIND.get(key, ("reply", "依申答"))
    letter = drafted or letters.draft_letter(case, actor=cast.officer_a, kind=kind)
    body = letter.body
    assert body.startswith("张三：\n本机关于2026年3月2日收到您提出的政府信息公开申请")
    assert citation in body
    assert body.count("《中华人民共和国政府信息公开条例》") <= 1  # the legal basis once
    assert "\n依据：" not in body and "办理结果为" not in body
    for label in ROW_LABELS:
        assert label not in body, label
    assert "。。" not in body and "{" not in body and "____" not in body
    assert body.endswith("\n特此告知。")
    withdrawn = key == "withdrawn"
    if withdrawn:
        assert "行政复议" not in body
    else:
        assert "六十日内向测试县人民政府申请行政复议" in body
        prior = remedy.mode(outcome) == remedy.Mode.PRIOR_REVIEW
        assert ("先自收到本答复书之日起" in body) == prior
        assert ("六个月" in body) == (not prior)
    # Delivered by e-mail, but the agency has no online channel configured.
    assert "在线提交" not in body
    # It passes the check and is issued.
    letters.approve_letter(letter, actor=cast.head_a)
    issued = letters.issue_letter(letter, actor=cast.officer_a, on=date(2026, 3, 25))
    assert issued.doc_no == f"测甲{code}〔2026〕1号"


def test_the_required_content_of_the_letters(case, cast):
    letter = close(case, cast, "unable_not_held_elsewhere", *CASES["unable_not_held_elsewhere"][:2])
    assert letter is not None
    body = letter.body
    assert "由测试县财政局负责公开，联系方式：0000-5678，测试县人民路 9 号。" in body


def test_a_partial_reply_lists_each_withheld_part_with_its_reason_and_basis(case, cast):
    cast.a.review_online_url = "https://fuyi.example.gov.cn/"
    cast.a.save()
    letter = letters.draft_reply(
        case,
        actor=cast.officer_a,
        outcome=Outcome.PARTIALLY_GRANTED,
        documents="2025年度部门预算表（已删除个人信息）。",
        facts={
            "withheld": [
                {
                    "part": "表三中的个人姓名和身份证号码",
                    "reason": "属于个人隐私",
                    "basis": "条例第十五条",
                },
                {
                    "part": "附件2审议稿",
                    "reason": "属于过程性信息。",
                    "basis": "条例第十六条第二款",
                },
            ]
        },
    )
    body = letter.body
    assert "1. 表三中的个人姓名和身份证号码：属于个人隐私（依据：条例第十五条）。" in body
    assert "2. 附件2审议稿：属于过程性信息（依据：条例第十六条第二款）。" in body
    assert "现向您提供：2025年度部门预算表（已删除个人信息）。" in body and "。。" not in body
    assert "如对本答复中不予公开的部分不服" in body
    assert body.endswith("行政复议申请可以通过https://fuyi.example.gov.cn/在线提交。\n特此告知。")


def test_missing_facts_show_as_gaps_to_fill_in(case, cast):
    letter = letters.draft_reply(case, actor=cast.officer_a, outcome=Outcome.NP_REPEATED)
    assert "本机关已作出答复（____）" in letter.body


def test_interim_letters_have_no_doubled_stops_and_no_remedy_clause(case, cast):
    case.description = "2025年度部门预算。"
    case.save()
    body = letters.draft_letter(case, actor=cast.officer_a, kind="receipt").body
    assert "申请内容为：2025年度部门预算。" in body and "。。" not in body
    for wording in DEFAULTS.values():
        assert "行政复议" not in wording.body


def test_administrators_templates_per_outcome_and_per_group_still_apply(case, cast):
    LetterTemplate.objects.create(
        kind="reply", variant="denied", title="不予公开告知书", body="{申请人}：组。{救济途径}"
    )
    letter = letters.draft_reply(case, actor=cast.officer_a, outcome=Outcome.DENIED_PROCESS_INFO)
    assert letter.title == "不予公开告知书" and letter.body.startswith(
        "张三：组。如对本答复中不予公开的决定不服"
    )
    LetterTemplate.objects.create(
        kind="reply",
        variant=Outcome.DENIED_PROCESS_INFO,
        title="过程性信息",
        body="{申请人}：{法律依据}",
    )
    letter = letters.draft_reply(case, actor=cast.officer_a, outcome=Outcome.DENIED_PROCESS_INFO)
    assert (letter.title, letter.body) == ("过程性信息", "张三：第十六条第二款")
    # A template without the remedy clause is drafted, but not issued.
    letters.approve_letter(letter, actor=cast.head_a)
    with pytest.raises(actions.ActionError):
        letters.issue_letter(letter, actor=cast.officer_a, on=date(2026, 3, 20))


def test_the_reply_form_records_the_facts_the_letter_states(client, case, cast):
    from django.urls import reverse

    client.force_login(cast.officer_a)
    response = client.post(
        reverse("foi:step", args=[case.pk, "reply"]),
        {
            "step-reply-on": "2026-03-20",
            "step-reply-outcome": Outcome.UNABLE_NOT_HELD,
            "step-reply-search_record": "检索了公文系统",
            "step-reply-competent_agency": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    # The outcome drafts the decision letter; the case stays open until it is issued.
    assert not Event.objects.filter(application=case, kind=EventKind.REPLIED).exists()
    letter = Letter.objects.get(application=case, kind="reply")
    assert letter.decision["search_record"] == "检索了公文系统"
    assert "competent_agency" not in letter.decision and "检索了公文系统" in letter.body
    letters.approve_letter(letter, actor=cast.head_a)
    letters.issue_letter(letter, actor=cast.officer_a, on=date(2026, 3, 25))
    event = Event.objects.get(application=case, kind=EventKind.REPLIED)
    assert event.data["search_record"] == "检索了公文系统" and "competent_agency" not in event.data
    assert event.data["letter"] == letter.pk and event.on == date(2026, 3, 25)
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_on == date(2026, 3, 25)
