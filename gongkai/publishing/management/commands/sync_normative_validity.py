"""Bring catalog items' validity in line with the register of normative documents (run it
daily, e.g. from cron): repeals and expiries whose date has come, and 有效期 that ended."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.publishing.library import sync_all


class Command(BaseCommand):
    help = "Update catalog items whose normative document was repealed or expired."

    def handle(self, *args: Any, **options: Any) -> None:
        changes = sync_all()
        for c in changes:
            self.stdout.write(f"{c.index_no}  {c.validity}  {c.ended_on or ''}  {c.title}")
        self.stdout.write(f"{len(changes)}")
