"""A checked pre-2019 report imported as an agency's historical year (back office and
command), and the trends: the table series, the catalog and the records' counts, and the
years before 2019 beside them."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from gongkai.annual import trends
from gongkai.annual.checking.labels import pre2019_statistics
from gongkai.annual.models import HistoricalYear
from gongkai.records.demo import _year_of_records
from tests.annual.checking.test_pages import check, forest, report_text, run_of, upload

# A county forestry bureau's 2017 table: 12 items published, 5 requests (1+0+3+1), all
# answered, 4 granted; 2 press conferences and 1 interview; 1 meeting and 2 courses.
FIGURES = {
    "proactive_total": 12,
    "ch_website": 12,
    "interpretations": 3,
    "hot_topics": 1,
    "press_conferences": 2,
    "online_interviews": 1,
    "requests_received": 5,
    "req_in_person": 1,
    "req_online": 3,
    "req_letter": 1,
    "requests_closed": 5,
    "closed_on_time": 5,
    "requests_answered": 5,
    "ans_granted": 4,
    "ans_not_exist": 1,
    "reviews": 1,
    "review_upheld": 1,
    "meetings": 1,
    "trainings": 2,
    "trainees": 40,
}


def old_report(year: int = 2017, figures: dict[str, int] = FIGURES) -> str:
    """A pre-2019 report as text, its table's labels and units from pre2019_statistics.json."""
    lines = [
        f"青山县林业局{year}年政府信息公开工作年度报告",
        f"{year}年，我局认真贯彻落实《中华人民共和国政府信息公开条例》。",
        "附件：政府信息公开情况统计表",
        f"（{year}年度）",
        "统 计 指 标 | 单位 | 统计数",
    ]
    for item in pre2019_statistics()["items"]:
        if item["kind"] == "group":
            lines.append(f"{item['label']} | —— |")
        else:
            lines.append(f"{item['label']} | {item['unit']} | {figures.get(item['key'], 0)}")
    return "\n".join(lines) + "\n"


def test_every_corresponding_item_is_in_the_table():
    keys = {i["key"] for i in pre2019_statistics()["items"] if i["kind"] == "data"}
    series = {key for group in trends.GROUPS.values() for key in group}
    for key, items in trends.HISTORY.items():
        assert key in series and set(items) <= keys, key


@pytest.mark.django_db
def test_a_pre_2019_report_is_checked_then_imported_as_a_historical_year(client, cast):
    agency = forest(cast)
    client.force_login(cast.admin_county)
    run = run_of(check(client, [upload("2017.txt", old_report())]))
    page = client.get(reverse("annual:check_run", args=[run.pk])).content.decode()
    assert "data-history-form" in page
    assert "导入为2017年的统计数据" in page
    url = reverse("annual:check_import_history", args=[run.pk, 0])
    response = client.post(url, {"r0-agency": agency.pk})
    assert response.status_code == 302
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("2017.txt的统计表已导入为青山县林业局2017年的统计数据")
    found = HistoricalYear.objects.get(agency=agency, year=2017)
    assert found.figures["requests_received"] == 5 and found.figures["fees"] == 0
    assert found.check_run == run and found.imported_by == cast.admin_county
    page = client.get(reverse("annual:check_run", args=[run.pk])).content.decode()
    assert "data-history-imported" in page
    # Again: the year's figures are replaced, not doubled.
    client.post(url, {"r0-agency": agency.pk})
    assert HistoricalYear.objects.filter(agency=agency).count() == 1
    # The trends on the agency's report page show 2017 beside the years of the new format.
    year = timezone.localdate().year - 1
    page = client.get(reverse("annual:report"), {"agency": agency.code, "year": year})
    html = page.content.decode()
    assert 'data-year="2017" data-source="history"' in html and 'data-year="2019"' in html


@pytest.mark.django_db
def test_a_bad_pre_2019_report_is_refused_with_the_reason_and_nothing_stored(client, cast):
    agency = forest(cast)
    client.force_login(cast.admin_county)
    # 收到申请数 5 but its channels add up to 6: the checker's error blocks the import.
    broken = old_report(figures={**FIGURES, "req_fax": 1})
    run = run_of(check(client, [upload("broken.txt", broken), upload("new.txt", report_text())]))
    page = client.get(reverse("annual:check_run", args=[run.pk])).content.decode()
    assert "data-history-form" not in page and "检查发现报告有1处错误" in page
    for index in (0, 1):
        url = reverse("annual:check_import_history", args=[run.pk, index])
        response = client.post(url, {f"r{index}-agency": agency.pk})
        message = [str(m) for m in get_messages(response.wsgi_request)][-1]
        assert message.startswith("检查发现报告有1处错误" if index == 0 else "只有采用2019年以前")
    assert not HistoricalYear.objects.exists()


@pytest.mark.django_db
def test_only_the_agencys_staff_import_its_history(client, cast):
    agency = forest(cast)
    client.force_login(cast.officer_a)  # staff of another agency
    run = run_of(check(client, [upload("2017.txt", old_report())]))
    url = reverse("annual:check_import_history", args=[run.pk, 0])
    assert client.post(url, {"r0-agency": agency.pk}).status_code == 400
    assert not HistoricalYear.objects.exists()


@pytest.mark.django_db
def test_the_command_imports_good_files_and_names_the_bad_ones(cast, tmp_path: Path):
    agency = forest(cast)
    (tmp_path / "2016.txt").write_text(old_report(2016), encoding="utf-8")
    (tmp_path / "2017.txt").write_text(
        old_report(2017, {**FIGURES, "req_fax": 1}), encoding="utf-8"
    )
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="2个文件中有1个未导入"):
        call_command("import_history", "--agency", "forest", str(tmp_path), stdout=out, stderr=err)
    assert "2016.txt：已导入为青山县林业局2016年的统计数据" in out.getvalue()
    assert "2017.txt：未导入" in err.getvalue()
    assert list(HistoricalYear.objects.values_list("year", flat=True)) == [2016]
    with pytest.raises(CommandError, match="没有代码为nope的机关"):
        call_command("import_history", "--agency", "nope", str(tmp_path))
    assert agency.historical_years.count() == 1


@pytest.mark.django_db
def test_the_trends_carry_the_catalog_the_records_and_the_old_years(cast):
    _year_of_records(cast.a, cast.officer_a, 2024, "义务教育", "甲局")
    HistoricalYear.objects.create(agency=cast.a, year=2017, figures={**FIGURES}, file="2017.txt")
    found = trends.points(cast.a, range(2021, 2026), published_only=False)
    assert [p.year for p in found] == [2017, 2019, 2020, 2021, 2022, 2023, 2024, 2025]
    data = trends.chart_data(found)
    by_key = {s["key"]: s for s in data["series"]}
    assert {g["key"] for g in data["groups"]} == {"requests", "catalog", "records"}
    assert by_key["messages"]["group"] == "records" and by_key["items"]["group"] == "catalog"
    at = data["years"].index(2024)
    counts = {k: by_key[k]["data"][at] for k in trends.RECORD_SERIES}
    assert counts == {
        "consultations": 1, "concerns": 3, "messages": 12, "press": 2, "proposals": 3,
        "training": 2,
    }  # fmt: skip
    # 2017 from the old table: corresponding items summed, the rest a gap (null, "—").
    old = data["years"].index(2017)
    assert by_key["new_received"]["data"][old] == 5
    assert by_key["granted"]["data"][old] == 4
    assert by_key["press"]["data"][old] == 3 and by_key["training"]["data"][old] == 3
    assert by_key["items"]["data"][old] == 12
    assert by_key["carried_forward"]["data"][old] is None
    assert by_key["messages"]["data"][old] is None
    assert data["rows"][old]["source"] == "history"
    # The public side shows only published years: the old year, and nothing unpublished.
    public = trends.points(cast.a, range(2021, 2026), published_only=True)
    assert [p.year for p in public] == [2017]
