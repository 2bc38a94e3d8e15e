"""Check published annual reports: python manage.py check_reports PATH... [--json OUT] [--xlsx OUT]."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from gongkai.annual.checking.batch import (
    ERROR,
    WARNING,
    check_documents,
    files_under,
    format_label,
    location,
    read_files,
    workbook,
)
from gongkai.lib.findings import severity_label


class Command(BaseCommand):
    help = (
        "Read published annual reports (text, HTML, DOCX, PDF; files or folders) and say what "
        "is wrong with them: broken identities, text that contradicts the tables, wrong legal "
        "basis, impossible figures, and, among the reports of one agency, carry-over "
        "mismatches and copied text."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders")
        parser.add_argument("--json", type=Path, help="write every result to this JSON file")
        parser.add_argument("--xlsx", type=Path, help="write the results to this XLSX file")
        parser.add_argument("--quiet", action="store_true", help="no findings on the screen")

    def handle(self, *args: Any, **options: Any) -> None:
        missing = [str(p) for p in options["paths"] if not p.exists()]
        if missing:
            raise CommandError(_("Not found: %(paths)s") % {"paths": ", ".join(missing)})
        paths = list(files_under(options["paths"]))
        if not paths:
            raise CommandError(_("No report files (text, HTML, DOCX or PDF) were found."))
        with tqdm(total=len(paths), unit=_("report"), file=sys.stderr, disable=None) as bar:
            results = check_documents(read_files(paths), progress=bar.update)
        if options["json"]:
            data = [r.as_json() for r in results]
            Path(options["json"]).write_text(
                json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8"
            )
        if options["xlsx"]:
            Path(options["xlsx"]).write_bytes(workbook(results))
        for result in results:
            e = result.extracted
            self.stdout.write(
                _(
                    "%(file)s: %(agency)s %(year)s, %(format)s; %(errors)d errors, %(warnings)d warnings"
                )
                % {
                    "file": result.file,
                    "agency": e.agency or _("agency not found"),
                    "year": e.year or _("year not found"),
                    "format": format_label(e.format),
                    "errors": result.count(ERROR),
                    "warnings": result.count(WARNING),
                }
            )
            if options["quiet"]:
                continue
            for finding in result.findings:
                where = location(result, finding)
                if where and where in finding.message:
                    where = ""
                self.stdout.write(
                    f"  [{severity_label(finding.severity)}] "
                    + (f"{where}：" if where else "")
                    + finding.message
                )
        self.stdout.write(
            _("%(count)d reports checked: %(errors)d errors, %(warnings)d warnings.")
            % {
                "count": len(results),
                "errors": sum(r.count(ERROR) for r in results),
                "warnings": sum(r.count(WARNING) for r in results),
            }
        )
