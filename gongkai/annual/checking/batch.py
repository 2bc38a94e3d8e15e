"""Checking many published reports at once: read, extract and check each, then the
cross-year checks among the reports of the same agency; results as JSON and as XLSX.

Used by `manage.py check_reports` and by the supervisors' page in the back office.
"""

from __future__ import annotations

import dataclasses
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from gongkai.annual.checking.checks import cell_name, check, check_series, table_name
from gongkai.annual.checking.document import (
    ERROR as ERROR,
)
from gongkai.annual.checking.document import (
    INFO,
    Document,
    Extracted,
    Finding,
    LabelEdit,
)
from gongkai.annual.checking.document import (
    WARNING as WARNING,
)
from gongkai.annual.checking.extract import extract, settle_series
from gongkai.annual.checking.reading import ReadError, read_path
from gongkai.lib.findings import SEVERITY_ORDER, severity_label
from gongkai.lib.safe_text import row_for_files

SUFFIXES = (".txt", ".text", ".html", ".htm", ".shtml", ".docx", ".pdf")


@dataclass
class Checked:
    """One report: what was read from it and what is wrong with it."""

    extracted: Extracted
    findings: list[Finding] = field(default_factory=list)
    error: str = ""  # the file could not be read at all

    @property
    def file(self) -> str:
        return self.extracted.file

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def as_json(self) -> dict[str, Any]:
        e = self.extracted
        return {
            "file": e.file,
            "agency": e.agency,
            "year": e.year,
            "format": e.format,
            "tables": plain(e.tables),
            "narrative": plain(e.narrative),
            "label_edits": [plain(edit.__dict__) for edit in e.label_edits],
            "findings": [f.as_dict() for f in self.findings],
            **({"error": self.error} if self.error else {}),
        }


def plain(value: Any) -> Any:
    """JSON-ready: Decimal as a number, tuples as lists, keys as strings."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def files_under(paths: Iterable[Path]) -> Iterator[Path]:
    """The readable files among paths, folders walked in name order."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUFFIXES:
                    yield child
        else:
            yield path


def unreadable(name: str, message: str) -> Checked:
    finding = Finding(id="UNREADABLE", severity=ERROR, message=message)
    return Checked(Extracted(file=name, format=""), [finding], error=message)


def check_document(document: Document) -> Checked:
    extracted = extract(document)
    return Checked(extracted, [*extracted.findings, *check(extracted)])


def check_documents(
    documents: Iterable[Document | Checked], progress: Callable[[], None] | None = None
) -> list[Checked]:
    """Check each report, then each agency's reports against each other (by year)."""
    results: list[Checked] = []
    for document in documents:
        results.append(document if isinstance(document, Checked) else check_document(document))
        if progress is not None:
            progress()
    by_agency: dict[str, list[int]] = defaultdict(list)
    for index, result in enumerate(results):
        if result.extracted.agency and result.extracted.year and not result.error:
            by_agency[result.extracted.agency].append(index)
    for indexes in by_agency.values():
        if len(indexes) < 2:
            continue
        # Cells run together that last year's or next year's report settles: checked again.
        for position in settle_series([results[i].extracted for i in indexes]):
            result = results[indexes[position]]
            result.findings = [*result.extracted.findings, *check(result.extracted)]
        series = check_series([results[i].extracted for i in indexes])
        for position, findings in series.items():
            results[indexes[position]].findings.extend(findings)
    for result in results:
        result.findings.sort(key=lambda f: SEVERITY_ORDER.get(f.severity, 3))
    return results


def read_files(paths: Iterable[Path]) -> Iterator[Document | Checked]:
    """Documents from files; an unreadable file becomes a result with its reason."""
    for path in paths:
        try:
            yield read_path(path)
        except ReadError as exc:
            yield unreadable(path.name, str(exc))
        except OSError as exc:
            yield unreadable(path.name, _("The file cannot be opened: %(error)s") % {"error": exc})


def location(result: Checked, finding: Finding) -> str:
    """Where a finding is, in the report's own words: table, row and column, or a quote."""
    format_id = result.extracted.format
    if finding.table and finding.row:
        return cell_name(format_id, finding.table, finding.row, finding.col)
    if finding.table:
        return table_name(format_id, finding.table)
    return finding.quote


def format_label(format_id: str) -> str:
    return {
        "2021": _("2021 format"),
        "2019": _("2019 format"),
        "pre2019": _("before 2019"),
    }.get(format_id, _("not recognised"))


def workbook(results: list[Checked]) -> bytes:
    """The results as XLSX: a summary, every finding, and every figure read.

    File names and quotes come from uploaded documents, so every cell goes through
    `row_for_files`: a control character in a quote must not make openpyxl refuse the book.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    summary = book.active
    assert summary is not None  # noqa: S101 - a new workbook has a sheet
    summary.title = _("Reports")
    summary.append(
        [_("File"), _("Agency"), _("Year"), _("Format"), _("Errors"), _("Warnings"), _("Notes")]
    )
    for r in results:
        summary.append(
            row_for_files(
                [
                    r.file,
                    r.extracted.agency,
                    r.extracted.year,
                    format_label(r.extracted.format),
                    r.count(ERROR),
                    r.count(WARNING),
                    r.count(INFO),
                ]
            )
        )
    findings = book.create_sheet(_("Findings"))
    findings.append([_("File"), _("Severity"), _("Check"), _("Where"), _("Finding"), _("Quote")])
    for r in results:
        for f in r.findings:
            findings.append(
                row_for_files(
                    [
                        r.file,
                        severity_label(f.severity),
                        f.id,
                        location(r, f),
                        f.message,
                        f.quote,
                    ]
                )
            )
    figures = book.create_sheet(_("Figures"))
    figures.append([_("File"), _("Table"), _("Cell"), _("Value")])
    for r in results:
        format_id = r.extracted.format
        for table_id, rows in r.extracted.tables.items():
            for row, cells in rows.items():
                for col, value in cells.items():
                    figures.append(
                        row_for_files(
                            [
                                r.file,
                                table_name(format_id, table_id),
                                cell_name(format_id, table_id, row, col),
                                plain(value)
                                if not isinstance(value, str)
                                else value or _("(blank)"),
                            ]
                        )
                    )
    for sheet in (summary, findings, figures):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def stored_result(checked: Checked) -> dict[str, Any]:
    """What a run stores of one report: as_json, and the text sections for an import."""
    return {**checked.as_json(), "sections": dict(checked.extracted.sections)}


def _only_fields(cls: Any, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def checked_from_json(data: dict[str, Any]) -> Checked:
    """A stored result back as a `Checked`, for batch.location and batch.workbook. Numbers
    come back as JSON gave them (int, or float for a fractional amount)."""
    extracted = Extracted(
        file=data.get("file", ""),
        format=data.get("format", ""),
        agency=data.get("agency", ""),
        year=data.get("year"),
        tables=data.get("tables") or {},
        sections=data.get("sections") or {},
        narrative=data.get("narrative") or {},
        label_edits=[LabelEdit(**_only_fields(LabelEdit, e)) for e in data.get("label_edits", [])],
    )
    findings = [Finding.from_dict(f) for f in data.get("findings", [])]
    return Checked(extracted, findings, error=data.get("error", ""))
