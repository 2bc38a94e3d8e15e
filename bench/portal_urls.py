"""bench/portal.py's URLs: the whole site, and /bench/bare/, a view that answers "ok"
through the same middleware (the baseline the portal pages are measured against)."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), path("", include("gongkai.urls"))]
