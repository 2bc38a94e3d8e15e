"""Portal and annual-report pages against a real primary and streaming standby.

Not collected on its own (the name does not start with test_): test_standby_pair.py
starts the pair (cluster.py) and runs this file in a pytest of its own, with
DATABASE_URL naming the primary and DATABASE_REPLICA_URLS the standby, so that the
settings make the alias replica_1 (gongkai.lib.replicas). The standby holds the test
database because it replays the primary's WAL; the tests are transactional, since a
standby only sees what was committed.

Pausing the standby's replay (pg_wal_replay_pause) makes it lag on purpose: a change
committed on the primary then shows on a page only when the page was read from the
primary, which is how these tests tell where a page was read.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from django.db import DatabaseError, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.lib.replicas import PIN_COOKIE
from gongkai.orgs.models import Agency
from gongkai.publishing import actions
from gongkai.publishing.models import Category, InfoItem, ItemStatus

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("GONGKAI_REPLICA_PAIR"),
        reason="run by tests/replicas/test_standby_pair.py",
    ),
    pytest.mark.django_db(transaction=True, databases=["default", "replica_1"]),
]

REPLICA = "replica_1"


def replayed(timeout: float = 30) -> None:
    """Wait until the standby has replayed all that the primary committed."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    with connections[REPLICA].cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
            assert time.monotonic() < deadline, "the standby did not catch up"
            time.sleep(0.05)


@contextmanager
def standby_paused() -> Iterator[None]:
    """The standby stops replaying: what the primary commits meanwhile is not on it."""
    replayed()
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
        replayed()


def page(client: Client, url: str) -> tuple[str, int, int]:
    """The page, and how many queries it made on the primary and on the standby."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as standby,
    ):
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(primary), len(standby)


@pytest.fixture
def item(cast):
    created = actions.create_item(
        cast.a,
        actor=cast.officer_a,
        title="2026年部门预算公开",
        formed_on=date(2026, 3, 2),
        # Transactional tests empty the tables, the migrations' categories too.
        category=Category.objects.get_or_create(
            agency=None, code="20-07", defaults={"name": "财政预算、决算信息"}
        )[0],
    )
    InfoItem.objects.filter(pk=created.pk).update(status=ItemStatus.APPROVED)
    actions.publish_item(created, actor=cast.officer_a)
    return created


def test_the_replica_is_a_read_only_standby():
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True
    with pytest.raises(DatabaseError, match="read-only"), connections[REPLICA].cursor() as cursor:
        cursor.execute("UPDATE orgs_agency SET name = name")


def test_portal_pages_are_read_from_the_standby(item):
    replayed()
    url = reverse("portal:item", args=[item.pk])
    body, on_primary, on_standby = page(Client(), url)
    assert "2026年部门预算公开" in body
    assert on_standby > 2
    assert on_primary == 0
    catalog, on_primary, on_standby = page(Client(), reverse("portal:catalog"))
    assert "2026年部门预算公开" in catalog and on_standby > 0 and on_primary == 0

    with standby_paused():
        InfoItem.objects.filter(pk=item.pk).update(title="2026年部门预算（更正）")  # primary
        assert "2026年部门预算公开" in page(Client(), url)[0]  # the standby's copy
    assert "2026年部门预算（更正）" in page(Client(), url)[0]  # replayed


def test_the_open_data_api_reads_the_standby(item):
    replayed()
    with standby_paused():
        InfoItem.objects.filter(pk=item.pk).update(title="2026年部门预算（更正）")
        body, on_primary, on_standby = page(Client(), reverse("api:item", args=[item.pk]))
        assert "2026年部门预算公开" in body and on_primary == 0 and on_standby > 0


def test_back_office_pages_read_the_primary(cast):
    staff = Client()
    staff.force_login(cast.head_a)
    with standby_paused():
        Agency.objects.filter(pk=cast.a.pk).update(office_address="测试县人民路 7 号")
        body, _primary, on_standby = page(staff, reverse("office:agency_detail", args=["a"]))
    assert "测试县人民路 7 号" in body and on_standby == 0


def test_a_staff_post_and_the_pages_after_it_read_their_own_write(cast):
    guide = reverse("portal:agency_guide", args=["a"])
    staff, visitor = Client(), Client()
    staff.force_login(cast.head_a)
    assert "人民路 99 号" not in page(staff, guide)[0]
    with standby_paused():
        response = staff.post(
            reverse("office:agency_edit", args=["a"]),
            {
                "office_name": "甲局办公室",
                "office_address": "测试县人民路 99 号",
                "office_hours": "工作日 8:30—17:30",
                "office_phone": "0000-1234",
                "office_fax": "",
                "office_email": "gk@a.example",
                "office_postcode": "339900",
            },
            follow=True,
        )
        assert response.redirect_chain[0][1] == 302
        assert PIN_COOKIE in staff.cookies  # set by the POST that wrote
        assert "测试县人民路 99 号" in response.content.decode()
        # The staff member opens the portal: pinned to the primary, the new address.
        body, on_primary, on_standby = page(staff, guide)
        assert "测试县人民路 99 号" in body and on_primary > 0 and on_standby == 0
        # A visitor at the same moment reads the standby, still behind.
        body, on_primary, on_standby = page(visitor, guide)
        assert "测试县人民路 99 号" not in body and on_standby > 0
    # The pin runs out: the staff member reads the standby again.
    del staff.cookies[PIN_COOKIE]
    body, on_primary, on_standby = page(staff, guide)
    assert "测试县人民路 99 号" in body and on_standby > 0


def test_the_annual_report_pages_read_the_standby(cast):
    from tests.annual.test_public import _published

    _published(cast)
    replayed()
    url = reverse("portal:annual_report", args=["a", 2025])
    body, on_primary, on_standby = page(Client(), url)
    assert "测试县甲局2025年政府信息公开工作年度报告" in body
    assert on_standby > 2 and on_primary == 0
    with standby_paused():
        Agency.objects.filter(pk=cast.a.pk).update(name="测试县丙局")
        assert "测试县甲局" in page(Client(), url)[0]
        assert "测试县甲局" in page(Client(), reverse("portal:annual_reports"))[0]
    listing = page(Client(), reverse("portal:annual_reports"))[0]
    assert "测试县丙局" in listing
