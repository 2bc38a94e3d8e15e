"""An agency's self-evaluation of a year as JSON, DOCX or PDF.

JSON: {"agency", "year", "system", "score", "indicators": [{"key", "label", "value", "unit",
"target", "score", "max", "source", "evidence"}]} — `value` a number for computed
indicators, `evidence` the drill-down ids (computed) or the attached files (evidence).
Without a stored evaluation the results are computed against the default system.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.evaluation import files, results
from gongkai.evaluation.defaults import load_default
from gongkai.evaluation.models import SelfEvaluation
from gongkai.evaluation.report import draft
from gongkai.orgs.models import Agency

KEYS = ("key", "label", "value", "unit", "target", "score", "max", "source", "evidence")


class Command(BaseCommand):
    help = "Print or write an agency's self-evaluation of a year (json, docx or pdf)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", required=True, help="agency code")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", choices=("json", "docx", "pdf"), default="json")
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency with the code {options['agency']!r}.")
        year = options["year"]
        evaluation = SelfEvaluation.objects.filter(agency=agency, year=year).first()
        if evaluation is None:
            # Not stored: computed against the default system, nothing saved.
            evaluation = SelfEvaluation(agency=agency, year=year, system=load_default())
            text = draft(
                evaluation,
                results.rows_from(results.snapshot(evaluation, results.live(evaluation))),
            )
            evaluation.recipient, evaluation.title, evaluation.text = (
                text.recipient,
                text.title,
                text.text,
            )
        data: bytes
        if options["format"] == "json":
            rows = (
                evaluation.snapshot if evaluation.pk and evaluation.status == "submitted" else None
            )
            rows = rows or results.snapshot(evaluation, results.live(evaluation))
            payload = {
                "agency": agency.code,
                "year": year,
                "system": evaluation.system.name,
                "score": results.total(results.rows_from(rows)),
                "indicators": [{k: r[k] for k in KEYS} for r in rows],
            }
            data = (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode()
        elif options["format"] == "docx":
            data = files.render_docx(evaluation)
        else:
            data = files.render_pdf(evaluation)
        if options["output"]:
            Path(options["output"]).write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
