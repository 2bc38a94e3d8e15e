"""Everything the application imports is installed by `pip install .` (issue 16).

`make demo` installs `[project] dependencies` only; a package that the code imports but
that is declared only in the `test` extra works under pytest and fails on a demo or
production install (pdfplumber did: a PDF upload to the report checker was a server
error). Three checks keep that from recurring:

- every distribution imported anywhere under gongkai/ (at module level or inside a
  function) is named directly in `[project] dependencies`;
- every distribution loaded when the application starts (settings, apps, middleware,
  URL conf, templates) is reachable from those dependencies through their own
  requirements — in a fresh interpreter, so pytest's own imports do not count;
- every module of gongkai/ imports.

And the same for files: neither the application nor its tests name a path of one machine
(an absolute /work/… or /tmp/…) or reach into ../shared themselves; tests that need the
material kept beside the repository go through tests/conftest.py's `require_path`, which
skips with a reason (fails under GONGKAI_STRICT_TESTS=1) when it is absent.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import pkgutil
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator, Mapping
from functools import cache
from importlib.metadata import PackageNotFoundError, packages_distributions, requires
from pathlib import Path

import pytest

import gongkai

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "gongkai"


def normalise(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    """`'psycopg[binary]>=3.2; python_version > "3"'` → `'psycopg'`."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, f"unreadable requirement {requirement!r}"
    return normalise(match.group(1))


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {requirement_name(r) for r in project["dependencies"]}


def closure(names: set[str]) -> set[str]:
    """The declared distributions and, recursively, what they require unconditionally
    or for the extras asked for (markers are not evaluated: an over-approximation that
    only matters for platform-specific requirements)."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            reqs = requires(name) or []
        except PackageNotFoundError:
            continue
        for req in reqs:
            marker = req.partition(";")[2]
            if "extra ==" in marker and not _extra_requested(name, marker):
                continue
            todo.append(requirement_name(req))
    return seen


def _extra_requested(name: str, marker: str) -> bool:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras: set[str] = set()
    for requirement in project["dependencies"]:
        if requirement_name(requirement) == name and "[" in requirement:
            extras |= {e.strip() for e in requirement.split("[", 1)[1].split("]")[0].split(",")}
    return any(re.search(rf"extra == ['\"]{re.escape(e)}['\"]", marker) for e in extras)


@cache
def distributions_of() -> Mapping[str, list[str]]:
    return packages_distributions()


def source_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def _type_checking_only(node: ast.AST) -> bool:
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_modules(path: Path) -> set[str]:
    """Top-level names of the absolute imports in one file, wherever they are written
    (module level, functions, try blocks), except under `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        if _type_checking_only(node):
            for child in node.orelse:  # type: ignore[attr-defined]
                visit(child)
            return
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return names


def third_party(module: str) -> bool:
    return module not in sys.stdlib_module_names and module != "gongkai"


def test_every_imported_distribution_is_a_declared_dependency():
    wanted = declared()
    undeclared: dict[str, set[str]] = {}
    for path in source_files():
        for module in filter(third_party, imported_modules(path)):
            dists = distributions_of().get(module)
            where = str(path.relative_to(ROOT))
            if not dists:
                undeclared.setdefault(f"{module} (no installed distribution)", set()).add(where)
            elif not {normalise(d) for d in dists} & wanted:
                undeclared.setdefault(f"{module} ({', '.join(dists)})", set()).add(where)
    assert not undeclared, (
        "imported by the application but not in [project] dependencies of pyproject.toml: "
        + "; ".join(f"{name} in {', '.join(sorted(files))}" for name, files in undeclared.items())
    )


def test_the_scan_sees_imports_inside_functions():
    """The PDF reader imports pdfplumber inside a function (it is slow to import and only
    PDFs need it): the scan must see it."""
    reading = ROOT / "gongkai" / "annual" / "checking" / "reading" / "pdf.py"
    assert {"pdfplumber", "pdfminer"} <= imported_modules(reading)


# Run in a fresh interpreter from the repository root (so that this checkout's gongkai/
# is imported): it prints the top-level modules the application loaded on its own.
STARTUP = """
import importlib, json, pkgutil, sys
before = set(sys.modules)
import django
django.setup()
import gongkai
for info in pkgutil.walk_packages(gongkai.__path__, "gongkai."):
    if ".migrations" not in info.name and info.name != "gongkai.wsgi":
        importlib.import_module(info.name)
from django.core.handlers.wsgi import WSGIHandler
from django.template import engines
from django.urls import get_resolver
WSGIHandler()  # loads the middleware
get_resolver().url_patterns
engines.all()  # loads every app's template tag libraries
print(json.dumps(sorted({m.split(".")[0] for m in set(sys.modules) - before})))
"""


def test_what_the_application_loads_at_startup_is_installed_by_its_dependencies():
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
        "DJANGO_SETTINGS_MODULE": "gongkai.settings",
        "DEBUG": "1",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", STARTUP],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert "whitenoise" in loaded and "django_htmx" in loaded  # middleware was loaded
    reachable = closure(declared())
    missing = {
        module: dists
        for module in filter(third_party, loaded)
        if (dists := distributions_of().get(module))
        and not {normalise(d) for d in dists} & reachable
    }
    assert not missing, f"loaded at startup but not installed by [project] dependencies: {missing}"


def gongkai_modules() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.walk_packages(gongkai.__path__, "gongkai.")
        if ".migrations" not in info.name
    )


def test_the_walk_finds_the_modules_imported_only_on_demand():
    assert "gongkai.annual.checking.reading" in gongkai_modules()
    assert "gongkai.wsgi" in gongkai_modules()


@pytest.mark.django_db
@pytest.mark.parametrize("name", gongkai_modules())
def test_every_module_imports(name, settings):
    # gongkai.wsgi runs the configuration checks and opens a connection on import (hence
    # the database mark); the test settings have no production SECRET_KEY, which those
    # checks would refuse (tests/test_configuration.py covers them).
    settings.CONFIG_ERRORS = []
    assert importlib.import_module(name).__name__ == name


# ---- files from outside the repository ---------------------------------------------------

MACHINE_PATHS = ("/" + "work/", "/" + "tmp/", "/" + "home/")


def _string_constants(path: Path) -> Iterator[tuple[int, str]]:
    """The strings the code uses (docstrings, which only talk about paths, left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    prose = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose:
            yield node.lineno, node.value


def test_no_code_names_a_path_of_one_machine_or_reads_shared_material_directly():
    files = [*source_files(), *sorted((ROOT / "tests").rglob("*.py"))]
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in files
        for line, text in _string_constants(path)
        if text.startswith(MACHINE_PATHS) or ".." + "/shared" in text
    ]
    assert not found, "use a path relative to the repository (tests: require_path): " + "; ".join(
        found
    )


def test_missing_material_is_a_skip_with_a_reason_or_a_strict_failure(tmp_path, monkeypatch):
    from tests import conftest

    assert conftest.require_path(tmp_path, "the folder") == tmp_path
    missing = tmp_path / "seed-reports"
    monkeypatch.delenv("GONGKAI_STRICT_TESTS", raising=False)
    with pytest.raises(
        pytest.skip.Exception, match=re.escape(f"the reports not found at {missing}")
    ):
        conftest.require_path(missing, "the reports")
    monkeypatch.setenv("GONGKAI_STRICT_TESTS", "1")
    with pytest.raises(pytest.fail.Exception, match="GONGKAI_STRICT_TESTS=1 forbids skipping"):
        conftest.require_path(missing, "the reports")
