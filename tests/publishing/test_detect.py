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


# -- context: labels that make a number personal, and labels that explain it away ------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A typo in the check digit after an ID label is still an ID number.
        ("身份证号码：110105194912310021，", [(Kind.ID_NUMBER, "110105194912310021")]),
        ("公民身份号码为110105194913310021。", [(Kind.ID_NUMBER, "110105194913310021")]),
        ("证件号码 110105 19491231 002X", [(Kind.ID_NUMBER, "110105 19491231 002X")]),
        ("身份证（15位）：110105491231002", [(Kind.ID_NUMBER, "110105491231002")]),
        ("原身份证号110105491231002已换发", [(Kind.ID_NUMBER, "110105491231002")]),
        ("老证号码 320102580315121 见附件", [(Kind.ID_NUMBER, "320102580315121")]),
        ("护照号码：E12345678，", [(Kind.PASSPORT, "E12345678")]),
        ("护照 G1234567 ", [(Kind.PASSPORT, "G1234567")]),
        ("港澳通行证号码：C12345678。", [(Kind.CERTIFICATE, "C12345678")]),
        ("军官证：南字第0012345号", []),  # not a number after the label: left to the reader
        ("社会保障卡号：D12345678", [(Kind.CERTIFICATE, "D12345678")]),
        (
            "家庭住址：青山县文教路18号3单元501室，",
            [(Kind.ADDRESS, "青山县文教路18号3单元501室")],
        ),
        ("住址青山县东湖镇李家村5组联系电话略", [(Kind.ADDRESS, "青山县东湖镇李家村5组")]),
        (
            "现住址：浙江省杭州市西湖区文三路90号。",
            [(Kind.ADDRESS, "浙江省杭州市西湖区文三路90号")],
        ),
        ("户籍地址 安徽省绩溪县华阳镇", [(Kind.ADDRESS, "安徽省绩溪县华阳镇")]),
        ("手机 138 0013 8000。", [(Kind.MOBILE, "138 0013 8000")]),
        ("手机1380-013-8000。", [(Kind.MOBILE, "1380-013-8000")]),
        ("电话 0571 8765 4321", [(Kind.LANDLINE, "0571 8765 4321")]),
        ("卡号 6222 0212 3456 7890 128", [(Kind.BANK_CARD, "6222 0212 3456 7890 128")]),
        ("银行卡号：6217 0000 1234 5678 901", [(Kind.BANK_CARD, "6217 0000 1234 5678 901")]),
        ("开户行卡号6222 021234 5678 9012", [(Kind.BANK_CARD, "6222 021234 5678 9012")]),
    ],
)
def test_labels_make_numbers_personal_data(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "档案号：11010519491231002X",  # passes the ID checksum, but is an archive number
        "案卷号110105194912310021",
        "文号：110105491231002",
        "统一社会信用代码：91110000600001760P",
        "不动产单元号 330106001001GB00001F00010001",
        "不动产单元号：330106194912310021",
        "合同编号 6222021234567890128",  # Luhn-valid, but a contract number
        "项目编号：13800138000",
        "流水号 110105491231002",
        "办公地址：青山县文教路18号",  # an agency's address is public
        "本机关住所地为青山县人民路1号",
        "护照办理指南：携带本人身份证原件",
        "身份证件办理流程见附件",
        "邮政编码 339900",
        "2026-03-02 至 2026-12-31",
        "第 12 3456 7890 号",
    ],
)
def test_negative_labels_and_look_alikes_are_not_flagged(text):
    assert kinds(text) == []


def test_masking_addresses_passports_and_certificates():
    text = "护照号码E12345678，家庭住址：青山县文教路18号，户籍地址 浙江省杭州市西湖区文三路90号"
    assert mask_text(text, find_personal_data(text)) == (
        "护照号码E******78，家庭住址：青山县****，户籍地址 浙江省****"
    )


def test_one_text_with_every_kind_finds_all_and_no_look_alike():
    text = "\n".join(
        [
            "当事人：张三，身份证号码110105194912310021，原证号110105491231002。",
            "护照号码E12345678，港澳通行证C12345678。",
            "家庭住址：青山县文教路18号3单元501室，",
            "手机 138 0013 8000，电话 0571-8765-4321，银行卡号 6222 0212 3456 7890 128。",
            "档案号：11010519491231002X，文号：110105491231002，统一社会信用代码91110000600001760P。",
            "合同编号 6222021234567890128，办公地址：青山县人民路1号。",
        ]
    )
    found = {f.kind for f in find_personal_data(text)}
    assert found == {
        Kind.NAME, Kind.ID_NUMBER, Kind.PASSPORT, Kind.CERTIFICATE, Kind.ADDRESS,
        Kind.MOBILE, Kind.LANDLINE, Kind.BANK_CARD,
    }  # fmt: skip
    texts = [f.text for f in find_personal_data(text)]
    assert "11010519491231002X" not in texts and "6222021234567890128" not in texts
    assert len(texts) == 9
