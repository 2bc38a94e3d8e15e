"""Import draft catalog items of one agency from an XLSX or CSV file (see publishing.importer)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.lib.errors import ActionError
from gongkai.orgs.models import Agency, User
from gongkai.publishing.importer import StructureError, import_items


class Command(BaseCommand):
    help = (
        "Import draft catalog items of an agency from an XLSX workbook or a CSV file whose "
        "first row names the columns (名称, 类别, 生成日期 are required)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", required=True, help="The agency's code.")
        parser.add_argument(
            "--user",
            help="Import as this user (one of the agency's disclosure staff); "
            "without it, the items are created by the system.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report, change nothing."
        )

    def handle(
        self,
        *args: Any,
        file: Path,
        agency: str,
        user: str | None,
        dry_run: bool,
        **options: Any,
    ) -> None:
        try:
            target = Agency.objects.get(code=agency)
        except Agency.DoesNotExist as exc:
            raise CommandError(_("Unknown agency code %(code)s.") % {"code": agency}) from exc
        actor = None
        if user:
            try:
                actor = User.objects.get_by_natural_key(user)
            except User.DoesNotExist as exc:
                raise CommandError(_("Unknown user %(name)s.") % {"name": user}) from exc
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("The file %(name)s cannot be opened: %(error)s")
                % {"name": file, "error": exc.strerror}
            ) from exc
        try:
            result = import_items(data, file.name, agency=target, actor=actor, dry_run=dry_run)
        except (StructureError, ActionError) as exc:
            reason = "；".join(exc.messages) if isinstance(exc, ActionError) else str(exc)
            raise CommandError(_("Nothing was imported. %(reason)s") % {"reason": reason}) from exc

        if result.ignored_columns:
            self.stderr.write(
                _("Columns not recognised, ignored: %(columns)s")
                % {"columns": "、".join(result.ignored_columns)}
            )
        if options["verbosity"] >= 2:
            for row in result.imported:
                self.stdout.write(f"{row.line}: {row.obj.index_no} {row.obj.title}")
        for rejected in result.rejected:
            self.stderr.write(str(rejected))
        summary = _("%(imported)d items imported, %(rejected)d rows rejected.") % {
            "imported": len(result.imported),
            "rejected": len(result.rejected),
        }
        if dry_run:
            summary = _("Dry run, nothing saved: %(summary)s") % {"summary": summary}
        self.stdout.write(summary)
        if result.rejected:
            raise CommandError(
                _("%(count)d rows were not imported; see the reasons above.")
                % {"count": len(result.rejected)}
            )
