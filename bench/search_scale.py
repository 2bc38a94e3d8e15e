"""The catalog search at province scale on PostgreSQL: items as long as real documents
(several thousand characters of text plus attachment text), filtered searches (agency,
year, category) beside unfiltered ones, each beside the bare full-text query.

bench/search.py measures short texts on both databases; this one is about length and
filters. A throwaway PostgreSQL database (DATABASE_URL's server, or postgres@127.0.0.1)
is migrated and the search index table loaded with COPY:

- Text: a pool of paragraphs (POOL) is made from a county's vocabulary (bench/publishing.py's
  topics, departments and official sentences, with years, amounts, telephone numbers and
  文号 varying) and run through the real tokenizer (gongkai.search.tokens.index_tokens) once
  each; an item's text is 8–16 paragraphs of body (about 3,000–7,000 characters) and 2–5
  of attachment text, its index terms the paragraphs' terms joined (the tokenizer breaks at
  the paragraph ends anyway). Tokenizing every text anew would take the tokenizer's
  ~5 ms per thousand characters: days for a million items.
- Items are loaded in batches until --items or until --minutes of loading have passed,
  whichever comes first; the figures printed say how many were loaded, and the load rate
  (so what 1,000,000 would take). The full-text (GIN) index is made after the load.

Then the queries (bench/search.py's mix of two-character words, longer terms, two words
and 文号), unfiltered and filtered by agency, by year, by category and by agency and year,
each timed through the search interface (gongkai.search.backends: the capped count and
the first page by relevance) and as the bare full-text query with the same filters (count
of all hits and the first 20 by ts_rank). Prints p50/p95 per kind and PASS/FAIL against
p95 <= 50 ms.

    .venv/bin/python bench/search_scale.py                       # up to 1,000,000, 20 min
    .venv/bin/python bench/search_scale.py --items 50000 --minutes 5 --queries 60
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._db import throwaway_database  # noqa: E402
from bench.publishing import DEPARTMENTS, SENTENCES, TOPICS, TOWNSHIPS  # noqa: E402
from bench.search import CLAUSES, GENRE_WORDS, documents, mixed_queries, p  # noqa: E402

NAME = f"gongkai_bench_search_scale_{os.getpid()}"
ITEMS = 1_000_000
POOL = 3000
BATCH = 5000
TARGET_P95_MS = 50.0
PARAGRAPH_EXTRAS = [
    "经费预算{n}万元，已拨付{m}万元，执行率{r}%。",
    "依据《中华人民共和国政府信息公开条例》第{k}条的规定，现予公开。",
    "{year}年{month}月{day}日，{dept}召开专题会议，研究部署{topic}有关工作。",
    "监督电话：0571-8{n:06d}；电子邮箱：gk{m}@example.gov.cn。",
    "附件：{topic}实施细则（{dept}〔{year}〕{k}号）。",
]


def paragraphs(rng: random.Random) -> list[str]:
    names = [n for _, n, _, _ in DEPARTMENTS + TOWNSHIPS]
    out = []
    for _ in range(POOL):
        parts: list[str] = rng.sample(SENTENCES, k=min(len(SENTENCES), rng.randint(2, 4)))
        values = {
            "genre": rng.choice(GENRE_WORDS),
            "topic": rng.choice(TOPICS),
            "dept": rng.choice(names),
            "year": rng.randint(2019, 2025),
            "month": rng.randint(1, 12),
            "day": rng.randint(1, 28),
            "n": rng.randrange(1_000_000),
            "m": rng.randrange(10_000),
            "r": rng.randint(40, 100),
            "k": rng.randint(1, 60),
        }
        parts += [rng.choice(CLAUSES).format(**values) for _ in range(rng.randint(1, 3))]
        parts += [rng.choice(PARAGRAPH_EXTRAS).format(**values) for _ in range(rng.randint(1, 3))]
        rng.shuffle(parts)
        out.append("".join(parts))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=ITEMS, help="items to load at most")
    parser.add_argument("--minutes", type=float, default=20, help="loading time at most")
    parser.add_argument("--queries", type=int, default=60, help="queries of each kind")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    with throwaway_database(NAME, keep=args.keep) as url:
        import django

        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        settings.DEBUG = False
        call_command("migrate", verbosity=0)
        loaded, agencies, categories = load(args.items, args.minutes * 60)
        measure(loaded, agencies, categories, args.queries)
        if args.keep:
            print(f"kept: {url}")


def load(items: int, budget: float) -> tuple[int, list[int], list[int]]:
    from django.db import connection

    from gongkai.orgs.models import Agency, Kind, Level
    from gongkai.publishing.models import Category
    from gongkai.search.index import PG_MAX_POSITIONS
    from gongkai.search.tokens import index_tokens

    county = Agency.objects.create(
        code="qsx", name="青山县人民政府", level=Level.COUNTY, kind=Kind.GOVERNMENT
    )
    agencies = [
        Agency.objects.create(
            code=f"qsx-{c}", name=n, parent=county, level=Level.COUNTY, kind=Kind.DEPARTMENT
        ).pk
        for c, n, _, _ in DEPARTMENTS + TOWNSHIPS
    ]
    categories = list(Category.objects.filter(agency=None).values_list("pk", flat=True))
    rng = random.Random(20261207)
    started = time.perf_counter()
    pool = paragraphs(rng)
    tokens = [index_tokens(text) for text in pool]
    counts = [len(t.split()) for t in tokens]
    lengths = [len(text) for text in pool]
    prepared = time.perf_counter() - started
    columns = (
        "item_id, agency_id, category_id, topic, validity, formed_on, year, "
        "title_tokens, body_tokens, is_long"
    )
    chars = 0

    def rows(docs: Iterator[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
        nonlocal chars
        for d in docs:
            picked = rng.sample(range(POOL), rng.randint(8, 16) + rng.randint(2, 5))
            chars += sum(lengths[i] for i in picked)
            terms = sum(counts[i] for i in picked)
            yield (
                d["pk"],
                agencies[d["agency"]],
                rng.choice(categories),
                "",
                "valid",
                d["formed_on"],
                d["formed_on"].year,
                index_tokens(f"{d['title']}\n{d['doc_no']}"),
                " ".join(tokens[i] for i in picked),
                terms > PG_MAX_POSITIONS,
            )

    docs = documents(items, random.Random(11))  # titles, 文号, dates over five years
    loaded = 0
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX search_entry_tsv_idx")
        cursor.execute("SET session_replication_role = replica")  # no FK checks
        while loaded < items and time.perf_counter() - started < budget:
            batch = [next(docs) for _ in range(min(BATCH, items - loaded))]
            with cursor.copy(f"COPY search_searchentry ({columns}) FROM STDIN") as copy:
                for row in rows(iter(batch)):
                    copy.write_row(row)
            loaded += len(batch)
        copied = time.perf_counter() - started
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("CREATE INDEX search_entry_tsv_idx ON search_searchentry USING gin (tsv)")
        indexed = time.perf_counter() - started - copied
        cursor.execute("VACUUM (ANALYZE) search_searchentry")
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('search_searchentry'))")
        size = cursor.fetchone()[0]
    print(f"== PostgreSQL: {loaded:,} items loaded (asked for {items:,}) ==")
    print(
        f"text: {chars / max(loaded, 1):,.0f} characters per item on average (body and "
        f"attachment text); paragraph pool of {POOL} tokenized in {prepared:.1f} s"
    )
    rate = loaded / copied if copied else 0
    print(
        f"COPY (tsvector computed by PostgreSQL per row): {copied:.0f} s, {rate:,.0f} items/s "
        f"-> 1,000,000 items would take {1_000_000 / rate / 60:.0f} min at this rate; "
        f"GIN {indexed:.0f} s; table + indexes {size}"
    )
    return loaded, agencies, categories


def measure(loaded: int, agencies: list[int], categories: list[int], per_kind: int) -> None:
    from gongkai.search.backends import Filters, backend
    from gongkai.search.tokens import parse

    rng = random.Random(5)
    words = [q for _, q in mixed_queries(per_kind, rng)]
    # Categories in use (the generator spreads items over all of them).
    kinds: list[tuple[str, list[tuple[str, Filters]]]] = [
        ("no filter", [(q, Filters()) for q in words]),
        ("agency", [(q, Filters(agency_ids=[rng.choice(agencies)])) for q in words]),
        ("year", [(q, Filters(year=rng.randint(2021, 2025))) for q in words]),
        ("category", [(q, Filters(category_ids=[rng.choice(categories)])) for q in words]),
        (
            "agency+year",
            [
                (q, Filters(agency_ids=[rng.choice(agencies)], year=rng.randint(2021, 2025)))
                for q in words
            ],
        ),
    ]

    def ours(raw: str, filters: Filters) -> None:
        backend().search(parse(raw), filters, order="relevance", offset=0, limit=20)

    print(f"\n{per_kind} queries of each kind over {loaded:,} items (ms)")
    print(f"{'filter':<13}{'ours p50':>9}{'p95':>8}{'max':>8}   {'bare p50':>9}{'p95':>8}")
    worst = 0.0
    for label, cases in kinds:
        for raw, filters in cases[:5]:  # warm the cache and the statistics
            ours(raw, filters)
        mine = [timed(ours, raw, filters) for raw, filters in cases]
        bare = [timed(bare_query, raw, filters) for raw, filters in cases]
        worst = max(worst, p(mine, 95))
        print(
            f"{label:<13}{p(mine, 50):9.1f}{p(mine, 95):8.1f}{max(mine):8.1f}   "
            f"{p(bare, 50):9.1f}{p(bare, 95):8.1f}"
        )
    verdict = "PASS" if worst <= TARGET_P95_MS else "FAIL"
    print(f"{verdict}: worst p95 {worst:.1f} ms (target <= {TARGET_P95_MS:.0f} ms)")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


def bare_query(raw: str, filters: Any) -> None:
    """PostgreSQL's own full-text query with the same filters: count all, top 20 by rank."""
    from django.db import connection

    from gongkai.search.tokens import parse

    query = parse(raw)
    parts = [
        f"to_tsquery('simple', '{p.text}:*')" if p.single else "phraseto_tsquery('simple', %s)"
        for p in query.phrases
    ]
    params = [" ".join(p.pairs) for p in query.phrases if not p.single]
    tsquery = " && ".join(parts) or "to_tsquery('simple', '')"
    where, filter_params = filters.sql("e")
    condition = " AND ".join([f"e.tsv @@ ({tsquery})", *where])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM search_searchentry e WHERE {condition}",  # noqa: S608
            params + filter_params,
        )
        cursor.execute(
            f"SELECT e.item_id FROM search_searchentry e WHERE {condition} "  # noqa: S608
            f"ORDER BY ts_rank(e.tsv, {tsquery}) DESC LIMIT 20",
            params + filter_params + params,
        )
        cursor.fetchall()


def timed(fn: Any, *args: Any) -> float:
    started = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    main()
