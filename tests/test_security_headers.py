"""Headers and cookies (issue 23): no-store on the back office, Secure cookies, HSTS, CSP."""

from __future__ import annotations

import pytest
from django.test import override_settings


def test_back_office_pages_are_not_stored(client, cast):
    client.force_login(cast.officer_a)
    response = client.get("/office/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    client.force_login(cast.superuser)
    assert "no-store" in client.get("/admin/").get("Cache-Control", "")


def test_portal_pages_stay_cacheable(client, db):
    assert "no-store" not in client.get("/").get("Cache-Control", "")


def test_every_cookie_is_secure_when_secure_cookies_is_on(client, cast, settings):
    from tests.conftest import PASSWORD

    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    client.get("/office/login/")
    response = client.post(
        "/office/login/", {"username": "officer_a", "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    names = set(response.cookies)
    assert {"sessionid", "gongkai_staff"} <= names
    for name, morsel in response.cookies.items():
        assert morsel["secure"], name
    for url in ("/preferences/script/traditional/", "/preferences/care/on/"):
        preference = client.get(url, secure=True)
        assert preference.cookies, url
        for name, morsel in preference.cookies.items():
            assert morsel["secure"], name


@pytest.mark.parametrize(
    "mode,header",
    [
        ("enforce", "Content-Security-Policy"),
        ("report-only", "Content-Security-Policy-Report-Only"),
    ],
)
def test_the_content_security_policy_header(client, db, settings, mode, header):
    settings.CSP_MODE = mode
    response = client.get("/")
    policy = response[header]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


def test_hsts_subdomains_and_preload_are_settings(client, db):
    with override_settings(
        SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True
    ):
        response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
