"""A bad configuration stops start-up with a clear message, not a stack trace."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Keep the subprocesses' SQLite file out of the checkout.
SCRATCH_DB = str(Path(tempfile.gettempdir()) / "gongkai-config-tests" / "gk.sqlite3")


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG")
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={"SQLITE_PATH": SCRATCH_DB, **clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_malformed_database_url_stops_manage_py_with_a_chinese_message():
    result = run(["manage.py", "check"], DEBUG="1", DATABASE_URL="mysql2://what@host/db")
    assert result.returncode != 0
    assert "gongkai.E002" in result.stderr
    assert "无法识别环境变量 DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_mode_without_a_secret_key_stops_migrate():
    result = run(["manage.py", "migrate", "--check"], DEBUG="0")
    assert result.returncode != 0
    assert "gongkai.E001" in result.stderr
    assert "SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_wsgi_entry_point_refuses_to_start_with_a_bad_configuration():
    result = run(["-c", "import gongkai.wsgi"], DEBUG="0")
    assert result.returncode == 4
    assert "gongkai.E001" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_wsgi_entry_point_refuses_to_start_without_its_database():
    result = run(
        ["-c", "import gongkai.wsgi"],
        DEBUG="0",
        SECRET_KEY="x" * 60,
        DATABASE_URL="postgres://nobody@127.0.0.1:1/gongkai",
    )
    assert result.returncode == 4
    assert "无法连接数据库" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_good_production_configuration_passes_the_checks():
    result = run(
        ["manage.py", "check", "--tag", "gongkai"],
        DEBUG="0",
        SECRET_KEY="x" * 60,
        DATABASE_URL="postgres://u:p@127.0.0.1:5432/gongkai",
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("url", ["sqlite:////tmp/gk-check.sqlite3", "postgresql://u@h/db"])
def test_both_database_kinds_are_accepted(url):
    result = run(["manage.py", "check", "--tag", "gongkai"], DEBUG="1", DATABASE_URL=url)
    assert result.returncode == 0, result.stderr


def test_a_bad_number_setting_is_a_clear_message_not_a_traceback():
    result = run(
        ["manage.py", "check"], DEBUG="1", PASSWORD_MIN_LENGTH="eight", SESSION_IDLE_MINUTES="0"
    )
    assert result.returncode != 0
    assert "gongkai.E004" in result.stderr
    assert (
        "PASSWORD_MIN_LENGTH=eight" in result.stderr and "SESSION_IDLE_MINUTES=0" in result.stderr
    )
    assert "Traceback" not in result.stderr
