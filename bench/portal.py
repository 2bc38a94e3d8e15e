"""The public portal under load: wrk against the item list, the item page and a bare
Django view, in the same run, on PostgreSQL behind gunicorn.

Creates a throwaway PostgreSQL database (DATABASE_URL's server, or postgres@127.0.0.1),
loads a county's catalog (bench/publishing.py's generator, COPY) and its search index
(the catalog list reads it), collects the static files, and starts gunicorn with the
production settings (DEBUG off) plus one extra URL, /bench/bare/: a view that returns
"ok" through the same middleware. Then, for each page, wrk (Debian package `wrk`;
scripts/system-deps.sh bench installs it) runs a warm-up (5 s) and a measured run at 50
connections, rotating over the pages visitors read most (the first catalog pages of the
installation and of each agency; the 300 newest items). Prints requests/s and p50/p99 latency, the ratio to
the bare view, and PASS/FAIL against the targets (>= 60 % of the bare view's
throughput, p99 < 100 ms). Runs three times: with the portal's page cache as configured
(portal/cache.py, the default); with the cache and a member of staff changing a published
item every second (--write-every; a realistic office day: each change moves the content
version, so every cached page is rendered again once after it); and with the cache off
(PORTAL_CACHE_SECONDS=0). --cache-url redis://127.0.0.1:6379/4 shares the cache between
the gunicorn workers (CACHE_URL).

    .venv/bin/python bench/portal.py                     # 100,000 items, 10 s per page
    .venv/bin/python bench/portal.py --items 20000 --seconds 5
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import warnings
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._db import throwaway_database  # noqa: E402
from bench.publishing import create_agencies, load_items  # noqa: E402

NAME = f"gongkai_bench_portal_{os.getpid()}"
ITEMS = 100_000
HOT_ITEMS = 300
CONNECTIONS = 50
TARGET_SHARE = 0.60
TARGET_P99_MS = 100.0
# A request picks one of the paths in turn (wrk's Lua request hook).
LUA = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


@dataclass
class Result:
    page: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: str


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=ITEMS, help="catalog items to load")
    parser.add_argument("--seconds", type=int, default=10, help="measured seconds per page")
    parser.add_argument("--warmup", type=int, default=5, help="warm-up seconds per page")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument(
        "--write-every", type=float, default=1.0, help="seconds between staff writes"
    )
    parser.add_argument(
        "--cache-url", default="", help="CACHE_URL of the server (default: its own)"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        subprocess.run([str(ROOT / "scripts" / "system-deps.sh"), "bench"], check=False)  # noqa: S603
        if not shutil.which("wrk"):
            raise SystemExit("bench/portal.py needs wrk (apt-get install wrk)")

    # DEBUG=1 (bench._db.use_database) for loading only; gunicorn runs with DEBUG off.
    with throwaway_database(NAME) as database_url:
        static_root = Path(tempfile.mkdtemp(prefix="gongkai_bench_static_"))
        try:
            items, catalogs = load(args.items)
            collect_static(static_root)
            results = {}
            label_writes: dict[str, int] = {}
            for label, cache_seconds, writes in (
                ("page cache on (default)", "300", False),
                (f"page cache on, a staff write every {args.write_every:g} s", "300", True),
                ("page cache off", "0", False),
            ):
                env = {
                    **os.environ,
                    "DATABASE_URL": database_url,
                    "DEBUG": "0",
                    "SECRET_KEY": "bench-portal-not-secret-" + "x" * 40,
                    "STATIC_ROOT": str(static_root),
                    "PORTAL_CACHE_SECONDS": cache_seconds,
                    "DJANGO_SETTINGS_MODULE": "bench.portal_site",
                    "LOG_LEVEL": "ERROR",
                }
                if args.cache_url:
                    env["CACHE_URL"] = args.cache_url
                writer = StaffWrites(args.write_every if writes else 0, items)
                with Gunicorn(env, args.workers, args.threads) as base, writer:
                    results[label] = [
                        wrk(base, "bare Django view", ["/bench/bare/"], args.seconds, args.warmup),
                        wrk(base, "item list (catalog)", catalogs, args.seconds, args.warmup),
                        wrk(base, "item page", items, args.seconds, args.warmup),
                    ]
                if writes:
                    label_writes[label] = writer.count
            report(args, results)
            for label, count in label_writes.items():
                print(f"{label}: {count} staff writes during the run")
        finally:
            shutil.rmtree(static_root, ignore_errors=True)


def load(count: int) -> tuple[list[str], list[str]]:
    """The catalog and its search index; returns item paths and catalog list paths."""
    import django

    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from gongkai.publishing.catalog_search import rebuild
    from gongkai.publishing.models import InfoItem, ItemStatus

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    agencies = create_agencies()
    load_items(count, agencies, timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) publishing_infoitem")
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    indexed = rebuild(batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) search_searchentry")
    print(
        f"loaded {count:,} items in {loaded:.0f} s; search index of {indexed:,} published "
        f"items in {time.perf_counter() - started:.0f} s"
    )
    # What visitors read: the newest items (from the lists, the feeds and the home page)
    # and the first pages of the lists. Crawlers reading everything once are not a load
    # a cache can take; the cache-off run shows what every page costs when rendered.
    newest = InfoItem.objects.filter(status=ItemStatus.PUBLISHED).order_by("-published_at")
    items = [f"/items/{pk}/" for pk in newest.values_list("pk", flat=True)[:HOT_ITEMS]]
    random.Random(5).shuffle(items)
    catalogs = [f"/catalog/?page={n}" for n in range(1, 11)]
    for agency in agencies:
        catalogs += [f"/agencies/{agency.code}/catalog/?page={n}" for n in (1, 2)]
    return items, catalogs


def collect_static(root: Path) -> None:
    env = {**os.environ, "DEBUG": "0", "STATIC_ROOT": str(root), "SECRET_KEY": "x" * 50}
    subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
        env=env,
        check=True,
        cwd=ROOT,
    )


class StaffWrites:
    """A member of staff changing a published item every `every` seconds (0: never), in
    a thread of this process: the title changes and the public content version moves
    after the commit, as a publishing step does (gongkai.orgs.content)."""

    def __init__(self, every: float, item_paths: list[str]) -> None:
        self.every, self.count = every, 0
        self.pks = [int(path.strip("/").split("/")[-1]) for path in item_paths]
        self.stop = threading.Event()

    def __enter__(self) -> StaffWrites:
        if self.every > 0:
            self.thread = threading.Thread(target=self.run, daemon=True)
            self.thread.start()
        return self

    def run(self) -> None:
        from django.db import connection, transaction

        from gongkai.orgs import content
        from gongkai.publishing.models import InfoItem

        while not self.stop.wait(self.every):
            pk = self.pks[self.count % len(self.pks)]
            with transaction.atomic():
                item = InfoItem.objects.select_for_update().get(pk=pk)
                item.title = item.title.split("（")[0] + f"（第{self.count + 1}次修改）"
                item.save(update_fields=["title"])
                content.changed()
            self.count += 1
        connection.close()

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        if self.every > 0:
            self.thread.join(timeout=10)


class Gunicorn:
    def __init__(self, env: dict[str, str], workers: int, threads: int) -> None:
        self.env, self.workers, self.threads = env, workers, threads

    def __enter__(self) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "gongkai.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={self.workers}",
            "--worker-class=gthread",
            f"--threads={self.threads}",
            "--log-level=warning",
        ]
        self.process = subprocess.Popen(command, env=self.env, cwd=ROOT)  # noqa: S603
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/bench/bare/", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return base
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.3)

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def wrk(base: str, page: str, paths: list[str], seconds: int, warmup: int) -> Result:
    for path in paths[:3]:  # a broken page must not be measured as a fast error page
        with urllib.request.urlopen(base + path, timeout=30) as response:  # noqa: S310
            assert response.status == 200, path  # noqa: S101
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(LUA % ", ".join(f'"{p}"' for p in paths))
        script.flush()
        command = ["wrk", "-t2", f"-c{CONNECTIONS}", "--latency", "-s", script.name, base]
        warm = [*command[:1], f"-d{warmup}s", *command[1:]]
        subprocess.run(warm, capture_output=True, check=True)  # noqa: S603
        out = subprocess.run(  # noqa: S603
            [*command[:1], f"-d{seconds}s", *command[1:]],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = ", ".join(
        line.strip() for line in out.splitlines() if "Non-2xx" in line or "Socket errors" in line
    )
    return Result(page, rate, latency(out, "50%"), latency(out, "99%"), errors)


def latency(out: str, percentile: str) -> float:
    match = re.search(rf"^\s+{re.escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    if match is None:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def report(args: argparse.Namespace, results: dict[str, list[Result]]) -> None:
    print(
        f"\nwrk, {CONNECTIONS} connections, 2 threads, {args.seconds} s per page after a {args.warmup} s "
        f"warm-up; gunicorn {args.workers} workers x {args.threads} threads; "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs"
    )
    for label, rows in results.items():
        bare = rows[0].requests_per_s
        print(f"\n== {label} ==")
        print(f"{'page':<22}{'req/s':>9}{'of bare':>9}{'p50 ms':>9}{'p99 ms':>9}")
        for row in rows:
            print(
                f"{row.page:<22}{row.requests_per_s:9.0f}{row.requests_per_s / bare:9.0%}"
                f"{row.p50_ms:9.1f}{row.p99_ms:9.1f}" + (f"  ({row.errors})" if row.errors else "")
            )
        for row in rows[1:]:
            share = row.requests_per_s / bare
            ok = share >= TARGET_SHARE and row.p99_ms < TARGET_P99_MS and not row.errors
            print(
                f"{'PASS' if ok else 'FAIL'}: {row.page}: {share:.0%} of the bare view "
                f"(target >= {TARGET_SHARE:.0%}), p99 {row.p99_ms:.1f} ms "
                f"(target < {TARGET_P99_MS:.0f} ms)"
            )


if __name__ == "__main__":
    main()
