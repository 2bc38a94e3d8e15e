"""manage.py check_reports over files and folders of every kind, and the whole pipeline on
reports written by the system's own report writer (HTML, DOCX, PDF): every figure back."""

from __future__ import annotations

import io
import json
import random

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from bench.checker import balanced_tables, narrative
from gongkai.annual import files
from gongkai.annual.checking.batch import check_documents
from gongkai.annual.checking.reading import read_bytes
from gongkai.annual.compute import Report
from tests.annual.checking import seed_report

AGENCY = "青山县林业局"


def written(year: int, fmt: str, *, broken: bool = False, previous=None, seed: int = 1):
    rng = random.Random(seed)
    tables = balanced_tables(rng, broken, previous)
    report = Report(agency=AGENCY, agency_code="ly", year=year, rollup=False, tables=tables)
    return tables, files.render(report, narrative(AGENCY, year, tables, rng), fmt)


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_every_figure_of_a_written_report_comes_back(fmt):
    tables, data = written(2023, fmt)
    (result,) = check_documents([read_bytes(data, f"report.{fmt}")])
    e = result.extracted
    assert (e.format, e.agency, e.year) == ("2021", AGENCY, 2023)
    for table_id, rows in tables.items():
        for row, cells in rows.items():
            assert e.tables[table_id][row] == cells, (table_id, row)
    assert (
        e.narrative["applications_received"]["value"]
        == (tables["t3_applications"]["new_received"]["total"])
    )
    assert [f.id for f in result.findings if f.severity != "info"] == []


def test_the_command_checks_folders_and_writes_json_and_xlsx(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    first, data = written(2022, "docx")
    (folder / "2022.docx").write_bytes(data)
    _, data = written(2023, "html", broken=True, previous=first, seed=2)
    (folder / "2023.html").write_bytes(data)
    (folder / "notes.bin").write_bytes(b"\x00\x01")  # not a report file: skipped
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    out, xlsx = tmp_path / "out.json", tmp_path / "out.xlsx"
    stdout = io.StringIO()
    call_command(
        "check_reports",
        str(folder),
        str(tmp_path / "old.doc"),
        json=str(out),
        xlsx=str(xlsx),
        stdout=stdout,
    )
    results = {r["file"]: r for r in json.loads(out.read_text("utf-8"))}
    assert set(results) == {"2022.docx", "2023.html", "old.doc"}
    broken = results["2023.html"]
    assert broken["format"] == "2021" and broken["year"] == 2023
    ids = {f["id"] for f in broken["findings"] if f["severity"] == "error"}
    assert {"T3-ROW-TOTAL", "T3-RESULT-TOTAL"} <= ids
    assert [f["id"] for f in results["old.doc"]["findings"]] == ["UNREADABLE"]
    assert "DOCX" in results["old.doc"]["error"]
    text = stdout.getvalue()
    assert "2023.html" in text and "共检查 3 份报告" in text

    book = load_workbook(xlsx)
    assert book.sheetnames == ["报告", "检查结果", "数据"]
    rows = list(book["检查结果"].iter_rows(values_only=True))
    assert rows[0][:3] == ("文件", "严重程度", "检查项")
    assert any(r[0] == "2023.html" and r[1] == "错误" and r[2] == "T3-ROW-TOTAL" for r in rows)
    figures = list(book["数据"].iter_rows(values_only=True))
    assert {r[0] for r in figures[1:]} == {"2022.docx", "2023.html"}


def test_the_command_reads_a_published_pre2019_report(tmp_path):
    seed = seed_report("000")
    out, xlsx = tmp_path / "out.json", tmp_path / "out.xlsx"
    stdout = io.StringIO()
    call_command("check_reports", str(seed), json=str(out), xlsx=str(xlsx), stdout=stdout)
    (result,) = json.loads(out.read_text("utf-8"))
    assert result["file"] == seed.name
    assert result["format"] == "pre2019" and result["year"] == 2018
    assert result["tables"]["pre2019"]["proactive_total"] == {"value": 3531}
    assert "共检查 1 份报告" in stdout.getvalue()
    figures = list(load_workbook(xlsx)["数据"].iter_rows(values_only=True))
    assert {r[0] for r in figures[1:]} == {seed.name}


def test_a_series_of_one_agency_is_compared_year_by_year(tmp_path):
    first, data = written(2022, "html")
    (tmp_path / "a.html").write_bytes(data)
    # The same tables again the next year: carry-over broken and every figure identical.
    report = Report(agency=AGENCY, agency_code="ly", year=2023, rollup=False, tables=first)
    text = narrative(AGENCY, 2023, first, random.Random(1))
    (tmp_path / "b.html").write_bytes(files.render(report, text, "html"))
    out = tmp_path / "out.json"
    call_command("check_reports", str(tmp_path), json=str(out), quiet=True, stdout=io.StringIO())
    later = json.loads(out.read_text("utf-8"))[1]
    assert {"X-YEAR-CARRY", "TABLES-IDENTICAL"} <= {f["id"] for f in later["findings"]}


def test_missing_paths_and_empty_folders_are_explained(tmp_path):
    with pytest.raises(CommandError, match="找不到"):
        call_command("check_reports", str(tmp_path / "nope"))
    with pytest.raises(CommandError, match="没有找到报告文件"):
        call_command("check_reports", str(tmp_path))
