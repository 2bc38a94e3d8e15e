import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.annual.report import build
from gongkai.orgs.models import Agency


class Command(BaseCommand):
    help = "Compute an agency's annual report for a year from its records and write it out."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", required=True, help="agency code")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument(
            "--rollup", action="store_true", help="sum over the agency and every agency below it"
        )
        parser.add_argument("--format", default="json", choices=["json"])
        parser.add_argument("--output", help="file to write; standard output when omitted")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            agency = Agency.objects.get(code=options["agency"])
        except Agency.DoesNotExist:
            raise CommandError(
                _("Unknown agency code %(code)s.") % {"code": options["agency"]}
            ) from None
        if not 2008 <= options["year"] <= 2100:
            raise CommandError(_("The year must be between 2008 and 2100."))
        report = build(agency, options["year"], rollup=options["rollup"])
        text = json.dumps(report.as_json(), ensure_ascii=False, indent=2)
        if options["output"]:
            Path(options["output"]).write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)
