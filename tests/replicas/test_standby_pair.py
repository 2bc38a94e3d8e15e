"""The replica router against a real PostgreSQL primary and streaming standby.

Runs in the PostgreSQL pass of scripts/runtests.py (skipped in the SQLite pass, like the
other PostgreSQL-only tests): starts a pair in temporary directories (cluster.py) and
runs pair_cases.py in a pytest of its own pointed at it, since the database settings are
read when Django starts. Where the pair cannot be made (no PostgreSQL programs) the test
skips saying why, and fails under GONGKAI_STRICT_TESTS=1.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.db import connection

from tests.replicas.cluster import Pair, why_not_available

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).with_name("pair_cases.py")


def test_portal_and_annual_reports_against_a_real_primary_and_standby(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's programs; runs in the PostgreSQL pass")
    reason = why_not_available()
    if reason:
        if os.environ.get("GONGKAI_STRICT_TESTS") == "1":
            pytest.fail(f"{reason}; GONGKAI_STRICT_TESTS=1 forbids skipping")
        pytest.skip(reason)
    report = tmp_path / "pair.xml"
    with Pair() as pair:
        env = {
            **os.environ,
            "DATABASE_URL": pair.primary.url("gk_pair"),
            "DATABASE_REPLICA_URLS": pair.standby.url("gk_pair"),
            "GONGKAI_REPLICA_PAIR": "1",
        }
        env.pop("PYTEST_ADDOPTS", None)
        result = subprocess.run(
            [sys.executable, "-m", "pytest", str(CASES), "-q", f"--junitxml={report}"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    suite = ElementTree.parse(report).getroot()  # noqa: S314 - our own pytest's output
    if suite.tag == "testsuites":
        suite = suite[0]
    assert int(suite.get("skipped", 0)) == 0
    assert int(suite.get("failures", 0)) + int(suite.get("errors", 0)) == 0
    assert int(suite.get("tests", 0)) >= 6
