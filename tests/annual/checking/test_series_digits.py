"""Digits run together that one report cannot split, settled by the same agency's report
of the year before or after when the two are checked together (issue 22): table 三's
上年结转 is last year's 结转下年度继续办理, table 二's 现行有效件数 last year's plus 本年制发
less 本年废止 (extract.settle_series, batch.check_documents)."""

from __future__ import annotations

from gongkai.annual.checking.batch import check_documents
from gongkai.annual.checking.document import AMBIGUOUS
from gongkai.annual.checking.formats import reader_format
from gongkai.annual.checking.reading import read_text

T3 = "t3_applications"
ZEROS = "0 0 0 0 0 0 0"
RUN = "303000033"  # 3|0|30|0|0|0|33 or 30|3|0|0|0|0|33
SPLIT_A, SPLIT_B = (30, 3, 0, 0, 0, 0, 33), (3, 0, 30, 0, 0, 0, 33)


def report(year: int, rows: dict[str, str], before: str = "") -> str:
    """A report of 青山县林业局 for `year`: table 三 with every row of the format, zeros
    but for `rows`; `before` is printed ahead of it."""
    table = reader_format("2021").tables[T3]
    lines = [f"青山县林业局{year}年政府信息公开工作年度报告", before]
    lines.append("三、收到和处理政府信息公开申请情况")
    for key, label in table.labels.items():
        if table.rows.children.get(key):
            lines.append(label)
        elif label:
            lines.append(f"{label} {rows.get(key, ZEROS)}")
    return "\n".join(line for line in lines if line)


def cells(values) -> dict:
    return dict(zip(reader_format("2021").tables[T3].columns, values, strict=True))


def spaced(values) -> str:
    return " ".join(map(str, values))


def ids(result) -> list[str]:
    return [f.id for f in result.findings]


# 2023: nothing new, nothing answered: what came over is what goes on, both run together.
RUN_2023 = {"carried_over": RUN, "carried_forward": RUN}


def test_alone_the_run_together_carry_over_stays_ambiguous():
    (alone,) = check_documents([read_text(report(2023, RUN_2023), "2023.txt")])
    assert AMBIGUOUS in alone.extracted.tables[T3]["carried_over"].values()
    assert "RUN-TOGETHER-AMBIGUOUS" in ids(alone)


def test_last_years_carried_forward_settles_this_years_carried_over():
    for last_year, expected in ((SPLIT_A, SPLIT_A), (SPLIT_B, SPLIT_B)):
        rows = {"new_received": spaced(last_year), "carried_forward": spaced(last_year)}
        before = read_text(report(2022, rows), "2022.txt")
        now = read_text(report(2023, RUN_2023), "2023.txt")
        _, result = check_documents([before, now])
        tables = result.extracted.tables[T3]
        assert tables["carried_over"] == cells(expected)
        # and the balance of its own table then settles 结转下年度继续办理
        assert tables["carried_forward"] == cells(expected)
        assert "RUN-TOGETHER-AMBIGUOUS" not in ids(result)
        assert any(f.id == "RUN-TOGETHER" and "2022" in f.message for f in result.findings)
        assert "CARRY-OVER" not in " ".join(ids(result))


def test_next_years_carried_over_settles_this_years_carried_forward():
    now = read_text(report(2022, {"new_received": RUN, "carried_forward": RUN}), "2022.txt")
    rows = {"carried_over": spaced(SPLIT_B), "carried_forward": spaced(SPLIT_B)}
    after = read_text(report(2023, rows), "2023.txt")
    result, _ = check_documents([now, after])
    assert result.extracted.tables[T3]["carried_forward"] == cells(SPLIT_B)
    assert result.extracted.tables[T3]["new_received"] == cells(SPLIT_B)


def test_a_report_of_another_agency_settles_nothing():
    rows = {"new_received": spaced(SPLIT_A), "carried_forward": spaced(SPLIT_A)}
    other = report(2022, rows).replace("青山县林业局", "青山县水利局")
    _, result = check_documents(
        [read_text(other, "2022.txt"), read_text(report(2023, RUN_2023), "2023.txt")]
    )
    assert AMBIGUOUS in result.extracted.tables[T3]["carried_over"].values()


TABLE_TWO = (
    "二、主动公开政府信息情况\n第二十条第（一）项\n"
    "信息内容 本年制发件数 本年废止件数 现行有效件数\n规章 0 0 0\n行政规范性文件 {row}"
)


def test_table_two_in_force_is_settled_by_last_years_in_force():
    # "2010" is 2|0|10 or 20|1|0; last year's 8 in force: 8 + 2 - 0 = 10.
    before = read_text(report(2022, {}, TABLE_TWO.format(row="3 0 8")), "2022.txt")
    now = read_text(report(2023, {}, TABLE_TWO.format(row="2010")), "2023.txt")
    (alone,) = check_documents([now])
    assert AMBIGUOUS in alone.extracted.tables["t2_art20_1"]["normative_documents"].values()
    now = read_text(report(2023, {}, TABLE_TWO.format(row="2010")), "2023.txt")
    _, result = check_documents([before, now])
    assert result.extracted.tables["t2_art20_1"]["normative_documents"] == {
        "issued": 2,
        "repealed": 0,
        "in_force": 10,
    }
    assert "RUN-TOGETHER-AMBIGUOUS" not in ids(result)
    # Last year's figure fitting neither split: still "?", with the splits listed.
    before = read_text(report(2022, {}, TABLE_TWO.format(row="0 0 0")), "2022.txt")
    now = read_text(report(2023, {}, TABLE_TWO.format(row="2010")), "2023.txt")
    _, result = check_documents([before, now])
    assert AMBIGUOUS in result.extracted.tables["t2_art20_1"]["normative_documents"].values()
    assert "RUN-TOGETHER-AMBIGUOUS" in ids(result)
