"""The demo's rectification tasks: one overdue at the 教育局, on both home pages."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gongkai.evaluation.models import IndicatorResult, Rectification
from gongkai.orgs.models import User


def test_the_demo_has_an_overdue_task_on_both_home_pages(client, db):
    call_command("seed_demo", stdout=StringIO())
    overdue = Rectification.objects.overdue(timezone.localdate()).get()
    assert overdue.agency.code == "qsx-jyj" and overdue.evaluation is not None
    assert overdue.issued_by.username == "zwgk_jd"
    assert Rectification.objects.count() == 2
    assert IndicatorResult.objects.filter(reviewed_score__isnull=False).count() == 1
    client.force_login(User.objects.get(username="jyj_jbr"))
    page = client.get(reverse("office:home")).content.decode()
    assert 'data-queue="rectifications"' in page and "data-overdue" in page
    client.force_login(User.objects.get(username="zwgk_jd"))
    page = client.get(reverse("office:home")).content.decode()
    assert 'data-queue="rectifications-overdue"' in page and "教育局" in page
    call_command("seed_demo", stdout=StringIO())
    assert Rectification.objects.count() == 2
