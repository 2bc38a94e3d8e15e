"""Re-scan published catalog items for personal data with the current detector (run it on
a schedule, e.g. weekly from cron); new findings are listed here and for review in the
back office."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from gongkai.publishing.rescan import rescan_published


class Command(BaseCommand):
    help = "Re-scan published catalog items for personal data and list the new findings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        new = rescan_published()
        if options["json"]:
            self.stdout.write(json.dumps([asdict(f) for f in new], ensure_ascii=False, indent=2))
            return
        for f in new:
            self.stdout.write(f"{f.index_no}  {f.source}  {f.kind}  {f.text}  《{f.title}》")
        self.stdout.write(
            _("%(count)d new findings in published items; they are listed for review.")
            % {"count": len(new)}
        )
