"""The standard column (政府信息公开专栏, 国办公开办函〔2019〕61号) for the whole installation
and for each agency: 政府信息公开指南, 政府信息公开制度, 法定主动公开内容, 政府信息公开年报
(gongkai.portal.annual_reports) and 依申请公开; and the catalog search (gongkai.publishing.catalog_search)."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from gongkai.annual.models import AnnualReport
from gongkai.orgs.models import Agency, in_subtree
from gongkai.portal.cache import public_page
from gongkai.portal.forms import SearchForm
from gongkai.publishing import library
from gongkai.publishing.catalog_search import search
from gongkai.publishing.categories import as_tree, descendants
from gongkai.publishing.forms import categories_for
from gongkai.publishing.models import Category, Channel, NormativeKind, Validity
from gongkai.search.backends import Filters

NEWEST = 8
# Past this many agencies in scope, the search form lists only the scope and the level below.
AGENCY_CHOICES = 300


def _agency(code: str) -> Agency:
    return get_object_or_404(Agency.objects.active(), code=code)


def _categories(agency: Agency | None) -> QuerySet[Category]:
    if agency is None:
        return Category.objects.filter(agency=None, is_active=True).order_by("sort_order", "code")
    return categories_for(agency)


def _category_nav(tree: list[tuple[Category, int]], chosen: Category | None) -> SafeString:
    """The catalog's category links (<li> of each category, indented by depth), made here
    rather than by a template loop: with the 40-odd categories of 第二十条 that loop was
    the largest part of rendering the catalog page (bench/profile_pages.py)."""
    parts = []
    for c, depth in tree:
        indent = f' class="ms-{4 if depth > 1 else 3}" data-depth="{depth}"' if depth else ""
        current = ' aria-current="page" class="fw-bold"' if chosen and chosen.pk == c.pk else ""
        parts.append(f'<li{indent}><a href="?category={c.pk}"{current}>{escape(c.name)}</a></li>')
    return mark_safe("".join(parts))  # noqa: S308 - names escaped, the rest numbers


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


@public_page
def column_home(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """The column's front page: its five parts, the search box and the newest items."""
    agency = _agency(code) if code else None
    newest = search(
        "", Filters(agency_ids=[agency.pk] if agency else None), order="date", snippets=False
    )
    context = {
        "agency": agency,
        "newest": newest.results[:NEWEST],
        "categories": _categories(agency).filter(parent=None),
        "reports": _reports(agency)[:3],
        "children": Agency.objects.active().filter(parent=agency) if agency else None,
        "ancestors": agency.ancestors() if agency else [],
        "agencies": None if agency else Agency.objects.active().order_by("path"),
    }
    return render(request, "portal/column_home.html", context)


def _reports(agency: Agency | None) -> QuerySet[AnnualReport]:
    reports = AnnualReport.objects.filter(revisions__published_at__isnull=False)
    if agency is not None:
        reports = reports.filter(agency=agency)
    return reports.distinct().select_related("agency").order_by("-year", "agency__path")


@public_page
def guide(request: HttpRequest, code: str) -> HttpResponse:
    """政府信息公开指南 (第十二条): generated from the agency's data, plus its own text."""
    agency = _agency(code)
    categories = list(_categories(agency))
    counts = dict(
        agency.info_items.public()
        .values_list("category")
        .annotate(n=Count("id"))
        .values_list("category", "n")
    )
    return render(
        request,
        "portal/guide.html",
        {
            "agency": agency,
            "ancestors": agency.ancestors(),
            "categories": [(c, depth, counts.get(c.pk, 0)) for c, depth in as_tree(categories)],
            "channels": [label for value, label in Channel.choices if value != Channel.OTHER],
        },
    )


@public_page
def guides(request: HttpRequest) -> HttpResponse:
    """The installation's guide: every agency's guide, by the tree."""
    return render(
        request,
        "portal/guides.html",
        {"agencies": Agency.objects.active().order_by("path")},
    )


@public_page
def rules(request: HttpRequest, code: str) -> HttpResponse:
    """政府信息公开制度: the rules the agency entered for its disclosure work."""
    agency = _agency(code)
    return render(request, "portal/rules.html", {"agency": agency, "ancestors": agency.ancestors()})


@public_page
def normative(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """The library of 规章 and 行政规范性文件, by validity (有效 / 失效 / 废止)."""
    agency = _agency(code) if code else None
    scope = Agency.objects.active().filter(in_subtree(agency)) if agency else None
    docs = library.public_documents(scope)
    today = timezone.localdate()
    grouped = library.library(docs, today)
    sections = [
        (kind_label, [(v_label, grouped[kind][v]) for v, v_label in Validity.choices])
        for kind, kind_label in NormativeKind.choices
        if any(grouped[kind].values())
    ]
    return render(
        request,
        "portal/normative.html",
        {
            "agency": agency,
            "ancestors": agency.ancestors() if agency else [],
            "sections": sections,
        },
    )


@public_page
def catalog(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """法定主动公开内容: browse by the 第二十条 items and the agency's categories, newest first."""
    agency = _agency(code) if code else None
    categories = list(_categories(agency))
    chosen = None
    raw = request.GET.get("category", "")
    if raw.isdigit():
        chosen = next((c for c in categories if c.pk == int(raw)), None)
    filters = Filters(agency_ids=[agency.pk] if agency else None)
    if chosen is not None:
        filters.category_ids = descendants(categories, chosen.pk)
    page = search("", filters, order="date", page=_page_number(request), snippets=False)
    return render(
        request,
        "portal/catalog.html",
        {
            "agency": agency,
            "ancestors": agency.ancestors() if agency else [],
            "category_nav": _category_nav(as_tree(categories), chosen),
            "chosen": chosen,
            "page": page,
            "query_string": f"category={chosen.pk}" if chosen else "",
        },
    )


@public_page
def on_request(request: HttpRequest, code: str) -> HttpResponse:
    """依申请公开: how to apply, the form and tracking, in one place."""
    agency = _agency(code)
    return render(
        request, "portal/on_request.html", {"agency": agency, "ancestors": agency.ancestors()}
    )


@public_page
def search_page(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """The catalog search, over the whole installation or one agency and those below it."""
    scope = _agency(code) if code else None
    agencies = Agency.objects.active().order_by("path")
    if scope is not None:
        agencies = agencies.subtree_of(scope)
    categories = _categories(scope)
    choices = agencies.only("code", "name", "depth")
    if choices.count() > AGENCY_CHOICES:
        # A province has thousands: the scope and the level below it; each of those has
        # its own search page for the agencies under it.
        top = scope.depth if scope is not None else choices[0].depth
        choices = choices.filter(depth__lte=top + 1)
    form = SearchForm(request.GET or None, agencies=choices, categories=categories)
    page = None
    notes: list[str] = []
    if request.GET:
        chosen = form.value("agency")
        target = agencies.filter(code=chosen).first() if chosen else scope
        filters = Filters(
            agency_ids=list(agencies.subtree_of(target).values_list("pk", flat=True))
            if target is not None
            else None,
            topic=form.value("topic") or "",
            year=form.value("year"),
            validity=form.value("validity") or "",
        )
        category = form.value("category")
        if category:
            children = Category.objects.filter(parent_id=category).values_list("pk", flat=True)
            filters.category_ids = [category, *children]
        page = search(
            request.GET.get("q", ""),
            filters,
            order=form.value("order") or "relevance",
            page=_page_number(request),
        )
        if page.query.truncated:
            notes.append(_("Only the beginning of a long query was searched."))
        if request.GET.get("q", "").strip() and not page.query:
            notes.append(_("Type words of Chinese characters, letters or digits to search."))
    return render(
        request,
        "portal/search.html",
        {
            "agency": scope,
            "ancestors": scope.ancestors() if scope else [],
            "form": form,
            "page": page,
            "notes": notes,
            "query_string": _without_page(request),
        },
    )


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
