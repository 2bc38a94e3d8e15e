"""The annual report's sections 一 and 六 drafted from the records, the approval refusals,
the 2019-format command with its sections, and the demo's report."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai.annual import actions as annual_actions
from gongkai.annual import narrative
from gongkai.annual.compute import compute, scope_for
from gongkai.annual.models import AnnualReport
from gongkai.lib.errors import ActionError
from gongkai.records.demo import _year_of_records
from tests.annual.conftest import confirm_figures
from tests.annual.test_actions import PROBLEMS


def draft(agency, year=2025, rollup=False):
    scope = scope_for(agency, year, rollup=rollup)
    return narrative.drafts(scope, compute(scope), agency=agency, rollup=rollup)


@pytest.mark.django_db
def test_without_records_each_kind_is_stated_not_left_to_fill_in(cast):
    text = draft(cast.a)
    overview, other = text["overview"], text["other"]
    assert "本年度未召开新闻发布会" in overview and "未开展在线访谈" in overview
    assert "本年度未开展公开征求意见" in overview
    assert "本年度未发生需要回应的政务舆情" in overview
    assert "本年度未通过热线和信箱收到政务咨询投诉" in overview
    assert "本年度未组织政务公开培训和工作会议" in overview
    assert "本年度未承办人大代表建议和政协委员提案" in other
    assert "未收取信息处理费" in other
    assert "2025年，本机关主动公开政府信息0条" in overview
    assert not narrative.placeholders(overview) and not narrative.placeholders(other)
    assert "请填写" not in overview + other


@pytest.mark.django_db
def test_with_records_the_sections_name_them(cast):
    _year_of_records(cast.a, cast.officer_a, 2025, "义务教育", "甲局")
    _year_of_records(cast.b, cast.officer_b, 2025, "市场监管", "乙局")  # not counted for A
    text = draft(cast.a)
    overview, other = text["overview"], text["other"]
    assert (
        "本年度召开新闻发布会1场；开展在线访谈1次；主要负责人带头解读1次；"
        "通过《义务教育政策新闻发布会》、《义务教育在线访谈》解读政策。" in overview
    )
    assert "公开征求意见1次，收到意见建议5条，采纳2条，公布意见采纳情况1次。" in overview
    # 6 h, 30 h and 60 h against the 48 h limit: one late.
    assert "回应社会关切3次（网民关注义务教育相关问题（3月）" in overview
    assert "其中1次超过回应时限" in overview
    assert "受理政务咨询投诉12件，已答复12件" in overview
    assert (
        "组织政务公开培训1次（《政务公开业务培训》），召开政务公开工作会议1次，参加55人次"
        in overview
    )
    assert "本机关政务公开工作配备专职人员1名、兼职人员2名，工作经费2.5万元" in overview
    assert (
        "本年度承办人大代表建议2件、政协委员提案1件（主办2件、会办1件），已答复3件，"
        "办理结果公开3件。" in other
    )
    assert "乙局" not in overview


@pytest.mark.django_db
def test_a_rollup_speaks_for_the_whole_county(cast):
    _year_of_records(cast.a, cast.officer_a, 2025, "义务教育", "甲局")
    _year_of_records(cast.b, cast.officer_b, 2025, "市场监管", "乙局")
    overview = draft(cast.county, rollup=True)["overview"]
    assert overview.startswith("（一）主动公开\n2025年，全县主动公开")
    assert "本年度召开新闻发布会2场" in overview
    assert "全县政务公开工作配备专职人员2名、兼职人员4名" in overview
    report = annual_actions.open_report(cast.county, 2025, actor=cast.admin_county)
    assert report.rollup and "全县" in report.overview and "本机关" not in report.overview


@pytest.mark.django_db
def test_approval_lists_every_gap(cast):
    report = annual_actions.open_report(cast.a, 2025, actor=cast.officer_a)
    annual_actions.save_text(
        report,
        actor=cast.officer_a,
        overview=report.overview + "\n（请填写：政务公开工作创新情况。）",
        problems="",
        other="（请填写：人大代表建议和政协提案办理结果公开情况）",
    )
    with pytest.raises(ActionError) as refused:
        annual_actions.approve(report, actor=cast.head_a)
    messages = refused.value.messages
    assert messages[0] == "报告暂不能审定："
    assert any("五、存在的主要问题及改进情况" in m for m in messages)
    assert any("一、总体情况" in m and "（请填写：政务公开工作创新情况。）" in m for m in messages)
    assert any("六、其他需要报告的事项" in m and "人大代表建议" in m for m in messages)
    assert any("表二" in m and "测试县甲局（行政许可" in m for m in messages)
    annual_actions.save_text(
        report, actor=cast.officer_a, overview=report.overview.split("\n（请填写")[0],
        problems=PROBLEMS, other="本年度未承办人大代表建议和政协委员提案。",
    )  # fmt: skip
    confirm_figures(cast.a, year=2025)
    assert annual_actions.approve(report, actor=cast.head_a).number == 1


@pytest.mark.django_db
def test_a_rollup_needs_the_figures_of_every_agency_counted(cast):
    report = annual_actions.open_report(cast.county, 2025, actor=cast.admin_county)
    annual_actions.save_text(
        report, actor=cast.admin_county, overview=report.overview, problems=PROBLEMS, other="x"
    )
    confirm_figures(cast.county, cast.a, year=2025)
    with pytest.raises(ActionError) as refused:
        annual_actions.approve(report, actor=cast.admin_county)
    text = " ".join(refused.value.messages)
    assert "测试县乙局" in text and "测试县甲局派出所" in text and "测试县甲局（" not in text


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2019, 2020, 2025])
def test_the_command_writes_json_with_the_six_sections(cast, year):
    out = StringIO()
    call_command("annual_report", "--agency", "a", "--year", str(year), stdout=out)
    data = json.loads(out.getvalue())
    sections = data["sections"]
    assert [s["no"] for s in sections] == ["一", "二", "三", "四", "五", "六"]
    assert sections[0]["title"] == "总体情况" and sections[0]["text"].startswith("（一）主动公开")
    assert "申请" in sections[2]["text"]  # table 三 as text lines
    # Table 四 has no row labels: each figure is named by its column's header path.
    review = sections[3]["text"]
    assert not review.startswith("：")
    assert "行政复议·结果维持：0" in review and "行政诉讼·复议后起诉·总计：0" in review
    assert "本年度未承办人大代表建议和政协委员提案" in sections[5]["text"]
    assert data["format"] == ("2021" if year >= 2021 else "2019")


@pytest.mark.django_db
def test_the_demo_reports_of_the_education_bureau_have_no_placeholder(db):
    call_command("seed_demo", stdout=StringIO())
    last_year = timezone.localdate().year - 1
    report = AnnualReport.objects.get(agency__code="qsx-jyj", year=last_year)
    texts = report.narrative()
    assert all(t.strip() for t in texts.values())
    assert not any(narrative.placeholders(t) for t in texts.values())
    assert "政策解读" in texts["overview"] and "解读政策" in texts["overview"]
    assert "回应社会关切" in texts["overview"]
    assert "政务公开业务培训" in texts["overview"]
    assert "人大代表建议2件、政协委员提案1件" in texts["other"]
    out = StringIO()
    call_command("annual_report", "--agency", "qsx-jyj", "--year", str(last_year), stdout=out)
    sections = json.loads(out.getvalue())["sections"]
    assert len(sections) == 6 and all(s["text"].strip() for s in sections)
    assert not any(narrative.placeholders(s["text"]) for s in sections)
