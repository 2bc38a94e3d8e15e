"""Personal data detection: true positives, false positives, masking."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from gongkai.publishing.detect import Kind, find_personal_data, mask_text


def kinds(text: str, words=()) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in find_personal_data(text, words)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("身份证号11010519491231002X，", [(Kind.ID_NUMBER, "11010519491231002X")]),
        ("手机13800138000。", [(Kind.MOBILE, "13800138000")]),
        ("电话 138-0013-8000", [(Kind.MOBILE, "138-0013-8000")]),
        ("办公电话0571-87654321", [(Kind.LANDLINE, "0571-87654321")]),
        ("电话（0571）87654321", [(Kind.LANDLINE, "（0571）87654321")]),
        ("卡号6222 0212 3456 7890 128", [(Kind.BANK_CARD, "6222 0212 3456 7890 128")]),
        ("卡号4111111111111111", [(Kind.BANK_CARD, "4111111111111111")]),
        ("邮箱 zhang.san@example.com 联系", [(Kind.EMAIL, "zhang.san@example.com")]),
        ("被处罚人：王小明，", [(Kind.NAME, "王小明")]),
    ],
)
def test_it_finds_personal_data(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "青政办发〔2026〕12号",
        "2026年3月2日印发，自2026-03-02起施行",
        "金额为12345678.90元，合计1380013800元",
        "统一社会信用代码11339901000000001X",
        "统一社会信用代码91110000600001760P",
        "11010519491231002Y",  # wrong check character
        "110105194913310021",  # no 13th month
        "6222021234567890120",  # fails Luhn
        "12345678901234567890123",  # just a long number
        "索引号11339901000000001X/2026-00012",
        "邮政编码339900，传真号码见附件",
    ],
)
def test_it_leaves_numbers_that_are_not_personal_data_alone(text):
    assert kinds(text) == []


def test_an_id_number_is_not_also_reported_as_a_phone_or_card():
    assert kinds("号码11010519491231002X") == [(Kind.ID_NUMBER, "11010519491231002X")]


def test_sensitive_words_come_from_the_administrators_list():
    assert kinds("此处提及某敏感词和另一个敏感词", ["敏感词", " "]) == [
        (Kind.SENSITIVE, "敏感词"),
        (Kind.SENSITIVE, "敏感词"),
    ]


def test_findings_carry_their_position_and_masking_de_identifies():
    text = "申请人：张三，身份证11010519491231002X，手机13800138000，邮箱zs@example.com。"
    findings = find_personal_data(text)
    for f in findings:
        assert text[f.start : f.end] == f.text
    assert (
        mask_text(text, findings)
        == "申请人：张*，身份证1101**********002X，手机138****8000，邮箱z***@example.com。"
    )


@settings(max_examples=150)
@given(
    birth=st.dates(min_value=date(1930, 1, 1), max_value=date(2010, 12, 31)),
    seq=st.integers(min_value=0, max_value=999),
    before=st.text(alphabet="政府信息公开年月日，。：", max_size=20),
    after=st.text(alphabet="政府信息公开年月日，。：", max_size=20),
)
def test_any_valid_id_number_in_text_is_found_and_masked(birth, seq, before, after):
    body = f"330106{birth:%Y%m%d}{seq:03d}"
    valid = [body + d for d in "0123456789X" if ric.is_valid(body + d)]
    assume(valid)
    number = valid[0]
    text = before + number + after
    findings = find_personal_data(text)
    assert [(f.kind, f.text) for f in findings] == [(Kind.ID_NUMBER, number)]
    assert number not in mask_text(text, findings)
