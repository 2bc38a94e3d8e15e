"""The replica router's decisions (gongkai.lib.replicas), without a standby: which alias
each read and write of a request is given. tests/replicas/test_standby_pair.py runs the
same against a real primary and standby."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve

from gongkai.lib import replicas
from gongkai.lib.replicas import PIN_COOKIE, ReplicaMiddleware, ReplicaRouter
from gongkai.orgs.models import Agency

router = ReplicaRouter()


def run(request, view=None, aliases=("replica_1", "replica_2")):
    """The request through the middleware (with two replicas); what `view` saw."""
    seen: list[str | None] = []

    def get_response(request):
        middleware.process_view(request, get_response, (), {})
        seen.append(router.db_for_read(Agency))
        if view:
            seen.extend(view())
        return HttpResponse("ok")

    middleware = ReplicaMiddleware(get_response)
    middleware.replicas = list(aliases)
    request.resolver_match = resolve(request.path_info)
    response = middleware(request)
    return seen, response


def test_outside_a_request_everything_is_the_primary():
    assert router.db_for_read(Agency) == "default"
    assert router.db_for_write(Agency) == "default"
    assert replicas.read_alias() == "default"


def test_a_portal_get_reads_a_replica_chosen_at_random():
    chosen = {run(RequestFactory().get("/catalog/"))[0][0] for _ in range(40)}
    assert chosen == {"replica_1", "replica_2"}
    api, _ = run(RequestFactory().get("/api/v1/agencies"))
    assert api[0].startswith("replica_")


def test_the_back_office_a_post_and_a_pinned_browser_read_the_primary():
    assert run(RequestFactory().get("/office/"))[0] == ["default"]
    assert run(RequestFactory().post("/track/"))[0] == ["default"]
    pinned = RequestFactory().get("/catalog/")
    pinned.COOKIES[PIN_COOKIE] = "1"
    assert run(pinned)[0] == ["default"]


def test_after_a_write_the_request_reads_the_primary_and_the_browser_is_pinned(settings):
    settings.REPLICA_PIN_SECONDS = 10

    def write_then_read():
        before = router.db_for_read(Agency)
        assert router.db_for_write(Agency) == "default"
        return [before, router.db_for_read(Agency), replicas.read_alias()]

    seen, response = run(RequestFactory().get("/catalog/"), write_then_read)
    assert seen[0].startswith("replica_") and seen[1].startswith("replica_")
    assert seen[2:] == ["default", "default"]
    assert response.cookies[PIN_COOKIE]["max-age"] == 10


def test_sessions_are_read_on_the_primary_and_their_writes_do_not_pin():
    def session():
        return [router.db_for_read(Session), router.db_for_write(Session)]

    seen, response = run(RequestFactory().get("/catalog/"), session)
    assert seen[0].startswith("replica_") and seen[1:] == ["default", "default"]
    assert PIN_COOKIE not in response.cookies


def test_without_replicas_the_middleware_does_nothing():
    seen, response = run(RequestFactory().get("/catalog/"), aliases=())
    assert seen == ["default"] and not response.cookies


def test_migrations_run_only_on_the_primary():
    assert router.allow_migrate("default", "orgs") is True
    assert router.allow_migrate("replica_1", "orgs") is False
