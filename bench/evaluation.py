"""Every indicator of the default system for every agency of a province, on PostgreSQL.

The province of bench/annual.py (5,000 agencies; its requests, timelines, reviews and
lawsuits, loaded by that script's generator), plus per agency a few catalog categories of
its own, catalog items published in the year (some late, some without summary, some
needing an interpretation), interpretations, hotline messages and meetings. Prints:
- the whole board: gongkai.evaluation.scoring.evaluate(system, all 5,000 agencies, 2025)
  (target < 5 s), and how many SQL queries it ran;
- one agency (the busiest): evaluate(system, [agency], 2025) (target < 200 ms);
- the supervisor's board as its page computes it (gongkai.evaluation.board.compute for the
  province's supervisor: every agency below, the scope as a subquery, ranking, the
  agencies not submitted, the three charts' monthly queries) (target < 5 s), and its XLSX;
- one PASS/FAIL line per target.

    nice -n 10 .venv/bin/python bench/evaluation.py                    # 300,000 requests
    nice -n 10 .venv/bin/python bench/evaluation.py --applications 1000000 --items 1000000
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import warnings
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._db import throwaway_database  # noqa: E402

NAME = "gk_bench_evaluation"
BOARD_TARGET_MS = 5000
AGENCY_TARGET_MS = 200
YEAR = 2025


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=300_000)
    parser.add_argument("--items", type=int, default=500_000, help="catalog items to load")
    parser.add_argument("--messages", type=int, default=200_000, help="hotline messages")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--database", default=NAME, help=f"the throwaway database's name (default {NAME})"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    failed = False
    try:
        with throwaway_database(args.database, keep=args.keep):
            failed = run(args)
    finally:
        print(f"whole run: {time.perf_counter() - started:.0f} s")
    if failed:
        sys.exit(1)


def run(args: argparse.Namespace) -> bool:
    import django

    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries

    from bench.annual import copy_rows, create_agencies, load, pick_agencies
    from gongkai.evaluation import scoring
    from gongkai.evaluation.defaults import load_default
    from gongkai.evaluation.measures import Period

    call_command("migrate", verbosity=0)
    settings.DEBUG = False
    started = time.perf_counter()
    agencies = create_agencies()
    counts = load(agencies, args.applications, 0)
    extra = load_records(agencies, args.items, args.messages, copy_rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"data: {len(agencies):,} agencies, {counts['applications']:,} requests, "
        f"{counts['events']:,} events, {counts['remedies']:,} remedies, {extra}"
    )
    print(f"load: {time.perf_counter() - started:.0f} s")
    system = load_default()
    tree = scoring.ordered(system.indicators.all())
    period = Period.year(YEAR)
    ids = [a.pk for a in agencies]
    busiest = pick_agencies(agencies)[0]

    def board() -> Any:
        return scoring.evaluate(system, ids, period, tree=tree)

    def one() -> Any:
        return scoring.evaluate(system, [busiest.pk], period, tree=tree)

    settings.DEBUG = True
    reset_queries()
    result = board()
    queries = len(connection.queries)
    settings.DEBUG = False
    scores = sorted(float(scoring.total(r)) for r in result.values())
    print(
        f"board: {len(result):,} agencies × {len(tree)} indicators in {queries} queries; "
        f"scores min {scores[0]:.1f} median {statistics.median(scores):.1f} max {scores[-1]:.1f}"
    )
    from gongkai.evaluation import measures

    for key in sorted({i.measure for i, _d in tree if i.measure}):
        ms = timed(lambda key=key: measures.values([key], ids, period), 1)
        print(f"  measure {key:28} {ms:8.1f} ms")
    started = time.perf_counter()
    counts = measures.values([i.measure for i, _d in tree if i.measure], ids, period)
    sql_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    scoring.evaluate(system, ids, period, tree=tree, manual={})
    print(
        f"  all measures {sql_ms:.0f} ms; evaluate without manual scores "
        f"{(time.perf_counter() - started) * 1000:.0f} ms"
    )
    print(f"  measures returned rows for {len(counts)} keys")
    board_ms = timed(board, args.repeat)
    agency_ms = timed(one, args.repeat * 3)
    print(f"whole board: p50 {board_ms:.0f} ms")
    print(f"one agency ({busiest.code}): p50 {agency_ms:.1f} ms")
    page_ms, _xlsx_ms = time_board_page(system, period, args.repeat)
    print("summary:")
    failed = False
    for label, value, target in (
        ("whole board", board_ms, BOARD_TARGET_MS),
        ("one agency", agency_ms, AGENCY_TARGET_MS),
        ("board page (supervisor's scope, charts)", page_ms, BOARD_TARGET_MS),
    ):
        verdict = "PASS" if value < target else "FAIL"
        failed = failed or verdict == "FAIL"
        print(f"  {verdict}  {label}: p50 {value:.1f} ms (target < {target} ms)")
    return failed


def time_board_page(system: Any, period: Any, repeat: int) -> tuple[float, float]:
    """The board as /office/evaluation/board/ computes it for the province's supervisor."""
    from gongkai.evaluation import board
    from gongkai.orgs.models import Agency, Membership, Role, User

    root = Agency.objects.filter(parent__isnull=True).order_by("pk").first()
    assert root is not None  # noqa: S101 - the province
    supervisor = User.objects.create_user("bench_supervisor", full_name="监督")
    Membership.objects.create(user=supervisor, agency=root, role=Role.SUPERVISOR)
    scope = board.scope(supervisor)

    def page() -> Any:
        return board.compute(system, scope, period, chart_key="hotline_on_time")

    data = page()
    print(
        f"board page: {len(data.lines):,} agencies below {root}, "
        f"{len(data.not_submitted):,} not submitted, {len(data.charts['months'])} months"
    )
    page_ms = timed(page, repeat)
    xlsx_ms = timed(lambda: board.workbook(data), 1)
    print(f"board page: p50 {page_ms:.0f} ms; its XLSX {xlsx_ms:.0f} ms")
    return page_ms, xlsx_ms


def timed(fn: Any, repeat: int) -> float:
    fn()  # cold
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def load_records(agencies: list[Any], items: int, messages: int, copy_rows: Any) -> str:
    """Categories, items, interpretations, messages and meetings, skewed like the requests."""
    from gongkai.publishing.models import Category, InfoItem, Interpretation
    from gongkai.records.models import Message, Training

    rng = random.Random(20261207)
    weights = [rng.paretovariate(1.2) for _ in agencies]
    ids = [a.pk for a in agencies]
    Category.objects.bulk_create(
        [Category(agency_id=pk, code=f"own{n}", name=f"栏目{n}") for pk in ids for n in range(3)]
    )
    cats: dict[int, list[int]] = {}
    for pk, agency_id in Category.objects.filter(agency__isnull=False).values_list(
        "pk", "agency_id"
    ):
        cats.setdefault(agency_id, []).append(pk)
    start = datetime(YEAR, 1, 1, 2, tzinfo=UTC)
    chosen = rng.choices(ids, weights=weights, k=items)

    def item_rows() -> Iterator[dict[str, object]]:
        for n, agency_id in enumerate(chosen, start=1):
            at = start + timedelta(minutes=rng.randrange(0, 360 * 24 * 60))
            yield {
                "id": n, "agency_id": agency_id, "index_no": f"B-{n}", "title": f"信息{n}",
                "summary": "" if n % 37 == 0 else "概述", "formed_on": at.date() - timedelta(days=3),
                "topic": "综合", "category_id": rng.choice(cats[agency_id]),
                "status": "published", "published_at": at, "published_late": n % 23 == 0,
                "needs_interpretation": n % 50 == 0,
            }  # fmt: skip

    item_columns = ["id", "agency_id", "index_no", "title", "summary", "formed_on", "topic",
                    "category_id", "status", "published_at", "published_late",
                    "needs_interpretation"]  # fmt: skip
    loaded = copy_rows(InfoItem, item_rows(), dict.fromkeys(item_columns))
    interpretations = [
        Interpretation(
            document_id=n,
            form="text",
            title="解读",
            published_on=date(YEAR, 6, 1),
            late=n % 200 == 0,
        )
        for n in range(50, loaded + 1, 50)
        if n % 150
    ]
    Interpretation.objects.bulk_create(interpretations, batch_size=5000)
    senders = rng.choices(ids, weights=weights, k=messages)

    def message_rows() -> Iterator[dict[str, object]]:
        for n, agency_id in enumerate(senders, start=1):
            at = start + timedelta(minutes=rng.randrange(0, 360 * 24 * 60))
            answered = None if n % 41 == 0 else at + timedelta(hours=rng.randrange(1, 24 * 20))
            yield {
                "agency_id": agency_id, "channel": "hotline", "number": f"W{n}",
                "received_at": at, "answered_at": answered, "category": "consultation",
                "status": "closed" if answered else "open", "subject": "诉求",
            }  # fmt: skip

    message_columns = ["agency_id", "channel", "number", "received_at", "answered_at",
                       "category", "status", "subject"]  # fmt: skip
    sent = copy_rows(Message, message_rows(), dict.fromkeys(message_columns))
    Training.objects.bulk_create(
        [Training(agency_id=pk, kind="meeting", held_on=date(YEAR, 3, 1), title="会议")
         for pk in ids[::2]]
    )  # fmt: skip
    return f"{loaded:,} catalog items, {len(interpretations):,} interpretations, {sent:,} messages"


if __name__ == "__main__":
    main()
