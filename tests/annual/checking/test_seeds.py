"""Where the reference reports are absent, their tests are skipped with the reason, and
fail in strict mode (tests/annual/checking/__init__.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.annual.checking import SEEDS_ENV, seed_report, seed_reports, seed_reports_dir


def test_absent_reference_reports_skip_with_the_reason(tmp_path, monkeypatch):
    monkeypatch.setenv(SEEDS_ENV, str(tmp_path))
    monkeypatch.delenv("GONGKAI_STRICT_TESTS", raising=False)
    assert seed_reports_dir() == tmp_path
    with pytest.raises(pytest.skip.Exception, match="reference reports") as skipped:
        seed_reports()
    assert str(tmp_path) in str(skipped.value)
    with pytest.raises(pytest.skip.Exception):
        seed_report("000")  # not an IndexError or a ValueError


def test_absent_reference_reports_fail_in_strict_mode(tmp_path, monkeypatch):
    monkeypatch.setenv(SEEDS_ENV, str(tmp_path / "nowhere"))
    monkeypatch.setenv("GONGKAI_STRICT_TESTS", "1")
    with pytest.raises(pytest.fail.Exception, match="GONGKAI_STRICT_TESTS=1"):
        seed_reports()


def test_the_reference_reports_are_looked_for_beside_the_repository(monkeypatch):
    monkeypatch.delenv(SEEDS_ENV, raising=False)
    root = Path(__file__).resolve().parents[3]
    assert (root / "manage.py").is_file()
    assert seed_reports_dir() == root.parent / "shared" / "examples" / "seed-reports"
