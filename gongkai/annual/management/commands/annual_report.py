import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.annual import files, narrative
from gongkai.annual.compute import compute, scope_for
from gongkai.annual.models import AnnualReport, ReportStatus
from gongkai.annual.report import build, for_report
from gongkai.orgs.models import Agency

TEXT_FORMATS = ("json", "html")


class Command(BaseCommand):
    help = (
        "Write an agency's annual report for a year: the stored report (its approved or "
        "published revision, or the draft) when there is one, otherwise computed from the "
        "records with a generated first draft of its text."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", required=True, help="agency code")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument(
            "--rollup", action="store_true", help="sum over the agency and every agency below it"
        )
        parser.add_argument("--format", default="json", choices=["json", *files.FORMATS])
        parser.add_argument(
            "--output", help="file to write; standard output for json and html when omitted"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            agency = Agency.objects.get(code=options["agency"])
        except Agency.DoesNotExist:
            raise CommandError(
                _("Unknown agency code %(code)s.") % {"code": options["agency"]}
            ) from None
        year, fmt, rollup = options["year"], options["format"], options["rollup"]
        if not 2008 <= year <= 2100:
            raise CommandError(_("The year must be between 2008 and 2100."))
        if fmt not in TEXT_FORMATS and not options["output"]:
            raise CommandError(_("A %(format)s file needs --output PATH.") % {"format": fmt})
        stored = AnnualReport.objects.filter(agency=agency, year=year, rollup=rollup).first()
        if stored is not None:
            report = for_report(stored)
            revision = stored.revisions.order_by("-number").first() if stored.locked else None
            text = revision.narrative if revision is not None else stored.narrative()
            draft = stored.status != ReportStatus.PUBLISHED
        else:
            report = build(agency, year, rollup=rollup)
            # The drafts read the 2021-shaped tables, whatever the year's format (2019, 2020).
            scope = scope_for(agency, year, rollup=rollup)
            text = narrative.drafts(scope, compute(scope), agency=agency, rollup=rollup)
            draft = True
        if fmt == "json":
            data = {**report.as_json(), "sections": files.section_texts(report, text)}
            content = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()
        else:
            content = files.render(report, text, fmt, draft=draft)
        if options["output"]:
            Path(options["output"]).write_bytes(content)
            self.stderr.write(
                _("Wrote %(path)s (%(size)d bytes).")
                % {"path": options["output"], "size": len(content)}
            )
        else:
            self.stdout.write(content.decode())
