"""One placeholder rule (annual.narrative.placeholders): approval refuses what the checker
(`check_reports`) warns of, and the reverse."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from gongkai.annual import actions as annual_actions
from gongkai.annual import narrative
from gongkai.annual.checking.checks import check
from gongkai.lib.errors import ActionError
from tests.annual.checking import seed_report
from tests.annual.checking.test_checks import only, small
from tests.annual.conftest import confirm_figures
from tests.annual.test_actions import PROBLEMS

PLACEHOLDERS = [
    "全年共收到政府信息公开申请（请填写数字）件。",
    "（请填写：政务公开工作创新情况。）",
    "XX局认真贯彻落实《条例》。",
    "20××年，本机关将进一步加强培训。",
    "【单位名称】持续推进政府信息公开工作。",
]
NOT_PLACEHOLDERS = [
    "本机关按照XXL-JOB系统的要求报送数据。",
    "行政许可3×4个窗口。",
    "【重要提示】本报告数据已核对。",
    "本年度未召开新闻发布会。",
]


@pytest.mark.parametrize("text", PLACEHOLDERS + NOT_PLACEHOLDERS)
def test_the_checker_warns_exactly_where_the_rule_finds_a_placeholder(text):
    report = small()
    report.sections["overview"] = "本机关认真贯彻落实《条例》。\n" + text
    warned = only(check(report), "PLACEHOLDER")
    assert bool(warned) == bool(narrative.placeholders(text)) == (text in PLACEHOLDERS)
    if warned:
        assert warned[0].quote == text  # the line that holds it, not the first line


@pytest.mark.django_db
@pytest.mark.parametrize("text", PLACEHOLDERS)
def test_approval_refuses_every_placeholder_the_checker_warns_of(cast, text):
    report = annual_actions.open_report(cast.a, 2025, actor=cast.officer_a)
    annual_actions.save_text(
        report, actor=cast.officer_a, overview=report.overview + "\n" + text,
        problems=PROBLEMS, other="本年度未承办人大代表建议和政协委员提案。",
    )  # fmt: skip
    confirm_figures(cast.a, year=2025)
    with pytest.raises(ActionError) as refused:
        annual_actions.approve(report, actor=cast.head_a)
    placeholder = narrative.placeholders(text)[0]
    assert refused.value.messages[1:] == [
        f"一、总体情况仍有待填写的占位内容“{placeholder}”，请替换为实际情况。"
    ]


def test_check_reports_prints_the_placeholder_warning(tmp_path: Path):
    seed = seed_report("000")
    report = tmp_path / "report.txt"
    report.write_text(
        seed.read_text("utf-8").replace(
            "一、加快完善政府信息公开机制",
            "一、加快完善政府信息公开机制\nXX局认真贯彻落实《条例》。",
            1,
        ),
        encoding="utf-8",
    )
    out = StringIO()
    call_command("check_reports", str(report), stdout=out)
    assert "XX局认真贯彻落实《条例》。" in out.getvalue()
