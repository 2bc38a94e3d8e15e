"""Login security: messages, lockout, idle timeout, forced password change, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.audit.models import Action, AuditEntry
from gongkai.orgs.views import STAFF_COOKIE
from tests.conftest import PASSWORD

LOGIN = "/office/login/"


def post_login(client, username, password, next_url=""):
    data = {"username": username, "password": password}
    url = LOGIN + (f"?next={next_url}" if next_url else "")
    if next_url:
        data["next"] = next_url
    return client.post(url, data)


def test_a_wrong_password_gets_a_chinese_message_and_keeps_the_user_name(client, cast, settings):
    response = post_login(client, "officer_a", "wrong")
    assert response.status_code == 200
    text = response.content.decode()
    assert "用户名或密码不正确。" in text
    assert f"再输错 {settings.LOGIN_FAILURE_LIMIT - 1} 次，账户将被锁定 30 分钟。" in text
    assert 'value="officer_a"' in text
    entry = AuditEntry.objects.get(action=Action.LOGIN_FAILED)
    assert entry.actor_name == "officer_a" and entry.success is False
    assert entry.ip_address == "127.0.0.1"


def test_the_account_locks_after_the_limit_and_says_when_it_unlocks(
    client, cast, settings, time_machine
):
    time_machine.move_to("2026-03-02 10:00 +0800", tick=False)
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert post_login(client, "officer_a", "wrong").status_code == 200
    response = post_login(client, "officer_a", "wrong")
    assert response.status_code == 429
    text = response.content.decode()
    assert "账户已锁定" in text
    assert "连续 5 次登录失败" in text
    assert "2026年3月2日 10:30" in text

    # Even the right password is refused while locked, from the same address.
    response = post_login(client, "officer_a", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action=Action.LOCKED_OUT, actor_name="officer_a").exists()
    assert "不计入次数，也不会延长锁定" in response.content.decode()

    # Other accounts are not affected.
    assert post_login(client, "officer_b", PASSWORD).status_code == 302

    time_machine.shift(timedelta(minutes=31))
    client.logout()
    response = post_login(client, "officer_a", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("office:home")


def test_attempts_during_a_lock_do_not_extend_it(client, cast, settings, time_machine):
    """One request per lock period used to keep an account locked for ever."""
    time_machine.move_to("2026-03-02 10:00 +0800", tick=False)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        post_login(client, "officer_a", "wrong")
    for _ in range(5):  # every five minutes, wrong and right passwords alike
        time_machine.shift(timedelta(minutes=5))
        assert post_login(client, "officer_a", "wrong").status_code == 429
    time_machine.shift(timedelta(minutes=6))  # 31 minutes after the lock
    assert post_login(client, "officer_a", PASSWORD).status_code == 302


def test_a_lock_from_one_address_does_not_lock_the_owner_elsewhere(client, cast, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "officer_a", "password": "x"}, REMOTE_ADDR="203.0.113.9")
    assert (
        client.post(
            LOGIN, {"username": "officer_a", "password": "x"}, REMOTE_ADDR="203.0.113.9"
        ).status_code
        == 429
    )
    assert post_login(client, "officer_a", PASSWORD).status_code == 302


def test_many_addresses_against_one_account_meet_the_slower_account_limit(client, cast, settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 8
    for i in range(8):  # two failures from each of four addresses: no pair reaches five
        client.post(
            LOGIN, {"username": "officer_a", "password": "x"}, REMOTE_ADDR=f"198.51.100.{i // 2}"
        )
    response = client.post(
        LOGIN, {"username": "officer_a", "password": PASSWORD}, REMOTE_ADDR="192.0.2.200"
    )
    assert response.status_code == 429


def test_one_address_trying_many_accounts_is_stopped(client, cast, settings):
    """Password spraying: 32 failures over 8 accounts used to pass unhindered."""
    names = ["officer_a", "reviewer_a", "head_a", "supervisor", "officer_b", "x1", "x2", "x3"]
    statuses = []
    for i in range(32):
        response = client.post(
            LOGIN, {"username": names[i % 8], "password": "x"}, REMOTE_ADDR="203.0.113.77"
        )
        statuses.append(response.status_code)
    assert statuses.count(429) >= 32 - settings.LOGIN_ADDRESS_FAILURE_LIMIT
    # The sprayer's address is stopped for every account, the right password included.
    response = client.post(
        LOGIN, {"username": "officer_b", "password": PASSWORD}, REMOTE_ADDR="203.0.113.77"
    )
    assert response.status_code == 429
    # Everyone else logs in.
    assert post_login(client, "officer_b", PASSWORD).status_code == 302


def test_the_security_administrator_unlocks_an_account_and_it_is_audited(client, cast, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        post_login(client, "officer_a", "wrong")
    assert post_login(client, "officer_a", PASSWORD).status_code == 429
    client.force_login(cast.security_admin)
    response = client.post(reverse("security:unlock", args=[cast.officer_a.pk]))
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=Action.ACCOUNT_UNLOCKED)
    assert entry.actor == cast.security_admin and entry.object_repr == str(cast.officer_a)
    client.logout()
    assert post_login(client, "officer_a", PASSWORD).status_code == 302


def test_the_admin_login_is_the_back_office_login(client, cast):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == "/office/login/?next=%2Fadmin%2F"


def test_an_old_password_must_be_changed_before_using_the_admin_too(client, cast, settings):
    user = cast.superuser
    user.password_changed_at = timezone.now() - timedelta(days=settings.PASSWORD_MAX_AGE_DAYS + 1)
    user.save()
    client.force_login(user)
    response = client.get("/admin/orgs/agency/")
    assert response.status_code == 302 and response.url == reverse("password_change")


def test_a_successful_login_clears_the_failure_count(client, cast, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        post_login(client, "officer_a", "wrong")
    assert post_login(client, "officer_a", PASSWORD).status_code == 302
    client.logout()
    response = post_login(client, "officer_a", "wrong")
    assert f"再输错 {settings.LOGIN_FAILURE_LIMIT - 1} 次" in response.content.decode()


def test_logins_and_logouts_are_recorded(client, cast):
    post_login(client, "officer_a", PASSWORD)
    client.post(reverse("logout"))
    actions = list(
        AuditEntry.objects.filter(actor=cast.officer_a)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [Action.LOGIN, Action.LOGOUT]


def test_logout_needs_post_and_says_goodbye(client, cast):
    client.force_login(cast.officer_a)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"), follow=True)
    assert "您已安全退出。" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_idle_session_returns_to_login_and_back_to_the_page(
    client, cast, settings, time_machine
):
    time_machine.move_to("2026-03-02 10:00 +0800", tick=False)
    response = post_login(client, "officer_a", PASSWORD)
    assert response.cookies[STAFF_COOKIE].value == "1"
    assert client.get("/office/agencies/").status_code == 200

    time_machine.shift(timedelta(minutes=settings.SESSION_IDLE_MINUTES + 1))
    response = client.get("/office/agencies/")
    assert response.status_code == 302
    assert response.url == "/office/login/?next=/office/agencies/"
    page = client.get(response.url).content.decode()
    assert "30 分钟未操作，会话已结束" in page

    response = post_login(client, "officer_a", PASSWORD, next_url="/office/agencies/")
    assert response.status_code == 302
    assert response.url == "/office/agencies/"


def test_activity_keeps_the_session_alive(client, cast, settings, time_machine):
    time_machine.move_to("2026-03-02 10:00 +0800", tick=False)
    post_login(client, "officer_a", PASSWORD)
    for _ in range(3):
        time_machine.shift(timedelta(minutes=settings.SESSION_IDLE_MINUTES - 5))
        assert client.get("/office/").status_code == 200


def test_an_old_password_must_be_changed_before_using_the_back_office(client, cast, settings):
    user = cast.officer_a
    user.password_changed_at = timezone.now() - timedelta(days=settings.PASSWORD_MAX_AGE_DAYS + 1)
    user.save()
    client.force_login(user)
    response = client.get("/office/agencies/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("password_change")
    assert "已使用超过 90 天" in response.content.decode()

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert "密码太短，至少需要 8 个字符。" in response.content.decode()

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Qingshan-2027",
            "new_password2": "Qingshan-2027",
        },
    )
    assert response.status_code == 302
    assert client.get("/office/agencies/").status_code == 200
    assert AuditEntry.objects.filter(action=Action.PASSWORD_CHANGED, actor=user).exists()


@pytest.mark.parametrize(
    "path", ["/office/", "/office/agencies/", "/office/audit/", "/office/users/"]
)
def test_anonymous_visitors_are_sent_to_login(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith("/office/login/?next=")


def test_the_login_page_shows_the_platform_name(client, db):
    text = client.get(LOGIN).content.decode()
    assert '<h1 class="h4 mb-1">政府信息公开平台</h1>' in text
    assert "testserver" not in text
