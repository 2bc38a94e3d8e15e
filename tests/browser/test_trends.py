"""The trend charts with a pre-2019 year and the records' counts, in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from gongkai.annual.models import HistoricalYear
from gongkai.records.demo import _year_of_records
from tests.browser.test_catalog_flow import login
from tests.records.test_history import FIGURES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_three_charts_draw_the_old_year_and_the_records(live_server, page: Page, cast):
    _year_of_records(cast.a, cast.officer_a, 2024, "义务教育", "甲局")
    HistoricalYear.objects.create(agency=cast.a, year=2017, figures=dict(FIGURES), file="x.txt")
    login(page, live_server, "officer_a")
    page.goto(f"{live_server.url}/office/annual/?agency=a&year=2025")
    charts = page.locator("[data-trends]")
    expect(charts).to_have_count(3)
    for i in range(3):
        expect(charts.nth(i)).to_have_attribute("data-ready", "1")
    expect(page.locator('[data-year="2017"][data-source="history"]')).to_be_visible()
    out = Path("test-artifacts/records")
    out.mkdir(parents=True, exist_ok=True)
    page.locator("#trend-h").scroll_into_view_if_needed()
    page.locator("#trend-h").locator("..").screenshot(path=str(out / "trends.png"))
