"""The reference reports beside the repository (../shared/examples/seed-reports), found
in one place.

They are published reports kept outside the repository. A test that reads them asks
`seed_reports()`: where they are absent (a clone with nothing beside it) the test is
skipped with the reason, and fails instead in strict mode (GONGKAI_STRICT_TESTS=1), like
every other skip. GONGKAI_SEED_REPORTS points elsewhere (an empty folder, to see what a
clone without them does).
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import require_path

SEEDS_ENV = "GONGKAI_SEED_REPORTS"
ROOT = Path(__file__).resolve().parents[3]


def seed_reports_dir() -> Path:
    override = os.environ.get(SEEDS_ENV)
    if override:
        return Path(override)
    return ROOT.parent / "shared" / "examples" / "seed-reports"


def seed_reports(pattern: str = "*.txt") -> list[Path]:
    """The reference reports matching `pattern`, sorted by name; never empty (the test
    is skipped, or fails in strict mode, when none is there)."""
    folder = seed_reports_dir()
    found = sorted(folder.glob(pattern)) if folder.is_dir() else []
    if not found:  # a skip with the reason, or a failure in strict mode
        require_path(folder / pattern, f"the reference reports (or set {SEEDS_ENV})")
    return found


def seed_report(prefix: str) -> Path:
    """The one reference report whose name starts with `prefix` and an underscore."""
    (path,) = seed_reports(f"{prefix}_*.txt")
    return path
