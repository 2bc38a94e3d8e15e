"""Reading reports whose layout was lost (issue #22): one line, line breaks stripped, digits
glued to labels, pipe rows with empty last cells, blank lines as cells (segment.py, cells.py)."""

from __future__ import annotations

import random
import re
from functools import cache

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bench.checker import balanced_tables, glue_digits, narrative, one_line, strip_breaks
from gongkai.annual import files
from gongkai.annual.checking.checks import check
from gongkai.annual.checking.document import AMBIGUOUS, BLANK, Document, Paragraph
from gongkai.annual.checking.extract import extract
from gongkai.annual.checking.formats import reader_format
from gongkai.annual.checking.labels import distance
from gongkai.annual.checking.reading import read_bytes, read_text
from gongkai.annual.checking.segment import segment
from gongkai.annual.compute import Report

T3, T4 = "t3_applications", "t4_review_litigation"
TITLE = "青山县林业局2023年政府信息公开工作年度报告"


def t3(*values):
    keys = reader_format("2021").tables[T3].columns
    return dict(zip(keys, values, strict=True))


def t4(*values):
    keys = reader_format("2021").tables[T4].columns
    return dict(zip(keys, values, strict=True))


def figures(out, id_):
    return [f for f in out.findings if f.id == id_]


# ---- segmenting a line ------------------------------------------------------------------


def test_a_report_on_one_line_gives_every_row_its_heading_and_its_text():
    text = (
        f"{TITLE} 一、总体情况 全年共收到政府信息公开申请7件。 "
        "三、收到和处理政府信息公开申请情况 一、本年新收政府信息公开申请数量 6 1 0 0 0 0 7 "
        "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0 三、本年度办理结果 "
        "（一）予以公开 4 1 0 0 0 0 5 （三）不予公开 1.属于国家秘密 2 0 0 0 0 0 2 "
        "（七）总计 6 1 0 0 0 0 7 四、结转下年度继续办理 0 0 0 0 0 0 0 "
        "五、存在的主要问题及改进情况 公开内容有待丰富。"
    )
    out = extract(read_text(text))
    three = out.tables[T3]
    assert three["new_received"] == t3(6, 1, 0, 0, 0, 0, 7)
    assert three["granted"] == t3(4, 1, 0, 0, 0, 0, 5)
    assert three["denied_state_secret"] == t3(2, 0, 0, 0, 0, 0, 2)
    assert three["carried_forward"] == t3(0, 0, 0, 0, 0, 0, 0)
    assert out.narrative["applications_received"]["value"] == 7
    assert out.sections["problems"] == "公开内容有待丰富。"
    assert figures(out, "ROW-CELLS") == []


def test_digits_running_into_the_next_label_end_at_the_first_non_digit():
    fmt = reader_format("2021")
    line = "一、本年新收政府信息公开申请数量 5000005二、上年结转政府信息公开申请数量 0000000"
    assert segment(line, fmt) == [
        "一、本年新收政府信息公开申请数量 5000005",
        "二、上年结转政府信息公开申请数量 0000000",
    ]
    # Numbering glued to the figure before it: "…| 5" then "3.补正后…".
    line = "2.没有现成信息需要另行制作 | 0 | 0 | 5 | 0 | 0 | 0 | 53.补正后申请内容仍不明确0 | 0"
    assert segment(line, fmt)[1].startswith("3.补正后申请内容仍不明确")


def test_a_misspelt_label_after_figures_still_starts_a_new_row():
    text = "\n".join(
        [
            TITLE,
            "三、收到和处理政府信息公开申请情况",
            "（三）不予公开",
            # 法規 for 法规 (a changed character), glued to the row before.
            "1.属于国家秘密 1 0 0 0 0 0 1 2.其他法律行政法規禁止公开 3 0 0 0 0 0 3",
        ]
    )
    three = extract(read_text(text)).tables[T3]
    assert three["denied_state_secret"] == t3(1, 0, 0, 0, 0, 0, 1)
    assert three["denied_law_prohibited"] == t3(3, 0, 0, 0, 0, 0, 3)


def test_labels_inside_sentences_are_not_cut():
    fmt = reader_format("2021")
    sentence = "全年办结申请10件，其中予以公开7件，部分公开2件，不予公开1件。"
    assert segment(sentence, fmt) == [sentence]
    sentence = "本年度依法做好政府信息公开工作，总计收到申请5件。"
    assert segment(sentence, fmt) == [sentence]


def test_table_four_headers_and_figures_on_one_line():
    headers = (
        "行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉 "
        "结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计"
    )
    base = [TITLE, "四、政府信息公开行政复议、行政诉讼情况"]
    spaced = extract(read_text("\n".join([*base, headers + " 2 0 0 1 3 0 0 0 0 0 1 0 0 0 1"])))
    assert spaced.tables[T4]["cases"] == t4(2, 0, 0, 1, 3, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1)
    assert T3 not in spaced.tables  # 总计 of the header is not table 三's （七）总计
    glued = extract(read_text("\n".join([*base, headers.replace(" ", "") + "200130000010001"])))
    assert glued.tables[T4]["cases"] == t4(2, 0, 0, 1, 3, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1)
    assert [f.id for f in glued.findings if f.severity != "info"] == []


# ---- pipe rows and blank lines ------------------------------------------------------------


def test_a_trailing_bar_ends_an_empty_last_cell_unless_rows_begin_with_a_bar():
    rows = [
        TITLE,
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量 | 10 | 2 |  |  |  |  | 12",
        "二、上年结转政府信息公开申请数量 |  |  |  |  |  |  | ",
        "三、本年度办理结果 | （一）予以公开 | 6 | 2 |  |  |  |  | ",
    ]
    three = extract(read_text("\n".join(rows))).tables[T3]
    assert three["carried_over"] == t3(*[BLANK] * 7)
    assert three["granted"] == t3(6, 2, BLANK, BLANK, BLANK, BLANK, BLANK)
    bordered = [rows[0], rows[1]] + [f"| {row} |" for row in rows[2:]]
    out = extract(read_text("\n".join(bordered)))
    assert out.tables[T3]["granted"] == t3(6, 2, BLANK, BLANK, BLANK, BLANK, BLANK)
    assert figures(out, "ROW-CELLS") == []


def test_table_four_with_an_empty_last_cell_after_its_bar():
    text = "\n".join(
        [
            TITLE,
            "四、政府信息公开行政复议、行政诉讼情况",
            "1 |  |  | 1 | 2 | 1 |  |  |  | 1 |  |  |  |  | ",
        ]
    )
    out = extract(read_text(text))
    assert out.tables[T4]["cases"] == t4(
        1, BLANK, BLANK, 1, 2, 1, BLANK, BLANK, BLANK, 1, *[BLANK] * 5
    )
    assert figures(out, "ROW-CELLS") == []


def test_blank_lines_inside_a_table_printed_one_cell_per_line_are_blank_cells():
    lines = [TITLE, "三、收到和处理政府信息公开申请情况", "一、本年新收政府信息公开申请数量"]
    text = "\n".join([*lines, "3", "", "", "", "", "", "3"])
    assert extract(read_text(text)).tables[T3]["new_received"] == t3(3, *[BLANK] * 5, 3)
    # A blank line before a row printed on one line is no cell.
    text = "\n".join([*lines, "", "3 0 0 0 0 0 3"])
    assert extract(read_text(text)).tables[T3]["new_received"] == t3(3, 0, 0, 0, 0, 0, 3)
    second = Document.from_text("a\n\n\nb").blocks[1]
    assert isinstance(second, Paragraph) and second.blanks_before == 2


# ---- generated reports, degraded ----------------------------------------------------------


@cache
def _written(seed: int) -> tuple[dict, str]:
    rng = random.Random(seed)
    tables = balanced_tables(rng, False)
    agency = "青山县林业局"
    report = Report(agency=agency, agency_code="ly", year=2023, rollup=False, tables=tables)
    html = files.render(report, narrative(agency, 2023, tables, rng), "html")
    return tables, read_bytes(html, "report.html").text()


def _every_figure_back(tables: dict, text: str) -> None:
    out = extract(read_bytes(text.encode("utf-8"), "report.txt"))
    assert (out.format, out.year) == ("2021", 2023)
    for table_id, rows in tables.items():
        for row, cells in rows.items():
            assert out.tables[table_id][row] == cells, (table_id, row)
    assert AMBIGUOUS not in {
        v for rows in out.tables.values() for r in rows.values() for v in r.values()
    }


@hypothesis_settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 5), glue=st.booleans())
def test_a_generated_report_on_one_line_gives_every_figure_back(seed, glue):
    tables, text = _written(seed)
    _every_figure_back(tables, one_line(glue_digits(text) if glue else text))


@hypothesis_settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 5), share=st.floats(0.1, 1.0), breaks=st.randoms(use_true_random=False))
def test_a_generated_report_with_line_breaks_stripped_gives_every_figure_back(seed, share, breaks):
    tables, text = _written(seed)
    _every_figure_back(tables, strip_breaks(text, breaks, share))


@hypothesis_settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 5), breaks=st.randoms(use_true_random=False))
def test_a_generated_report_with_digits_glued_to_labels_gives_every_figure_back(seed, breaks):
    tables, text = _written(seed)
    _every_figure_back(tables, strip_breaks(glue_digits(text), breaks, 0.5))


# ---- agency, year and format --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "agency", "year"),
    [
        # A breadcrumb line before the title.
        (
            "当前位置：首页 > 政务公开 > 年报 > 2022年年报 > 正文\n青山县水利局2022年政府信息公开工作年度报告",
            "青山县水利局",
            2022,
        ),
        # The title inside a web page's line, with 来源/时间/分享 after it.
        (
            "您的位置：首页 政务公开 青山县水利局2022年政府信息公开工作年度报告 来源：青山县水利局 "
            "时间：2023-01-18 10:00 分享 打印本页",
            "青山县水利局",
            2022,
        ),
        # The whole report on one line.
        (
            "青山县水利局2022年政府信息公开工作年度报告一、总体情况2022年，本局共收到申请3件。",
            "青山县水利局",
            2022,
        ),
        # No title: the agency and year in the first sentence.
        (
            "依据《中华人民共和国政府信息公开条例》，现公布青山县水利局2022年度政府信息公开工作年度报告。",
            "青山县水利局",
            2022,
        ),
        # A title without a year: the year from the period.
        (
            "青山县东城街道办事处政府信息公开工作年度报告\n本报告涵盖2022年1月1日至12月31日期间的工作。",
            "青山县东城街道办事处",
            2022,
        ),
        # The agency's line ends in 机关, above a title of only the year.
        ("青山县人民政府机关\n2022年政府信息公开工作年度报告", "青山县人民政府机关", 2022),
        # No title at all: the year from "自…起,至…止".
        ("本报告所列统计数据的期限自2022年1月1日起,至2022年12月31日止。", "", 2022),
    ],
)
def test_agency_and_year_in_the_forms_web_pages_give(text, agency, year):
    out = extract(read_text(text))
    assert (out.agency, out.year) == (agency, year)


def test_a_period_not_ending_on_31_december_is_reported():
    text = f"{TITLE}\n本报告涵盖2023年1月1日至12月21日本局政府信息公开工作情况。"
    out = extract(read_text(text))
    assert out.period == ("2023-01-01", "2023-12-21")
    assert [f.id for f in check(out)].count("PERIOD") == 1
    text = f"{TITLE}\n本报告涵盖2023年1月1日至12月31日本局政府信息公开工作情况。"
    assert "PERIOD" not in [f.id for f in check(extract(read_text(text)))]


def test_the_format_comes_from_table_labels_not_from_a_word_in_the_text():
    prose = "（备注：行政事业性收费、政府集中采购等项目由上级部门统一公开）"
    out = extract(read_text(f"{TITLE}\n一、总体情况\n{prose}"))
    assert out.format == "2021"  # from the year: 政府集中采购 is only mentioned
    legacy = "青山县人民政府2018年度政府信息公开工作年度报告\n政府集中采购项目类信息55条，其他信息100条。"
    out = extract(read_text(legacy))
    assert out.format == "pre2019"
    assert "FORMAT-YEAR" not in [f.id for f in check(out)]
    # Printed as a row of the 2019 table, it decides.
    table = (
        "青山县人民政府2020年政府信息公开工作年度报告\n第二十条第（九）项\n"
        "信息内容 | 采购项目数量 | 采购总金额\n政府集中采购 | 3 | 120"
    )
    assert extract(read_text(table)).format == "2019"


# ---- digits run together, settled by the whole table ---------------------------------------


def _table_three(new: str, granted: str, total: str) -> str:
    """Table 三 with every row of the format (its labels from the format), zeros but for
    the three given."""
    table = reader_format("2021").tables[T3]
    given = {"new_received": new, "granted": granted, "total_processed": total}
    rows = [TITLE, "三、收到和处理政府信息公开申请情况"]
    for key, label in table.labels.items():
        if table.rows.children.get(key):
            rows.append(label)  # a group label
        elif label:
            rows.append(f"{label} {given.get(key, '0 0 0 0 0 0 0')}")
    return "\n".join(rows)


def test_a_row_that_splits_two_ways_is_settled_by_the_column_sums():
    # "303000033" is 3|0|30|0|0|0|33 or 30|3|0|0|0|0|33 by its row total; （七）总计 (column
    # sums) and the balance with 本年新收 leave the second only.
    spaced = "30 3 0 0 0 0 33"
    out = extract(read_text(_table_three(spaced, "303000033", spaced)))
    assert out.tables[T3]["granted"] == t3(30, 3, 0, 0, 0, 0, 33)
    assert figures(out, "RUN-TOGETHER-AMBIGUOUS") == []
    assert [f.severity for f in figures(out, "RUN-TOGETHER")] == ["info"]
    # The total run together too: the balance settles it, and it settles the row.
    out = extract(read_text(_table_three(spaced, "303000033", "303000033")))
    assert out.tables[T3]["granted"] == t3(30, 3, 0, 0, 0, 0, 33)
    assert out.tables[T3]["total_processed"] == t3(30, 3, 0, 0, 0, 0, 33)


def test_a_row_the_rest_of_the_table_cannot_settle_stays_ambiguous():
    # Every row run together alike: both splits fit the whole table.
    out = extract(read_text(_table_three("303000033", "303000033", "303000033")))
    assert AMBIGUOUS in out.tables[T3]["granted"].values()
    assert figures(out, "RUN-TOGETHER-AMBIGUOUS")


def test_table_two_run_together_is_settled_by_the_counts_the_text_states():
    table = (
        "二、主动公开政府信息情况\n第二十条第（一）项\n"
        "信息内容 本年制发件数 本年废止件数 现行有效件数\n规章 0 0 0\n行政规范性文件 2010\n"
    )
    told = extract(read_text(f"{TITLE}\n一、总体情况\n全年制发行政规范性文件2件。\n{table}"))
    assert told.tables["t2_art20_1"]["normative_documents"] == {
        "issued": 2,
        "repealed": 0,
        "in_force": 10,
    }
    assert figures(told, "RUN-TOGETHER-AMBIGUOUS") == []
    # Without a count in the text: "?" and the candidates listed.
    untold = extract(read_text(f"{TITLE}\n{table}"))
    assert AMBIGUOUS in untold.tables["t2_art20_1"]["normative_documents"].values()
    (finding,) = figures(untold, "RUN-TOGETHER-AMBIGUOUS")
    assert "2 | 0 | 10" in finding.message and "20 | 1 | 0" in finding.message


_NUMBERED_ROW = re.compile(r"^(\d\.|（[一二三四五六七]）)([\u4e00-\u9fff]{6,})")


def misspell(text: str, rng: random.Random) -> str:
    """Row labels of six characters or more misspelt, one in two: two neighbours swapped or
    a character inserted, and a space put inside the word."""
    out = []
    for line in text.split("\n"):
        match = _NUMBERED_ROW.match(line)
        if match and rng.random() < 0.5:
            chars = list(match.group(2))
            i = rng.randrange(1, len(chars) - 2)
            if rng.random() < 0.5:
                chars[i], chars[i + 1] = chars[i + 1], chars[i]
            else:
                chars.insert(i, "的")
            chars.insert(rng.randrange(1, len(chars)), " ")
            line = match.group(1) + "".join(chars) + line[match.end() :]
        out.append(line)
    return "\n".join(out)


@hypothesis_settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 5), typos=st.randoms(use_true_random=False), glue=st.booleans())
def test_misspelt_labels_on_one_line_give_every_figure_back(seed, typos, glue):
    tables, text = _written(seed)
    text = misspell(text, typos)
    _every_figure_back(tables, one_line(glue_digits(text) if glue else text))


def test_two_neighbours_swapped_are_one_edit():
    assert distance("属于国秘家密", "属于国家秘密", 1) == 1
    assert distance("属于秘国家密", "属于国家秘密", 1) == 2  # a character moved two places
