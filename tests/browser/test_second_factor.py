"""A supervisor's first login in a real browser: password, QR enrolment, recovery codes."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.second_factor import pass_second_factor
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_login_enrols_by_qr_code(live_server, page: Page, cast, artifacts):
    page.goto(f"{live_server.url}/office/login/?next=/office/agencies/")
    page.get_by_label("用户名").fill("supervisor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="第二认证因素")).to_be_visible()
    expect(page.locator("[data-qr] svg")).to_be_visible()
    page.screenshot(path=str(artifacts / "mfa-enrol.png"), full_page=True)
    page.get_by_label("验证码").fill("123456")
    page.get_by_role("button", name="继续").click()
    expect(page.get_by_text("验证码不正确")).to_be_visible()
    page.wait_for_timeout(1100)  # django-otp's wait after a wrong code
    pass_second_factor(page, "supervisor")
    expect(page).to_have_url(f"{live_server.url}/office/agencies/")
