"""The back-office report page: tables with the format's labels, findings, drill-down."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from gongkai.foi.models import EventKind
from gongkai.lib.report_keys import Outcome
from tests.annual.test_compute import case


def test_the_report_page_shows_the_tables_and_drills_down(client, cast):
    case(cast.a, date(2025, 2, 1), closed=(date(2025, 2, 9), EventKind.REPLIED, Outcome.GRANTED))
    case(cast.a, date(2025, 12, 1))
    case(cast.b, date(2025, 3, 1))
    client.force_login(cast.officer_a)
    page = client.get(reverse("annual:report") + "?agency=a&year=2025").content.decode()
    assert "三、收到和处理政府信息公开申请情况" in page and "法人或其他组织" in page
    assert 'colspan="5"' in page and "本年制发件数" in page
    assert 'data-cell="new_received.total"' in page
    assert "尚未填报 2025 年的处理决定和收费数据" in page
    link = (
        reverse("annual:cell")
        + "?agency=a&year=2025&table=t3_applications&row=new_received&col=total"
    )
    assert link.replace("&", "&amp;") in page
    cell = client.get(link).content.decode()
    assert "2 条记录" in cell and "T-" in cell
    assert client.get(link.replace("new_received", "nonsense")).status_code == 404
    assert client.get(link.replace("agency=a", "agency=b")).status_code == 404


def test_a_rollup_is_only_for_those_who_see_the_whole_subtree(client, cast):
    case(cast.a, date(2025, 2, 1))
    case(cast.b, date(2025, 3, 1))
    client.force_login(cast.supervisor)
    url = (
        reverse("annual:cell")
        + "?agency=county&year=2025&rollup=1&table=t3_applications&row=new_received&col=total"
    )
    assert "2 条记录" in client.get(url).content.decode()
    client.force_login(cast.officer_a)
    assert client.get(url).status_code == 404  # officer_a cannot see the county
