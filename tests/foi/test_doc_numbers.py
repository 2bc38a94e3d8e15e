"""文号 of letters (regulation-notes-2 §10.3): 机关代字 + code + 〔年份〕 + number + 号,
gap-free per agency and year, per kind or shared; refused without a 机关代字."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from gongkai.foi import actions, letters
from gongkai.foi.actions import ActionError
from gongkai.foi.models import LetterStatus
from gongkai.lib.report_keys import Outcome
from gongkai.orgs.models import DOC_NO_PATTERN, LetterSeries, doc_no_validator


@pytest.fixture
def case(submit, time_machine):
    application = submit(date(2026, 3, 2)).application
    # Steps may be dated at most FOI_BACKDATE_WORKING_DAYS back: the letters are issued on
    # 2026-03-12, within three working days of the reply of 03-10.
    time_machine.move_to("2026-03-12 10:00 +0800", tick=False)
    return application


def issue(case, cast, kind: str, on: date) -> str:
    letter = letters.draft_letter(case, actor=cast.officer_a, kind=kind)
    letters.approve_letter(letter, actor=cast.head_a)
    return letters.issue_letter(letter, actor=cast.officer_a, on=on).doc_no


def reply(case, cast, on: date = date(2026, 3, 10)) -> None:
    """The reply recorded as an import would (no letter), for letters drafted from it."""
    actions.reply(case, actor=None, on=on, outcome=Outcome.GRANTED, documents="预算表")


def test_each_kind_has_its_own_series_by_default(case, cast):
    reply(case, cast)
    numbers = [
        issue(case, cast, "receipt", date(2026, 3, 3)),
        issue(case, cast, "receipt", date(2026, 3, 3)),
        issue(case, cast, "reply", date(2026, 3, 10)),
        issue(case, cast, "receipt", date(2026, 3, 11)),
    ]
    assert numbers == [
        "测甲依申受〔2026〕1号",
        "测甲依申受〔2026〕2号",
        "测甲依申答〔2026〕1号",
        "测甲依申受〔2026〕3号",
    ]
    assert all(re.fullmatch(DOC_NO_PATTERN, n) for n in numbers)


def test_a_shared_series_counts_all_letters_under_one_code(case, cast):
    cast.a.letter_series = LetterSeries.SHARED
    cast.a.save()
    reply(case, cast)
    assert [
        issue(case, cast, "receipt", date(2026, 3, 3)),
        issue(case, cast, "reply", date(2026, 3, 10)),
        issue(case, cast, "receipt", date(2026, 3, 10)),
    ] == ["测甲依申〔2026〕1号", "测甲依申〔2026〕2号", "测甲依申〔2026〕3号"]


def test_a_new_year_starts_at_one_without_zeros_or_di(case, cast, time_machine):
    time_machine.move_to("2026-12-31 10:00 +0800", tick=False)
    for _ in range(9):
        issue(case, cast, "receipt", date(2026, 12, 31))
    assert issue(case, cast, "receipt", date(2026, 12, 31)) == "测甲依申受〔2026〕10号"
    time_machine.move_to("2027-01-04 10:00 +0800", tick=False)
    assert issue(case, cast, "receipt", date(2027, 1, 4)) == "测甲依申受〔2027〕1号"


def test_a_letter_cannot_be_dated_in_the_future(case, cast, time_machine):
    time_machine.move_to("2026-03-03 10:00 +0800", tick=False)
    with pytest.raises(ActionError, match="晚于今天"):
        issue(case, cast, "receipt", date(2026, 3, 4))


@pytest.mark.parametrize(
    "number",
    [
        "测甲〔2026〕01号",
        "测甲〔2026〕第1号",
        "测甲(2026)1号",
        "测甲【2026】1号",
        "测甲〔26〕1号",
        "〔2026〕1号",
    ],
)
def test_the_pattern_refuses_what_gb_t_9704_does_not_allow(number):
    with pytest.raises(ValidationError):
        doc_no_validator(number)


def test_no_letter_is_issued_without_an_abbreviation_and_no_number_is_lost(case, cast):
    cast.a.doc_abbr = ""
    cast.a.save()
    letter = letters.draft_letter(case, actor=cast.officer_a, kind="receipt")
    letters.approve_letter(letter, actor=cast.head_a)
    with pytest.raises(ActionError) as refused:
        letters.issue_letter(letter, actor=cast.officer_a, on=date(2026, 3, 3))
    assert "尚未设置文号所用的机关代字" in str(refused.value)
    assert "机构页面的“文书与救济途径”" in str(refused.value)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.APPROVED and letter.doc_no == ""
    cast.a.doc_abbr = "测甲"
    cast.a.save()
    issued = letters.issue_letter(letter, actor=cast.officer_a, on=date(2026, 3, 3))
    assert issued.doc_no == "测甲依申受〔2026〕1号"


def test_a_reply_whose_remedy_clause_was_edited_away_is_refused(case, cast):
    reply(case, cast)
    letter = letters.draft_letter(case, actor=cast.officer_a, kind="reply")
    cut = "\n".join(p for p in letter.body.splitlines() if "行政复议" not in p)
    letters.edit_letter(letter, actor=cast.officer_a, body=cut)
    letters.approve_letter(letter, actor=cast.head_a)
    with pytest.raises(ActionError) as refused:
        letters.issue_letter(letter, actor=cast.officer_a, on=date(2026, 3, 10))
    message = refused.value.messages[0]
    assert message.startswith("该文书的救济途径告知不完整：")
    assert "申请行政复议的权利" in message and "复议机关测试县人民政府" in message
    assert "六十日" in message and "。。" not in message
    letter.refresh_from_db()
    assert letter.status == LetterStatus.APPROVED and letter.doc_no == ""
