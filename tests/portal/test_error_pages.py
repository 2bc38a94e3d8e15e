"""Error pages in the site's layout, in Chinese, saying where to go; the favicon."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults


@pytest.mark.parametrize(
    ("view", "args", "status", "heading"),
    [
        (defaults.bad_request, (SuspiciousOperation("x"),), 400, "无法识别的请求"),
        (defaults.permission_denied, (PermissionDenied(),), 403, "无权操作"),
        (defaults.page_not_found, (Http404(),), 404, "页面不存在"),
        (defaults.server_error, (), 500, "服务器错误"),
    ],
)
def test_error_pages_use_the_portal_layout_in_chinese(db, view, args, status, heading):
    request = RequestFactory().get("/somewhere/")
    with translation.override("zh-hans"):
        response = view(request, *args)
    text = response.content.decode()
    assert response.status_code == status
    assert heading in text and 'class="portal-header' in text
    assert "门户首页" in text and 'href="/track/"' in text


def test_a_refusal_names_its_reason(client, cast):
    client.force_login(cast.officer_a)
    response = client.get("/office/agencies/import/")
    assert response.status_code == 403 and 'class="portal-header' in response.content.decode()


def test_the_favicon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("gongkai/favicon.svg")
    assert "gongkai/favicon.svg" in client.get("/").content.decode()
