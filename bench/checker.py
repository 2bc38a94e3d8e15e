"""Checking published annual reports in bulk: reports per second over 1,000 text and HTML
reports, and how many of their figures came back exactly.

The reports are generated: agencies of a county (bench/publishing.py's departments and
townships), 2021-2024, each with 2021-format tables that add up (one in ten has a broken
cell), text that quotes some figures, and the official layout, rendered by the system's
own report writer (gongkai.annual.files: the HTML table with merged header cells). Half
are HTML pages; the other half are plain text as copied from such a page (cells separated
by " | ", as the reader produces it, or by tabs). Timed: reading, extraction and the
checks of every report, then the cross-year checks per agency (gongkai.annual.checking.
batch.check_documents). Prints reports/s against the target (>= 20/s), the share of
reports whose every table figure was read back exactly, and the findings by check.

Then a "degraded layout" batch (issue #22): the same reports as text the way web pages and
crawlers deliver it, on one line, or with line breaks stripped at random, half of them with
their figures glued to the labels (`degrade`); its exact-figure rate is printed beside the
first batch's (target 100 %), with both rates in reports per second.

Then the time of each step on its own, against the thresholds the unit tests used to
assert (a test asserts what the code does; how fast is measured here): reading a GBK HTML
page of a report's size, extracting one report, checking one 2021 report, and giving up
on digits that run together hopelessly.

    .venv/bin/python bench/checker.py                   # 1,000 reports
    .venv/bin/python bench/checker.py --reports 200
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.publishing import DEPARTMENTS, SENTENCES, TOWNSHIPS  # noqa: E402

REPORTS = 1000
TARGET_PER_S = 20.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=REPORTS)
    args = parser.parse_args()
    os.environ.setdefault("DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.settings"
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()
    from django.utils import translation

    translation.activate("zh-hans")
    started = time.perf_counter()
    files, truth = generate(args.reports)
    print(
        f"generated {len(files):,} reports ({sum(len(d) for _, d in files) / 2**20:.1f} MB) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    results = measure(files, truth)
    today = _SUMMARY[-1]
    print()
    print(
        "degraded layout: the same reports as text on one line, line breaks stripped at "
        "random, figures glued to their labels"
    )
    measure(degraded(files, random.Random(22)), truth)
    worse = _SUMMARY[-1]
    print(
        f"exact-figure rate: {today[0]:.1%} as laid out, {worse[0]:.1%} with the layout lost "
        f"(target 100 %); {today[1]:.1f} and {worse[1]:.1f} reports/s (target >= "
        f"{TARGET_PER_S:.0f}/s)"
    )
    steps(files, results)


_SUMMARY: list[tuple[float, float]] = []  # (exact share, reports/s) of each batch measured


def balanced_tables(
    rng: random.Random, broken: bool, previous: dict[str, Any] | None = None
) -> dict[str, Any]:
    """2021-format tables whose identities hold (one cell off when `broken`), carrying on
    from the agency's previous year when given (carry-over, 现行有效件数). Local agencies
    make no 规章."""
    from gongkai.lib.report_format import format_spec

    spec = {t["id"]: t for t in format_spec("2021")["tables"]}
    tables: dict[str, Any] = {}
    for table_id in ("t2_art20_1", "t2_art20_5", "t2_art20_6", "t2_art20_8"):
        t = spec[table_id]
        tables[table_id] = {
            r["key"]: {
                c["key"]: (rng.choice([0, 0, rng.randint(1, 40)]) if c["type"] == "integer" else 0)
                for c in t["columns"]
            }
            for r in t["rows"]
            if r["kind"] == "data"
        }
    t2 = tables["t2_art20_1"]
    t2["regulations"] = dict.fromkeys(t2["regulations"], 0)
    for row, cells in t2.items():
        if row == "regulations":
            continue
        before = previous["t2_art20_1"][row]["in_force"] if previous else rng.randint(0, 60)
        cells["repealed"] = min(cells["repealed"], before)
        cells["in_force"] = before + cells["issued"] - cells["repealed"]
    t3 = spec["t3_applications"]
    columns = [c["key"] for c in t3["columns"] if c["key"] != "total"]
    data_rows = [r["key"] for r in t3["rows"] if r["kind"] == "data"]
    outcomes = [
        k for k in data_rows if k not in ("new_received", "carried_over", "total_processed")
    ]
    outcomes.remove("carried_forward")
    table: dict[str, dict[str, int]] = {row: {} for row in data_rows}
    for col in columns:
        scale = 60 if col == "natural_person" else 6
        for row in outcomes:
            table[row][col] = rng.choice([0, 0, 0, rng.randint(0, scale)])
        processed = sum(table[row][col] for row in outcomes)
        carried_over = (
            previous["t3_applications"]["carried_forward"][col] if previous else rng.randint(0, 5)
        )
        carried_forward = rng.randint(0, 5)
        table["total_processed"][col] = processed
        table["carried_over"][col] = carried_over
        table["carried_forward"][col] = carried_forward
        table["new_received"][col] = max(0, processed + carried_forward - carried_over)
        table["carried_forward"][col] = table["new_received"][col] + carried_over - processed
    for row in data_rows:
        table[row]["total"] = sum(table[row][c] for c in columns)
    if broken:
        table[rng.choice(outcomes)]["natural_person"] += 1
    tables["t3_applications"] = table
    t4: dict[str, int] = {}
    for group in ("review", "lit_direct", "lit_after_review"):
        parts = [rng.choice([0, 0, rng.randint(0, 4)]) for _ in range(4)]
        for name, value in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
            t4[f"{group}_{name}"] = value
        t4[f"{group}_total"] = sum(parts)
    tables["t4_review_litigation"] = {"cases": t4}
    return tables


def narrative(agency: str, year: int, tables: dict[str, Any], rng: random.Random) -> dict[str, str]:
    t3 = tables["t3_applications"]
    received = t3["new_received"]["total"]
    closed = t3["total_processed"]["total"]
    reviews = tables["t4_review_litigation"]["cases"]["review_total"]
    overview = (
        f"{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，"
        "坚持以公开为常态、不公开为例外，持续推进政府信息公开工作。\n"
        f"（一）主动公开。全年通过政府网站主动公开政府信息{rng.randint(50, 900)}条。\n"
        f"（二）依申请公开。全年共收到政府信息公开申请{received}件，办结{closed}件，"
        f"按时办结率100%。\n"
        f"（三）监督保障。全年发生政府信息公开行政复议{reviews}件。"
    )
    overview += "\n" + "".join(rng.sample(SENTENCES, k=min(len(SENTENCES), 4)))
    problems = (
        "政府信息公开工作仍存在一些不足。"
        + "".join(rng.sample(SENTENCES, k=min(len(SENTENCES), 3)))
        + f"{year + 1}年，将进一步加强培训，提高信息公开质量。"
    )
    other = f"本机关{year}年未收取信息处理费。"
    return {"overview": overview, "problems": problems, "other": other}


def generate(count: int) -> tuple[list[tuple[str, bytes]], list[dict[str, Any]]]:
    from gongkai.annual import files
    from gongkai.annual.checking.reading import read_bytes
    from gongkai.annual.compute import Report

    rng = random.Random(2024)
    agencies = [n for _, n, _, _ in DEPARTMENTS + TOWNSHIPS]
    out: list[tuple[str, bytes]] = []
    truth: list[dict[str, Any]] = []
    previous: dict[str, Any] | None = None
    for i in range(count):
        # Four years of each agency; past the county's agencies, those of a neighbouring
        # county of the same names.
        county = "青山县" if i // 4 < len(agencies) else f"第{i // 4 // len(agencies)}县"
        agency = agencies[i // 4 % len(agencies)].replace("青山县", county)
        year = 2021 + i % 4
        tables = balanced_tables(rng, rng.random() < 0.1, previous if i % 4 else None)
        previous = tables
        report = Report(agency=agency, agency_code=f"a{i}", year=year, rollup=False, tables=tables)
        html = files.render(report, narrative(agency, year, tables, rng), "html")
        stem = f"{i:04d}-{agency}-{year}"
        if i % 2 == 0:
            out.append((f"{stem}.html", html))
        else:
            text = read_bytes(html, f"{stem}.html").text()
            if i % 4 == 3:
                text = text.replace(" | ", "\t")
            out.append((f"{stem}.txt", text.encode("utf-8")))
        truth.append(tables)
    return out, truth


# ---- degraded layout (issue #22) ---------------------------------------------------------

_GLUE_LABEL = re.compile(r"(?<=[^\W\d_])[ \t]*[|\t][ \t]*(?=\d)")
_GLUE_NEXT = re.compile(r"(?<=\d)[ \t]*\n(?=[^\d\s|])")


def one_line(text: str, rng: random.Random | None = None) -> str:
    """The whole report on one line, its lines joined by a space."""
    return " ".join(line for line in text.split("\n") if line.strip())


def strip_breaks(text: str, rng: random.Random, share: float = 0.5) -> str:
    """Some of the line breaks removed (`share` of them), each joined by nothing or a space."""
    parts = text.split("\n")
    out = [parts[0]]
    for part in parts[1:]:
        if rng.random() < share:
            out[-1] += rng.choice(("", " ")) + part
        else:
            out.append(part)
    return "\n".join(out)


def glue_digits(text: str, rng: random.Random | None = None) -> str:
    """A row's first figure glued to its label (the separator gone), and a row's last figure
    run into the next line's label."""
    return _GLUE_NEXT.sub("", _GLUE_LABEL.sub("", text))


DEGRADATIONS = (one_line, strip_breaks, glue_digits)


def degrade(text: str, rng: random.Random) -> str:
    """A report's text as real pages deliver it: one line, or breaks stripped at random,
    with or without its figures glued to the labels."""
    if rng.random() < 0.5:
        text = glue_digits(text)
    return one_line(text) if rng.random() < 0.4 else strip_breaks(text, rng, rng.random())


def degraded(files: list[tuple[str, bytes]], rng: random.Random) -> list[tuple[str, bytes]]:
    """The same reports with their layout lost: each as text (an HTML page read as text),
    then degraded."""
    from gongkai.annual.checking.reading import read_bytes

    out = []
    for name, data in files:
        text = read_bytes(data, name).text()
        out.append((f"{Path(name).stem}-degraded.txt", degrade(text, rng).encode("utf-8")))
    return out


def measure(files: list[tuple[str, bytes]], truth: list[dict[str, Any]]) -> list[Any]:
    from gongkai.annual.checking.batch import check_documents
    from gongkai.annual.checking.reading import read_bytes

    started = time.perf_counter()
    results = check_documents(read_bytes(data, name) for name, data in files)
    elapsed = time.perf_counter() - started
    rate = len(files) / elapsed
    exact = 0
    for result, tables in zip(results, truth, strict=True):
        got = result.extracted.tables
        if all(
            got.get(t, {}).get(r, {}).get(c) == v
            for t, rows in tables.items()
            for r, cols in rows.items()
            for c, v in cols.items()
        ):
            exact += 1
    kinds = Counter(
        (f.severity, f.id) for result in results for f in result.findings if f.severity != "info"
    )
    print(f"checked {len(files):,} reports in {elapsed:.1f} s: {rate:.1f} reports/s")
    print(
        f"every table figure read back exactly: {exact:,} of {len(files):,} reports "
        f"({exact / len(files):.1%})"
    )
    print("findings (errors and warnings) by check:")
    for (severity, check_id), n in kinds.most_common(12):
        print(f"  {severity:<8}{check_id:<28}{n:>6}")
    _SUMMARY.append((exact / len(files), rate))
    verdict = "PASS" if rate >= TARGET_PER_S else "FAIL"
    print(f"{verdict}: {rate:.1f} reports/s (target >= {TARGET_PER_S:.0f}/s)")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return results


# Seconds per step, at most (the thresholds the unit tests asserted until issue 16).
STEP_LIMITS = {
    "read a 30 KB GBK HTML page": 0.05,
    "extract one report": 0.05,
    "check one 2021 report": 0.1,
    "give up on 40 run-together digits": 2.0,
}


def _timed(step: Any, rounds: int) -> float:
    step()  # warm the caches of the format
    started = time.perf_counter()
    for _ in range(rounds):
        step()
    return (time.perf_counter() - started) / rounds


def steps(files: list[tuple[str, bytes]], results: list[Any]) -> None:
    from gongkai.annual.checking.checks import check
    from gongkai.annual.checking.digits import decode
    from gongkai.annual.checking.extract import extract
    from gongkai.annual.checking.reading import read_bytes

    html = next(data for name, data in files if name.endswith(".html")).decode("utf-8")
    page = html.replace('charset="utf-8"', 'charset="gbk"')
    filler = "<p>" + "".join(SENTENCES) + "</p>\n"
    while len(page.encode("gb18030")) < 30_000:  # a published report's size
        page = page.replace("</body>", filler + "</body>")
    encoded = page.encode("gb18030")
    documents = [read_bytes(data, name) for name, data in files[:40]]
    report = next(r.extracted for r in results if r.extracted.format == "2021")
    timings = {
        "read a 30 KB GBK HTML page": _timed(lambda: read_bytes(encoded, "page.html"), 10),
        "extract one report": _timed(lambda: [extract(d) for d in documents], 5) / len(documents),
        "check one 2021 report": _timed(lambda: check(report), 20),
        "give up on 40 run-together digits": _timed(
            lambda: decode(["1" * 40], 7, [((0, 1, 2, 3, 4, 5), 6)]), 1
        ),
    }
    print(f"steps, each on its own (the page: {len(encoded) / 1024:.0f} KB):")
    for name, seconds in timings.items():
        limit = STEP_LIMITS[name]
        verdict = "PASS" if seconds <= limit else "FAIL"
        print(f"  {verdict} {name:<36}{seconds * 1000:>9.1f} ms  (limit {limit * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
