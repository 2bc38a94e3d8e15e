"""The catalog in the search index: what an item's entry holds, keeping it after each
publication step, rebuilding it, and the search the portal and the API use (parse, query
the backend, load the page's items and mark up their titles and snippets).

The index itself (tokens, the SQLite/PostgreSQL backends, the table) is gongkai.search,
below this app; it knows nothing of catalog items.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString

from gongkai.lib.html import plain_text
from gongkai.publishing.models import InfoItem
from gongkai.search import index
from gongkai.search.backends import Filters, backend
from gongkai.search.models import SearchEntry
from gongkai.search.snippets import highlight, snippet
from gongkai.search.tokens import Query, index_tokens, parse


# -- the index of published items -------------------------------------------------------
def item_text(item: InfoItem) -> str:
    parts = [item.summary, item.keywords, plain_text(item.body)]
    parts.extend(a.text for a in item.attachments.all())
    return "\n".join(p for p in parts if p)[: index.MAX_TEXT_CHARS]


def entry_for(item: InfoItem) -> SearchEntry:
    title = index_tokens(f"{item.title}\n{item.doc_no}")
    body = index_tokens(item_text(item))
    terms = body.split()
    is_long = len(terms) > index.PG_MAX_POSITIONS - len(title.split()) or any(
        n > index.PG_MAX_PER_TERM for n in Counter(terms).values()
    )
    return SearchEntry(
        item_id=item.pk,
        agency_id=item.agency_id,
        category_id=item.category_id,
        topic=item.topic,
        validity=item.validity,
        formed_on=item.formed_on,
        year=item.formed_on.year,
        title_tokens=title,
        body_tokens=body,
        is_long=is_long,
    )


def published() -> QuerySet[InfoItem]:
    return InfoItem.objects.public().prefetch_related("attachments").order_by("pk")


def update_item(item_id: int) -> None:
    """Index a published item; drop anything else (withdrawn, unknown) from the index."""
    item = InfoItem.objects.public().filter(pk=item_id).first()
    index.store(item_id, entry_for(item) if item is not None else None)


def rebuild(
    *,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
    fast: bool = False,
) -> int:
    """Replace the whole index with the published items; returns how many are indexed."""
    entries = (entry_for(item) for item in published().iterator(chunk_size=batch_size))
    return index.replace_all(entries, batch_size=batch_size, progress=progress, fast=fast)


# -- searching --------------------------------------------------------------------------
PER_PAGE = 20
ORDERS = ("relevance", "date")


# The long columns a list without snippets does not read (loaded on access if a template
# ever needs one).
LIST_DEFERRED = ("summary", "body", "keywords", "review_plan")


@dataclass
class Result:
    item: InfoItem
    title: SafeString
    doc_no: SafeString
    snippet: SafeString

    @property
    def published_on(self) -> str:
        """The publication day (China time), as the lists show it: the `date` filter's
        work, done once per row instead of twice through the localisation machinery."""
        at = self.item.published_at
        return timezone.localtime(at).strftime("%Y-%m-%d") if at else ""


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
    snippets: bool = True,
) -> SearchPage:
    """One page of published items matching `raw` (all of its words) and `filters`.

    Without words it lists the filtered catalog newest first. Input is never an error:
    punctuation and operators are ignored, a long query is cut (SearchPage.query.truncated).
    `snippets=False` (the catalog lists, which show none) leaves each item's text and
    attachments unread: reading and cutting them was most of a list page's cost.
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
        return search(
            raw, filters, order=order, page=result.pages, per_page=per_page, snippets=snippets
        )
    items = InfoItem.objects.select_related("agency", "category")
    items = items.prefetch_related("attachments") if snippets else items.defer(*LIST_DEFERRED)
    found = {item.pk: item for item in items.filter(pk__in=hits.ids)}
    words = query.words
    for pk in hits.ids:
        item = found.get(pk)
        if item is None:  # withdrawn between the two queries
            continue
        if snippets:
            texts = [item.summary, plain_text(item.body), *(a.text for a in item.attachments.all())]
            found_snippet = snippet(texts, words)
        else:
            found_snippet = SafeString("")
        result.results.append(
            Result(
                item=item,
                title=highlight(item.title, words),
                doc_no=highlight(item.doc_no, words),
                snippet=found_snippet,
            )
        )
    return result
