"""The Content-Security-Policy, enforced (the default), on the portal and the back office.

Every page is opened in Chromium with a listener for `securitypolicyviolation` installed
before any of the page's scripts run (and the console watched for "Refused to …"); a
single violation fails the test. Covered: the portal's pages as a visitor, the back office
as officer, office head, supervisor, system, security and audit administrators and the
superuser (Django admin), the ECharts trend charts, the Jodit body editor, an htmx search
and the small behaviours that used to be inline handlers (actions.js).
"""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from gongkai.annual.models import HistoricalYear
from gongkai.publishing.models import Category
from gongkai.records.demo import _year_of_records
from tests.annual.test_compute import case
from tests.browser.test_catalog_flow import login
from tests.browser.test_portal_flow import publish
from tests.records.test_history import FIGURES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.effectiveDirective} blocked=${e.blockedURI} at ${e.sourceFile}:` +
    `${e.lineNumber} ${(e.sample || "").slice(0, 80)}`);
});
"""


class Watch:
    """Violations seen on every page opened in `page`."""

    def __init__(self, page: Page, live_server) -> None:
        self.page, self.base = page, live_server.url
        self.seen: list[str] = []
        page.add_init_script(LISTEN)
        page.on("console", self.console)

    def console(self, message: ConsoleMessage) -> None:
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            self.seen.append(f"{self.page.url} console: {text[:160]}")

    def collect(self) -> None:
        self.page.wait_for_timeout(150)  # late violations (scripts run after load)
        for v in self.page.evaluate("window.__csp || []"):
            self.seen.append(f"{self.page.url} {v}")
        self.page.evaluate("window.__csp = []")

    def visit(self, path: str, status: int = 200) -> None:
        response = self.page.goto(f"{self.base}{path}")
        assert response is not None and response.status == status, (path, response)
        policy = response.headers.get("content-security-policy", "")
        assert "default-src 'self'" in policy and "unsafe-inline" not in policy, path
        self.page.wait_for_load_state("load")
        self.collect()

    def check(self) -> None:
        self.collect()
        assert self.seen == [], "\n".join(self.seen)


@pytest.fixture
def content(cast):
    category, _ = Category.objects.get_or_create(
        agency=None, code="20-06", defaults={"name": "行政处罚"}
    )
    item = publish(cast, category, title="行政处罚决定书", body="<p>正文</p>")
    application = case(cast.a, date(2025, 3, 3))
    _year_of_records(cast.a, cast.officer_a, 2024, "义务教育", "甲局")
    HistoricalYear.objects.create(agency=cast.a, year=2017, figures=dict(FIGURES), file="x.txt")
    return {"item": item, "application": application}


def test_the_portal_passes_the_enforced_policy(live_server, page: Page, cast, content, settings):
    settings.CSP_MODE = "enforce"
    watch = Watch(page, live_server)
    item = content["item"].pk
    for path in (
        "/",
        "/guide/",
        "/catalog/",
        "/normative/",
        "/search/?q=处罚",
        "/agencies/a/",
        "/agencies/a/guide/",
        "/agencies/a/rules/",
        "/agencies/a/catalog/",
        "/agencies/a/on-request/",
        "/apply/",
        "/agencies/a/apply/",
        "/track/",
        "/annual-reports/",
        "/consultations/",
        f"/items/{item}/",
        "/publication-record/",
    ):
        watch.visit(path)
    watch.visit("/no-such-page/", status=404)
    page.goto(f"{live_server.url}/track/")
    page.get_by_label("申请编号").fill(content["application"].number)
    page.get_by_label("查询码").fill("AAAAAAAA")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("申请编号与查询码不匹配")).to_be_visible()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="适老化").first.click()  # the preference, set and shown
    page.wait_for_load_state("networkidle")
    watch.check()


def test_the_back_office_passes_the_enforced_policy(
    live_server, page: Page, cast, content, settings, artifacts
):
    settings.CSP_MODE = "enforce"
    watch = Watch(page, live_server)
    item, application = content["item"].pk, content["application"].pk
    page.on("dialog", lambda dialog: dialog.dismiss())

    login(page, live_server, "officer_a")
    for path in (
        "/office/",
        "/office/foi/",
        "/office/foi/register/",
        f"/office/foi/{application}/",
        "/office/foi/letter-templates/",
        "/office/catalog/",
        f"/office/catalog/{item}/",
        f"/office/catalog/{item}/sheet/",
        "/office/catalog/normative/",
        "/office/catalog/figures/",
        "/office/records/",
        "/office/evaluation/?year=2025",
        "/office/password/",
    ):
        watch.visit(path)
    watch.visit("/office/audit/", status=403)
    # The Jodit editor builds its toolbar and frame with script and CSSOM styles.
    watch.visit("/office/catalog/new/")
    page.locator("[data-body-editor]").fill("正文一段。")
    # ECharts: the three trend charts draw (canvas) and show their tooltip on hover.
    watch.visit("/office/annual/?agency=a&year=2025")
    charts = page.locator("[data-trends]")
    expect(charts).to_have_count(3)
    for i in range(3):
        expect(charts.nth(i)).to_have_attribute("data-ready", "1")
        expect(charts.nth(i).locator("canvas")).to_be_visible()
    charts.first.scroll_into_view_if_needed()
    box = charts.first.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(400)
    page.screenshot(path=str(artifacts / "csp-trends.png"), full_page=True)
    watch.collect()

    login(page, live_server, "head_a")
    for path in ("/office/", "/office/catalog/settings/review/", "/office/evaluation/"):
        watch.visit(path)

    login(page, live_server, "supervisor")
    for path in (
        "/office/",
        "/office/evaluation/",
        "/office/annual/status/?agency=county&year=2025",
    ):
        watch.visit(path)

    # htmx: typing in the agency search swaps the rows (indented by depth classes).
    login(page, live_server, "admin_county")
    watch.visit("/office/agencies/")
    expect(page.locator("#agency-rows tr")).to_have_count(4)
    page.get_by_role("searchbox").fill("乙局")
    expect(page.locator("#agency-rows tr")).to_have_count(1)
    expect(page.locator("#agency-rows")).to_contain_text("测试县乙局")
    watch.collect()
    for path in ("/office/users/", "/office/agencies/a/", "/office/agencies/a/edit/"):
        watch.visit(path)

    login(page, live_server, "security_admin")
    watch.visit("/office/security/")
    login(page, live_server, "auditor")
    watch.visit("/office/audit/")

    login(page, live_server, "root")
    for path in ("/admin/", "/admin/orgs/user/", "/admin/orgs/agency/", "/office/calendar/2027/"):
        watch.visit(path)
    ranges = page.locator("[data-formset=ranges]")
    ranges.get_by_role("button").click()
    expect(ranges.get_by_label("节日")).to_have_count(2)
    watch.check()


def test_a_violation_would_be_seen(live_server, page: Page, cast, settings):
    """The listener works: an inline style added to a page is refused and recorded."""
    settings.CSP_MODE = "enforce"
    watch = Watch(page, live_server)
    watch.visit("/track/")
    page.evaluate(
        "() => { const s = document.createElement('style'); s.textContent = 'body{}';"
        " document.head.append(s); }"
    )
    page.wait_for_timeout(200)
    watch.collect()
    assert any("style-src-elem" in v for v in watch.seen), watch.seen
