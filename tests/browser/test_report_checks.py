"""Check two published reports in a real browser: upload them through the file input, read
the findings, open the figures read, download the results as XLSX."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import FilePayload, Page, expect

from tests.annual.checking.test_pages import BROKEN, report_text
from tests.browser.test_catalog_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_two_reports_read_the_findings_download_the_results(
    live_server, page: Page, cast, artifacts
):
    login(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/office/annual/")
    page.locator("[data-checks-link]").click()
    page.locator('input[type="file"][name="reports"]').set_input_files(
        [
            FilePayload(
                name="青山县林业局2023.txt", mimeType="text/plain", buffer=report_text().encode()
            ),
            FilePayload(
                name="青山县林业局2024.txt",
                mimeType="text/plain",
                buffer=report_text(year=2024, cells=BROKEN).encode(),
            ),
        ]
    )
    page.locator("[data-check-form] button[type=submit]").click()

    reports = page.locator("[data-report]")
    expect(reports).to_have_count(2)
    second = reports.nth(1)
    expect(second.locator("h2")).to_have_text("青山县林业局2024.txt")
    expect(second.locator("[data-year]")).to_have_text("2024")
    expect(second.locator('[data-finding="T3-BALANCE"]')).to_contain_text("（七）总计（总计）")
    expect(second.locator('[data-finding="X-YEAR-CARRY"]').first).to_be_visible()
    expect(reports.nth(0).locator('[data-count="errors"]')).to_contain_text("0")

    page.screenshot(path=str(artifacts / "report-checks.png"), full_page=True)

    # The figures read open by keyboard; "/" stays as printed.
    summary = second.locator("[data-figures] summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(second.locator("[data-figures] td[data-value]", has_text="/")).to_be_visible()

    with page.expect_download() as download:
        page.locator("[data-xlsx]").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    path = download.value.path()
    book = load_workbook(io.BytesIO(path.read_bytes()))
    found = {(row[0], row[2]) for row in book.worksheets[1].iter_rows(values_only=True)}
    assert ("青山县林业局2024.txt", "T3-BALANCE") in found


def test_import_a_checked_report_as_the_agencys_year(live_server, page: Page, cast, artifacts):
    login(page, live_server, "officer_a")
    page.goto(f"{live_server.url}/office/annual/checks/")
    page.locator("textarea[name=text]").fill(report_text(agency="测试县甲局"))
    page.locator("[data-check-form] button[type=submit]").click()

    card = page.locator("[data-report]").first
    expect(card.locator("[data-agency]")).to_have_text("测试县甲局")
    form = card.locator("[data-import-form]")
    expect(form.locator("select")).to_have_value(str(cast.a.pk))  # the name printed
    page.screenshot(path=str(artifacts / "report-checks-import.png"), full_page=True)
    form.locator("button[type=submit]").click()

    link = page.locator("[data-report] [data-imported] a")
    expect(link).to_contain_text("测试县甲局")
    link.click()
    expect(page.locator("[data-report-state]")).to_have_attribute("data-report-state", "draft")
    state = page.locator("[data-report-state]")
    expect(state).to_contain_text("从已公开的年报导入")  # Source.IMPORTED
    expect(page.locator('[data-cell="new_received.total"]')).to_have_text("3")
