"""Checks on published reports as read (gongkai.annual.checking.checks), without a database."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from gongkai.annual.checking.checks import check, check_series, may_issue_regulations
from gongkai.annual.checking.document import (
    AMBIGUOUS,
    BLANK,
    ERROR,
    INFO,
    SLASH,
    WARNING,
    Extracted,
    Finding,
)
from gongkai.lib.report_format import fold_table_three, format_spec

T3, T4 = "t3_applications", "t4_review_litigation"
COLUMNS = [
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "public_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
]

# The worked vector of regulation-notes §3.1 (the Hangzhou-style 测试市 fixture): every
# identity holds.
HANGZHOU_T3 = {
    "new_received": [13612, 252, 0, 45, 128, 32, 14069],
    "carried_over": [535, 6, 0, 1, 18, 0, 560],
    "granted": [5345, 129, 0, 41, 19, 14, 5548],
    "partially_granted": [2120, 39, 0, 1, 6, 2, 2168],
    "denied_state_secret": [13, 0, 0, 0, 0, 0, 13],
    "denied_law_prohibited": [30, 0, 0, 0, 0, 0, 30],
    "denied_three_security_one_stability": [11, 0, 0, 0, 0, 0, 11],
    "denied_third_party_rights": [49, 2, 0, 0, 0, 0, 51],
    "denied_internal_affairs": [103, 1, 0, 0, 0, 0, 104],
    "denied_process_info": [84, 1, 0, 0, 0, 0, 85],
    "denied_enforcement_case_file": [282, 4, 0, 0, 0, 0, 286],
    "denied_administrative_query": [147, 0, 0, 0, 1, 2, 150],
    "unable_not_held": [3075, 50, 0, 0, 89, 8, 3222],
    "unable_needs_creation": [177, 3, 0, 0, 0, 0, 180],
    "unable_unclear_after_correction": [19, 0, 0, 0, 0, 0, 19],
    "np_petition_complaint": [199, 1, 0, 0, 3, 0, 203],
    "np_repeated": [147, 1, 0, 0, 0, 0, 148],
    "np_publication": [0, 0, 0, 0, 0, 0, 0],
    "np_massive_unreasonable": [100, 1, 0, 0, 0, 0, 101],
    "np_confirm_or_reissue": [5, 0, 0, 0, 0, 0, 5],
    "other_overdue_correction": [315, 3, 0, 0, 0, 0, 318],
    "other_overdue_fee": [202, 0, 0, 1, 0, 0, 203],
    "other_misc": [941, 17, 0, 1, 3, 3, 965],
    "total_processed": [13364, 252, 0, 44, 121, 29, 13810],
    "carried_forward": [783, 6, 0, 2, 25, 3, 819],
}
HANGZHOU_T4 = [376, 97, 196, 121, 790, 16, 1, 12, 27, 56, 74, 1, 30, 51, 156]


def hangzhou_tables() -> dict[str, Any]:
    t4_columns = [c["key"] for c in format_spec("2021")["tables"][-1]["columns"]]
    return {
        "t2_art20_1": {
            "regulations": {"issued": 3, "repealed": 5, "in_force": 74},
            "normative_documents": {"issued": 564, "repealed": 984, "in_force": 4185},
        },
        "t2_art20_5": {"administrative_licensing": {"decisions": 11398889}},
        "t2_art20_6": {
            "administrative_penalty": {"decisions": 6937489},
            "administrative_coercion": {"decisions": 166105},
        },
        "t2_art20_8": {"administrative_fees": {"fee_amount": Decimal("316441")}},
        T3: {row: dict(zip(COLUMNS, values, strict=True)) for row, values in HANGZHOU_T3.items()},
        T4: {"cases": dict(zip(t4_columns, HANGZHOU_T4, strict=True))},
    }


OVERVIEW = (
    "2025年，全市各级行政机关扎实推进政务公开工作，围绕主动公开、依申请公开、政府信息管理、"
    "政府信息公开平台建设和监督保障五个方面开展工作，全年新收政府信息公开申请14069件，"
    "上年结转560件，办结13810件，结转下年度继续办理819件。"
)
PROBLEMS = (
    "对照新要求新任务，仍存在以下短板：一是主动公开工作还需进一步规范，部分栏目更新不及时；"
    "二是依申请公开答复质量有待提高；三是工作人员业务培训不够。下一步将加强培训、完善制度。"
)


def hangzhou(**changes: Any) -> Extracted:
    report = Extracted(
        file="hangzhou-2025.html",
        format="2021",
        agency="测试市人民政府",
        year=2025,
        tables=hangzhou_tables(),
        sections={"overview": OVERVIEW, "problems": PROBLEMS, "other": "无。"},
        period=("2025-01-01", "2025-12-31"),
        cited_documents=["国办公开办函〔2021〕30号"],
    )
    for name, value in changes.items():
        setattr(report, name, value)
    return report


def small(**changes: Any) -> Extracted:
    """A township's 2022 report: 14 requests, 10 granted, 4 not held."""
    zeros = {row: dict.fromkeys(COLUMNS, 0) for row in HANGZHOU_T3}
    for row, (person, total) in {
        "new_received": (14, 14),
        "granted": (10, 10),
        "unable_not_held": (4, 4),
        "total_processed": (14, 14),
    }.items():
        zeros[row].update(natural_person=person, total=total)
    tables = hangzhou_tables()
    tables[T3] = zeros
    tables[T4] = {"cases": dict.fromkeys(tables[T4]["cases"], 0)}
    tables["t2_art20_1"] = {
        "regulations": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative_documents": {"issued": 0, "repealed": 0, "in_force": 3},
    }
    report = Extracted(
        file="town-2022.html",
        format="2021",
        agency="某某县某某镇人民政府",
        year=2022,
        tables=tables,
        period=("2022-01-01", "2022-12-31"),
        cited_documents=["国办公开办函〔2021〕30号"],
    )
    for name, value in changes.items():
        setattr(report, name, value)
    return report


def ids(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.id, f.severity) for f in findings]


def only(findings: list[Finding], finding_id: str) -> list[Finding]:
    return [f for f in findings if f.id == finding_id]


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


# ---- identities -------------------------------------------------------------------------------


def test_the_worked_vector_has_no_findings() -> None:
    assert check(hangzhou()) == []


def test_a_changed_cell_breaks_the_balance_and_the_row_total_naming_the_cells() -> None:
    report = hangzhou()
    report.tables[T3]["new_received"]["natural_person"] = 13613
    findings = check(report)
    assert [(f.id, f.severity, f.row, f.col) for f in findings] == [
        ("T3-BALANCE", ERROR, "new_received", "natural_person"),
        ("T3-ROW-TOTAL", ERROR, "new_received", "total"),
    ]
    balance, row_total = findings
    assert "一、本年新收政府信息公开申请数量（自然人）" in balance.message
    assert "14148" in balance.message and "14147" in balance.message
    assert "14069" in row_total.message and "14070" in row_total.message


def test_blank_cells_beside_a_total_are_read_as_zero_and_warned_about() -> None:
    report = hangzhou()
    row = report.tables[T3]["carried_over"]
    for col in COLUMNS[:-1]:
        row[col] = BLANK
    findings = check(report)
    zero = only(findings, "CELLS-READ-AS-ZERO")
    assert [(f.severity, f.table) for f in zero] == [(WARNING, T3)]
    assert "二、上年结转政府信息公开申请数量（自然人）" in zero[0].message
    row_total = only(findings, "T3-ROW-TOTAL")
    assert [(f.severity, f.row) for f in row_total] == [(ERROR, "carried_over")]
    assert "560" in row_total[0].message and "Read as 0" in row_total[0].message
    # The applicant columns of the balance lose the carried-over figures too.
    assert {f.col for f in only(findings, "T3-BALANCE")} == {
        "natural_person",
        "commercial_enterprise",
        "public_welfare_org",
        "legal_service_org",
    }


def test_a_table_of_slashes_is_a_note_not_an_error() -> None:
    report = hangzhou()
    report.tables[T4] = {"cases": dict.fromkeys(report.tables[T4]["cases"], SLASH)}
    findings = check(report)
    assert ids(findings) == [("CELLS-READ-AS-ZERO", INFO)]
    assert findings[0].table == T4
    assert "政府信息公开行政复议、行政诉讼情况" in findings[0].message


def test_slashes_beside_zeros_only_are_a_note() -> None:
    report = small()
    report.tables["t2_art20_1"]["regulations"] = dict.fromkeys(
        ["issued", "repealed", "in_force"], "/"
    )
    report.tables[T3]["carried_over"]["research_institution"] = "/"
    findings = check(report)
    assert ids(findings) == [("CELLS-READ-AS-ZERO", INFO), ("CELLS-READ-AS-ZERO", INFO)]
    assert [f.table for f in findings] == ["t2_art20_1", T3]


def test_an_ambiguous_cell_is_not_an_error_and_its_value_is_implied() -> None:
    report = hangzhou()
    report.tables[T3]["new_received"]["total"] = AMBIGUOUS
    findings = check(report)
    assert [(f.id, f.severity, f.row, f.col) for f in findings] == [
        ("IDENTITY-AMBIGUOUS", INFO, "new_received", "total"),
        ("IDENTITY-AMBIGUOUS", INFO, "new_received", "total"),
    ]
    assert all("14069" in f.message for f in findings)
    assert "一、本年新收政府信息公开申请数量（总计）" in findings[0].message


def test_a_missing_row_is_warned_about_and_its_sums_are_skipped() -> None:
    report = hangzhou()
    del report.tables[T3]["np_repeated"]
    findings = check(report)
    assert [(f.id, f.severity, f.row) for f in findings][:1] == [
        ("ROW-MISSING", WARNING, "np_repeated")
    ]
    assert "2.重复申请" in findings[0].message
    skipped = only(findings, "IDENTITY-SKIPPED")
    assert {f.col for f in skipped} == {"natural_person", "commercial_enterprise", "total"}
    assert not [f for f in findings if f.severity == ERROR]


def test_a_missing_table_is_a_note() -> None:
    report = hangzhou()
    del report.tables[T4]
    assert [(f.id, f.severity, f.table) for f in check(report)] == [("TABLE-MISSING", INFO, T4)]


def test_review_totals_name_the_group_of_the_column() -> None:
    report = hangzhou()
    report.tables[T4]["cases"]["lit_direct_total"] = 57
    findings = check(report)
    assert [(f.id, f.col) for f in findings] == [("T4-LIT_DIRECT-TOTAL", "lit_direct_total")]


def test_negative_and_fractional_counts_are_errors() -> None:
    report = small()
    report.tables["t2_art20_5"]["administrative_licensing"]["decisions"] = -1
    report.tables["t2_art20_8"]["administrative_fees"]["fee_amount"] = Decimal("2.02")
    findings = check(report)
    assert [(f.id, f.severity, f.table) for f in findings] == [("NONNEG", ERROR, "t2_art20_5")]
    assert "行政许可" in findings[0].message


def test_the_2019_format_is_checked_with_its_own_identities() -> None:
    tables = hangzhou_tables()
    three: Any = fold_table_three("2019", tables[T3])
    report = Extracted(
        file="2020.html",
        format="2019",
        year=2020,
        agency="测试市人民政府",
        tables={T3: three, T4: tables[T4]},
        cited_documents=["国办公开办函（2019）60号"],
    )
    findings = check(report)
    assert [(f.id, f.severity, f.table) for f in findings] == [("TABLE-MISSING", INFO, "")]
    assert "第二十条第（九）项" in findings[0].message
    report.tables[T3]["other_handling"]["total"] = 1487
    assert ("T3-RESULT-TOTAL", "total") in {(f.id, f.col) for f in check(report)}


# ---- level, legal basis, period, format -----------------------------------------------------


def test_a_township_reporting_regulations_is_an_error() -> None:
    report = small()
    report.tables["t2_art20_1"]["regulations"]["in_force"] = 6
    findings = check(report)
    assert [(f.id, f.severity, f.row, f.col) for f in findings] == [
        ("LEVEL-REGULATIONS", ERROR, "regulations", "in_force")
    ]
    assert "规章（现行有效件数）" in findings[0].message and "6" in findings[0].message
    assert check(report, can_issue_regulations=True) == []


def test_who_may_make_regulations() -> None:
    assert may_issue_regulations("某某县某某镇人民政府") is False
    assert may_issue_regulations("某某区某某街道办事处") is False
    assert may_issue_regulations("某某县人民政府") is False
    assert may_issue_regulations("重庆市林业局") is False
    # A government's 办公厅/办公室 has its government's level (issue #22): a 市's may be a
    # 设区的市's, a province's makes 规章, a county's does not; a department's office is a
    # department.
    assert may_issue_regulations("某某市人民政府办公室") is None
    assert may_issue_regulations("某某省人民政府办公厅") is True
    assert may_issue_regulations("某某县人民政府办公室") is False
    assert may_issue_regulations("某某市林业局办公室") is False
    assert may_issue_regulations("四川省人民政府") is True
    assert may_issue_regulations("新疆维吾尔自治区人民政府") is True
    assert may_issue_regulations("测试市人民政府") is None  # may be a county-level city
    assert may_issue_regulations("测试市人民政府", level="city") is True
    assert may_issue_regulations("自然资源部") is None
    assert may_issue_regulations("国家林业和草原局") is None
    assert may_issue_regulations("", level="township") is False
    assert may_issue_regulations("") is None


def test_a_city_government_of_unknown_rank_is_not_flagged() -> None:
    assert only(check(hangzhou()), "LEVEL-REGULATIONS") == []


def test_a_2022_report_citing_the_2019_circular_is_warned_about() -> None:
    report = small(cited_documents=["国办公开办函[2019]60号"])
    findings = check(report)
    assert [(f.id, f.severity, f.quote) for f in findings] == [
        ("LEGAL-BASIS", WARNING, "国办公开办函[2019]60号")
    ]
    assert "国办公开办函〔2021〕30号" in findings[0].message
    report.cited_documents.append("国办公开办函〔2021〕30号")
    assert check(report) == []
    trial = small(cited_documents=["《中华人民共和国政府信息公开年度报告格式(试行)》"])
    assert ids(check(trial)) == [("LEGAL-BASIS", WARNING)]


def test_a_2020_report_in_the_2021_format_is_warned_about() -> None:
    report = hangzhou(year=2020, period=None, cited_documents=["国办公开办函〔2019〕60号"])
    findings = check(report)
    assert ids(findings) == [("FORMAT-YEAR", WARNING)]
    assert "国办公开办函〔2019〕60号" in findings[0].message


def test_a_period_short_of_the_year_is_warned_about() -> None:
    findings = check(small(period=("2022-01-01", "2022-11-30")))
    assert ids(findings) == [("PERIOD", WARNING)]
    assert "2022-11-30" in findings[0].message
    assert check(small(period=None)) == []


def test_an_unknown_format_and_an_empty_report_say_why_nothing_was_checked() -> None:
    assert ids(check(Extracted(file="x", format=""))) == [("FORMAT-UNKNOWN", INFO)]
    assert ids(check(Extracted(file="x", format="2021"))) == [("NO-TABLES", INFO)]


# ---- the text ---------------------------------------------------------------------------------


def test_a_figure_in_the_text_that_differs_from_the_table() -> None:
    quote = "本年度共收到申请15件。"
    report = small(narrative={"applications_received": {"value": 15, "quote": quote}})
    findings = check(report)
    assert [(f.id, f.severity, f.table, f.row, f.col, f.quote) for f in findings] == [
        ("TEXT-TABLE", WARNING, T3, "new_received", "total", quote)
    ]
    assert "15" in findings[0].message and "14" in findings[0].message
    report.narrative["applications_received"]["value"] = 14
    assert check(report) == []


def test_quoted_figures_in_the_sections_are_checked_once() -> None:
    sentence = "本年新收政府信息公开申请15件。"
    report = small(sections={"overview": sentence + "予以公开10件。"})
    findings = check(report)
    assert [(f.id, f.quote) for f in findings] == [("TEXT-TABLE", sentence)]
    report.narrative = {"applications_received": {"value": 15, "quote": sentence}}
    assert [(f.id, f.row) for f in check(report)] == [("TEXT-TABLE", "new_received")]


def test_lawsuits_in_the_text_are_both_kinds_of_litigation() -> None:
    report = hangzhou(narrative={"lawsuits": {"value": 212, "quote": "行政诉讼212件"}})
    assert check(report) == []
    report.narrative["lawsuits"]["value"] = 56
    assert [f.id for f in check(report)] == ["TEXT-TABLE"]


def test_a_breakdown_that_does_not_add_up() -> None:
    quote = "共收到申请14件，其中网上申请10件、信函申请3件。"
    narrative: dict[str, dict[str, Any]] = {
        "applications_received": {"value": 14, "quote": quote},
        "applications_received.parts": {
            "value": [("网上申请", 10), ("信函申请", 3)],
            "quote": quote,
        },
    }
    findings = check(small(narrative=narrative))
    # Less than the total: a list after 其中 may name only some parts, so a note.
    assert [(f.id, f.severity, f.quote) for f in findings] == [("BREAKDOWN-SUM", INFO, quote)]
    assert "13" in findings[0].message and "14" in findings[0].message
    narrative["applications_received.parts"]["partial"] = True
    assert check(small(narrative=narrative)) == []
    narrative["applications_received.parts"]["value"] = [("网上申请", 10), ("信函申请", 5)]
    assert [f.id for f in check(small(narrative=narrative))] == ["BREAKDOWN-SUM"]


def test_a_percentage_that_does_not_match_its_counts() -> None:
    quote = "办结14件，其中延期办结2件，按时办结率100%。"
    narrative = {
        "applications_closed": {"value": 14, "quote": quote},
        "closed_extended": {"value": 2, "quote": quote},
        "on_time_rate": {"value": 100, "quote": quote},
    }
    findings = check(small(narrative=narrative))
    assert [(f.id, f.severity, f.quote) for f in findings] == [("PERCENT", WARNING, quote)]
    assert "85.71" in findings[0].message
    narrative["on_time_rate"]["value"] = Decimal("85.7")
    assert check(small(narrative=narrative)) == []


def test_a_percentage_is_allowed_the_rounding_of_its_last_digit() -> None:
    entry = {"value": 100, "percent": True, "numerator": 249, "denominator": 250, "quote": "q"}
    assert check(small(narrative={"share": entry})) == []
    entry["value"] = Decimal("99.0")
    assert [f.id for f in check(small(narrative={"share": entry}))] == ["PERCENT"]
    cells = {
        "value": 50,
        "percent": True,
        "numerator": "t3_applications.granted.total",
        "denominator": "applications_closed",
        "quote": "公开率50%",
    }
    assert [f.id for f in check(small(narrative={"granted_rate": cells}))] == ["PERCENT"]


# ---- the pre-2019 table -----------------------------------------------------------------------

SEED_000 = {
    "proactive_total": 3531,
    "proactive_normative": 38,
    "normative_issued": 8,
    "ch_gazette": 0,
    "ch_website": 3128,
    "ch_weibo": 0,
    "ch_wechat": 0,
    "ch_platform": 205,
    "ch_other": 198,
    "hot_topics": 0,
    "press_conferences": 2,
    "press_conferences_leaders": 0,
    "online_interviews": 2,
    "online_interviews_leaders": 0,
    "interpretations": 0,
    "weibo_wechat_responses": 0,
    "other_responses": 0,
    "requests_received": 6,
    "req_in_person": 0,
    "req_fax": 0,
    "req_online": 0,
    "req_letter": 6,
    "requests_closed": 6,
    "closed_on_time": 6,
    "closed_extended": 0,
    "requests_answered": 6,
    "ans_already_public": 0,
    "ans_granted": 6,
    "ans_partial": 0,
    "ans_denied": 0,
    "denied_state_secret": 0,
    "denied_business_secret": 0,
    "denied_privacy": 0,
    "denied_security": 0,
    "denied_not_gov_info": 0,
    "denied_other": 0,
    "ans_not_this_agency": 0,
    "ans_not_exist": 0,
    "ans_correct": 0,
    "ans_other_channel": 0,
    "reviews": 8,
    "review_upheld": 6,
    "review_corrected": 2,
    "review_other": 0,
    "lawsuits": 6,
    "lawsuit_upheld": 5,
    "lawsuit_corrected": 0,
    "lawsuit_other": 1,
    "complaints": 0,
    "fees": 0,
    "units": 1,
    "reading_points": 1,
    "staff": 1,
    "staff_full_time": 0,
    "staff_part_time": 1,
    "budget": 0,
    "meetings": 0,
    "trainings": 0,
    "trainees": 0,
}


def seed_000(narrative: dict[str, Any] | None = None, **values: Any) -> Extracted:
    items = {**SEED_000, **values}
    return Extracted(
        narrative=narrative or {},
        file="000.txt",
        format="pre2019",
        agency="重庆市林业局",
        year=2018,
        tables={"pre2019": {key: {"value": value} for key, value in items.items()}},
        cited_documents=["渝府办发〔2014〕151号"],
    )


def test_the_seed_000_table_balances() -> None:
    assert check(seed_000()) == []


def test_a_broken_pre2019_table() -> None:
    findings = check(
        seed_000(req_letter=7, ans_denied=1, denied_privacy=2, press_conferences_leaders=3)
    )
    assert [(f.id, f.severity, f.row) for f in findings] == [
        ("PRE2019-PART", ERROR, "press_conferences"),
        ("PRE2019-SUM", ERROR, "requests_received"),
        ("PRE2019-SUM", ERROR, "requests_answered"),
        ("PRE2019-SUM", ERROR, "ans_denied"),
    ]
    assert "（一）收到申请数" in findings[1].message and "7" in findings[1].message
    assert "4.不同意公开答复数" in findings[3].message


def test_pre2019_channels_below_the_total_are_a_note_and_above_it_nothing() -> None:
    assert [(f.id, f.severity) for f in check(seed_000(ch_website=3000))] == [
        ("PRE2019-CHANNELS", INFO)
    ]
    assert check(seed_000(ch_weibo=500)) == []


def test_a_pre2019_table_without_a_provincial_row_is_fine() -> None:
    report = seed_000()
    del report.tables["pre2019"]["ch_platform"]
    report.tables["pre2019"]["ch_website"]["value"] = 3333
    assert check(report) == []


def test_pre2019_text_against_the_table_and_fees_in_yuan() -> None:
    narrative = {
        "reviews": {"value": 8, "quote": "行政复议8件"},
        "fees": {"value": 0, "quote": "未收取费用"},
        "applications_received": {"value": 5, "quote": "收到申请5件"},
    }
    findings = check(seed_000(narrative=narrative))
    assert [(f.id, f.row) for f in findings] == [("TEXT-TABLE", "requests_received")]
    fees = {"fees": {"value": 400, "quote": "收取费用400元"}}
    assert check(seed_000(fees=Decimal("0.04"), narrative=fees)) == []
    assert [f.id for f in check(seed_000(fees=Decimal("0.10"), narrative=fees))] == ["TEXT-TABLE"]


def test_a_pre2019_table_in_a_2022_report() -> None:
    report = seed_000()
    report.year = 2022
    assert ids(check(report)) == [("FORMAT-YEAR", WARNING)]


# ---- a series of years ------------------------------------------------------------------------


def test_a_series_with_a_carry_over_mismatch_copied_text_and_identical_tables() -> None:
    first = hangzhou(year=2021, file="2021.html")
    second = hangzhou(year=2022, file="2022.html")
    second.tables[T3]["carried_over"] = dict(first.tables[T3]["carried_forward"])
    second.tables[T3]["carried_over"].update(natural_person=780, total=816)
    second.tables["t2_art20_1"]["regulations"]["in_force"] = 72
    second.tables["t2_art20_1"]["normative_documents"]["in_force"] = 3765
    second.sections = {"overview": "今年工作另有重点。" * 10, "problems": "问题不同。" * 12}
    third = hangzhou(year=2023, file="2023.html")
    third.tables = copy.deepcopy(second.tables)
    third.sections = {"overview": OVERVIEW.replace("2025", "2023"), "problems": "另写的问题。" * 12}
    duplicate = hangzhou(year=2022, file="2022-again.html")
    result = check_series([third, first, second, duplicate])
    assert set(result) == {0, 1, 2, 3}
    assert result[1] == []
    assert [(f.id, f.severity, f.row, f.col) for f in result[2]] == [
        ("X-YEAR-CARRY", WARNING, "carried_over", "natural_person"),
        ("X-YEAR-CARRY", WARNING, "carried_over", "total"),
    ]
    carry = result[2][0]
    assert "二、上年结转政府信息公开申请数量（自然人）" in carry.message
    assert "780" in carry.message and "783" in carry.message
    # The 2023 tables repeat 2022's, so they also fail to carry 2022's figures forward.
    assert [(f.id, f.severity) for f in result[0]] == [
        ("X-YEAR-IN-FORCE", WARNING),
        ("X-YEAR-IN-FORCE", WARNING),
        ("X-YEAR-CARRY", WARNING),
        ("X-YEAR-CARRY", WARNING),
        ("TEXT-REPEATED", WARNING),
        ("TABLES-IDENTICAL", WARNING),
    ]
    repeated, identical = result[0][4], result[0][5]
    assert "一、总体情况" in repeated.message and "2021" in repeated.message
    assert "100%" in repeated.message
    assert "2022" in identical.message
    assert [(f.id, f.severity) for f in result[3]] == [("DUPLICATE-YEAR", INFO)]
    assert "2022.html" in result[3][0].message


def test_a_series_checks_regulations_in_force_between_years() -> None:
    first = small(year=2021)
    second = small(year=2022)
    second.tables["t2_art20_1"]["normative_documents"]["in_force"] = 4000
    result = check_series([first, second])
    assert [(f.id, f.row, f.col) for f in result[1]] == [
        ("X-YEAR-IN-FORCE", "normative_documents", "in_force")
    ]


def test_a_series_skips_what_it_cannot_read_and_years_it_lacks() -> None:
    first = small(year=2020)
    second = small(year=2022)
    second.tables[T3]["carried_over"]["total"] = 99
    assert check_series([first, second]) == {0: [], 1: []}
    third = small(year=2021)
    third.tables[T3]["carried_forward"]["total"] = AMBIGUOUS
    result = check_series([first, second, third])
    assert result[1] == []
    assert check_series([]) == {}
    assert check_series([Extracted(file="x", format="")]) == {0: []}


# ---- messages, order, robustness --------------------------------------------------------------


def test_messages_render_in_chinese() -> None:
    report = hangzhou(
        agency="某某镇人民政府",
        year=2022,
        period=("2022-01-01", "2022-11-30"),
        cited_documents=["国办公开办函[2019]60号"],
        narrative={"applications_received": {"value": 15, "quote": "共收到申请15件"}},
    )
    report.tables[T3]["new_received"]["natural_person"] = 13613
    report.tables[T3]["carried_over"]["commercial_enterprise"] = BLANK
    with translation.override("zh-hans"):
        findings = check(report)
        series = check_series([report, hangzhou(year=2021)])
    assert {"LEGAL-BASIS", "PERIOD", "T3-BALANCE", "LEVEL-REGULATIONS", "TEXT-TABLE"} <= {
        f.id for f in findings
    }
    balance = only(findings, "T3-BALANCE")[0]
    assert "一、本年新收政府信息公开申请数量（自然人）" in balance.message
    assert "为" in balance.message  # validate's message comes from the catalogue
    assert all(f.message for f in findings)
    assert all(f.message for fs in series.values() for f in fs)


def test_findings_come_in_the_order_of_the_format() -> None:
    report = small(period=("2022-01-01", "2022-06-30"))
    report.tables[T4]["cases"]["review_total"] = 1
    report.tables[T3]["carried_forward"]["natural_person"] = 1
    report.tables["t2_art20_1"]["regulations"]["issued"] = 1
    order = [(f.id, f.table) for f in check(report)]
    assert order == [
        ("PERIOD", ""),
        ("LEVEL-REGULATIONS", "t2_art20_1"),
        ("T3-BALANCE", T3),
        ("T3-ROW-TOTAL", T3),
        ("T4-REVIEW-TOTAL", T4),
    ]
    assert check(report) == check(report)


cells = st.one_of(
    st.integers(-5, 10**6),
    st.integers(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([Decimal("9E+999999"), Decimal("1E-999999"), 10**20, "1E+999999"]),
    st.sampled_from(["", "/", "-", "?", "—", "12", "1,234", "abc", "NaN"]),
    st.none(),
    st.booleans(),
    st.floats(),
)


@hypothesis_settings(max_examples=60)
@given(
    format_id=st.sampled_from(["2021", "2019", "pre2019", "", "x"]),
    year=st.one_of(
        st.none(), st.integers(-5, 10**5), st.sampled_from([2018, 2020, 2022]), st.just(True)
    ),
    junk=st.dictionaries(st.sampled_from(["new_received", "cases", "reviews", "x"]), cells),
    narrative=st.dictionaries(
        st.sampled_from(["on_time_rate", "reviews", "a.parts", "a", "fees"]),
        st.fixed_dictionaries(
            {
                "value": st.one_of(cells, st.lists(st.tuples(st.text(max_size=2), cells))),
                "numerator": st.one_of(cells, st.text(max_size=12)),
                "denominator": st.one_of(cells, st.text(max_size=12)),
            }
        ),
    ),
    period=st.one_of(st.none(), st.tuples(st.text(max_size=10), st.text(max_size=10))),
)
def test_odd_input_never_raises(
    format_id: str, year: Any, junk: dict[str, Any], narrative: Any, period: Any
) -> None:
    tables: dict[str, Any] = {
        T3: dict.fromkeys(("new_received", "total_processed"), junk),
        T4: {"cases": junk},
        "pre2019": {key: {"value": v} for key, v in junk.items()},
        "t2_art20_1": junk,
    }
    report = Extracted(
        file="odd",
        format=format_id,
        year=year,
        tables=tables,
        narrative=narrative,
        period=period,
        sections={"overview": "新收申请3件。" * 10},
        cited_documents=["国办公开办函（2019）60号", "x"],
    )
    findings = check(report, level="township")
    assert all(isinstance(f, Finding) and f.message for f in findings)
    check_series([report, report])


def test_a_rate_over_absurd_figures_is_left_alone() -> None:
    narrative = {"on_time_rate": {"value": 0, "numerator": 1, "denominator": Decimal("1E-999999")}}
    assert [f.id for f in check(small(narrative=narrative)) if f.id == "PERCENT"] == []


# ---- issue #22: false findings removed, placeholders ------------------------------------


def test_blanks_for_zero_in_sums_that_add_up_are_only_a_note() -> None:
    report = hangzhou()
    three = report.tables[T3]
    # Every zero of 二、上年结转 and 四、结转下年度 printed blank: the identities still hold.
    for row in ("carried_over", "carried_forward"):
        for col in COLUMNS:
            if three[row][col] == 0:
                three[row][col] = BLANK
    zero = only(check(report), "CELLS-READ-AS-ZERO")
    assert zero and {f.severity for f in zero} == {INFO}
    # A blank where a figure is missing (the sum breaks) is still a warning.
    three["granted"]["natural_person"] = BLANK
    assert WARNING in {f.severity for f in only(check(report), "CELLS-READ-AS-ZERO")}


def test_a_government_office_reporting_the_governments_rules_is_no_level_error() -> None:
    for agency in ("某某省人民政府办公厅", "某某市人民政府办公室"):
        report = small(agency=agency)
        report.tables["t2_art20_1"]["regulations"] = {"issued": 5, "repealed": 1, "in_force": 120}
        assert only(check(report), "LEVEL-REGULATIONS") == [], agency
    report = small(agency="某某县人民政府办公室")
    report.tables["t2_art20_1"]["regulations"] = {"issued": 5, "repealed": 1, "in_force": 120}
    assert only(check(report), "LEVEL-REGULATIONS")


@pytest.mark.parametrize(
    "text",
    [
        "全年共收到政府信息公开申请（请填写数字）件。",
        "XX局认真贯彻落实《条例》。",
        "20××年，本机关将进一步加强培训。",
        "【单位名称】持续推进政府信息公开工作。",
    ],
)
def test_template_placeholders_left_in_the_text_are_a_warning(text: str) -> None:
    report = small()
    report.sections["overview"] = text
    found = only(check(report), "PLACEHOLDER")
    assert [(f.severity, f.quote) for f in found] == [(WARNING, text)]


@pytest.mark.parametrize(
    "text",
    [
        "本机关按照XXL-JOB系统的要求报送数据。",
        "行政许可3×4个窗口。",
        "【重要提示】本报告数据已核对。",
    ],
)
def test_text_that_only_looks_like_a_placeholder_is_not_one(text: str) -> None:
    report = small()
    report.sections["overview"] = text
    assert only(check(report), "PLACEHOLDER") == []
