"""The report's life: drafts from the records, approval, publication, locks, amendments,
figures by hand, text checks, and the supervising office's view."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gongkai.annual import actions as annual_actions
from gongkai.annual import narrative, supervision
from gongkai.annual.compute import Scope, table_three
from gongkai.annual.models import AnnualReport, ReportStatus, Source
from gongkai.annual.report import for_report
from gongkai.foi import actions
from gongkai.foi.models import EventKind, Remedy
from gongkai.lib.errors import ActionError
from gongkai.lib.report_keys import Outcome, RemedyKind, RemedyResult
from gongkai.orgs.locks import locking_report
from tests.annual.conftest import confirm_figures
from tests.annual.test_compute import case

PROBLEMS = (
    "一是政策解读形式较为单一；二是依申请公开答复文书有待规范。下一步将加强培训，统一文书格式。"
)


def _history(cast):
    case(cast.a, date(2025, 2, 1), closed=(date(2025, 2, 9), EventKind.REPLIED, Outcome.GRANTED))
    case(cast.a, date(2025, 3, 1), closed=(date(2025, 3, 9), EventKind.REPLIED, Outcome.GRANTED))
    open_case = case(cast.a, date(2025, 12, 1))
    case(cast.b, date(2025, 4, 1))
    return open_case


def _approved(cast, year=2025):
    confirm_figures(cast.a, year=year)
    report = annual_actions.open_report(cast.a, year, actor=cast.officer_a)
    annual_actions.save_text(
        report, actor=cast.officer_a, overview=report.overview, problems=PROBLEMS, other=""
    )
    return report, annual_actions.approve(report, actor=cast.head_a)


def test_a_report_starts_with_a_draft_from_the_records(cast):
    _history(cast)
    report = annual_actions.open_report(cast.a, 2025, actor=cast.officer_a)
    assert report.status == ReportStatus.DRAFT and not report.rollup
    assert "新收政府信息公开申请3件" in report.overview
    assert "予以公开2件" in report.overview and "结转下年度继续办理1件" in report.overview
    assert "（一）主动公开" in report.overview and "（五）监督保障" in report.overview
    assert "未收取信息处理费" in report.other
    # The draft's figures agree with the tables; the text checks find them again.
    quoted = {what: number for what, number, _sentence in narrative.quoted_figures(report.overview)}
    assert quoted.items() >= {
        ("t3.new_received", 3),
        ("t3.total_processed", 2),
        ("t3.granted", 2),
        ("t3.carried_forward", 1),
    }
    shown = for_report(report)
    assert not [f for f in shown.findings if f["id"] == "TEXT-VS-TABLE"]
    # Opening again returns the same report; the county's report is a rollup by default.
    assert annual_actions.open_report(cast.a, 2025, actor=cast.officer_a).pk == report.pk
    assert annual_actions.open_report(cast.county, 2025, actor=cast.admin_county).rollup


def test_only_the_office_head_approves_and_only_a_complete_report(cast):
    _history(cast)
    report = annual_actions.open_report(cast.a, 2025, actor=cast.officer_a)
    with pytest.raises(ActionError, match="负责人"):
        annual_actions.approve(report, actor=cast.officer_a)
    with pytest.raises(ActionError, match="五、存在的主要问题及改进情况"):
        annual_actions.approve(report, actor=cast.head_a)
    with pytest.raises(ActionError, match="年度结束"):
        annual_actions.approve(
            annual_actions.open_report(cast.a, 2026, actor=cast.officer_a), actor=cast.head_a
        )
    annual_actions.save_text(
        report, actor=cast.officer_a, overview=report.overview, problems=PROBLEMS, other=""
    )
    with pytest.raises(
        ActionError, match="测试县甲局（行政许可、行政处罚、行政强制、行政事业性收费）"
    ):
        annual_actions.approve(report, actor=cast.head_a)
    confirm_figures(cast.a, year=2025)
    revision = annual_actions.approve(report, actor=cast.head_a)
    assert revision.number == 1 and revision.published_at is None
    assert revision.tables["t3_applications"]["new_received"]["total"] == 3
    assert revision.narrative["problems"] == PROBLEMS
    with pytest.raises(ActionError, match="草稿"):
        annual_actions.save_text(report, actor=cast.officer_a, overview="x", problems="y", other="")


def test_publication_locks_the_year_until_an_amendment(cast):
    open_case = _history(cast)
    report, _revision = _approved(cast)
    # Approval already holds the records still.
    with pytest.raises(ActionError, match="2025"):
        actions.reply(open_case, actor=None, on=date(2025, 12, 20), outcome=Outcome.GRANTED)
    annual_actions.publish(report, actor=cast.head_a)
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED and report.locked
    lock = locking_report(cast.a, date(2025, 6, 1))
    assert lock is not None
    assert (lock.agency, lock.year, lock.rollup, lock.state) == (cast.a, 2025, False, "published")
    assert locking_report(cast.b, date(2025, 6, 1)) is None  # B's records are not counted
    with pytest.raises(ActionError, match="修订"):
        actions.reply(open_case, actor=None, on=date(2025, 12, 20), outcome=Outcome.GRANTED)
    with pytest.raises(ActionError):
        actions.record_remedy(
            open_case,
            actor=None,
            kind=RemedyKind.ADMINISTRATIVE_REVIEW,
            body="县政府",
            filed_on=date(2025, 12, 5),
        )
    # A step dated after the locked year changes nothing in it.
    actions.reply(open_case, actor=None, on=date(2026, 1, 5), outcome=Outcome.GRANTED)

    with pytest.raises(ActionError):
        annual_actions.start_amendment(report, actor=cast.head_a, reason=" ")
    annual_actions.start_amendment(
        report, actor=cast.head_a, reason="补录一件2025年底收到的信件申请"
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and not report.locked
    late = case(cast.a, date(2025, 12, 30))  # the fixture bypasses actions; so would an import
    actions.withdraw(late, actor=None, on=date(2025, 12, 31))
    # While amended, last year's comparison and the portal still see revision 1.
    assert report.published_revision().number == 1
    revision = annual_actions.approve(report, actor=cast.head_a)
    annual_actions.publish(report, actor=cast.head_a)
    assert revision.number == 2 and revision.reason.startswith("补录")
    assert revision.tables["t3_applications"]["new_received"]["total"] == 4
    assert report.revisions.filter(published_at__isnull=False).count() == 2


def test_a_government_rollup_locks_the_departments_below(cast):
    open_case = _history(cast)
    county = annual_actions.open_report(cast.county, 2025, actor=cast.admin_county)
    annual_actions.save_text(
        county, actor=cast.admin_county, overview="综述", problems=PROBLEMS, other=""
    )
    confirm_figures(cast.county, cast.a, cast.a_unit, cast.b, year=2025)
    revision = annual_actions.approve(county, actor=cast.admin_county)
    assert revision.tables["t3_applications"]["new_received"]["total"] == 4  # A and B
    with pytest.raises(ActionError, match="测试县人民政府"):
        actions.reply(open_case, actor=None, on=date(2025, 12, 20), outcome=Outcome.GRANTED)
    # A transfer moves a case between two agencies' counts: refused too.
    other = case(cast.a, date(2025, 11, 3))
    with pytest.raises(ActionError):
        actions.transfer(other, actor=None, on=date(2026, 1, 2), to_agency=cast.b, reason="职责")
    annual_actions.return_to_draft(county, actor=cast.admin_county)
    assert not county.revisions.exists()
    actions.reply(open_case, actor=None, on=date(2025, 12, 20), outcome=Outcome.GRANTED)


def test_remedy_decisions_after_the_locked_year_are_allowed(cast):
    application = case(
        cast.a, date(2025, 2, 1), closed=(date(2025, 2, 9), EventKind.REPLIED, Outcome.GRANTED)
    )
    remedy = Remedy.objects.create(
        application=application,
        kind=RemedyKind.ADMINISTRATIVE_REVIEW,
        body="县政府",
        filed_on=date(2025, 5, 1),
    )
    report, _revision = _approved(cast)
    annual_actions.publish(report, actor=cast.head_a)
    with pytest.raises(ActionError):
        actions.decide_remedy(
            remedy, actor=None, decided_on=date(2025, 9, 1), result=RemedyResult.UPHELD
        )
    actions.decide_remedy(
        remedy, actor=None, decided_on=date(2026, 2, 1), result=RemedyResult.UPHELD
    )


def test_text_checks_find_wrong_figures_and_copied_problems(cast):
    _history(cast)
    last = annual_actions.open_report(cast.a, 2024, actor=cast.officer_a)
    annual_actions.save_text(last, actor=cast.officer_a, overview="", problems=PROBLEMS, other="")
    report = annual_actions.open_report(cast.a, 2025, actor=cast.officer_a)
    copied = PROBLEMS.replace("培训", "业务培训")
    report = annual_actions.save_text(
        report,
        actor=cast.officer_a,
        overview="本年新收政府信息公开申请5件，被申请行政复议0件。",
        problems=copied,
        other="",
    )
    findings = {f["id"]: f for f in for_report(report).findings}
    assert "给出的数字为3" in findings["TEXT-VS-TABLE"]["message"]
    assert "2024" in findings["TEXT-REPEATED"]["message"]
    assert narrative.similarity(copied, PROBLEMS) > 0.85
    assert narrative.similarity("完全不同的一段文字，讲的是平台建设。", PROBLEMS) < 0.3


def test_figures_by_hand_only_before_the_first_record_and_validated(cast):
    _history(cast)  # A's first record is in 2025
    assert annual_actions.may_enter_by_hand(cast.a, 2020)
    assert not annual_actions.may_enter_by_hand(cast.a, 2025)
    current = annual_actions.open_report(cast.a, 2025, actor=cast.officer_a)
    with pytest.raises(ActionError, match="2025"):
        annual_actions.enter_figures(current, {}, actor=cast.officer_a, reason="旧报告")
    old = annual_actions.open_report(cast.a, 2022, actor=cast.officer_a)
    tables = for_report(old).as_json()["tables"]
    tables["t3_applications"]["new_received"]["natural_person"] = 7  # breaks the balance
    with pytest.raises(ActionError):
        annual_actions.enter_figures(old, tables, actor=cast.officer_a, reason=" ")
    annual_actions.enter_figures(old, tables, actor=cast.officer_a, reason="录入2022年已公开年报")
    old.refresh_from_db()
    assert old.source == Source.MANUAL
    errors = [f["id"] for f in for_report(old).findings if f["severity"] == "error"]
    assert "T3-BALANCE" in errors and "T3-ROW-TOTAL" in errors
    annual_actions.save_text(
        old, actor=cast.officer_a, overview="综述", problems=PROBLEMS, other=""
    )
    with pytest.raises(ActionError, match="表格数字不一致"):
        annual_actions.approve(old, actor=cast.head_a)


def test_the_supervising_office_sees_contributions_and_missing_reports(cast):
    _history(cast)
    lines = supervision.breakdown(cast.county, 2025)
    by_code = {line.agency.code: line.figures for line in lines}
    assert by_code["a"]["new_received"] == 3 and by_code["b"]["new_received"] == 1
    rollup = table_three(Scope((cast.county.pk, cast.a.pk, cast.a_unit.pk, cast.b.pk), 2025))
    assert supervision.totals(lines)["new_received"] == rollup["new_received"]["total"]
    assert supervision.totals(lines)["carried_forward"] == rollup["carried_forward"]["total"]
    report, _revision = _approved(cast)
    states = {s.agency.code: s for s in supervision.standings(cast.county, 2025)}
    assert states["a"].state == ReportStatus.APPROVED and states["b"].state == "missing"
    assert states["b"].due_on == date(2026, 1, 31)
    assert annual_actions.due_on(cast.county, 2025) == date(2026, 3, 31)
    annual_actions.publish(report, actor=cast.head_a)  # today is after 31 January 2026: late
    states = {s.agency.code: s for s in supervision.standings(cast.county, 2025)}
    assert states["a"].state == "late" and states["a"].overdue


def test_the_report_page_runs_the_workflow(client, cast):
    _history(cast)
    confirm_figures(cast.a, year=2025)
    client.force_login(cast.officer_a)
    page = reverse("annual:report") + "?agency=a&year=2025"
    assert "开始编制本年度报告" in client.get(page).content.decode()
    response = client.post(reverse("annual:open", args=["a", 2025]), {"rollup": "0"})
    assert response.status_code == 302
    report = AnnualReport.objects.get(agency=cast.a, year=2025)
    long_text = "问" * 50_001
    response = client.post(
        reverse("annual:text", args=["a", 2025]),
        {"overview": report.overview, "problems": long_text, "other": "其他"},
    )
    body = response.content.decode()
    assert response.status_code == 400 and long_text in body and "其他" in body
    response = client.post(
        reverse("annual:text", args=["a", 2025]),
        {"overview": report.overview, "problems": PROBLEMS, "other": "其他"},
    )
    assert response.status_code == 302
    assert client.post(reverse("annual:step", args=["a", 2025, "approve"])).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT  # an officer cannot approve
    client.force_login(cast.head_a)
    client.post(reverse("annual:step", args=["a", 2025, "approve"]))
    client.post(reverse("annual:step", args=["a", 2025, "publish"]))
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED
    body = client.get(page).content.decode()
    assert 'data-report-state="published"' in body and 'data-revision="1"' in body
    assert client.post(reverse("annual:step", args=["a", 2025, "nonsense"])).status_code == 404
    client.force_login(cast.officer_b)
    assert client.get(reverse("annual:file", args=["a", 2025, "docx"])).status_code == 404


def test_the_status_page_is_for_those_who_see_the_subtree(client, cast):
    _history(cast)
    url = reverse("annual:status") + "?agency=county&year=2025"
    client.force_login(cast.supervisor)
    body = client.get(url).content.decode()
    assert (
        'data-line="a"' in body and 'data-standing="b"' in body and 'data-state="missing"' in body
    )
    client.force_login(cast.officer_a)
    assert client.get(url).status_code == 404


def test_the_home_page_shows_last_years_report_and_its_deadline(client, cast):
    client.force_login(cast.officer_a)
    body = client.get(reverse("office:home")).content.decode()
    assert "2025年度报告" in body and 'data-standing="a"' in body and "2026-01-31" in body
    assert 'data-state="missing"' in body and "已逾期" in body
    client.force_login(cast.supervisor)
    body = client.get(reverse("office:home")).content.decode()
    assert "个下级机关的年报未编制、未审定或逾期" in body


def test_the_register_and_the_figures_of_a_locked_year_are_held_still(cast):
    from gongkai.publishing.models import DecisionFigures, NormativeDocument, NormativeKind
    from gongkai.publishing.register import save_document, save_figures

    doc = save_document(
        NormativeDocument(
            agency=cast.a,
            kind=NormativeKind.NORMATIVE_DOCUMENT,
            title="关于规范教育收费的通知",
            doc_no="测教发〔2025〕1号",
            issued_on=date(2025, 3, 1),
        ),
        actor=cast.officer_a,
    )
    report, _revision = _approved(cast)
    with pytest.raises(ActionError, match="修订"):
        save_figures(cast.a, 2025, actor=cast.officer_a, licensing_decisions=3)
    doc.repealed_on = date(2025, 11, 1)
    with pytest.raises(ActionError, match="修订"):
        save_document(doc, actor=cast.officer_a)
    doc.repealed_on = date(2026, 2, 1)  # after the locked year: allowed
    save_document(doc, actor=cast.officer_a)
    doc.title = "关于规范教育收费的通知（修订标题）"  # not counted: allowed
    save_document(doc, actor=cast.officer_a)
    save_figures(cast.a, 2026, actor=cast.officer_a, licensing_decisions=3)
    held = {f.year: f.licensing_decisions for f in DecisionFigures.objects.filter(agency=cast.a)}
    assert held == {2025: 0, 2026: 3}
    doc.refresh_from_db()
    assert doc.repealed_on == date(2026, 2, 1) and doc.title.endswith("（修订标题）")
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


def test_2020_is_reported_in_the_2019_format_by_hand(client, cast):
    case(cast.a, date(2020, 3, 1), closed=(date(2020, 3, 5), EventKind.WITHDRAWN, ""))
    report = annual_actions.open_report(cast.a, 2020, actor=cast.officer_a)
    assert report.format == "2019" and annual_actions.may_enter_by_hand(cast.a, 2020)
    shown = for_report(report)
    t3 = shown.tables["t3_applications"]
    assert t3["other_handling"]["natural_person"] == 1 and "other_misc" not in t3
    assert "t2_2019_art20_9" in shown.tables and "t2_art20_1" not in shown.tables
    assert "FORMAT-2019" in {f["id"] for f in shown.findings}
    report = annual_actions.save_text(
        report, actor=cast.officer_a, overview="综述", problems=PROBLEMS, other=""
    )
    with pytest.raises(ActionError, match="2019"):
        annual_actions.approve(report, actor=cast.head_a)
    client.force_login(cast.officer_a)
    url = reverse("annual:figures", args=["a", 2020])
    page = client.get(url).content.decode()
    assert "采购总金额" in page and "上一年项目数量" in page and "本年增/减" in page
    data = {"reason": "录入2020年已公开年报"}
    for key, value in shown.as_json()["tables"].items():
        for row, cols in value.items():
            for col, number in cols.items():
                data[f"{key}.{row}.{col}"] = str(number)
    data["t2_2019_art20_5.administrative_licensing.change"] = "-3"  # 本年增/减 may be negative
    data["t2_2019_art20_9.centralized_procurement.procurement_amount"] = "12.5"
    data["t3_applications.new_received.natural_person"] = "abc"
    response = client.post(url, data)
    assert response.status_code == 400 and "录入2020年已公开年报" in response.content.decode()
    data["t3_applications.new_received.natural_person"] = "1"
    assert client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.source == Source.MANUAL
    assert not [f for f in for_report(report).findings if f["severity"] == "error"]
    annual_actions.approve(report, actor=cast.head_a)
    revision = annual_actions.publish(report, actor=cast.head_a)
    assert revision.tables["t2_2019_art20_5"]["administrative_licensing"]["change"] == -3
    page = client.get(reverse("portal:annual_report", args=["a", 2020])).content.decode()
    assert "第二十条第（九）项" in page and "（六）其他处理" in page
    docx = client.get(reverse("portal:annual_report_file", args=["a", 2020, 1, "xlsx"]))
    assert docx.status_code == 200
