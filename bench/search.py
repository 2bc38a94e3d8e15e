"""The catalog search over 1,000,000 generated items, on SQLite and on PostgreSQL.

For each database: a throwaway database (a file under /tmp; a database on DATABASE_URL's
server or postgres@127.0.0.1), migrated; the search index loaded with the real tokenizer
(gongkai.search.tokens.index_tokens) from generated items whose titles, 文号 and texts
are built from a county's vocabulary (bench/publishing.py's topics, title patterns and
official sentences); then 200 mixed queries, each timed through the search interface
(gongkai.search.backends: parse, capped count, the first page by relevance) and as the
bare full-text query on the same data (count of all hits and the first 20 by the
database's own rank, no filters, no Python). Prints the index build time, p50/p95 of
both and their ratio, per kind of query, and PASS/FAIL against the targets (p95 <= 50 ms,
<= 1.5x the bare query).

Only the index table is loaded (foreign keys are not checked during the load): the query
timed here reads nothing else. The page around it is measured by bench/portal.py.

    .venv/bin/python bench/search.py                          # both, 1,000,000 items
    .venv/bin/python bench/search.py --items 100000 --backend sqlite
    .venv/bin/python bench/search.py --backend sqlite --keep      # keep the loaded database
    .venv/bin/python bench/search.py --reuse sqlite:////tmp/gongkai_bench_search_1.sqlite3
                                    # measure again on a kept one (after changing the code)
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._db import create_database, drop_database, server_url, use_database  # noqa: E402
from bench.publishing import DEPARTMENTS, PATTERNS, SENTENCES, TOPICS, TOWNSHIPS  # noqa: E402

ITEMS = 1_000_000
TARGET_P95_MS = 50.0
TARGET_RATIO = 1.5
GENRE_WORDS = ["通知", "公告", "决定", "意见", "办法", "方案", "报告", "批复"]
CLAUSES = [
    "本{genre}所称{topic}，是指本县行政区域内的{topic}工作。",
    "{dept}负责{topic}的组织实施和监督检查。",
    "{year}年全县{topic}工作取得明显成效，群众满意度进一步提高。",
    "对{topic}中发现的问题，责令限期整改，整改情况向社会公开。",
    "联系电话：0571-8{n:06d}，联系人：{dept}办公室。",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=ITEMS)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--keep", action="store_true", help="keep the loaded database")
    parser.add_argument("--reuse", metavar="DATABASE_URL", help="measure a kept database")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reuse:
        use_database(args.reuse)
        vendor = "sqlite" if args.reuse.startswith("sqlite") else "postgresql"
        measure_all(vendor, 0, args.queries)
        return
    if args.child:
        run(args.backend, args.items, args.queries, keep=args.keep)
        return
    # Each database in its own process: Django reads DATABASE_URL once.
    for backend in ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]:
        command = [sys.executable, __file__, "--child", "--backend", backend]
        command += ["--items", str(args.items), "--queries", str(args.queries)]
        command += ["--keep"] if args.keep else []
        subprocess.run(command, check=True)  # noqa: S603 - this script, again


def run(vendor: str, items: int, queries: int, *, keep: bool = False) -> None:
    name = f"gongkai_bench_search_{os.getpid()}"
    sqlite_path = Path(f"/tmp/{name}.sqlite3")  # noqa: S108 - a throwaway file
    server = server_url()
    # A SIGTERM (from `timeout`, say) ends the run through the finally below.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    if vendor == "sqlite":
        use_database(f"sqlite:///{sqlite_path}")
    else:
        use_database(create_database(name, server))
    try:
        measure_all(vendor, items, queries)
    finally:
        from django.db import connections

        connections.close_all()
        if keep:
            print(f"kept: --reuse {os.environ['DATABASE_URL']}")
        elif vendor == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        else:
            drop_database(name, server)


def documents(count: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    """Items over five years: a title from the patterns, 文号 on 60 %, 3-9 sentences."""
    names = [n for _, n, _, _ in DEPARTMENTS + TOWNSHIPS]
    abbreviations = [a for _, _, a, _ in DEPARTMENTS + TOWNSHIPS]
    start = date(2021, 1, 1)
    seq: dict[tuple[int, int], int] = {}
    for pk in range(1, count + 1):
        formed_on = start + timedelta(days=pk * 1826 // count)
        a = rng.randrange(len(names))
        topic, genre = rng.choice(TOPICS), rng.choice(GENRE_WORDS)
        title = rng.choice(PATTERNS).format(year=formed_on.year, topic=topic, genre=genre)
        doc_no = ""
        if rng.random() < 0.6:
            seq[a, formed_on.year] = seq.get((a, formed_on.year), 0) + 1
            kind = rng.choice("发发函字")
            doc_no = f"{abbreviations[a]}{kind}〔{formed_on.year}〕{seq[a, formed_on.year]}号"
        sentences = rng.sample(SENTENCES, k=min(len(SENTENCES), rng.randint(2, 6)))
        for _ in range(rng.randint(1, 3)):
            sentences.append(
                rng.choice(CLAUSES).format(
                    genre=genre,
                    topic=rng.choice(TOPICS),
                    dept=names[a],
                    year=formed_on.year,
                    n=rng.randrange(1_000_000),
                )
            )
        rng.shuffle(sentences)
        yield {
            "pk": pk,
            "agency": a,
            "title": (names[a] + title) if rng.random() < 0.5 else title,
            "doc_no": doc_no,
            "body": "".join(sentences),
            "formed_on": formed_on,
        }


def mixed_queries(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, query): two-character words, longer terms (some across word boundaries),
    two-word queries and 文号 in other brackets, in the proportions of stack-eval §3."""
    words2 = sorted(
        {t[i : i + 2] for t in TOPICS for i in range(0, len(t) - 1, 2)}
        | {"公开", "预算", "林业", "教育", "防火", "通知", "整改", "检查"}
    )
    longer = [*TOPICS, "信息公开", "息公开", "申请公", "工作要点", "实施方案", "专项检查"]
    abbreviations = [a for _, _, a, _ in DEPARTMENTS]
    out: list[tuple[str, str]] = []
    for i in range(count):
        slot = i % 20
        if slot < 7:
            out.append(("2-char", rng.choice(words2)))
        elif slot < 14:
            out.append(("3+ chars", rng.choice(longer)))
        elif slot < 18:
            out.append(("two words", f"{rng.choice(words2)} {rng.choice(longer)}"))
        else:
            year, n = rng.randint(2021, 2025), rng.randint(1, 40)
            left, right = rng.choice([("[", "]"), ("（", "）"), ("(", ")"), ("【", "】")])
            out.append(("文号", f"{rng.choice(abbreviations)}发{left}{year}{right}{n}号"))
    return out


def measure_all(vendor: str, items: int, queries: int) -> None:
    import django

    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.DEBUG = False
    if items:
        call_command("migrate", verbosity=0)
        print(f"== {connection.vendor}: {items:,} items, {queries} queries ==")
        for line in load(vendor, items):
            print(line)
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_searchentry")
            print(
                f"== {connection.vendor}: {cursor.fetchone()[0]:,} items (kept), {queries} queries =="
            )
    rng = random.Random(11)
    cases = mixed_queries(queries, rng)
    ours = [time_query(lambda q=q: ours_query(q)) for _, q in cases]
    bare = [time_query(lambda q=q: bare_query(vendor, q)) for _, q in cases]
    ours = [time_query(lambda q=q: ours_query(q)) for _, q in cases]  # second round, warm
    print(f"{'queries':<12}{'n':>4}  {'ours p50':>9} {'p95':>8}  {'bare p50':>9} {'p95':>8}")
    kinds = ["all", *dict.fromkeys(k for k, _ in cases)]
    for kind in kinds:
        picked = [i for i, (k, _) in enumerate(cases) if kind in ("all", k)]
        o = [ours[i] for i in picked]
        b = [bare[i] for i in picked]
        print(
            f"{kind:<12}{len(picked):>4}  {p(o, 50):9.1f} {p(o, 95):8.1f}  "
            f"{p(b, 50):9.1f} {p(b, 95):8.1f}"
        )
    if vendor == "postgresql":
        print(f"plans (PostgresBackend.plan): {plans(cases)}")
    o95, b95 = p(ours, 95), p(bare, 95)
    ratio = statistics.mean(ours) / statistics.mean(bare)
    print(f"ratio of means (ours / bare): {ratio:.2f}; p95 ours {o95:.1f} ms, bare {b95:.1f} ms")
    verdict = "PASS" if o95 <= TARGET_P95_MS else "FAIL"
    print(f"{verdict}: p95 {o95:.1f} ms (target <= {TARGET_P95_MS:.0f} ms)")
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    print(f"{verdict}: {ratio:.2f}x the bare query (target <= {TARGET_RATIO}x)")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def load(vendor: str, items: int) -> list[str]:
    from django.db import connection, transaction

    from gongkai.orgs.models import Agency, Kind, Level
    from gongkai.publishing.models import Category
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
    rng = random.Random(20260101)
    columns = (
        "item_id, agency_id, category_id, topic, validity, formed_on, year, "
        "title_tokens, body_tokens, is_long"
    )

    def rows() -> Iterator[tuple[Any, ...]]:
        for d in documents(items, rng):
            yield (
                d["pk"],
                agencies[d["agency"]],
                rng.choice(categories),
                "",
                "valid",
                d["formed_on"],
                d["formed_on"].year,
                index_tokens(f"{d['title']}\n{d['doc_no']}"),
                index_tokens(d["body"]),
                False,
            )

    started = time.perf_counter()
    out = []
    if vendor == "sqlite":
        with connection.cursor() as cursor:
            # Only the index table is loaded (outside a transaction, or SQLite ignores it).
            cursor.execute("PRAGMA foreign_keys = OFF")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO search_searchentry ({columns}) VALUES ({', '.join(['%s'] * 10)})",  # noqa: S608
                rows(),  # type: ignore[arg-type]
            )
        built = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
            size = Path(connection.settings_dict["NAME"]).stat().st_size / 2**20
        out.append(
            f"index build: {built:.1f} s (tokenize + insert, FTS5 kept by the triggers), "
            f"optimize + ANALYZE {time.perf_counter() - started - built:.1f} s, "
            f"database file {size:.0f} MB"
        )
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX search_entry_tsv_idx")
            cursor.execute("SET session_replication_role = replica")  # no FK checks
            with cursor.copy(f"COPY search_searchentry ({columns}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
            copied = time.perf_counter() - started
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute(
                "CREATE INDEX search_entry_tsv_idx ON search_searchentry USING gin (tsv)"
            )
            indexed = time.perf_counter() - started - copied
            cursor.execute("VACUUM (ANALYZE) search_searchentry")
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('search_searchentry'))")
            size = cursor.fetchone()[0]
        out.append(
            f"index build: {copied:.1f} s (tokenize + COPY, tsvector computed per row), "
            f"GIN {indexed:.1f} s, VACUUM ANALYZE "
            f"{time.perf_counter() - started - copied - indexed:.1f} s; table + indexes {size}"
        )
    return out


def ours_query(raw: str) -> int:
    from gongkai.search.backends import Filters, backend
    from gongkai.search.tokens import parse

    hits = backend().search(parse(raw), Filters(), order="relevance", offset=0, limit=20)
    return hits.total


def plans(cases: list[tuple[str, str]]) -> str:
    """How many queries each PostgreSQL plan serves."""
    from collections import Counter

    from gongkai.search.backends import PostgresBackend
    from gongkai.search.tokens import parse

    counted: Counter[str] = Counter()
    for _, raw in cases:
        plan = PostgresBackend().plan(parse(raw))
        kind = {"walk": "date index", "planner": "planner"}.get(plan.kind, "GIN index")
        counted[kind + (" within the newest days" if plan.cutoff else "")] += 1
    return ", ".join(f"{kind} {n}" for kind, n in counted.most_common())


def bare_query(vendor: str, raw: str) -> int:
    """The database's own full-text query for the same phrases: count all, top 20."""
    from django.db import connection

    from gongkai.search.backends import SqliteBackend
    from gongkai.search.tokens import parse

    query = parse(raw)
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            expression = SqliteBackend.expression(query)
            cursor.execute(
                "SELECT count(*) FROM search_fts WHERE search_fts MATCH %s", [expression]
            )
            total = cursor.fetchone()[0]
            cursor.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY rank LIMIT 20",
                [expression],
            )
        else:
            parts = [
                f"to_tsquery('simple', '{p.text}:*')"
                if p.single
                else "phraseto_tsquery('simple', %s)"
                for p in query.phrases
            ]
            params = [" ".join(p.pairs) for p in query.phrases if not p.single]
            tsquery = " && ".join(parts)
            cursor.execute(
                f"SELECT count(*) FROM search_searchentry WHERE tsv @@ ({tsquery})",  # noqa: S608
                params,
            )
            total = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT item_id FROM search_searchentry WHERE tsv @@ ({tsquery}) "  # noqa: S608
                f"ORDER BY ts_rank(tsv, {tsquery}) DESC LIMIT 20",
                params + params,
            )
        cursor.fetchall()
    return total


def time_query(fn: Any) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def p(values: list[float], percentile: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(percentile / 100 * (len(ordered) - 1)))]


if __name__ == "__main__":
    main()
