from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from gongkai.foi import remedy
from gongkai.orgs import demo
from gongkai.orgs.access import visible_agencies
from gongkai.orgs.models import Agency, Kind, Level, Membership, Role, User


def test_the_demo_county_has_departments_townships_and_staff_in_every_role(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    county = Agency.objects.get(code="qsx")
    assert county.is_supervising and county.parent is None
    departments = Agency.objects.filter(parent=county, kind=Kind.DEPARTMENT)
    townships = Agency.objects.filter(parent=county, level=Level.TOWNSHIP)
    assert 6 <= departments.count() <= 10
    assert 3 <= townships.count() <= 5
    assert all(a.contact_complete() and a.credit_code for a in Agency.objects.all())
    for agency in Agency.objects.all():
        agency.full_clean()  # credit codes carry valid check characters
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    # Every demo agency can issue letters: a 机关代字 and a resolvable 复议机关.
    assert Agency.objects.get(code="qsx").doc_abbr == "青政"
    assert Agency.objects.get(code="qsx-jyj").doc_abbr == "青教"
    for agency in Agency.objects.all():
        assert agency.doc_abbr and remedy.review_body(agency) is not None, agency.code
    reviewer = remedy.review_body(Agency.objects.get(code="qsx-jyj"))
    assert reviewer is not None and reviewer.name == "青山县人民政府"

    printed = out.getvalue()
    assert "演示数据已就绪" in printed and demo.DEMO_PASSWORD in printed
    for username, *_ in demo.STAFF:
        assert username in printed
        assert User.objects.get(username=username).check_password(demo.DEMO_PASSWORD)

    supervisor = User.objects.get(username="zwgk_jd")
    assert visible_agencies(supervisor).count() == Agency.objects.count()
    officer = User.objects.get(username="jyj_jbr")
    assert list(visible_agencies(officer).values_list("code", flat=True)) == ["qsx-jyj"]


def test_the_demo_has_catalog_items_in_every_state(db):
    from gongkai.publishing.models import InfoItem, ItemStatus

    call_command("seed_demo", stdout=StringIO())
    statuses = set(InfoItem.objects.values_list("status", flat=True))
    assert statuses == {ItemStatus.PUBLISHED, ItemStatus.IN_REVIEW, ItemStatus.DRAFT}


def test_running_the_demo_command_twice_changes_nothing(db):
    call_command("seed_demo", stdout=StringIO())
    counts = (Agency.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Agency.objects.count(), User.objects.count(), Membership.objects.count()) == counts


def test_demo_logins_work_through_the_login_page(client, db):
    call_command("seed_demo", stdout=StringIO())
    response = client.post(
        "/office/login/", {"username": "jyj_cs", "password": demo.DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "刘强，您好" in text and "初审人" in text


def test_the_demo_has_annual_reports_published_draft_and_entered(db, client):
    from django.urls import reverse
    from django.utils import timezone

    from gongkai.annual.models import AnnualReport, ReportStatus, Source
    from gongkai.annual.report import for_report

    call_command("seed_demo", stdout=StringIO())
    year = timezone.localdate().year
    reports = {r.year: r for r in AnnualReport.objects.filter(agency__code="qsx-jyj")}
    assert reports[year - 2].status == ReportStatus.PUBLISHED
    assert reports[year - 1].status == ReportStatus.DRAFT
    assert reports[year - 3].source == Source.MANUAL
    for report in reports.values():
        assert not [f for f in for_report(report).findings if f["severity"] == "error"]
    t3 = for_report(reports[year - 1]).tables["t3_applications"]
    assert t3["new_received"]["total"] == 11 and t3["carried_over"]["total"] == 1
    page = client.get(reverse("portal:annual_report", args=["qsx-jyj", year - 2]))
    assert page.status_code == 200 and "data-trend-table" in page.content.decode()
    call_command("seed_demo", stdout=StringIO())  # idempotent
    assert AnnualReport.objects.count() == 3
