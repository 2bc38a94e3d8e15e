"""Portal pages cached for anonymous visitors until the public content changes (portal/cache.py)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.audit.models import Action, AuditEntry
from gongkai.orgs import actions as org_actions
from gongkai.orgs import content
from gongkai.portal import cache as portal_cache
from gongkai.portal.preferences import CARE_COOKIE, SCRIPT_COOKIE
from gongkai.publishing import actions
from gongkai.publishing.models import Category, InfoItem, ItemStatus


@pytest.fixture(autouse=True)
def _cache_on(settings, monkeypatch):
    settings.PORTAL_CACHE_SECONDS = 300
    monkeypatch.setattr(portal_cache, "CLOCK_SECONDS", 0)  # read the clock every time


@pytest.fixture
def item(cast, django_capture_on_commit_callbacks):
    created = actions.create_item(
        cast.a,
        actor=cast.officer_a,
        title="2026年部门预算公开",
        formed_on=date(2026, 3, 2),
        category=Category.objects.get(agency=None, code="20-07"),
    )
    InfoItem.objects.filter(pk=created.pk).update(status=ItemStatus.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_item(created, actor=cast.officer_a)
    return created


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_second_visit_is_served_from_the_cache_with_one_query(client, item):
    url = reverse("portal:item", args=[item.pk])
    first, rendering = get(client, url)
    again, cached = get(client, url)
    assert again == first
    assert "2026年部门预算公开" in again
    assert rendering > 2
    assert cached == 1  # the change clock


def test_the_clock_is_read_once_a_second(client, item, monkeypatch):
    monkeypatch.setattr(portal_cache, "CLOCK_SECONDS", 60)
    url = reverse("portal:item", args=[item.pk])
    get(client, url)
    assert get(client, url)[1] == 0


def test_a_cached_page_keeps_its_headers_and_a_page_setting_a_cookie_is_not_kept(client, item):
    url = reverse("portal:item", args=[item.pk])
    first = client.get(url)
    again = client.get(url)
    assert again["Content-Type"] == first["Content-Type"]
    assert again["X-Frame-Options"] == "DENY"
    assert again.content == first.content
    apply = reverse("portal:apply", args=["a"])
    assert "csrftoken" in client.get(apply).cookies
    assert "csrftoken" in client.get(apply).cookies  # rendered again, a token again


def test_a_change_by_staff_shows_at_once(client, cast, item, django_capture_on_commit_callbacks):
    catalog = reverse("portal:catalog")
    assert "2026年部门预算公开" in get(client, catalog)[0]
    with django_capture_on_commit_callbacks(execute=True):
        actions.withdraw_item(item, actor=cast.head_a, reason="内容有误")
    assert "2026年部门预算公开" not in get(client, catalog)[0]
    assert "内容有误" in get(client, reverse("portal:item", args=[item.pk]))[0]


def test_preferences_have_their_own_pages_and_sessions_are_not_cached(client, cast, item):
    url = reverse("portal:agency", args=["a"])
    plain = get(client, url)[0]
    client.cookies[SCRIPT_COOKIE] = "hant"
    traditional = get(client, url)[0]
    assert traditional != plain
    assert 'lang="zh-hant"' in traditional
    client.cookies[CARE_COOKIE] = "1"
    assert "care-mode" in get(client, url)[0]
    del client.cookies[SCRIPT_COOKIE], client.cookies[CARE_COOKIE]
    assert get(client, url)[0] == plain
    # A logged-in officer gets the page rendered for them, never a visitor's copy.
    client.force_login(cast.officer_a)
    _, queries = get(client, url)
    assert queries > 2


def test_missing_pages_are_not_cached(client, cast):
    assert client.get(reverse("portal:item", args=[999999])).status_code == 404
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("portal:item", args=[999999])).status_code == 404
    assert len(queries) > 1


def test_the_cache_can_be_turned_off(client, settings, item):
    settings.PORTAL_CACHE_SECONDS = 0
    url = reverse("portal:item", args=[item.pk])
    get(client, url)
    assert get(client, url)[1] > 1


def test_a_staff_login_or_a_failed_one_leaves_cached_pages_alone(client, cast, item):
    url = reverse("portal:item", args=[item.pk])
    get(client, url)
    version = content.version()
    staff = Client()
    staff.post(reverse("login"), {"username": cast.officer_a.username, "password": "wrong"})
    cast.officer_a.set_password("Correct-horse-9")
    cast.officer_a.save()
    staff.post(
        reverse("login"), {"username": cast.officer_a.username, "password": "Correct-horse-9"}
    )
    assert AuditEntry.objects.filter(action=Action.LOGIN).exists()
    assert content.version() == version
    assert get(client, url)[1] == 1  # still the cached copy: only the version is read


def test_an_edited_guide_shows_at_once(client, cast, django_capture_on_commit_callbacks):
    guide = reverse("portal:agency_guide", args=["a"])
    assert "人民路 99 号" not in get(client, guide)[0]
    values = {"office_address": "测试县人民路 99 号"}
    with django_capture_on_commit_callbacks(execute=True):
        org_actions.update_contact(cast.a, values, actor=cast.head_a)
    assert "人民路 99 号" in get(client, guide)[0]


def test_a_rolled_back_change_keeps_the_version(cast, item):
    version = content.version()
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.withdraw_item(item, actor=cast.head_a, reason="内容有误")
        raise RuntimeError("rolled back")
    assert content.version() == version
