"""The portal's annual-report column: published revisions only, amendments visible."""

from __future__ import annotations

import io
from datetime import date
from urllib.parse import unquote

from django.urls import reverse
from docx import Document

from gongkai.annual import actions as annual_actions
from gongkai.annual.models import AnnualReport, ReportStatus
from gongkai.foi import actions
from gongkai.foi.models import EventKind
from gongkai.lib.report_keys import Outcome
from tests.annual.conftest import confirm_figures
from tests.annual.test_actions import PROBLEMS
from tests.annual.test_compute import case


def _published(cast):
    case(cast.a, date(2024, 5, 1), closed=(date(2024, 5, 9), EventKind.REPLIED, Outcome.GRANTED))
    case(cast.a, date(2025, 2, 1), closed=(date(2025, 2, 9), EventKind.REPLIED, Outcome.GRANTED))
    open_case = case(cast.a, date(2025, 12, 1))
    for year in (2024, 2025):
        confirm_figures(cast.a, year=year)
        report = annual_actions.open_report(cast.a, year, actor=cast.officer_a)
        annual_actions.save_text(
            report, actor=cast.officer_a, overview=report.overview, problems=PROBLEMS, other=""
        )
        annual_actions.approve(report, actor=cast.head_a)
        annual_actions.publish(report, actor=cast.head_a)
    return report, open_case


def test_drafts_are_not_public(client, cast):
    report = annual_actions.open_report(cast.a, 2025, actor=cast.officer_a)
    assert "尚未发布年报" in client.get(reverse("portal:annual_reports")).content.decode()
    url = reverse("portal:annual_report", args=["a", 2025])
    assert client.get(url).status_code == 404
    # Not found because it is a draft, not because there is no report.
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_a_published_report_with_its_files_trend_and_amendments(client, cast):
    report, open_case = _published(cast)
    listing = client.get(reverse("portal:annual_reports")).content.decode()
    assert "测试县甲局2025年政府信息公开工作年度报告" in listing
    url = reverse("portal:annual_report", args=["a", 2025])
    page = client.get(url).content.decode()
    assert "一、总体情况" in page and "三、收到和处理政府信息公开申请情况" in page
    assert page.count("二、主动公开政府信息情况") == 1 and "六、其他需要报告的事项" in page
    assert 'data-cell="new_received.total">2<' in page
    assert "data-trend-table" in page and "vendor/echarts/echarts.min.js" in page
    assert "/office/" not in page.split("<main")[1].split("</main>")[0]  # no staff links
    docx = client.get(reverse("portal:annual_report_file", args=["a", 2025, 1, "docx"]))
    assert docx.status_code == 200
    disposition, _sep, name = docx["Content-Disposition"].partition("filename*=utf-8''")
    assert disposition == "attachment; "
    assert unquote(name) == "测试县甲局2025年政府信息公开工作年度报告.docx"
    Document(io.BytesIO(docx.content))  # opens
    assert (
        client.get(reverse("portal:annual_report_file", args=["a", 2025, 1, "exe"])).status_code
        == 404
    )

    # An amendment: revision 1 stays public until revision 2 is published, then both listed.
    annual_actions.start_amendment(report, actor=cast.head_a, reason="更正一件申请的办理结果")
    actions.withdraw(open_case, actor=None, on=date(2025, 12, 20))
    assert 'data-cell="carried_forward.total">1<' in client.get(url).content.decode()
    annual_actions.approve(report, actor=cast.head_a)
    annual_actions.publish(report, actor=cast.head_a)
    page = client.get(url).content.decode()
    assert 'data-cell="carried_forward.total">0<' in page
    assert "更正一件申请的办理结果" in page and 'data-public-revision="1"' in page
    old = client.get(url + "?revision=1").content.decode()
    assert "data-old-revision" in old and 'data-cell="carried_forward.total">1<' in old
    assert client.get(url + "?revision=9").status_code == 404
    assert client.get(url + "?revision=x").status_code == 404


def test_the_command_writes_every_file_format(cast, tmp_path):
    import openpyxl
    import pdfplumber
    import pytest
    from django.core.management import CommandError, call_command

    case(cast.a, date(2025, 2, 1), closed=(date(2025, 2, 9), EventKind.REPLIED, Outcome.GRANTED))
    with pytest.raises(CommandError, match="--output"):
        call_command("annual_report", agency="a", year=2025, format="pdf")
    for fmt in ("html", "docx", "pdf", "xlsx"):
        call_command(
            "annual_report", agency="a", year=2025, format=fmt, output=str(tmp_path / f"r.{fmt}")
        )
    assert "本年新收政府信息公开申请1件" in (tmp_path / "r.html").read_text("utf-8")
    docx_text = "\n".join(p.text for p in Document(str(tmp_path / "r.docx")).paragraphs)
    assert "一、总体情况" in docx_text
    with pdfplumber.open(tmp_path / "r.pdf") as pdf:
        assert cast.a.name in pdf.pages[0].extract_text()
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    values = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert "（一）予以公开" in values
