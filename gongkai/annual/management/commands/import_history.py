"""Import published pre-2019 reports as an agency's historical years:
python manage.py import_history --agency CODE PATH...

Each file is read and checked as check_reports does; one whose statistics table
(政府信息公开情况统计表) was read and adds up becomes the agency's year (its items), shown
in the trends beside the years from 2019 on. A file that cannot be imported is named with
the reason and nothing of it is stored; the command then ends with an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.annual import actions
from gongkai.annual.checking.batch import check_documents, files_under, read_files, stored_result
from gongkai.lib.errors import ActionError
from gongkai.orgs.models import Agency


class Command(BaseCommand):
    help = (
        "Import published reports of the years before 2019 (their statistics table) as an "
        "agency's historical years, for the trends."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders")
        parser.add_argument("--agency", required=True, help="the agency's code")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(_("No agency with the code %(code)s.") % {"code": options["agency"]})
        missing = [str(p) for p in options["paths"] if not p.exists()]
        if missing:
            raise CommandError(_("Not found: %(paths)s") % {"paths": ", ".join(missing)})
        paths = list(files_under(options["paths"]))
        if not paths:
            raise CommandError(_("No report files (text, HTML, DOCX or PDF) were found."))
        refused = 0
        for result in check_documents(read_files(paths)):
            data = stored_result(result)
            try:
                found, replaced = actions.import_history(agency, data, actor=None)
            except ActionError as exc:
                refused += 1
                self.stderr.write(
                    _("%(file)s: not imported: %(reason)s")
                    % {"file": result.file, "reason": " ".join(exc.messages)}
                )
                continue
            self.stdout.write(
                (
                    _("%(file)s: replaced the %(year)d figures of %(agency)s (%(count)d items).")
                    if replaced
                    else _(
                        "%(file)s: imported as the %(year)d figures of %(agency)s (%(count)d items)."
                    )
                )
                % {
                    "file": result.file,
                    "year": found.year,
                    "agency": agency.name,
                    "count": len(found.figures),
                }
            )
        if refused:
            raise CommandError(
                _("%(count)d of %(total)d files were not imported.")
                % {"count": refused, "total": len(paths)}
            )
