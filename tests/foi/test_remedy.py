"""The remedy clause: the 复议机关 of each row of regulation-notes-2 §9.1, the vertical
override, 复议前置, the online channel, the court level and the validator."""

from __future__ import annotations

import pytest

from gongkai.foi import remedy
from gongkai.lib.report_keys import Outcome
from gongkai.orgs.models import Agency, Kind, Level


def make(code: str, name: str, level: str, kind: str, parent: Agency | None = None, **extra):
    return Agency.objects.create(
        code=code, name=name, level=level, kind=kind, parent=parent, **extra
    )


@pytest.fixture
def tree(db):
    """省政府 → 省厅; 省政府 → 市政府 → 市局; 市政府 → 县政府 → 县局, 乡政府, 街道, 县局派出所."""
    t = {}
    t["province"] = make("p", "某省人民政府", Level.PROVINCE, Kind.GOVERNMENT)
    t["province_dept"] = make("p-t", "某省教育厅", Level.PROVINCE, Kind.DEPARTMENT, t["province"])
    t["city"] = make("c", "某市人民政府", Level.CITY, Kind.GOVERNMENT, t["province"])
    t["city_dept"] = make("c-j", "某市教育局", Level.CITY, Kind.DEPARTMENT, t["city"])
    t["county"] = make("x", "某县人民政府", Level.COUNTY, Kind.GOVERNMENT, t["city"])
    t["county_dept"] = make("x-j", "某县教育局", Level.COUNTY, Kind.DEPARTMENT, t["county"])
    t["township"] = make("x-z", "某县某镇人民政府", Level.TOWNSHIP, Kind.GOVERNMENT, t["county"])
    t["subdistrict"] = make("x-s", "某县某街道办事处", Level.TOWNSHIP, Kind.DISPATCHED, t["county"])
    t["dispatched"] = make(
        "x-j-p", "某县教育局派出机构", Level.COUNTY, Kind.DISPATCHED, t["county_dept"]
    )
    return t


@pytest.mark.parametrize(
    ("who", "reviewer", "article"),
    [
        ("county_dept", "某县人民政府", "第二十四条第一款第（一）项"),
        ("county", "某市人民政府", "第二十四条第一款第（二）项"),
        ("township", "某县人民政府", "第二十四条第一款第（二）项"),
        ("subdistrict", "某县人民政府", "第二十四条第一款第（三）项"),
        ("dispatched", "某县人民政府", "第二十四条第一款第（一）项"),
        ("city_dept", "某市人民政府", "第二十四条第一款第（一）项"),
        ("city", "某省人民政府", "第二十四条第一款第（二）项"),
        ("province_dept", "某省人民政府", "第二十四条第一款第（一）项"),
        ("province", "某省人民政府", "第二十四条第二款"),
    ],
)
def test_the_review_body_of_each_row_of_the_table(tree, who, reviewer, article):
    body = remedy.review_body(tree[who])
    assert body is not None and (body.name, body.article) == (reviewer, article)


def test_a_department_is_reviewed_by_its_government_not_its_higher_department(tree):
    # Since 2024 the 上一级主管部门 is no longer an option for ordinary departments.
    text = remedy.clause(tree["county_dept"], Outcome.GRANTED)
    assert "某县人民政府" in text and "某市教育局" not in text


def test_a_vertical_agency_needs_its_higher_authority_which_then_reviews(tree):
    tax = make("x-sw", "国家税务总局某县税务局", Level.COUNTY, Kind.DEPARTMENT, tree["county"])
    tax.vertical = True
    assert remedy.review_body(tax) is None
    problems = remedy.clause_problems(remedy.clause(tax, Outcome.GRANTED), tax, Outcome.GRANTED)
    assert any("无法" in p and "国家税务总局某县税务局" in p for p in problems)
    tax.review_body = "国家税务总局某市税务局"
    body = remedy.review_body(tax)
    assert body is not None and (body.name, body.article) == (
        "国家税务总局某市税务局",
        "第二十七条",
    )
    text = remedy.clause(tax, Outcome.GRANTED)
    assert "向国家税务总局某市税务局申请行政复议" in text and "某县人民政府" not in text
    assert remedy.clause_problems(text, tax, Outcome.GRANTED) == []


def test_an_agency_may_override_the_tree(tree):
    tree["county"].review_body = "某自治州人民政府"
    body = remedy.review_body(tree["county"])
    assert body is not None and body.name == "某自治州人民政府"


def test_a_tree_that_stops_below_the_reviewer_gives_no_review_body(cast):
    # The test county is a root: its city government is not in the system.
    assert remedy.review_body(cast.county) is None
    assert "向____申请行政复议" in remedy.clause(cast.county, Outcome.GRANTED)


def test_the_ordinary_clause_of_a_county_department(tree):
    assert remedy.clause(tree["county_dept"], Outcome.GRANTED) == (
        "如对本答复不服，可以自收到本答复书之日起六十日内向某县人民政府申请行政复议，"
        "也可以自收到本答复书之日起六个月内依法向人民法院提起行政诉讼。"
    )


@pytest.mark.parametrize(
    "outcome",
    [Outcome.DENIED_PROCESS_INFO, Outcome.DENIED_STATE_SECRET, Outcome.PARTIALLY_GRANTED],
)
def test_refusals_to_disclose_must_go_to_review_first(tree, outcome):
    text = remedy.clause(tree["county_dept"], outcome)
    assert "第二十三条第一款第（四）项" in text
    assert "先自收到本答复书之日起六十日内向某县人民政府申请行政复议" in text
    assert "六个月" not in text and "也可以" not in text
    assert "收到行政复议决定书之日起十五日内" in text
    assert remedy.clause_problems(text, tree["county_dept"], outcome) == []


def test_the_partial_reply_names_its_withheld_part(tree):
    assert "本答复中不予公开的部分" in remedy.clause(tree["county_dept"], Outcome.PARTIALLY_GRANTED)


def test_other_outcomes_keep_the_ordinary_clause_and_a_withdrawal_has_none(tree):
    for outcome in (
        Outcome.UNABLE_NOT_HELD,
        Outcome.DENIED_ADMINISTRATIVE_QUERY,
        Outcome.NP_REPEATED,
    ):
        assert remedy.mode(outcome) == remedy.Mode.ORDINARY
    assert remedy.clause(tree["county_dept"], Outcome.OTHER_MISC, withdrawn=True) == ""
    assert remedy.clause_problems("", tree["county_dept"], Outcome.OTHER_MISC, withdrawn=True) == []


def test_which_outcomes_need_review_first_is_a_setting(tree, settings):
    settings.FOI_PRIOR_REVIEW_OUTCOMES = (Outcome.DENIED_STATE_SECRET,)
    assert remedy.mode(Outcome.PARTIALLY_GRANTED) == remedy.Mode.ORDINARY
    assert "六个月" in remedy.clause(tree["county_dept"], Outcome.PARTIALLY_GRANTED)


def test_letters_delivered_online_name_the_online_channel_when_configured(tree):
    agency = tree["county_dept"]
    assert "在线" not in remedy.clause(agency, Outcome.GRANTED, online=True)
    agency.review_online_url = "https://fuyi.example.gov.cn/"
    assert "在线" not in remedy.clause(agency, Outcome.GRANTED, online=False)
    text = remedy.clause(agency, Outcome.GRANTED, online=True)
    assert text.endswith("行政复议申请可以通过https://fuyi.example.gov.cn/在线提交。")


@pytest.mark.parametrize(
    ("who", "level"),
    [
        ("county", "中级人民法院"),
        ("city", "中级人民法院"),
        ("province", "中级人民法院"),
        ("county_dept", "基层人民法院"),
        ("city_dept", "基层人民法院"),
        ("township", "基层人民法院"),
    ],
)
def test_the_court_level(tree, who, level):
    assert remedy.court_level(tree[who]) == level


def test_customs_go_to_the_intermediate_court_and_a_court_is_named_only_when_set(tree):
    customs = make("hg", "某海关", Level.CITY, Kind.DEPARTMENT, tree["city"], vertical=True)
    assert remedy.court_level(customs) == "中级人民法院"
    assert "依法向人民法院提起行政诉讼" in remedy.clause(tree["county"], Outcome.GRANTED)
    tree["county"].court_name = "某市中级人民法院"
    assert "依法向某市中级人民法院提起行政诉讼" in remedy.clause(tree["county"], Outcome.GRANTED)


def test_the_validator_names_each_missing_element(tree):
    agency = tree["county_dept"]
    assert remedy.clause_problems("特此告知。", agency, Outcome.GRANTED) == [
        "答复书未告知申请人申请行政复议的权利。",
        "答复书未写明复议机关某县人民政府。",
        "答复书未写明申请行政复议的六十日期限。",
    ]
    wrong_body = remedy.clause(agency, Outcome.GRANTED).replace("某县人民政府", "某市教育局")
    assert remedy.clause_problems(wrong_body, agency, Outcome.GRANTED) == [
        "答复书未写明复议机关某县人民政府。"
    ]
    # An ordinary clause on a refusal offers direct litigation and omits "先".
    ordinary = remedy.clause(agency, Outcome.GRANTED)
    problems = remedy.clause_problems(ordinary, agency, Outcome.DENIED_PROCESS_INFO)
    assert len(problems) == 2
    assert "先" in problems[0] and "第二十三条" in problems[0]
    assert "不得" in problems[1]
