"""Keeping the search index: one entry per published item, written after the commit that
published, changed or withdrew it (gongkai.publishing.actions), and rebuilt in full by the
`rebuild_search_index` command."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from django.db import connection, transaction
from django.db.models import QuerySet

from gongkai.lib.html import plain_text
from gongkai.publishing.models import InfoItem, ItemStatus
from gongkai.search.backends import forget_statistics
from gongkai.search.models import SearchEntry
from gongkai.search.tokens import index_tokens

# Searchable text per item: the first this many characters of summary, text and attachments
# (a tsvector holds at most 1 MB; a longer text is rare in a catalog and stays readable).
MAX_TEXT_CHARS = 100_000
# PostgreSQL keeps 16,383 positions per tsvector and 256 per term (gongkai.search.backends).
PG_MAX_POSITIONS = 16_383
PG_MAX_PER_TERM = 256


def item_text(item: InfoItem) -> str:
    parts = [item.summary, item.keywords, plain_text(item.body)]
    parts.extend(a.text for a in item.attachments.all())
    return "\n".join(p for p in parts if p)[:MAX_TEXT_CHARS]


def entry_for(item: InfoItem) -> SearchEntry:
    title = index_tokens(f"{item.title}\n{item.doc_no}")
    body = index_tokens(item_text(item))
    terms = body.split()
    is_long = len(terms) > PG_MAX_POSITIONS - len(title.split()) or any(
        n > PG_MAX_PER_TERM for n in Counter(terms).values()
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


def update_item(item_id: int) -> None:
    """Index a published item; drop anything else (withdrawn, unknown) from the index."""
    item = InfoItem.objects.filter(pk=item_id, status=ItemStatus.PUBLISHED).first()
    with transaction.atomic():
        SearchEntry.objects.filter(item_id=item_id).delete()
        if item is not None:
            entry_for(item).save(force_insert=True)


def update_after_commit(item_id: int) -> None:
    transaction.on_commit(lambda: update_item(item_id))


def published() -> QuerySet[InfoItem]:
    return (
        InfoItem.objects.filter(status=ItemStatus.PUBLISHED)
        .prefetch_related("attachments")
        .order_by("pk")
    )


# PostgreSQL's full-text index (migration 0002), dropped and made again by a fast rebuild.
GIN_INDEX = "search_entry_tsv_idx"


def rebuild(
    *,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
    fast: bool = False,
) -> int:
    """Replace the whole index with the published items; returns how many are indexed.

    Searches go on reading the old index until the new one commits. `fast` (PostgreSQL):
    the GIN index is dropped during the load and built once at the end, a quarter less
    time (2.4 -> 1.9 ms an item over 5,000 generated items; the rest is computing the
    tsvector of long texts), but searches wait until the rebuild commits."""
    done = 0
    fast = fast and connection.vendor == "postgresql"
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        if fast:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
        batch: list[SearchEntry] = []
        for item in published().iterator(chunk_size=batch_size):
            batch.append(entry_for(item))
            if len(batch) >= batch_size:
                SearchEntry.objects.bulk_create(batch)
                done += len(batch)
                batch = []
                if progress:
                    progress(done)
        if batch:
            SearchEntry.objects.bulk_create(batch)
            done += len(batch)
            if progress:
                progress(done)
        if fast:
            with connection.cursor() as cursor:
                # The deferred foreign-key checks first: no index is built over pending ones.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"CREATE INDEX {GIN_INDEX} ON search_searchentry USING gin (tsv)")
    if connection.vendor == "postgresql":
        # The searches plan by the statistics of the index (backends.statistics): fresh
        # ones now rather than when autovacuum comes by.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchentry")
        forget_statistics()
    return done
