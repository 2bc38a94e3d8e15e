"""Reading the figures of published reports: detect.py, labels.py, extract.py, figures.py.

No database. Fixtures: the seed documents (../shared/examples/seed-reports, found by
tests/annual/checking/__init__.py; skipped where absent) and the
reports under data/extract/, written for these tests with realistic figures (the 2021
one with the worked Hangzhou vector of regulation-notes §3.1).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.annual.checking.detect import cited_documents, detect, detection
from gongkai.annual.checking.digits import CANDIDATES_SOUGHT, decode
from gongkai.annual.checking.document import (
    AMBIGUOUS,
    BLANK,
    DASH,
    FORMAT_2019,
    FORMAT_2021,
    FORMAT_PRE2019,
    INFO,
    SLASH,
    WARNING,
    Document,
    Extracted,
    LabelEdit,
    Paragraph,
    Table,
)
from gongkai.annual.checking.extract import extract, parse_value
from gongkai.annual.checking.figures import chinese_number, narrative_figures
from gongkai.annual.checking.labels import (
    core,
    distance,
    match_row,
    normalize,
    pre2019_items,
    table_captions,
    table_headers,
    table_rows,
)
from gongkai.lib.report_format import format_table
from tests.annual.checking import seed_report

DATA = Path(__file__).resolve().parent / "data" / "extract"
JSON = Path(__file__).resolve().parents[3] / "gongkai/data/annual_report_format.json"
T3 = "t3_applications"
T4 = "t4_review_litigation"
T3_COLUMNS = [c["key"] for c in format_table("2021", T3)["columns"]]
T4_COLUMNS = [c["key"] for c in format_table("2021", T4)["columns"]]


def read(name: str) -> Extracted:
    return extract(Document.from_text((DATA / name).read_text("utf-8"), name=name))


def seed(prefix: str) -> Document:
    path = seed_report(prefix)
    return Document.from_text(path.read_text("utf-8"), name=path.name)


def t3(*values: int | str) -> dict[str, int | str]:
    return dict(zip(T3_COLUMNS, values, strict=True))


def t4(*values: int | str) -> dict[str, int | str]:
    return dict(zip(T4_COLUMNS, values, strict=True))


def findings(out: Extracted, id_: str) -> list:
    return [f for f in out.findings if f.id == id_]


# ---- the seeds -------------------------------------------------------------------------


def test_seed_000_reads_the_pre2019_statistics_table_by_its_item_keys():
    out = extract(seed("000"))
    assert (out.format, out.year) == (FORMAT_PRE2019, 2018)
    table = out.tables["pre2019"]
    assert table["proactive_total"] == {"value": 3531}
    assert table["proactive_normative"] == {"value": 38}
    assert table["ch_website"] == {"value": 3128}
    assert table["ch_platform"] == {"value": 205}
    assert table["requests_received"] == {"value": 6}
    assert table["req_letter"] == {"value": 6}
    assert table["reviews"] == {"value": 8}
    assert table["lawsuits"] == {"value": 6}
    # （二）被依法纠错数 is under both 四 and 五: the group before it decides.
    assert table["review_corrected"] == {"value": 2}
    assert table["lawsuit_corrected"] == {"value": 0}
    assert table["lawsuit_other"] == {"value": 1}
    assert table["trainees"] == {"value": 0}
    # Every data item of the table is there, and the group rows (——) are not.
    items = [label.key for label in pre2019_items().labels if label.kind == "data"]
    assert sorted(table) == sorted(items)
    assert not out.label_edits
    assert not [f for f in out.findings if f.severity != INFO]
    assert "渝府办发〔2014〕151号" in out.cited_documents
    assert list(out.sections) == ["overview"]
    assert "政府信息公开情况统计表" in out.sections["overview"]


def test_seed_001_is_a_narrative_pre2019_report_with_its_figures_in_the_text():
    out = extract(seed("001"))
    assert (out.format, out.agency, out.year) == (FORMAT_PRE2019, "浑江区人民政府", 2018)
    assert out.tables == {}
    figures = out.narrative
    assert figures["proactive_published"]["value"] == 5331
    assert figures["proactive_published"]["quote"] == "1.全区全年主动公开政府信息数共5331条。"
    assert figures["lawsuits"]["value"] == 11
    assert figures["lawsuits.parts"]["value"] == [
        ("维持具体行政行为或者驳回原告诉讼请求", 4),
        ("被依法纠错", 4),
        ("其他情形", 3),
    ]
    assert figures["reviews"]["value"] == 0  # 全区全年无行政复议发生
    assert figures["applications_received"]["value"] == 1
    assert figures["fees"]["value"] == Decimal(0)
    assert out.cited_documents == ["白山政办发〔2018〕63号", "国办发〔2017〕47号"]
    assert "浑江区将采取以下措施" in out.sections["overview"]


def test_seed_002_has_the_format_from_its_year_with_an_info_finding():
    out = extract(seed("002"))
    assert (out.format, out.agency, out.year) == (FORMAT_PRE2019, "绵阳市环境保护局", 2009)
    assert out.period == ("2009-01-01", "2009-12-31")
    (finding,) = findings(out, "FORMAT-FROM-YEAR")
    assert finding.severity == INFO
    assert "绵府函〔2010〕64号" in out.cited_documents  # printed 绵府函[2010]64号


def test_seeds_that_are_not_annual_reports_are_not_recognised():
    for prefix in ("003", "004"):
        out = extract(seed(prefix))
        assert out.format == ""
        assert out.tables == {}
        assert list(out.sections) == ["overview"]


# ---- (a) 2021, cells separated by | ----------------------------------------------------


def test_a_2021_report_with_pipes_gives_every_figure_of_the_format():
    out = read("2021_pipes.txt")
    assert (out.format, out.agency, out.year) == (FORMAT_2021, "测试市人民政府办公室", 2023)
    assert out.period == ("2023-01-01", "2023-12-31")
    assert out.cited_documents == ["国办公开办函〔2021〕30号", "国办函〔2020〕109号"]
    tables = out.tables
    assert tables["t2_art20_1"] == {
        "regulations": {"issued": 3, "repealed": 5, "in_force": 74},
        "normative_documents": {"issued": 564, "repealed": 984, "in_force": 4185},
    }
    assert tables["t2_art20_5"] == {"administrative_licensing": {"decisions": 11398889}}
    assert tables["t2_art20_6"] == {
        "administrative_penalty": {"decisions": 6937489},
        "administrative_coercion": {"decisions": 166105},
    }
    assert tables["t2_art20_8"] == {"administrative_fees": {"fee_amount": Decimal("31644.15")}}
    three = tables[T3]
    assert len(three) == 25  # every data row of table 三
    assert three["new_received"] == t3(13612, 252, 0, 45, 128, 32, 14069)
    assert three["carried_over"] == t3(535, 6, 0, 1, 18, 0, 560)
    assert three["granted"] == t3(5345, 129, 0, 41, 19, 14, 5548)
    assert three["denied_state_secret"] == t3(13, 0, 0, 0, 0, 0, 13)
    assert three["denied_administrative_query"] == t3(147, 0, 0, 0, 1, 2, 150)
    assert three["unable_not_held"] == t3(3075, 50, 0, 0, 89, 8, 3222)
    assert three["np_repeated"] == t3(147, 1, 0, 0, 0, 0, 148)
    assert three["other_misc"] == t3(941, 17, 0, 1, 3, 3, 965)
    assert three["total_processed"] == t3(13364, 252, 0, 44, 121, 29, 13810)
    assert three["carried_forward"] == t3(783, 6, 0, 2, 25, 3, 819)
    assert tables[T4] == {
        "cases": t4(376, 97, 196, 121, 790, 16, 1, 12, 27, 56, 74, 1, 30, 51, 156)
    }
    assert out.label_edits == []
    assert out.findings == []


def test_a_2021_report_has_its_text_sections_without_the_tables():
    out = read("2021_pipes.txt")
    assert list(out.sections) == ["overview", "problems", "other"]
    overview = out.sections["overview"]
    assert overview.startswith("2023年，测试市坚持以公开为常态")
    assert "（一）主动公开" in overview  # sub-headings stay inside
    assert "一、总体情况" not in overview
    assert "规章" not in overview
    assert out.sections["problems"].startswith("对照新要求新任务")
    assert out.sections["other"] == (
        "依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），2023年全市共收取信息处理费400元。\n"
        "本机关无其他需要报告的事项。"
    )


def test_a_2021_report_has_the_figures_its_text_states():
    figures = read("2021_pipes.txt").narrative
    values = {key: figure["value"] for key, figure in figures.items()}
    assert values["applications_received"] == 14069
    assert values["carried_over"] == 560
    assert values["applications_closed"] == 13810
    assert values["carried_forward"] == 819
    assert values["proactive_published"] == 35310
    assert values["reviews"] == 790
    assert values["lawsuits"] == 212
    assert values["fees"] == Decimal(400)
    assert figures["fees"]["unit"] == "元"
    assert values["on_time_rate"] == Decimal(100)
    # The breakdown in the next sentence adds up to 办结 13810, not to 结转 819.
    assert values["applications_closed.parts"] == [
        ("予以公开", 5548),
        ("部分公开", 2168),
        ("不予公开", 730),
        ("无法提供", 3421),
        ("不予处理", 457),
        ("其他处理", 1486),
    ]
    assert (
        figures["lawsuits"]["quote"] == "因政府信息公开工作被申请行政复议790件，提起行政诉讼212件。"
    )


# ---- (b) 2021, tabs, runs of spaces, one cell per line ---------------------------------


def test_a_2021_report_with_tabs_spaces_and_one_cell_per_line():
    out = read("2021_spaces.txt")
    assert (out.format, out.agency, out.year) == (FORMAT_2021, "青山县林业局", 2023)
    tables = out.tables
    assert tables["t2_art20_1"]["normative_documents"] == {
        "issued": 2,
        "repealed": 1,
        "in_force": 15,
    }
    assert tables["t2_art20_8"]["administrative_fees"] == {"fee_amount": Decimal("2.02")}
    three = tables[T3]
    assert len(three) == 25
    assert three["carried_over"] == t3(2, 0, 0, 0, 0, 0, 2)  # full-width digits
    assert three["granted"] == t3(20, 1, 0, 0, 0, 0, 21)  # full-width spaces
    assert three["denied_third_party_rights"] == t3(1, 0, 0, 0, 0, 0, 1)  # no numbering
    # A label wrapped over two lines, with ， for 、.
    assert three["other_overdue_correction"] == t3(1, 0, 0, 0, 0, 0, 1)
    assert three["other_misc"] == t3(0, 0, 0, 0, 0, 0, 0)  # 3.其他 under （六）
    assert three["total_processed"] == t3(43, 2, 0, 0, 1, 0, 46)
    assert three["carried_forward"] == t3(0, 1, 0, 0, 0, 0, 1)
    # Table 四 one cell per line, after its headers one per line.
    assert tables[T4] == {"cases": t4(1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0)}
    assert out.findings == []
    figures = {key: figure["value"] for key, figure in out.narrative.items()}
    assert figures == {
        "proactive_published": 216,  # 二百一十六条
        "applications_received": 45,  # 四十五件
        "carried_over": 2,
        "applications_closed": 46,
        "carried_forward": 1,
        "reviews": 0,  # 未发生…行政复议和行政诉讼案件
        "lawsuits": 0,
        "fees": Decimal(0),  # 未收取信息处理费
    }


def test_a_page_pasted_one_cell_per_line_each_ending_in_a_bar():
    out = read("2021_cell_per_line.txt")
    tables = out.tables
    # "规章 |", "0 |", "0 |", "|": the bar alone is the empty third cell.
    assert tables["t2_art20_1"] == {
        "regulations": {"issued": 0, "repealed": 0, "in_force": BLANK},
        "normative_documents": {"issued": 5, "repealed": 12, "in_force": 8},
    }
    assert tables["t2_art20_6"]["administrative_penalty"] == {"decisions": 3}
    assert tables[T3]["new_received"] == t3(8, 0, 0, 0, 0, 0, 8)
    assert tables[T3]["partially_granted"] == t3(2, 0, 0, 0, 0, 0, 2)
    assert [(e.row, e.col) for e in out.label_edits] == [
        ("", "in_force"),
        ("partially_granted", ""),
    ]
    assert out.findings == []
    assert out.narrative["applications_received"]["value"] == 8  # 收到8份…申请


# ---- (f) the label variants of published reports ---------------------------------------


def test_a_2021_report_with_label_variants_records_the_real_edits_only():
    out = read("2021_spaces.txt")
    assert out.label_edits == [
        LabelEdit(
            table="t2_art20_1",
            row="",
            col="in_force",
            official="现行有效件数",
            printed="现行有效件数 (历史累计)",
        ),
        LabelEdit(
            table=T3,
            row="partially_granted",
            col="",
            official="（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            printed="（二）部分公开（区分处理的，只计这一情况，不计其他情形）",
        ),
        LabelEdit(
            table=T3,
            row="denied_internal_affairs",
            col="",
            official="5.属于三类内部事务信息",
            printed="5.属于三类内容事务信息",
        ),
    ]
    # 第二十条 第（一）项 (a space), 商业 企业, "，" for "、", no numbering: not edits.


def _labels_of(official: str):
    """The label set of the 2021 format that has `official` (a row, column or caption)."""
    for table in (
        format_table("2021", T3),
        *(
            format_table("2021", t)
            for t in ("t2_art20_1", "t2_art20_5", "t2_art20_6", "t2_art20_8")
        ),
    ):
        if any(r["label"] == official for r in table["rows"]):
            return table_rows("2021", table["id"])
        if any(c["label"] == official for c in table["columns"]):
            return table_headers("2021", table["id"])
        if table["title"] == official:
            return table_captions("2021")
    raise AssertionError(official)


VARIANTS = json.loads(JSON.read_text("utf-8"))["label_variants_seen_in_published_reports"]


@pytest.mark.parametrize("variant", VARIANTS, ids=[v["variant"] for v in VARIANTS])
def test_every_label_variant_seen_in_published_reports_is_recognised(variant):
    if variant["official"] == "0":  # "/" for not applicable: kept, not made 0
        assert parse_value(variant["variant"]) == SLASH
        return
    labels = _labels_of(variant["official"])
    official = labels.match(variant["official"])
    printed = labels.match(variant["variant"])
    assert official is not None and printed is not None
    assert printed.key == official.key
    # An edit only where the words differ, not for a space (第二十条 第（一）项).
    assert printed.edited == (core(variant["variant"]) != core(variant["official"]))


def test_the_row_variants_of_the_format_file_are_not_edits():
    rows = table_rows("2021", T3)
    for row in format_table("2021", T3)["rows"]:
        for variant in row.get("label_variants", ()):
            assert match_row(variant, rows) == (row["key"], None)


# ---- (c) digits run together -----------------------------------------------------------


def test_rows_run_together_are_decoded_by_their_totals():
    out = read("2021_run_together.txt")
    three = out.tables[T3]
    assert three["new_received"] == t3(71, 3, 0, 0, 0, 0, 74)  # 713000074
    assert three["granted"] == t3(40, 2, 0, 0, 0, 0, 42)
    assert three["unable_not_held"] == t3(13, 0, 0, 0, 0, 0, 13)
    assert three["total_processed"] == t3(69, 3, 0, 0, 0, 0, 72)
    assert three["carried_forward"] == t3(4, 0, 0, 0, 0, 0, 4)
    assert out.tables[T4]["cases"] == t4(1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0)
    # Table 二 has no totals: three digits for three columns is the only split.
    assert out.tables["t2_art20_1"]["regulations"] == {"issued": 0, "repealed": 0, "in_force": 6}
    decoded = findings(out, "RUN-TOGETHER")
    assert all(f.severity == INFO for f in decoded)
    first = next(f for f in decoded if f.row == "new_received")
    assert first.table == T3
    assert "713000074" in first.message and "71 | 3 | 0 | 0 | 0 | 0 | 74" in first.message
    assert "一、本年新收政府信息公开申请数量" in first.message  # the label from the JSON
    assert first.quote == "一、本年新收政府信息公开申请数量713000074"


def test_a_row_run_together_that_splits_two_ways_is_ambiguous():
    out = read("2021_run_together.txt")
    # 101000011: 10 | 1 | 0 … | 11 or 1 | 0 | 10 … | 11; the cells both agree on are kept.
    assert out.tables[T3]["partially_granted"] == t3(AMBIGUOUS, AMBIGUOUS, AMBIGUOUS, 0, 0, 0, 11)
    (finding,) = [f for f in findings(out, "RUN-TOGETHER-AMBIGUOUS") if f.table == T3]
    assert finding.severity == WARNING
    assert finding.row == "partially_granted"
    assert "10 | 1 | 0 | 0 | 0 | 0 | 11" in finding.message
    assert "1 | 0 | 10 | 0 | 0 | 0 | 11" in finding.message
    # Table 二: 12025 has no totals to check.
    assert out.tables["t2_art20_1"]["normative_documents"] == {
        "issued": AMBIGUOUS,
        "repealed": AMBIGUOUS,
        "in_force": AMBIGUOUS,
    }
    (two,) = [f for f in findings(out, "RUN-TOGETHER-AMBIGUOUS") if f.table == "t2_art20_1"]
    assert "12 | 0 | 25" in two.message


def test_a_row_run_together_that_cannot_add_up_is_unreadable():
    out = read("2021_run_together.txt")
    assert out.tables[T3]["np_publication"] == t3(*[AMBIGUOUS] * 7)  # 10000001
    (finding,) = findings(out, "RUN-TOGETHER-UNREADABLE")
    assert (finding.severity, finding.row) == (WARNING, "np_publication")
    assert "10000001" in finding.message


def test_decode_finds_every_split_in_which_the_totals_add_up():
    sums = [((0, 1, 2, 3, 4, 5), 6)]
    assert decode(["136122520451283214069"], 7, sums) == (
        [(13612, 252, 0, 45, 128, 32, 14069)],
        True,
    )
    assert decode(["71", "3000074"], 7, sums) == ([(71, 3, 0, 0, 0, 0, 74)], True)
    assert decode(["7", SLASH, "0", "0", "0", "0", "7"], 7, sums) == (
        [(7, SLASH, 0, 0, 0, 0, 7)],
        True,
    )
    table_four = [((0, 1, 2, 3), 4), ((5, 6, 7, 8), 9), ((10, 11, 12, 13), 14)]
    splits, complete = decode(["376971961217901611227567413051156"], 15, table_four)
    assert complete and len(splits) == 3  # 16 1 12 27 56, 16 11 2 27 56, 16 11 22 7 56
    assert (376, 97, 196, 121, 790, 16, 1, 12, 27, 56, 74, 1, 30, 51, 156) in splits


def test_decode_gives_up_on_hopeless_digits():
    # How quickly is bench/checker.py's to say; here, that it stops short of every split.
    splits, complete = decode(["1" * 40], 7, [((0, 1, 2, 3, 4, 5), 6)])
    assert not complete
    assert len(splits) < CANDIDATES_SOUGHT


# ---- (d) a Document with tables, as an HTML reader makes it ----------------------------


Cell = str | tuple[str, int, int]  # text, rowspan, colspan


def html_grid(rows: list[list[Cell]]) -> list[list[str]]:
    """The grid of <tr>/<td rowspan colspan>: a merged cell in every position it covers."""
    grid: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            text, rowspan, colspan = (cell, 1, 1) if isinstance(cell, str) else cell
            while (r, c) in grid:
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = text
            c += colspan
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(height)]


def values(*numbers: int) -> list[str]:
    return [str(n) for n in numbers]


CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def html_report() -> Document:
    two = html_grid(
        [
            [("第二十条第（一）项", 1, 4)],
            ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            ["规章", "0", "0", "0"],
            ["行政规范性文件", "5", "2", "37"],
            [("第二十条第（五）项", 1, 4)],
            ["信息内容", ("本年处理决定数量", 1, 3)],
            ["行政许可", ("1,024", 1, 3)],
            [("第二十条第（六）项", 1, 4)],
            ["信息内容", ("本年处理决定数量", 1, 3)],
            ["行政处罚", ("87", 1, 3)],
            ["行政强制", ("/", 1, 3)],
            [("第二十条第（八）项", 1, 4)],
            ["信息内容", ("本年收费金额（单位：万元）", 1, 3)],
            ["行政事业性收费", ("0", 1, 3)],
        ]
    )
    groups = {
        "（三）不予公开": ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
                      "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
                      "7.属于行政执法案卷", "8.属于行政查询事项"],
        "（四）无法提供": ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作",
                      "3.补正后申请内容仍不明确"],
        "（五）不予处理": ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物",
                      "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息"],
        "（六）其他处理": ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                      "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                      "3.其他"],
    }  # fmt: skip
    figures = {
        "1.属于国家秘密": values(0, 0, 0, 0, 0, 0, 0),
        "4.保护第三方合法权益": values(2, 1, 0, 0, 0, 0, 3),
        "1.本机关不掌握相关政府信息": values(9, 2, 0, 0, 1, 0, 12),
        "2.重复申请": values(3, 0, 0, 0, 0, 0, 3),
        "3.其他": values(1, 0, 0, 0, 0, 0, 1),
    }
    three_rows: list[list[Cell]] = [
        [(CORNER, 3, 3), ("申请人情况", 1, 7)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
        [("一、本年新收政府信息公开申请数量", 1, 3), *values(52, 6, 0, 1, 2, 0, 61)],
        [("二、上年结转政府信息公开申请数量", 1, 3), *values(3, 0, 0, 0, 0, 0, 3)],
        [("三、本年度办理结果", 22, 1), ("（一）予以公开", 1, 2), *values(30, 2, 0, 1, 1, 0, 34)],
        [
            ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, 2),
            *values(4, 1, 0, 0, 0, 0, 5),
        ],
    ]
    for group, rows in groups.items():
        for n, label in enumerate(rows):
            cells = figures.get(label, values(0, 0, 0, 0, 0, 0, 0))
            first = [(group, len(rows), 1)] if n == 0 else []
            three_rows.append([*first, label, *cells])
    three_rows += [
        [("（七）总计", 1, 2), *values(49, 6, 0, 1, 2, 0, 58)],
        [("四、结转下年度继续办理", 1, 3), *values(6, 0, 0, 0, 0, 0, 6)],
    ]
    four = html_grid(
        [
            [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
            [
                ("结果维持", 2, 1),
                ("结果纠正", 2, 1),
                ("其他结果", 2, 1),
                ("尚未审结", 2, 1),
                ("总计", 2, 1),
                ("未经复议直接起诉", 1, 5),
                ("复议后起诉", 1, 5),
            ],
            [*["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2],
            [*values(2, 1, 0, 0, 3, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1)],
        ]
    )
    return Document(
        name="report.html",
        kind="html",
        blocks=[
            Paragraph("滨江区商务局2024年政府信息公开工作年度报告"),
            Paragraph("一、总体情况"),
            Paragraph("2024年，本局新收政府信息公开申请61件，办结58件。"),
            Paragraph("二、主动公开政府信息情况"),
            Table(two),
            Paragraph("三、收到和处理政府信息公开申请情况"),
            Table(html_grid(three_rows)),
            Paragraph("四、政府信息公开行政复议、行政诉讼情况"),
            Table(four),
            Paragraph("五、存在的主要问题及改进情况"),
            Paragraph("信息公开的及时性有待提高。"),
            Paragraph("六、其他需要报告的事项"),
            Paragraph("本年度未收取信息处理费。"),
        ],
    )


def test_a_document_with_merged_cells_repeated_gives_every_figure():
    out = extract(html_report())
    assert (out.format, out.agency, out.year) == (FORMAT_2021, "滨江区商务局", 2024)
    tables = out.tables
    assert tables["t2_art20_1"]["normative_documents"] == {
        "issued": 5,
        "repealed": 2,
        "in_force": 37,
    }
    # A value cell spanning three columns is one figure.
    assert tables["t2_art20_5"] == {"administrative_licensing": {"decisions": 1024}}
    assert tables["t2_art20_6"]["administrative_coercion"] == {"decisions": SLASH}
    three = tables[T3]
    assert len(three) == 25
    assert three["new_received"] == t3(52, 6, 0, 1, 2, 0, 61)
    assert three["granted"] == t3(30, 2, 0, 1, 1, 0, 34)
    assert three["denied_third_party_rights"] == t3(2, 1, 0, 0, 0, 0, 3)
    assert three["unable_not_held"] == t3(9, 2, 0, 0, 1, 0, 12)
    assert three["np_repeated"] == t3(3, 0, 0, 0, 0, 0, 3)
    assert three["other_misc"] == t3(1, 0, 0, 0, 0, 0, 1)
    assert three["total_processed"] == t3(49, 6, 0, 1, 2, 0, 58)
    assert three["carried_forward"] == t3(6, 0, 0, 0, 0, 0, 6)
    assert tables[T4] == {"cases": t4(2, 1, 0, 0, 3, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1)}
    assert out.label_edits == []
    assert out.findings == []
    assert out.sections == {
        "overview": "2024年，本局新收政府信息公开申请61件，办结58件。",
        "problems": "信息公开的及时性有待提高。",
        "other": "本年度未收取信息处理费。",
    }
    assert out.narrative["applications_received"]["value"] == 61


def test_a_table_three_with_two_label_columns_resolves_rows_by_their_group():
    rows = html_grid(
        [
            [("一、本年新收政府信息公开申请数量", 1, 2), *values(5, 0, 0, 0, 0, 0, 5)],
            [("（三）不予公开", 2, 1), "1.属于国家秘密", *values(1, 0, 0, 0, 0, 0, 1)],
            ["2.其他法律行政法规禁止公开", *values(0, 0, 0, 0, 0, 0, 0)],
            [("（六）其他处理", 3, 1), "1.", *values(2, 0, 0, 0, 0, 0, 2)],
            ["2.", *values(0, 0, 0, 0, 0, 0, 0)],
            ["3.", *values(1, 0, 0, 0, 0, 0, 1)],
        ]
    )
    document = Document(
        name="t.docx",
        kind="docx",
        blocks=[Paragraph("某某局2022年政府信息公开工作年度报告"), Table(rows)],
    )
    three = extract(document).tables[T3]
    assert three["new_received"] == t3(5, 0, 0, 0, 0, 0, 5)
    assert three["denied_state_secret"] == t3(1, 0, 0, 0, 0, 0, 1)
    # A number alone is the group's row of that number.
    assert three["other_overdue_correction"] == t3(2, 0, 0, 0, 0, 0, 2)
    assert three["other_misc"] == t3(1, 0, 0, 0, 0, 0, 1)


# ---- (e) 2019 ----------------------------------------------------------------------------


def test_a_2019_report_reads_its_own_tables():
    out = read("2019_hubei.txt")
    assert (out.format, out.agency, out.year) == (FORMAT_2019, "江城市生态环境局", 2020)
    assert out.cited_documents == ["国办公开办函〔2019〕60号"]
    tables = out.tables
    assert tables["t2_2019_art20_1"] == {
        "regulations": {"newly_made": 0, "newly_published": 0, "total_published": 0},
        "normative_documents": {"newly_made": 2, "newly_published": 2, "total_published": 19},
    }
    # 本年增/减 signed: -3, +2, 减少1.
    assert tables["t2_2019_art20_5"] == {
        "administrative_licensing": {"prev_year_items": 8, "change": -3, "decisions": 93},
        "other_external_services": {"prev_year_items": 117, "change": 2, "decisions": 165},
    }
    assert tables["t2_2019_art20_6"]["administrative_coercion"] == {
        "prev_year_items": 4,
        "change": -1,
        "decisions": DASH,
    }
    assert tables["t2_2019_art20_8"] == {
        "administrative_fees": {"prev_year_items": BLANK, "change": BLANK}
    }
    assert tables["t2_2019_art20_9"] == {
        "centralized_procurement": {"procurement_items": 12, "procurement_amount": Decimal("356.8")}
    }
    three = tables[T3]
    assert len(three) == 23  # （六）其他处理 a single row
    assert three["other_handling"] == t3(1, 0, 0, 0, 0, 0, 1)
    assert "other_misc" not in three
    assert three["total_processed"] == t3(24, 2, 0, 0, 1, 0, 27)
    assert tables[T4]["cases"] == t4(1, 0, 0, 1, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0)
    assert out.findings == []


def test_a_2019_report_with_hubei_notes_in_its_labels_records_them_as_edits():
    edits = read("2019_hubei.txt").label_edits
    rows = {(e.table, e.row): e.printed for e in edits if e.row}
    assert rows == {
        ("t2_2019_art20_1", "regulations"): "规章(设区的市、自治州人民政府应提供相关数据)",
        ("t2_2019_art20_1", "normative_documents"): (
            "规范性文件(行政机关制定发布的决定、公告、通告、意见、通知,以及标题采用"
            "“规定”“办法”“细则”等字样的公文,一般情况下属于规范性文件)"
        ),
        ("t2_2019_art20_5", "other_external_services"): (
            "其他对外管理服务事项(指行政许可以外的政务服务事项)"
        ),
    }
    columns = {(e.table, e.col): e.official for e in edits if e.col}
    assert columns[("t2_2019_art20_5", "change")] == "本年增/减"
    assert columns[("t2_2019_art20_6", "decisions")] == "处理决定数量"
    assert columns[("t2_2019_art20_8", "prev_year_items")] == "上一年项目数量"


# ---- (g) cells that are not figures ----------------------------------------------------


def test_slash_blank_and_dash_cells_stay_apart_and_are_never_zero():
    out = read("2021_non_numbers.txt")
    tables = out.tables
    assert tables["t2_art20_1"] == {
        "regulations": {"issued": SLASH, "repealed": SLASH, "in_force": SLASH},
        "normative_documents": {"issued": 0, "repealed": BLANK, "in_force": 4},
    }
    assert tables["t2_art20_5"]["administrative_licensing"] == {"decisions": DASH}  # ——
    assert tables["t2_art20_6"] == {
        "administrative_penalty": {"decisions": DASH},  # －
        "administrative_coercion": {"decisions": DASH},  # 无
    }
    assert tables["t2_art20_8"]["administrative_fees"] == {"fee_amount": Decimal("0.00")}
    three = tables[T3]
    assert three["carried_over"] == t3(0, DASH, DASH, DASH, DASH, DASH, 0)  # —
    assert three["granted"] == t3(2, BLANK, BLANK, BLANK, BLANK, BLANK, 2)
    assert three["partially_granted"] == t3(1, SLASH, SLASH, SLASH, SLASH, SLASH, 1)
    assert three["carried_forward"] == t3(*[DASH] * 7)  # -
    assert out.findings == []


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("0", 0),
        ("1,234", 1234),
        ("１２３", 123),
        ("2.02", Decimal("2.02")),
        ("-8", -8),
        ("+3", 3),
        ("减少8", -8),
        ("增加3", 3),
        ("12件", 12),
        ("", BLANK),
        ("/", SLASH),
        ("／", SLASH),
        ("-", DASH),
        ("—", DASH),
        ("——", DASH),
        ("－", DASH),
        ("无", DASH),
        ("规章", None),
        ("1.", None),
    ],
)
def test_parse_value_keeps_what_was_printed(printed, value):
    parsed = parse_value(printed)
    assert parsed == value and type(parsed) is type(value)


# ---- labels ------------------------------------------------------------------------------


def test_normalize_and_core_drop_width_spaces_punctuation_and_numbering():
    assert normalize("（二）部分公开 （区分处理的）") == "(二)部分公开(区分处理的)"
    assert core("（一）予以公开") == core("予以公开") == "予以公开"
    assert core("1．属于国家秘密") == core("属于国家秘密")
    assert core("3.危及“三安全一稳定”") == "危及三安全一稳定"
    assert core("其中：主动公开规范性文件数") == "主动公开规范性文件数"
    assert core("第二十条 第（一）项") == core("第二十条第(一)项")
    assert distance("属于三类内部事务信息", "属于三类内容事务信息", 2) == 1
    assert distance("行政许可", "行政处罚", 1) == 2  # beyond the limit


def test_short_labels_must_match_exactly_and_long_ones_may_differ_a_little():
    rows = table_rows("2021", "t2_art20_6")
    assert match_row("行政处罚", rows) == ("administrative_penalty", None)
    assert match_row("行政强制", rows) == ("administrative_coercion", None)
    assert match_row("行政许可", rows) is None
    t3_rows = table_rows("2021", T3)
    assert match_row("总计", t3_rows) == ("total_processed", None)
    assert match_row("不予公开", t3_rows) == ("denied", None)
    assert match_row("予以公开了", t3_rows) == ("granted", "（一）予以公开")
    assert match_row("本机关不掌握有关政府信息", t3_rows) == (
        "unable_not_held",
        "1.本机关不掌握相关政府信息",
    )


def test_a_label_cut_short_is_not_an_edit_but_an_added_note_is():
    rows = table_rows("2021", T3)
    assert match_row("（二）部分公开", rows) == ("partially_granted", None)
    assert match_row("（二）部分公开（区分处理的，只计", rows) == ("partially_granted", None)
    assert match_row("（一）予以公开（含依法公开的）", rows) == ("granted", "（一）予以公开")


def test_a_2019_label_in_a_2021_row_that_prints_figures_is_an_edit():
    rows = table_rows("2021", "t2_art20_1")
    assert match_row("规范性文件", rows) is None
    assert match_row("规范性文件", rows, loose=True) == ("normative_documents", "行政规范性文件")


def test_labels_under_several_groups_resolve_by_the_scope():
    items = pre2019_items()
    assert match_row("（二）被依法纠错数", items, scope="reviews") == ("review_corrected", None)
    assert match_row("（二）被依法纠错数", items, scope="lawsuits") == ("lawsuit_corrected", None)
    rows = table_rows("2021", T3)
    assert match_row("3.", rows, scope="denied") == ("denied_three_security_one_stability", None)
    assert match_row("3.其他", rows, scope="other_handling") == ("other_misc", None)


# ---- detect ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "agency", "year"),
    [
        ("青山县林业局2023年政府信息公开工作年度报告", "青山县林业局", 2023),
        ("青山县林业局 2023年度政府信息公开工作年度报告", "青山县林业局", 2023),
        ("2022年度青山县人民政府政府信息公开工作年度报告", "青山县人民政府", 2022),
        ("青山县林业局关于2021年政府信息公开工作的年度报告", "青山县林业局", 2021),
        ("青山县林业局政府信息公开工作年度报告（2020年度）", "青山县林业局", 2020),
        ("青山县林业局二〇一九年政府信息公开工作年度报告", "青山县林业局", 2019),
        ("附件1：青山县教育局2024年政府信息公开年报", "青山县教育局", 2024),
    ],
)
def test_the_year_and_agency_come_from_the_title(title, agency, year):
    document = Document.from_text(f"{title}\n根据《条例》编制本报告。")
    _format_id, found_agency, found_year = detect(document)
    assert (found_agency, found_year) == (agency, year)


def test_a_title_without_the_agency_takes_it_from_the_line_before():
    document = Document.from_text("青山县自然资源局\n2023年政府信息公开工作年度报告\n正文。")
    assert detect(document)[1:] == ("青山县自然资源局", 2023)


def test_without_a_title_the_year_comes_from_the_statistics_period():
    document = Document.from_text(
        "根据《条例》要求编制本报告。本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。"
    )
    found = detection(document)
    assert found.year == 2023
    assert found.period == ("2023-01-01", "2023-12-31")
    # No table: the format follows from the year, and extract() says so.
    assert (found.format, found.inferred) == (FORMAT_2021, True)
    out = extract(document)
    (finding,) = findings(out, "FORMAT-FROM-YEAR")
    assert finding.severity == INFO and "2023" in finding.message


def test_a_period_without_the_second_year_is_in_the_same_year():
    found = detection(Document.from_text("本报告中所列数据统计期限为2025年1月1日至12月31日。"))
    assert found.period == ("2025-01-01", "2025-12-31")


@pytest.mark.parametrize(
    ("year", "expected"), [(2018, FORMAT_PRE2019), (2019, FORMAT_2019), (2020, FORMAT_2019)]
)
def test_a_report_without_tables_gets_the_format_of_its_year(year, expected):
    document = Document.from_text(f"某某局{year}年政府信息公开工作年度报告\n一、总体情况\n正文。")
    assert detection(document).format == expected
    assert detection(document).inferred is True


def test_figures_on_the_row_of_a_group_are_reported_not_read():
    text = (
        "某某局2022年政府信息公开工作年度报告\n第二十条第（一）项\n"
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数\n规章 | 0 | 0 | 0\n"
        "三、收到和处理政府信息公开申请情况\n"
        "三、本年度办理结果 | （六）其他处理 | 2 | 0 | 0 | 0 | 0 | 0 | 2"
    )
    out = extract(Document.from_text(text))
    assert out.format == FORMAT_2021
    assert T3 not in out.tables
    (finding,) = findings(out, "GROUP-ROW-FIGURES")
    assert (finding.severity, finding.table, finding.row) == (WARNING, T3, "other_handling")
    assert "（六）其他处理" in finding.message and "2 0 0 0 0 0 2" in finding.message


def test_the_tables_decide_the_format_not_the_year():
    # A 2021 report that still prints the 2019 table 二.
    text = (
        "某某局2021年政府信息公开工作年度报告\n第二十条第（一）项\n"
        "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量\n规章 | 0 | 0 | 0"
    )
    assert detect(Document.from_text(text))[0] == FORMAT_2019
    # （六）其他处理 as a single row of figures is the 2019 table 三 …
    single = "某某局2022年政府信息公开工作年度报告\n（六）其他处理 | 0 | 0 | 0 | 0 | 0 | 0 | 0"
    assert detect(Document.from_text(single))[0] == FORMAT_2019
    # … and its sub-rows the 2021 one.
    rows = (
        "某某局2020年政府信息公开工作年度报告\n（六）其他处理\n"
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 0 0 0 0 0 0 0"
    )
    assert detect(Document.from_text(rows))[0] == FORMAT_2021


def test_cited_documents_are_found_in_any_brackets():
    text = (
        "依据国办公开办函〔2021〕30号和《通知》(国办公开办函[2019]60号)，参照川办发［2014］78号、"
        "渝府办发【2014】151号及国办函（2020）109号。统计表（2018年度）不是文件。"
    )
    assert cited_documents(text) == [
        "国办公开办函〔2021〕30号",
        "国办公开办函〔2019〕60号",
        "川办发〔2014〕78号",
        "渝府办发〔2014〕151号",
        "国办函〔2020〕109号",
    ]


# ---- narrative figures ---------------------------------------------------------------------


def test_chinese_numerals():
    assert chinese_number("一百二十三") == 123
    assert chinese_number("两千零五") == 2005
    assert chinese_number("十一") == 11
    assert chinese_number("三万五千") == 35000
    assert chinese_number("零") == 0


def test_narrative_figures_in_several_phrasings():
    figures = narrative_figures(
        "本年度新收政府信息公开申请一百二十三件，其中，予以公开71件，部分公开3件，"
        "不予公开二十件，其他29件。上年度结转申请5件。"
        "全年主动公开政府信息1.2万余条。办理完毕128件，另有10件结转至下一年度办理。"
        "共收取信息处理费0.05万元。政府信息公开申请按期答复率为98.5%，公众满意率99%。"
        "全年行政诉讼一起。"
    )
    values = {key: figure["value"] for key, figure in figures.items()}
    assert values["applications_received"] == 123
    assert values["applications_received.parts"] == [
        ("予以公开", 71),
        ("部分公开", 3),
        ("不予公开", 20),
        ("其他", 29),
    ]
    assert values["carried_over"] == 5
    assert values["proactive_published"] == 12000
    assert figures["proactive_published"]["approximate"] is True
    assert values["applications_closed"] == 128
    assert values["carried_forward"] == 10
    assert values["fees"] == Decimal(500)
    assert values["on_time_rate"] == Decimal("98.5")
    assert values["rate:公众满意率"] == Decimal(99)
    assert values["lawsuits"] == 1
    assert figures["carried_over"]["quote"] == "上年度结转申请5件。"


def test_narrative_figures_of_none():
    figures = narrative_figures(
        "本年度未收到政府信息公开申请。未发生政府信息公开行政复议、行政诉讼案件。未收取任何费用。"
    )
    assert {key: figure["value"] for key, figure in figures.items()} == {
        "applications_received": 0,
        "reviews": 0,
        "lawsuits": 0,
        "fees": Decimal(0),
    }


def test_narrative_figures_with_the_years_written_out():
    figures = narrative_figures(
        "2022年，共收到10件依申请公开请求，2021年结转政府信息公开申请2件，共办结10件，"
        "结转2023年度继续办理2件。全年共收到和办理依申请公开12件，其中自然人申请件12件，"
        "法人或其他组织申请件0件，上年度结转政府信息公开申请0件。"
    )
    values = {key: figure["value"] for key, figure in figures.items()}
    assert values["applications_received"] == 10  # the first the text states
    assert values["carried_over"] == 2
    assert values["applications_closed"] == 10
    assert values["carried_forward"] == 2
    # The breakdown stops where the next figure (上年度结转 …) begins.
    assert values["applications_received.parts"] == [
        ("自然人申请件", 12),
        ("法人或其他组织申请件", 0),
    ]
    assert figures["applications_received.parts"]["total"] == 12  # not the 10 stated first


def test_a_part_is_not_the_figure_of_a_whole():
    figures = narrative_figures("其中：主动公开规范性文件数5条。全年主动公开政府信息300条。")
    assert figures["proactive_published"]["value"] == 300
