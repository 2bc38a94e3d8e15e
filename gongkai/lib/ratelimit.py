"""Failure limits kept in the cache: N failures in a window, then a fixed wait.

Used for logins (gongkai.orgs.views), for the public tracking page and the query-code
resend (gongkai.portal). The cache is Django's default cache: per process by default,
shared by every server process when CACHE_URL points at Redis (or another shared
backend), which production should use (docs/security.md) so that the limits do not
multiply with the number of workers.

A lock is set once (cache.add) and runs out at the time set then: attempts made while it
holds are refused without being counted, so they cannot extend it.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.core.cache import cache

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Limit:
    """`count` failures within `window` seconds lock the key for `lock` seconds."""

    name: str
    count: int
    window: int
    lock: int

    def _key(self, kind: str, key: str) -> str:
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        return f"gongkai:rl:{self.name}:{kind}:{digest}"

    def locked_for(self, key: str) -> int:
        """Seconds until `key` unlocks; 0 when it is not locked."""
        until = cache.get(self._key("lock", key))
        if until is None:
            return 0
        return max(0, math.ceil(float(until) - time.time()))

    def failures(self, key: str) -> int:
        return int(cache.get(self._key("count", key)) or 0)

    def fail(self, key: str) -> int:
        """Count one failure; returns the seconds of the lock it starts (0: none yet)."""
        if self.locked_for(key):
            return 0
        counter = self._key("count", key)
        cache.add(counter, 0, timeout=self.window)
        try:
            failures = cache.incr(counter)
        except ValueError:  # expired between add and incr
            cache.set(counter, 1, timeout=self.window)
            failures = 1
        if failures >= self.count:
            cache.add(self._key("lock", key), time.time() + self.lock, timeout=self.lock)
            cache.delete(counter)
            return self.lock
        return 0

    def clear(self, key: str) -> None:
        cache.delete_many([self._key("count", key), self._key("lock", key)])

    def remaining(self, key: str) -> int:
        return max(0, self.count - self.failures(key))


def wait_minutes(seconds: int) -> int:
    return max(1, (seconds + 59) // 60)


def refuse_while_locked(
    limits: Callable[[Any], list[tuple[Limit, str]]],
    refuse: Callable[[Any, int], Any],
) -> Callable[[F], F]:
    """A view decorator: while any (limit, key) of `limits(request)` is locked, answer
    `refuse(request, seconds)` instead of calling the view. Counting failures is the
    view's own business (`limit.fail(key)`), since only it knows what failed."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            seconds = max((limit.locked_for(key) for limit, key in limits(request)), default=0)
            if seconds:
                return refuse(request, seconds)
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
