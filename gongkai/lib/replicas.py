"""Read replicas: the public portal's and the open data API's reads go to a PostgreSQL
standby, everything else to the primary (docs/scaling.md).

DATABASE_REPLICA_URLS (settings) adds the database aliases replica_1 … replica_n. Then:

- ReplicaMiddleware gives each request a state (a context variable, so threads and
  requests do not share it). Only a GET or HEAD of a view in the `portal` or `api` URL
  namespace, from a browser that has not written lately, is given a replica, chosen at
  random for the whole request (all its reads see one standby's snapshot).
- ReplicaRouter sends that request's reads to its replica, and every write to the
  primary. The first write of a request sends every later read of the request to the
  primary too, so a request reads its own writes.
- A request that wrote sets a cookie (PIN_COOKIE) for REPLICA_PIN_SECONDS: the browser's
  next requests read the primary, so the page a POST redirects to shows what it saved even
  when the standby is a little behind. A cookie also keeps the browser out of the portal's
  page cache (gongkai.portal.cache) for that while.
- The session tables are never read from a replica (a login must see its own session),
  and their writes do not pin: SESSION_SAVE_EVERY_REQUEST saves a session on every staff
  request.
- Outside a request (management commands, the shell, tasks) everything uses the primary.
- Migrations run only on the primary; the standbys replay them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

PRIMARY = "default"
PIN_COOKIE = "gk_primary"
# URL namespaces whose GET requests may read a replica: what anonymous visitors read.
READ_NAMESPACES = frozenset({"portal", "api"})
# Apps whose tables are always read on the primary, and whose writes do not pin.
PRIMARY_APPS = frozenset({"sessions"})


@dataclass
class RequestState:
    replica: str | None = None  # the alias this request reads, None: the primary
    wrote: bool = False


_state: ContextVar[RequestState | None] = ContextVar("gongkai_replica_state", default=None)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


def current_replica() -> str | None:
    """The replica the current request reads, or None (the primary)."""
    state = _state.get()
    return state.replica if state is not None else None


class ReplicaRouter:
    """settings.DATABASE_ROUTERS when DATABASE_REPLICA_URLS is set."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        state = _state.get()
        if state is None or state.replica is None or model._meta.app_label in PRIMARY_APPS:
            return PRIMARY
        return state.replica

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        state = _state.get()
        if state is not None and model._meta.app_label not in PRIMARY_APPS:
            state.wrote = True
            state.replica = None  # the rest of the request reads its own writes
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        return True  # the replicas hold the primary's rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == PRIMARY


class ReplicaMiddleware:
    """Set the request's replica state; pin the browser to the primary after a write."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.replicas = replica_aliases()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.replicas:
            return self.get_response(request)
        state = RequestState()
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if state.wrote and settings.REPLICA_PIN_SECONDS > 0:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        state = _state.get()
        if state is None or state.wrote or request.method not in ("GET", "HEAD"):
            return
        if PIN_COOKIE in request.COOKIES:
            return
        match = request.resolver_match
        if match is not None and READ_NAMESPACES.intersection(match.namespaces):
            state.replica = random.choice(self.replicas)  # noqa: S311 - load spreading


def read_alias() -> str:
    """The alias the current request reads (raw SQL that reads, such as the search
    backend's, uses connections[read_alias()])."""
    return current_replica() or PRIMARY
