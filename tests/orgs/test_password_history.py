"""Password history: the current password and the last five are refused (A→B→A too)."""

from __future__ import annotations

from itertools import pairwise

from django.urls import reverse

from gongkai.orgs.models import PasswordHistory
from tests.conftest import PASSWORD


def change(client, old, new):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_the_current_password_is_refused(client, cast):
    client.force_login(cast.officer_a)
    response = change(client, PASSWORD, PASSWORD)
    assert response.status_code == 200
    assert "不能与当前密码及最近 5 个密码相同" in response.content.decode()


def test_a_b_a_is_refused_and_the_sixth_old_one_is_allowed(client, cast):
    user = cast.officer_a
    client.force_login(user)
    passwords = [PASSWORD] + [f"Qingshan-20{n}x" for n in range(30, 36)]
    for old, new in pairwise(passwords[:3]):
        assert change(client, old, new).status_code == 302
        user.refresh_from_db()
        client.force_login(user)
    # A → B → A
    response = change(client, passwords[2], PASSWORD)
    assert response.status_code == 200 and "最近 5 个密码" in response.content.decode()
    for old, new in pairwise(passwords[2:]):
        assert change(client, old, new).status_code == 302
        user.refresh_from_db()
        client.force_login(user)
    assert PasswordHistory.objects.filter(user=user).count() == 5
    # The first password is now six changes back.
    assert change(client, passwords[-1], PASSWORD).status_code == 302
