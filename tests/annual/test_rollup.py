"""The county-wide report (rollup): prepared by the county's office head or its supervisor,
its figures those of the whole subtree, its text speaking for 全县."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from gongkai.annual import actions as annual_actions
from gongkai.annual.models import AnnualReport
from gongkai.foi.models import EventKind
from gongkai.lib.errors import ActionError
from gongkai.lib.report_keys import Outcome
from gongkai.orgs.models import Role
from tests.annual.conftest import confirm_figures
from tests.annual.test_actions import PROBLEMS
from tests.annual.test_compute import case


def _history(cast):
    case(cast.a, date(2025, 2, 1), closed=(date(2025, 2, 9), EventKind.REPLIED, Outcome.GRANTED))
    case(cast.b, date(2025, 4, 1))
    case(cast.county, date(2025, 5, 1))


@pytest.mark.django_db
def test_the_county_office_head_prepares_the_county_wide_report(cast, client):
    _history(cast)
    head = cast.user("head_county", cast.county, Role.OFFICE_HEAD)
    client.force_login(head)
    page = reverse("annual:report") + "?agency=county&year=2025&rollup=1"
    body = client.get(page).content.decode()
    # A, B and the county, not the county's own 1.
    assert re.search(r'data-cell="new_received.total">(<a [^>]*>)?3<', body)
    assert 'name="rollup" value="1"' in body  # 开始编制 opens the rollup
    client.post(reverse("annual:open", args=["county", 2025]), {"rollup": "1"})
    report = AnnualReport.objects.get(agency=cast.county, year=2025)
    assert report.rollup
    assert "2025年，全县主动公开" in report.overview and "本机关" not in report.overview
    docx = client.get(reverse("annual:file", args=["county", 2025, "docx"]))
    assert docx.status_code == 200 and docx["Content-Type"].startswith("application/vnd")
    annual_actions.save_text(
        report, actor=head, overview=report.overview, problems=PROBLEMS, other="无"
    )
    confirm_figures(cast.county, cast.a, cast.a_unit, cast.b, year=2025)
    client.post(reverse("annual:step", args=["county", 2025, "approve"]))
    report.refresh_from_db()
    assert report.status == "approved"
    assert report.revisions.get().tables["t3_applications"]["new_received"]["total"] == 3


@pytest.mark.django_db
def test_the_supervisor_prepares_the_rollup_but_does_not_approve(cast, client):
    _history(cast)
    client.force_login(cast.supervisor)
    body = client.get(reverse("annual:report") + "?agency=county&year=2025&rollup=1")
    assert "开始编制本年度报告" in body.content.decode()
    client.post(reverse("annual:open", args=["county", 2025]), {"rollup": "1"})
    report = AnnualReport.objects.get(agency=cast.county, year=2025)
    assert report.rollup and "全县" in report.overview
    annual_actions.save_text(
        report, actor=cast.supervisor, overview=report.overview, problems=PROBLEMS, other="无"
    )
    assert client.get(reverse("annual:file", args=["county", 2025, "pdf"])).status_code == 200
    with pytest.raises(ActionError, match="负责人"):
        annual_actions.approve(report, actor=cast.supervisor)


@pytest.mark.django_db
def test_a_supervisor_does_not_prepare_an_agencys_own_report(cast):
    with pytest.raises(ActionError):
        annual_actions.open_report(cast.county, 2025, actor=cast.supervisor, rollup=False)
    with pytest.raises(ActionError):
        annual_actions.open_report(cast.a, 2025, actor=cast.supervisor)
