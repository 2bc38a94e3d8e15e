"""Scan files for personal data (after the rules change, or before publishing in bulk)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.lib.html import text_for_checks
from gongkai.lib.textextract import UnreadableFile, extract_text
from gongkai.publishing.detect import find_personal_data
from gongkai.publishing.models import InfoItem

SUFFIXES = {".txt", ".csv", ".md", ".html", ".htm", ".docx", ".pdf", ".xlsx", ".xlsm"}


def files_under(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            )
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(_("%(path)s does not exist.") % {"path": path})
    return found


class Command(BaseCommand):
    help = "Scan TXT, DOCX, PDF and XLSX files for ID, bank card and phone numbers, e-mail addresses and names."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path)
        parser.add_argument(
            "--catalog", action="store_true", help="Also scan every published catalog item."
        )
        parser.add_argument("--json", action="store_true", help="Print JSON.")
        parser.add_argument("--words", type=Path, help="A file of sensitive words, one per line.")

    def handle(self, *args: Any, paths: list[Path], **options: Any) -> None:
        words: list[str] = []
        if options["words"]:
            words = options["words"].read_text(encoding="utf-8").splitlines()
        if not paths and not options["catalog"]:
            raise CommandError(_("Give files or folders to scan, or --catalog."))
        report: list[dict[str, Any]] = []
        if options["catalog"]:
            for item in InfoItem.objects.public().iterator(chunk_size=500):
                text = "\n".join([item.title, item.summary, text_for_checks(item.body)])
                findings = find_personal_data(text, words)
                report.append(
                    {
                        "source": f"catalog:{item.index_no}",
                        "findings": [f.as_dict() for f in findings],
                    }
                )
        for path in files_under(paths):
            try:
                text = extract_text(path.read_bytes(), path.name)
            except UnreadableFile as exc:
                self.stderr.write(
                    _("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc}
                )
                continue
            findings = find_personal_data(text, words)
            report.append({"source": str(path), "findings": [f.as_dict() for f in findings]})
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        for entry in report:
            for finding in entry["findings"]:
                self.stdout.write(
                    f"{entry['source']}:{finding['start']}  {finding['kind']}  {finding['text']}"
                )
        total = sum(len(e["findings"]) for e in report)
        self.stdout.write(
            _("%(files)d files scanned, %(count)d findings.")
            % {"files": len(report), "count": total}
        )
