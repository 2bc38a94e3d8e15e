"""Query codes cannot be guessed: /track/ is limited per number and per address."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse

from gongkai.audit.models import Action, AuditEntry
from gongkai.foi.models import Application
from tests.portal.test_apply_and_track import FORM, code_of

TRACK = "/track/"


@pytest.fixture
def case(client, cast):
    response = client.post(reverse("portal:apply", args=["a"]), FORM, follow=True)
    return Application.objects.get(), code_of(response.content.decode())


def track(client, number, code, address="198.51.100.1"):
    return client.post(TRACK, {"number": number, "code": code}, REMOTE_ADDR=address)


def test_ten_wrong_codes_for_a_number_then_a_wait_in_chinese(client, case, settings, time_machine):
    time_machine.move_to("2026-03-02 10:00 +0800", tick=False)
    application, code = case
    statuses = [track(client, application.number, f"WRONG{i:03d}").status_code for i in range(10)]
    assert statuses == [200] * 9 + [429]
    # The right code too, from another address: the number waits.
    response = track(client, application.number, code, address="192.0.2.55")
    assert response.status_code == 429
    text = response.content.decode()
    assert "尝试次数过多" in text and "60 分钟后再试" in text
    assert "收到申请</li>" not in text
    assert 'value="' + application.number + '"' in text  # what was typed stays
    assert AuditEntry.objects.filter(action=Action.RATE_LIMITED).count() == 1
    time_machine.shift(timedelta(minutes=61))
    opened = track(client, application.number, code)  # the case page opens again
    assert opened.status_code == 302 and opened["Location"] == f"/track/{application.number}/"


def test_one_address_guessing_across_numbers_is_stopped(client, case, settings):
    application, code = case
    for i in range(settings.TRACK_FAILURES_PER_ADDRESS):
        track(client, f"a-2026-{i:05d}x", "AAAAAAAA", address="203.0.113.8")
    response = track(client, application.number, code, address="203.0.113.8")
    assert response.status_code == 429
    assert track(client, application.number, code, address="203.0.113.9").status_code == 302


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def test_the_limits_are_shared_between_processes_through_redis(client, case, settings):
    """With CACHE_URL=redis://…, what one server process counted, every other one sees."""
    if not _redis_reachable():
        if os.environ.get("GONGKAI_STRICT_TESTS") == "1":
            pytest.fail("Redis is not running at 127.0.0.1:6379")
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    prefix = f"gongkai-test-{uuid.uuid4().hex[:8]}"
    location = "redis://127.0.0.1:6379/15"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
        }
    }
    from django.core.cache import cache
    from django.core.cache.backends.redis import RedisCache

    application, code = case
    try:
        for i in range(settings.TRACK_FAILURES_PER_NUMBER):
            track(client, application.number, f"WRONG{i:03d}")
        # Another process: its own connection to the same store.
        other = RedisCache(location, {"KEY_PREFIX": prefix})
        from gongkai.portal import limits

        seen = [
            limit._key("lock", key)
            for limit, key in limits._track_limits(
                type("R", (), {"META": {"REMOTE_ADDR": "198.51.100.1"}})(),
                application.number,
            )
        ]
        assert other.get(seen[0]) is not None
        assert track(client, application.number, code).status_code == 429
    finally:
        cache.clear()
