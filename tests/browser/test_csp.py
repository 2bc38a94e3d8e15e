"""The Content-Security-Policy, enforced, on the pages that already pass it (docs/security.md
lists the templates whose inline styles still block CSP_MODE=enforce by default)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.second_factor import pass_second_factor
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch(page: Page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda m: (
            seen.append(f"{page.url} {m.location.get('url', '')} {m.text[:90]}")
            if "Content Security Policy" in m.text or "Refused to" in m.text
            else None
        ),
    )
    return seen


def test_no_violations_on_the_login_track_record_and_security_pages(
    live_server, page: Page, cast, settings, artifacts
):
    settings.CSP_MODE = "enforce"
    violations = watch(page)
    response = page.goto(f"{live_server.url}/office/login/")
    assert (
        response is not None and "default-src 'self'" in response.headers["content-security-policy"]
    )
    page.goto(f"{live_server.url}/track/")
    page.get_by_label("申请编号").fill("a-2026-00001")
    page.get_by_label("查询码").fill("AAAAAAAA")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("申请编号与查询码不匹配")).to_be_visible()
    page.goto(f"{live_server.url}/publication-record/")
    expect(page.get_by_role("heading", name="发布记录校验值")).to_be_visible()

    page.goto(f"{live_server.url}/office/login/?next=/office/security/")
    page.get_by_label("用户名").fill("security_admin")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("[data-qr] svg")).to_be_visible()  # enrolment page, SVG inline
    pass_second_factor(page, "security_admin")
    expect(page.get_by_role("heading", name="登录安全")).to_be_visible()
    page.screenshot(path=str(artifacts / "security-page.png"), full_page=True)
    page.wait_for_timeout(300)
    assert violations == [], "\n".join(f"{page.url}: {v[:160]}" for v in violations)


def test_the_holiday_year_form_adds_rows_under_the_enforced_policy(
    live_server, page: Page, cast, settings
):
    """Its formset script was inline; it is a static file now."""
    settings.CSP_MODE = "enforce"
    violations = watch(page)
    page.goto(f"{live_server.url}/office/login/?next=/office/calendar/2027/")
    page.get_by_label("用户名").fill("root")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    pass_second_factor(page, "root")
    ranges = page.locator("[data-formset=ranges]")
    expect(ranges.get_by_label("节日")).to_have_count(1)  # the first row, added by the script
    ranges.get_by_role("button").click()
    expect(ranges.get_by_label("节日")).to_have_count(2)
    page.wait_for_timeout(300)
    assert violations == [], "\n".join(violations)
