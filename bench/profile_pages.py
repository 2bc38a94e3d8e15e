"""Where an uncached portal page's time goes: the catalog list and an item page, rendered
in-process through the whole middleware (Django's test client, DEBUG off, the page cache
off), beside the bare view, on PostgreSQL, then profiled with cProfile.

A throwaway PostgreSQL database gets bench/publishing.py's county catalog (--items, COPY)
and its search index. Prints the milliseconds per request of the bare view, the catalog
page and the item page (best of three rounds of --repeat), the pages' cost as a share of
the bare view's throughput, and for each page the functions with the most time of their
own and the most time under them (--top).

    .venv/bin/python bench/profile_pages.py
    .venv/bin/python bench/profile_pages.py --items 5000 --repeat 100 --top 25
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._db import throwaway_database, use_database  # noqa: E402
from bench.publishing import create_agencies, load_items  # noqa: E402

NAME = f"gongkai_bench_profile_{os.getpid()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", metavar="DATABASE_URL", help="profile a kept database")
    args = parser.parse_args()
    if args.reuse:
        use_database(args.reuse)
        run(args, load=False)
        return
    with throwaway_database(NAME, keep=args.keep) as url:
        run(args, load=True)
        if args.keep:
            print(f"kept: --reuse {url}")


def run(args: argparse.Namespace, *, load: bool) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.portal_site"
    import django

    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from gongkai.publishing.catalog_search import rebuild
    from gongkai.publishing.models import InfoItem, ItemStatus

    if load:
        call_command("migrate", verbosity=0)
        load_items(args.items, create_agencies(), timezone.localdate())
        rebuild(batch_size=2000)
    settings.DEBUG = False
    settings.PORTAL_CACHE_SECONDS = 0
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Not setup_test_environment(): its instrumented rendering would be measured too.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    item = (
        InfoItem.objects.filter(status=ItemStatus.PUBLISHED)
        .order_by("-published_at")
        .values_list("pk", flat=True)
        .first()
    )
    client = Client()
    pages = {
        "bare view": "/bench/bare/",
        "catalog page": "/catalog/",
        "item page": f"/items/{item}/",
    }
    for path in pages.values():
        response = client.get(path)
        assert response.status_code == 200, path  # noqa: S101

    def get(path: str) -> Callable[[], None]:
        def requests() -> None:
            for _ in range(args.repeat):
                client.get(path)

        return requests

    timings = {label: best_ms(get(path), args.repeat) for label, path in pages.items()}
    bare, bare_cpu = timings["bare view"]
    items = InfoItem.objects.count()
    print(f"\nin-process, {items:,} items, best of 3 x {args.repeat} requests")
    print(f"{'':<14}{'wall ms':>8}{'of bare':>9}{'CPU ms':>9}{'of bare':>9}")
    for label, (ms, cpu) in timings.items():
        print(f"{label:<14}{ms:8.2f}{bare / ms:9.1%}{cpu:9.2f}{bare_cpu / cpu:9.1%}")
    for label, path in list(pages.items())[1:]:
        profile(label, get(path), args.top)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def best_ms(fn: Callable[[], None], repeat: int) -> tuple[float, float]:
    """(wall, CPU) milliseconds per request, each the best of three rounds. The CPU time
    is this process's own: the page's cost in the app server, without the waits for
    PostgreSQL or for the other processes of a busy machine."""
    wall = cpu = float("inf")
    for _ in range(3):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        wall = min(wall, (time.perf_counter() - started) * 1000 / repeat)
        cpu = min(cpu, (time.process_time() - started_cpu) * 1000 / repeat)
    return wall, cpu


def profile(label: str, fn: Callable[[], None], top: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order)
        stats.print_stats(top)
        print(f"\n== {label}: by {order} ==")
        text = out.getvalue()
        print(text[text.find("ncalls") :].rstrip())


if __name__ == "__main__":
    main()
