"""Login lockouts are the project's own (gongkai.orgs.login_limits, lifted by the security
administrator at /office/security/): django-axes, which the admin once showed, is gone."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import NoReverseMatch, reverse

from tests.conftest import PASSWORD


def test_no_axes_lockout_section_in_the_admin(client, cast, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    assert not apps.is_installed("axes")
    with pytest.raises(NoReverseMatch):
        reverse("admin:axes_accessattempt_changelist")
    client.force_login(cast.superuser)
    index = client.get(reverse("admin:index")).content.decode()
    assert "登录安全（锁定）" not in index and "Axes" not in index and "登录尝试" not in index


def test_a_lock_refuses_the_right_password_and_only_the_security_administrator_lifts_it(
    client, cast, settings
):
    from django.core.cache import cache

    cache.clear()
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post("/office/login/", {"username": "officer_a", "password": "wrong"})
    refused = client.post("/office/login/", {"username": "officer_a", "password": PASSWORD})
    assert refused.status_code == 429 and "_auth_user_id" not in client.session
    client.force_login(cast.admin_county)  # the system administrator may not
    url = reverse("security:unlock", args=[cast.officer_a.pk])
    assert client.post(url).status_code in (403, 404)
    client.force_login(cast.security_admin)
    assert client.post(url).status_code == 302
    client.logout()
    response = client.post("/office/login/", {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 302
    cache.clear()
