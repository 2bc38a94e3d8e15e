"""Login failure limits (等保 8.1.4.1 b 限制非法登录次数), without a lock anyone can renew.

- account and address: LOGIN_FAILURE_LIMIT failures lock that account from that address
  for LOGIN_LOCKOUT_MINUTES (what the user who mistypes meets);
- account, from any address: LOGIN_ACCOUNT_FAILURE_LIMIT failures in an hour lock it
  everywhere for LOGIN_LOCKOUT_MINUTES (a slower limit against distributed guessing);
- address, across accounts: LOGIN_ADDRESS_FAILURE_LIMIT failures in an hour lock the address
  (password spraying).

While a lock holds, attempts are refused before the password is checked and are not
counted, so they do not extend it; a security administrator can lift it
(gongkai.orgs.security).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from gongkai.audit.log import client_ip
from gongkai.lib.ratelimit import Limit

HOUR = 3600


def pair_limit() -> Limit:
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    return Limit("login-pair", settings.LOGIN_FAILURE_LIMIT, minutes * 60, minutes * 60)


def account_limit() -> Limit:
    lock = settings.LOGIN_LOCKOUT_MINUTES * 60
    return Limit("login-account", settings.LOGIN_ACCOUNT_FAILURE_LIMIT, HOUR, lock)


def address_limit() -> Limit:
    lock = settings.LOGIN_LOCKOUT_MINUTES * 60
    return Limit("login-address", settings.LOGIN_ADDRESS_FAILURE_LIMIT, HOUR, lock)


def normal_username(username: str) -> str:
    return username.strip().lower()[:150]


def keys(request: HttpRequest, username: str) -> list[tuple[Limit, str]]:
    name = normal_username(username)
    address = client_ip(request) or "-"
    return [
        (pair_limit(), f"{name}|{_generation(name)}|{address}"),
        (account_limit(), name),
        (address_limit(), address),
    ]


def locked_for(request: HttpRequest, username: str) -> int:
    return max((limit.locked_for(key) for limit, key in keys(request, username)), default=0)


def record_failure(request: HttpRequest, username: str) -> int:
    """Count a failed login; returns the seconds of a lock it starts (0: none)."""
    return max((limit.fail(key) for limit, key in keys(request, username)), default=0)


def attempts_left(request: HttpRequest, username: str) -> int:
    limit, key = keys(request, username)[0]
    return limit.remaining(key)


def clear_after_success(request: HttpRequest, username: str) -> None:
    limit, key = keys(request, username)[0]
    limit.clear(key)


def _generation(name: str) -> int:
    return int(cache.get(f"gongkai:rl:generation:{name}") or 0)


def unlock_account(username: str) -> None:
    """Lift the account's locks: everywhere, and from every address it was locked from.

    Locks per address cannot be listed in a cache; the account's generation number is
    part of their keys, so raising it leaves every earlier one behind."""
    name = normal_username(username)
    account_limit().clear(name)
    cache.set(f"gongkai:rl:generation:{name}", _generation(name) + 1, timeout=None)
