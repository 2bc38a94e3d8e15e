"""The catalog search as the portal and the API use it: parse, query the backend, load the
page's items and mark up their titles and snippets."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from gongkai.lib.html import plain_text
from gongkai.publishing.models import InfoItem
from gongkai.search.backends import Filters, backend
from gongkai.search.snippets import highlight, snippet
from gongkai.search.tokens import Query, parse

PER_PAGE = 20
ORDERS = ("relevance", "date")


@dataclass
class Result:
    item: InfoItem
    title: SafeString
    doc_no: SafeString
    snippet: SafeString


@dataclass
class SearchPage:
    query: Query
    order: str
    number: int
    per_page: int
    total: int = 0
    capped: bool = False
    results: list[Result] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.results else 0


def search(
    raw: str,
    filters: Filters | None = None,
    *,
    order: str = "relevance",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SearchPage:
    """One page of published items matching `raw` (all of its words) and `filters`.

    Without words it lists the filtered catalog newest first. Input is never an error:
    punctuation and operators are ignored, a long query is cut (SearchPage.query.truncated).
    """
    query = parse(raw)
    order = order if order in ORDERS else "relevance"
    result = SearchPage(query=query, order=order, number=max(1, page), per_page=per_page)
    hits = backend().search(
        query,
        filters or Filters(),
        order=order,
        offset=(result.number - 1) * per_page,
        limit=per_page,
    )
    result.total, result.capped = hits.total, hits.capped
    if result.number > result.pages:
        return search(raw, filters, order=order, page=result.pages, per_page=per_page)
    items = InfoItem.objects.select_related("agency", "category").prefetch_related("attachments")
    found = {item.pk: item for item in items.filter(pk__in=hits.ids)}
    words = query.words
    for pk in hits.ids:
        item = found.get(pk)
        if item is None:  # withdrawn between the two queries
            continue
        texts = [item.summary, plain_text(item.body), *(a.text for a in item.attachments.all())]
        result.results.append(
            Result(
                item=item,
                title=highlight(item.title, words),
                doc_no=highlight(item.doc_no, words),
                snippet=snippet(texts, words),
            )
        )
    return result
