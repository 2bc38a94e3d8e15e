"""Writing the search index: one entry per published catalog item.

This module knows the index table, not the catalog: gongkai.publishing.catalog_search
decides what an item's entry holds and calls `store` from a background task queued with
the transaction that published, changed or withdrew it (`publishing.tasks.index_item`), and
`replace_all` from the `rebuild_search_index` command or task.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import connection, transaction

from gongkai.search.backends import forget_statistics
from gongkai.search.models import SearchEntry

# Searchable text per item: the first this many characters of summary, text and attachments
# (a tsvector holds at most 1 MB; a longer text is rare in a catalog and stays readable).
MAX_TEXT_CHARS = 100_000
# PostgreSQL keeps 16,383 positions per tsvector and 256 per term (gongkai.search.backends).
PG_MAX_POSITIONS = 16_383
PG_MAX_PER_TERM = 256

# PostgreSQL's full-text index (migration 0002), dropped and made again by a fast rebuild.
GIN_INDEX = "search_entry_tsv_idx"


def store(item_id: int, entry: SearchEntry | None) -> None:
    """Replace the entry of one item; None drops it (withdrawn, unknown)."""
    with transaction.atomic():
        SearchEntry.objects.filter(item_id=item_id).delete()
        if entry is not None:
            entry.save(force_insert=True)


def replace_all(
    entries: Iterable[SearchEntry],
    *,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
    fast: bool = False,
) -> int:
    """Replace the whole index with `entries`; returns how many are stored.

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
        for entry in entries:
            batch.append(entry)
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
