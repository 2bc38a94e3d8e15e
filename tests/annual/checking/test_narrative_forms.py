"""Figures stated in the text in the phrasings real reports use (issue #22), and the checks
made with them: figures.py and checks/text.py."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.annual.checking.checks import check
from gongkai.annual.checking.extract import extract
from gongkai.annual.checking.figures import narrative_figures
from gongkai.annual.checking.reading import read_text


def values(text: str) -> dict:
    return {k: v["value"] for k, v in narrative_figures(text).items()}


def findings(text: str, id_: str) -> list:
    return [f for f in check(extract(read_text(text))) if f.id == id_]


TITLE = "青山县林业局2023年政府信息公开工作年度报告\n一、总体情况\n"


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("全年共公布政府信息85条。", "proactive_published", 85),
        ("通过门户网站发布信息40条。", "proactive_published", 40),
        ("依申请公开共受理6件，均按时答复。", "applications_received", 6),
        ("共收到申请20件，18件已按照规定时限进行了答复。", "applications_closed", 18),
        ("全年信息公开类行政复议2件，诉讼3件。", "lawsuits", 3),
        (
            "本年度我局没有接到公民、法人或者其他组织提出的政府信息公开的申请。",
            "applications_received",
            0,
        ),
        ("全年未发生针对本单位有关政府信息公开事务的行政复议案、行政诉讼案。", "reviews", 0),
        ("全年未发生针对本单位有关政府信息公开事务的行政复议案、行政诉讼案。", "lawsuits", 0),
        ("本年制发行政规范性文件4件。", "normative_issued", 4),
        ("现行有效行政规范性文件21件。", "normative_in_force", 21),
    ],
)
def test_figures_in_the_phrasings_reports_use(text, key, value):
    assert values(text)[key] == value


def test_a_parenthesised_carry_over_is_not_the_figure_before_it():
    found = values("答复申请60件（含上年度结转申请4件，另有2件顺延到下年度答复）。")
    assert (found["applications_closed"], found["carried_over"]) == (60, 4)


def test_the_subject_of_its_sentence_wins_over_an_earlier_category():
    text = "通过门户网站主动公开政府采购项目信息9条。\n全县主动公开政府信息1200条。"
    assert values(text)["proactive_published"] == 1200
    # Two plain statements: the first stays.
    assert values("主动公开政府信息50条。\n主动公开政府信息60条。")["proactive_published"] == 50


def test_a_breakdown_in_brackets_is_read_to_its_closing_bracket():
    found = narrative_figures("共受理申请30件(其中本年度新收申请27件,上年结转申请3件)。")
    assert found["applications_received.parts"]["value"] == [
        ("本年度新收申请", 27),
        ("上年结转申请", 3),
    ]
    assert (
        findings(
            TITLE + "共受理申请30件(其中本年度新收申请27件,上年结转申请3件)。", "BREAKDOWN-SUM"
        )
        == []
    )


def test_a_breakdown_after_in_the_n_items():
    found = narrative_figures(
        "在网站公开的40条政府信息中，工作动态20条，占50%；通知公告20条，占50%。"
    )
    assert found["proactive_published.parts"]["total"] == 40
    assert [p[1] for p in found["proactive_published.parts"]["value"]] == [20, 20]


def test_a_rate_is_never_the_total_of_a_breakdown():
    found = narrative_figures("办结申请12件，办结率100%。其中予以公开8件，不予公开4件。")
    assert found["applications_closed.parts"]["total"] == 12


def test_a_breakdown_goes_to_the_figure_it_adds_up_to():
    text = "全年公开信息30条，收到2份申请。其中公开信息方面，公开机构信息10条，工作信息20条。"
    assert narrative_figures(text)["proactive_published.parts"]["total"] == 30


def test_a_second_breakdown_of_the_same_figure_is_checked_too():
    text = TITLE + (
        "主动公开政府信息20条。其中，通过网站发布信息12条；通过公众号发布信息8条。"
        "在网站主动公开政务信息12条。其中：工作动态5条，通知公告6条。"
    )
    found = findings(text, "BREAKDOWN-SUM")
    assert len(found) == 1 and "5条，通知公告6条" in found[0].quote


def test_shares_are_checked_against_their_counts():
    right = TITLE + "全年共收到申请40件。其中，网上申请30件，占比75%；信函申请10件，占比25%。"
    assert findings(right, "PERCENT") == []
    wrong = TITLE + "全年共收到申请40件。其中，网上申请30件，占比70%；信函申请10件，占比25%。"
    assert len(findings(wrong, "PERCENT")) == 1


def test_a_list_ending_in_a_catch_all_claims_to_be_complete():
    short = TITLE + "主动公开政府信息100条，其中工作动态50条，其他信息30条。"
    assert [f.severity for f in findings(short, "BREAKDOWN-SUM")] == ["warning"]
    partial = TITLE + "主动公开政府信息100条，其中工作动态50条，通知公告30条。"
    assert [f.severity for f in findings(partial, "BREAKDOWN-SUM")] == ["info"]


TABLE_FOUR = (
    "四、政府信息公开行政复议、行政诉讼情况\n"
    "行政复议 行政诉讼\n"
    "结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉\n"
    "结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计 "
    "结果维持 结果纠正 其他结果 尚未审结 总计\n"
)


def test_all_upheld_is_checked_against_table_four():
    text = TITLE + "全年发生行政复议2件，均获维持。\n" + TABLE_FOUR
    pending = text + "1 0 0 1 2 0 0 0 0 0 0 0 0 0 0"
    found = [f for f in findings(pending, "TEXT-TABLE") if "维持" in f.quote]
    assert len(found) == 1 and "尚未审结" in found[0].message
    upheld = text + "2 0 0 0 2 0 0 0 0 0 0 0 0 0 0"
    assert [f for f in findings(upheld, "TEXT-TABLE") if "维持" in f.quote] == []
    # 维持 in another sense is no claim about the cases.
    assert "all_upheld" not in values("全年工作均保持稳定，政务公开水平均获提升。")


def test_normative_documents_in_the_text_against_table_two():
    table = (
        "二、主动公开政府信息情况\n第二十条第（一）项\n"
        "信息内容 本年制发件数 本年废止件数 现行有效件数\n规章 0 0 0\n行政规范性文件 2 0 10\n"
    )
    wrong = TITLE + "全年制发行政规范性文件2件，现行有效行政规范性文件12件。\n" + table
    found = findings(wrong, "TEXT-TABLE")
    assert len(found) == 1 and "12" in found[0].message
    right = TITLE + "全年制发行政规范性文件2件，现行有效行政规范性文件10件。\n" + table
    assert findings(right, "TEXT-TABLE") == []


def test_fees_and_rates_are_unchanged():
    found = values("本年度未收取信息处理费，按时办结率100%。")
    assert found["fees"] == Decimal(0)
    assert found["on_time_rate"] == Decimal(100)


def test_a_combined_category_is_compared_with_the_sum_of_its_rows():
    from tests.annual.checking.test_layout import _table_three

    row = "5 2 0 0 0 0 7"
    table = _table_three(row, row, row)
    right = table.replace("一、总体情况", "").replace(
        "三、收到和处理",
        "一、总体情况\n办结申请7件，其中：予以公开及部分公开7件。\n三、收到和处理",
        1,
    )
    assert [f for f in check(extract(read_text(right))) if f.id == "TEXT-TABLE"] == []
    wrong = right.replace("予以公开及部分公开7件", "予以公开及部分公开9件")
    found = [f for f in check(extract(read_text(wrong))) if f.id == "TEXT-TABLE"]
    assert len(found) == 1 and "（一）予以公开（总计） + （二）部分公开" in found[0].message


def test_applications_including_last_years_carry_over_are_new_plus_carried():
    """ "受理50件（含上年结转5件）": the figure counts the carried-over requests too; compared
    with 本年新收 + 上年结转, and only when the sentence says so."""
    from tests.annual.checking.test_series_digits import report

    table = report(2023, {"new_received": "45 0 0 0 0 0 45", "carried_over": "5 0 0 0 0 0 5"})

    def text_table(sentence: str) -> list:
        text = table.replace("三、收到和处理", f"一、总体情况\n{sentence}\n三、收到和处理", 1)
        return [f for f in check(extract(read_text(text))) if f.id == "TEXT-TABLE"]

    assert text_table("全年共受理政府信息公开申请50件（含上年结转5件）。") == []
    assert text_table("全年共受理政府信息公开申请50件(其中本年度新收45件,上年结转5件)。") == []
    assert text_table("全年共受理政府信息公开申请45件，上年结转5件。") == []
    assert len(text_table("全年共受理政府信息公开申请52件（含上年结转5件）。")) == 1
    assert len(text_table("全年共受理政府信息公开申请50件。")) == 1  # no carry-over said
