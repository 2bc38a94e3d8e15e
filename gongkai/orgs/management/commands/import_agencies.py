from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.orgs.importer import StructureError, import_agencies, read_file


class Command(BaseCommand):
    help = (
        "Load or update the agency tree from a CSV or XLSX file with the columns "
        "code,name,parent_code,level,kind,credit_code; optional columns include abbr "
        "(机关代字, the start of the agency's letter numbers)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report, change nothing."
        )

    def handle(self, *args: Any, file: Path, dry_run: bool, **options: Any) -> None:
        try:
            rows = read_file(file)
        except StructureError as exc:
            raise CommandError(_("Nothing was imported. %(reason)s") % {"reason": exc}) from exc
        report = import_agencies(
            rows, dry_run=dry_run, actor_name="manage.py import_agencies", source=str(file)
        )
        for error in report.errors:
            self.stderr.write(str(error))
        summary = _(
            "%(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
            "%(rejected)d rows rejected."
        ) % {
            "created": len(report.created),
            "updated": len(report.updated),
            "unchanged": len(report.unchanged),
            "rejected": len(report.errors),
        }
        if dry_run:
            summary = _("Dry run, nothing saved: %(summary)s") % {"summary": summary}
        self.stdout.write(summary)
        if report.errors:
            raise CommandError(
                _("%(count)d rows were not imported; see the reasons above.")
                % {"count": len(report.errors)}
            )
