"""Run the test suite on SQLite, then again on PostgreSQL when one is reachable.

PostgreSQL: DATABASE_URL when it names a PostgreSQL server, otherwise 127.0.0.1:5432 as
user postgres with trust authentication. Each run gets a throwaway database, created
here by bench/_db.py (as the benchmarks make theirs) with UTF-8 encoding and a UTF-8
ctype (a C ctype breaks Chinese text handling, see docs/testing.md), and dropped
afterwards.

With GONGKAI_STRICT_TESTS=1 (set by .ci/run) an unreachable PostgreSQL is a failure,
not a skip. Extra arguments are passed to pytest.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._db import (  # noqa: E402 - after the repository root is on the path
    DEFAULT_SERVER,
    admin_connection,
    create_database,
    database_url,
    drop_database,
)

ARTIFACTS = ROOT / "test-artifacts"
STRICT = os.environ.get("GONGKAI_STRICT_TESTS") == "1"


def pytest(args: list[str], env: dict[str, str], label: str) -> tuple[int, float]:
    print(f"\n=== {label} ===", flush=True)
    ARTIFACTS.mkdir(exist_ok=True)
    report = ARTIFACTS / f"junit-{label.lower()}.xml"
    report.unlink(missing_ok=True)
    started = time.monotonic()
    code = subprocess.call(
        [sys.executable, "-m", "pytest", f"--junitxml={report}", *args], env=env, cwd=ROOT
    )
    elapsed = time.monotonic() - started
    print(f"=== {label}: exit {code}, wall time {elapsed:.1f} s ===", flush=True)
    return code, elapsed


def counts(label: str) -> tuple[int, int, int]:
    """(passed, failed, skipped) of one run, from its JUnit report."""
    report = ARTIFACTS / f"junit-{label.lower()}.xml"
    if not report.exists():
        return 0, 1, 0
    suite = ElementTree.parse(report).getroot()  # noqa: S314 - our own pytest's output
    if suite.tag == "testsuites":
        suite = suite[0]
    total, skipped = int(suite.get("tests", 0)), int(suite.get("skipped", 0))
    failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    return total - failed - skipped, failed, skipped


def postgres_server_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        return url
    return DEFAULT_SERVER if not url else None


def main() -> int:
    args = sys.argv[1:]
    base_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    results: list[tuple[str, int, float]] = []

    code, elapsed = pytest(args, base_env, "SQLite")
    results.append(("SQLite", code, elapsed))

    server = postgres_server_url()
    reachable = False
    reason = "DATABASE_URL names a database that is not PostgreSQL"
    if server:
        try:
            admin_connection(server, connect_timeout=3).close()
            reachable = True
        except Exception as exc:  # any connection failure (psycopg missing too): not reachable
            reason = f"PostgreSQL not reachable at {urlsplit(server).netloc}: {exc}".strip()
    if not server or not reachable:
        message = f"PostgreSQL run skipped: {reason}"
        if STRICT:
            print(f"\nFAILED: {message} (GONGKAI_STRICT_TESTS=1)", file=sys.stderr)
            results.append(("PostgreSQL", 1, 0.0))
        else:
            print(f"\n{message}")
    else:
        # pytest-django names the test database test_<name>: that is the one made here.
        name = f"gongkai_run_{os.getpid()}"
        test_db = f"test_{name}"
        create_database(test_db, server, replace=True)
        env = dict(base_env, DATABASE_URL=database_url(name, server))
        try:
            # --reuse-db keeps the database created above (and its ctype) instead of
            # letting Django create one with the server's default locale.
            code, elapsed = pytest([*args, "--reuse-db"], env, "PostgreSQL")
        finally:
            drop_database(test_db, server)
        results.append(("PostgreSQL", code, elapsed))

    print("\nSummary:")
    totals = [0, 0, 0]
    for label, result, seconds in results:
        passed, failed, skipped = counts(label) if seconds else (0, 1, 0)
        totals = [totals[0] + passed, totals[1] + failed, totals[2] + skipped]
        status = "passed" if result == 0 else "FAILED"
        print(
            f"  {label:<11} {status}  {passed} passed, {failed} failed, {skipped} skipped  ({seconds:.1f} s)"
        )
    ok = all(result == 0 for _, result, _ in results)
    if not ok and totals[1] == 0:
        totals[1] = 1  # a run that failed without a failing test (e.g. collection) still fails
    print(f"total: {totals[0]} passed, {totals[1]} failed, {totals[2]} skipped")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
