"""The open data API (/api/v1/): what the public portal shows, as JSON, read-only.

Published catalog items, active agencies, the catalog categories and published annual
reports. No login: every client is rate-limited by its address. The OpenAPI description
is at /api/v1/openapi.json.
"""

import hashlib
import threading
import time
from typing import Any

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import Throttled, ValidationError
from ninja.pagination import PageNumberPagination, paginate
from ninja.renderers import JSONRenderer
from ninja.throttling import AnonRateThrottle

from gongkai.annual import files
from gongkai.annual.models import AnnualReport
from gongkai.annual.published import DOWNLOADS, published_reports
from gongkai.annual.report import from_revision
from gongkai.api import schemas
from gongkai.api.schemas import FIRST_YEAR, LAST_YEAR
from gongkai.audit.log import client_ip
from gongkai.orgs.models import Agency, in_subtree
from gongkai.publishing.forms import categories_for
from gongkai.publishing.models import (
    Category,
    InfoItem,
    ItemStatus,
    PublicationAction,
)

RATE = "120/m"  # per client address; generous for harvesting, a brake on scraping loops
PAGE_SIZE, MAX_PAGE_SIZE = 20, 100
# Keeps (page - 1) * page size far inside the databases' 64-bit OFFSET.
MAX_PAGE = 1_000_000


class ClientRateThrottle(AnonRateThrottle):
    """A limit per client address, counted atomically in the cache (docs/scaling.md).

    Keyed by the address the audit log uses: Ninja's own get_ident believes any client's
    X-Forwarded-For, so a client could dodge the limit by sending a new one with each
    request; client_ip reads it only from the proxies listed in settings.TRUSTED_PROXIES.

    Ninja's own counting reads a list of times from the cache and writes it back, which
    loses requests counted at the same moment by another process (or thread: it also keeps
    the request's state on the one shared instance). Here each request is one atomic
    increment (Redis INCR with CACHE_URL=redis://…) of a counter per address and window of
    `duration` seconds; the limit applies to the current window's count plus the previous
    window's, weighted by how much of it still lies within the last `duration` seconds (a
    sliding window without keeping every request's time). Refused requests count too, so a
    client that keeps hammering stays refused.
    """

    _wait = threading.local()

    def get_ident(self, request: HttpRequest) -> str | None:
        return client_ip(request)

    def _counter(self, ident: str, window: int) -> str:
        digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
        return f"gongkai:api-rate:{digest}:{window}"

    def allow_request(self, request: HttpRequest) -> bool:
        ident = self.get_ident(request)
        if ident is None or not self.num_requests or not self.duration:
            return True
        now = time.time()
        window, into = divmod(now, self.duration)
        key = self._counter(ident, int(window))
        cache.add(key, 0, timeout=2 * self.duration)
        try:
            current = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=2 * self.duration)
            current = 1
        previous = int(cache.get(self._counter(ident, int(window) - 1)) or 0)
        estimate = previous * (1 - into / self.duration) + current
        self._wait.seconds = self.duration - into
        return estimate <= self.num_requests

    def wait(self) -> float | None:
        return max(1.0, getattr(self._wait, "seconds", float(self.duration or 1)))


THROTTLE = ClientRateThrottle(RATE)


class Utf8Renderer(JSONRenderer):
    # Chinese text as UTF-8 rather than \uXXXX escapes: a third of the size, and legible.
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="gongkai open data API",
    version="1",
    description=__doc__ or "",
    urls_namespace="api",
    # Ninja's Swagger page loads its scripts from a CDN unless "ninja" is an installed
    # app, and government intranets cannot reach CDNs: openapi.json only.
    docs_url=None,
    throttle=THROTTLE,
    renderer=Utf8Renderer(),
)


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, description=f"At most {MAX_PAGE_SIZE}.")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("Too many requests. Please try again later.")}, status=429
    )


def _message(error: dict[str, Any]) -> str:
    """A validation error in the reader's language (pydantic's own messages are English)."""
    kind, context = error.get("type", ""), error.get("ctx") or {}
    if kind == "value_error" and "ctx" not in error:
        return str(error.get("msg", ""))  # ours (invalid() below), already translated
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Must be a whole number.")
    if kind == "greater_than_equal":
        return _("Must be at least %(limit)s.") % {"limit": context.get("ge")}
    if kind == "less_than_equal":
        return _("Must be at most %(limit)s.") % {"limit": context.get("le")}
    if kind == "missing":
        return _("This parameter is required.")
    if kind in ("string_too_long",):
        return _("Too long.")
    return _("Not a valid value.")


@api.exception_handler(ValidationError)
def validation_failed(request: HttpRequest, exc: Exception) -> HttpResponse:
    assert isinstance(exc, ValidationError)  # noqa: S101 - the handler's registered type
    detail = [
        {"type": e.get("type", ""), "loc": list(e.get("loc", [])), "msg": _message(e)}
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


def invalid(field: str, message: str) -> ValidationError:
    """A 422 answer in the shape of ninja's own validation errors."""
    return ValidationError([{"type": "value_error", "loc": ["query", field], "msg": message}])


def active_agency(code: str) -> Agency:
    found = Agency.objects.active().filter(code=code).first()
    if found is None:
        raise invalid("agency", _("There is no active agency with this code."))
    return found


@api.get("/agencies", response=list[schemas.AgencyOut], url_name="agencies")
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def agencies(request: HttpRequest) -> QuerySet[Agency]:
    """Active agencies, in the order of the tree."""
    return Agency.objects.active().select_related("parent").order_by("path")


@api.get("/categories", response=list[schemas.CategoryOut], url_name="categories")
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def categories(request: HttpRequest, filters: Query[schemas.CategoryFilters]) -> QuerySet[Category]:
    """The catalog's standard categories (条例第二十条、第二十一条), or one agency's."""
    if filters.agency:
        found = categories_for(active_agency(filters.agency))
    else:
        found = Category.objects.filter(agency=None, is_active=True)
    return found.select_related("parent", "agency").order_by("sort_order", "code", "pk")


ITEM_FIELDS = [
    "id", "index_no", "title", "doc_no", "topic", "formed_on", "published_at", "validity",
    "summary", "agency__code", "agency__name", "category__code", "category__name",
]  # fmt: skip


@api.get("/items", response=list[schemas.ItemOut], url_name="items")
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def items(request: HttpRequest, filters: Query[schemas.ItemFilters]) -> QuerySet[InfoItem]:
    """Published catalog items, newest first (by the date formed)."""
    found = InfoItem.objects.public()
    if filters.agency:
        found = found.filter(in_subtree(active_agency(filters.agency), "agency"))
    if filters.category:
        if not Category.objects.filter(code=filters.category, is_active=True).exists():
            raise invalid("category", _("There is no category with this code."))
        found = found.filter(
            Q(category__code=filters.category) | Q(category__parent__code=filters.category)
        )
    if filters.year is not None:
        found = found.filter(formed_on__year=filters.year)
    if filters.validity:
        found = found.filter(validity=filters.validity)
    return (
        found.select_related("agency", "category").only(*ITEM_FIELDS).order_by("-formed_on", "-id")
    )


@api.get(
    "/items/{item_id}",
    response={200: schemas.ItemDetail, 404: schemas.Error, 410: schemas.Withdrawn},
    url_name="item",
)
def item(request: HttpRequest, item_id: int) -> Any:
    """One published item with its attachments and versions; 410 once it is withdrawn."""
    found = get_object_or_404(
        InfoItem.objects.on_portal()
        .select_related("agency", "category")
        .prefetch_related("attachments", "versions"),
        pk=item_id,
    )
    if found.status == ItemStatus.WITHDRAWN:
        withdrawal = max(
            (v for v in found.versions.all() if v.action == PublicationAction.WITHDRAWN),
            key=lambda v: v.number,
            default=None,
        )
        return Status(
            410,
            {
                "detail": _("This government information has been withdrawn."),
                "withdrawn_at": withdrawal.at if withdrawal else None,
                "reason": withdrawal.reason if withdrawal else "",
            },
        )
    return Status(200, found)


@api.get("/annual-reports", response=list[schemas.AnnualReportOut], url_name="annual_reports")
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def annual_reports(
    request: HttpRequest, filters: Query[schemas.ReportFilters]
) -> QuerySet[AnnualReport]:
    """Published annual reports (政府信息公开工作年度报告), newest year first."""
    found = published_reports()
    if filters.agency:
        found = found.filter(agency=active_agency(filters.agency))
    if filters.year is not None:
        found = found.filter(year=filters.year)
    return found.order_by("-year", "agency__path", "pk")


def _files(request: HttpRequest, code: str, year: int, number: int) -> dict[str, str]:
    return {
        fmt: request.build_absolute_uri(
            reverse("portal:annual_report_file", args=[code, year, number, fmt])
        )
        for fmt in DOWNLOADS
    }


@api.get(
    "/annual-reports/{code}/{year}",
    response={200: schemas.AnnualReportDetail, 404: schemas.Error},
    url_name="annual_report",
)
def annual_report(request: HttpRequest, code: str, year: int) -> Any:
    """The latest published revision of a report: its frozen tables and text, and files."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    report = get_object_or_404(
        AnnualReport.objects.select_related("agency"), agency__code=code, year=year
    )
    revisions = list(report.revisions.filter(published_at__isnull=False).order_by("-number"))
    if not revisions:
        raise Http404
    latest = revisions[0]
    narrative = latest.narrative or {}
    return Status(
        200,
        {
            "agency": report.agency,
            "year": report.year,
            "rollup": report.rollup,
            "title": files.title(from_revision(report, latest)),
            "format": latest.format,
            "revision": latest.number,
            "published_at": latest.published_at,
            "reason": latest.reason,
            "url": request.build_absolute_uri(reverse("portal:annual_report", args=[code, year])),
            "files": _files(request, code, year, latest.number),
            "overview": narrative.get("overview", ""),
            "problems": narrative.get("problems", ""),
            "other": narrative.get("other", ""),
            "tables": latest.tables,
            "revisions": [
                {
                    "number": r.number,
                    "reason": r.reason,
                    "published_at": r.published_at,
                    "files": _files(request, code, year, r.number),
                }
                for r in revisions
            ],
        },
    )
