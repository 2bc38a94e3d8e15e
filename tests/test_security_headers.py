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


def test_the_policy_is_enforced_by_default_and_names_the_report_endpoint(client, db):
    from gongkai import settings as project_settings

    assert project_settings.CSP_MODE == "enforce"
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "report-uri /csp-report/" in policy and "report-to csp" in policy
    assert response["Reporting-Endpoints"] == 'csp="/csp-report/"'
    assert "Content-Security-Policy-Report-Only" not in response


def test_no_policy_when_off(client, db, settings):
    settings.CSP_MODE = "off"
    response = client.get("/")
    assert "Content-Security-Policy" not in response
    assert "Content-Security-Policy-Report-Only" not in response


REPORT_URI_BODY = {
    "csp-report": {
        "document-uri": "http://testserver/office/",
        "violated-directive": "style-src-attr",
        "effective-directive": "style-src-attr",
        "blocked-uri": "inline",
        "source-file": "http://testserver/office/",
        "line-number": 12,
    }
}
REPORTING_API_BODY = [
    {
        "type": "csp-violation",
        "age": 3,
        "url": "http://testserver/",
        "body": {
            "documentURL": "http://testserver/",
            "effectiveDirective": "script-src-elem",
            "blockedURL": "https://cdn.example/x.js",
            "disposition": "enforce",
            "lineNumber": 3,
        },
    },
    {"type": "deprecation", "body": {"id": "x"}},
]


@pytest.mark.parametrize(
    "content_type,body,directive",
    [
        ("application/csp-report", REPORT_URI_BODY, "style-src-attr"),
        ("application/reports+json", REPORTING_API_BODY, "script-src-elem"),
        ("application/json", REPORT_URI_BODY, "style-src-attr"),
    ],
)
def test_violation_reports_are_logged_without_a_csrf_token(
    db, caplog, content_type, body, directive
):
    import json

    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    with caplog.at_level("WARNING", logger="gongkai.csp"):
        response = client.post("/csp-report/", json.dumps(body), content_type=content_type)
    assert response.status_code == 204
    lines = [r.getMessage() for r in caplog.records if r.name == "gongkai.csp"]
    assert len(lines) == 1 and f'"directive": "{directive}"' in lines[0]
    assert "127.0.0.1" in lines[0]


def test_bad_and_oversized_reports_are_ignored(client, db, caplog):
    with caplog.at_level("WARNING", logger="gongkai.csp"):
        assert (
            client.post("/csp-report/", "{not json", content_type="application/json").status_code
            == 204
        )
        big = '{"csp-report": {"blocked-uri": "' + "x" * 70000 + '"}}'
        assert (
            client.post("/csp-report/", big, content_type="application/csp-report").status_code
            == 204
        )
        long_value = {"csp-report": {"blocked-uri": "y" * 5000}}
        client.post("/csp-report/", long_value, content_type="application/json")
    lines = [r.getMessage() for r in caplog.records if r.name == "gongkai.csp"]
    assert len(lines) == 1 and "y" * 300 in lines[0] and "y" * 301 not in lines[0]
    assert client.get("/csp-report/").status_code == 405


def test_reports_from_one_address_are_limited(client, db, settings, caplog):
    from django.core.cache import cache

    cache.clear()
    settings.CSP_REPORTS_PER_ADDRESS = 3
    with caplog.at_level("WARNING", logger="gongkai.csp"):
        for _ in range(6):
            response = client.post("/csp-report/", REPORT_URI_BODY, content_type="application/json")
            assert response.status_code == 204
        other = client.post(
            "/csp-report/", REPORT_URI_BODY, content_type="application/json", REMOTE_ADDR="10.0.0.9"
        )
        assert other.status_code == 204
    lines = [r.getMessage() for r in caplog.records if r.name == "gongkai.csp"]
    assert len(lines) == 4 and sum("10.0.0.9" in line for line in lines) == 1
    cache.clear()


def test_the_annual_report_html_file_has_its_own_strict_policy(client, cast):
    from django.urls import reverse

    client.force_login(cast.head_a)
    client.post(reverse("annual:open", args=["a", 2025]))
    response = client.get(reverse("annual:file", args=["a", 2025, "html"]))
    assert response.status_code == 200 and b"<style>" in response.content
    policy = response["Content-Security-Policy"]
    assert policy.startswith("default-src 'none'") and "script-src" not in policy
    assert "Content-Security-Policy-Report-Only" not in response
    site = client.get(reverse("annual:file", args=["a", 2025, "docx"]))
    assert "default-src 'self'" in site["Content-Security-Policy"]


def test_hsts_subdomains_and_preload_are_settings(client, db):
    with override_settings(
        SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True
    ):
        response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
