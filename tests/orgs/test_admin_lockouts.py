"""django-axes' lockout section of the Django admin, in Chinese (issue 18)."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.urls import reverse


def test_the_lockout_section_and_its_columns_are_in_chinese(client, cast, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    AccessAttempt.objects.create(
        username="officer_a",
        ip_address="127.0.0.1",
        user_agent="test",
        http_accept="*/*",
        path_info="/office/login/",
        get_data="",
        post_data="",
        failures_since_start=2,
    )
    client.force_login(cast.superuser)
    index = client.get(reverse("admin:index")).content.decode()
    assert "登录安全（锁定）" in index and "登录尝试" in index and ">Axes<" not in index
    page = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    for header in ("用户名", "IP 地址", "登录失败次数", "尝试时间", "状态", "次剩余机会", "已锁定"):
        assert header in page, header
    for english in ("Failed Logins", "Expiration", "Attempt Remaining", "IP Address"):
        assert english not in page, english
