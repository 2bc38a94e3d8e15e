"""The shared cache and limits against a real Redis (CACHE_URL=redis://…, docs/scaling.md).

Redis at 127.0.0.1:6379, database 4 unless GONGKAI_TEST_REDIS_URL names another. Every
key is under a prefix of this run, and only those keys are deleted afterwards. Without
Redis the tests skip, saying so (a failure under GONGKAI_STRICT_TESTS=1).

Several cache clients stand for several server processes: Django's cache handler gives
each thread its own client with its own connection, and RedisCache(...) makes another
one directly.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from datetime import date

import pytest
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.api import api as open_api
from gongkai.lib.ratelimit import Limit
from gongkai.portal import cache as portal_cache
from gongkai.publishing import actions
from gongkai.publishing.models import Category, InfoItem, ItemStatus
from tests.portal.test_tracking_limits import case, track

__all__ = ["case"]  # a fixture of the tracking tests, used below

URL = os.environ.get("GONGKAI_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")


@pytest.fixture
def prefix(settings):
    """Django's cache in Redis under a prefix of this test; its keys deleted afterwards."""
    import redis

    client = redis.Redis.from_url(URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        message = f"Redis is not running at {URL}"
        if os.environ.get("GONGKAI_STRICT_TESTS") == "1":
            pytest.fail(f"{message}; GONGKAI_STRICT_TESTS=1 forbids skipping")
        pytest.skip(message)
    name = f"gongkai-test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": URL,
            "KEY_PREFIX": name,
        }
    }
    try:
        yield name
    finally:
        keys = list(client.scan_iter(match=f"{name}:*", count=500))
        if keys:
            client.delete(*keys)
        client.close()


def other_process(prefix: str) -> RedisCache:
    """A second cache client of the same store, as another server process has."""
    return RedisCache(URL, {"KEY_PREFIX": prefix})


def test_the_cache_is_redis(prefix):
    cache.set("probe", 41)
    assert other_process(prefix).incr("probe") == 42
    assert cache.get("probe") == 42


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


def test_a_portal_page_cached_by_one_process_is_served_by_another(
    prefix, client, cast, item, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.PORTAL_CACHE_SECONDS = 300
    monkeypatch.setattr(portal_cache, "CLOCK_SECONDS", 0)
    url = reverse("portal:item", args=[item.pk])
    first = client.get(url).content
    # The page is in Redis, where another process's client finds it.
    request = RequestFactory().get(url)
    status, _headers, kept = other_process(prefix).get(portal_cache.cache_key(request))
    assert status == 200 and kept == first
    # Served from the cache: only the change clock is read.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).content == first
    assert len(queries) == 1
    # A staff change moves every process to new pages.
    with django_capture_on_commit_callbacks(execute=True):
        actions.withdraw_item(item, actor=cast.head_a, reason="内容有误")
    assert "内容有误" in client.get(url).content.decode()


def test_the_api_limit_is_one_count_for_every_process(prefix, client, db, monkeypatch):
    monkeypatch.setattr(open_api.THROTTLE, "num_requests", 4)
    address = {"REMOTE_ADDR": "203.0.113.20"}
    assert client.get("/api/v1/agencies", **address).status_code == 200
    assert client.get("/api/v1/categories", **address).status_code == 200
    # Another process served the same address twice meanwhile: one counter for both.
    other = other_process(prefix)
    window = int(time.time() // (open_api.THROTTLE.duration or 1))
    key = open_api.THROTTLE._counter("203.0.113.20", window)
    assert other.get(key) == 2
    other.incr(key, 2)
    refused = client.get("/api/v1/agencies", **address)
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    # Another address has its own count.
    assert client.get("/api/v1/agencies", REMOTE_ADDR="203.0.113.21").status_code == 200


def test_concurrent_api_requests_are_counted_exactly(prefix, monkeypatch):
    """Eight threads, each with its own Redis client, 25 requests each from one address
    against a limit of 100: exactly 100 are let through (nothing counted twice or lost)."""
    monkeypatch.setattr(open_api.THROTTLE, "num_requests", 100)
    monkeypatch.setattr(open_api.THROTTLE, "duration", 3600)
    request = RequestFactory().get("/api/v1/agencies", REMOTE_ADDR="198.51.100.77")
    allowed: list[bool] = []
    lock = threading.Lock()

    def worker():
        mine = [open_api.THROTTLE.allow_request(request) for _ in range(25)]
        with lock:
            allowed.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 200
    # The window may turn over during the run; then the previous one still weighs ~all.
    assert sum(allowed) == 100


def test_the_tracking_limit_is_shared_and_loses_no_failure(prefix, client, case, settings):
    application, code = case
    for i in range(settings.TRACK_FAILURES_PER_NUMBER - 1):
        assert track(client, application.number, f"WRONG{i:03d}").status_code == 200
    # Nine failures counted; the tenth is counted by another process: the number waits.
    from gongkai.portal import limits

    number_limit, number = limits._track_limits(
        RequestFactory().get("/", REMOTE_ADDR="198.51.100.1"), application.number
    )[0]
    assert number_limit.failures(number) == settings.TRACK_FAILURES_PER_NUMBER - 1
    other = other_process(prefix)
    assert other.get(number_limit._key("count", number)) == settings.TRACK_FAILURES_PER_NUMBER - 1
    thread = threading.Thread(target=number_limit.fail, args=[number])  # its own client
    thread.start()
    thread.join()
    assert other.get(number_limit._key("lock", number)) is not None
    response = track(client, application.number, code, address="192.0.2.80")
    assert response.status_code == 429 and "尝试次数过多" in response.content.decode()


def test_failures_counted_at_once_by_many_clients_are_all_counted(prefix):
    limit = Limit("test-concurrent", count=1000, window=60, lock=60)

    def worker():
        for _ in range(30):
            limit.fail("198.51.100.5")

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert limit.failures("198.51.100.5") == 180
