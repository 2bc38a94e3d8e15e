"""List (and with --delete remove) uploaded files that no record refers to.

A submission killed mid-way, or an older version's failure, can leave a file in MEDIA_ROOT
without its row. Every FileField of every installed model is read, so no app is named here.
Files younger than --min-age-minutes (default 60) are left alone: an upload may be under way.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import models
from django.utils.translation import gettext as _


def referenced_names() -> set[str]:
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                values = model._default_manager.exclude(**{field.name: ""}).values_list(
                    field.name, flat=True
                )
                names.update(str(v) for v in values.iterator() if v)
    return names


def orphan_files(min_age_seconds: int) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    known = referenced_names()
    now = time.time()
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file()
        and path.relative_to(root).as_posix() not in known
        and now - path.stat().st_mtime >= min_age_seconds
    )


class Command(BaseCommand):
    help = _("List uploaded files that no record refers to; --delete removes them.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--delete", action="store_true", help=_("Remove the files found."))
        parser.add_argument(
            "--min-age-minutes",
            type=int,
            default=60,
            help=_("Leave files younger than this alone (default 60)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        found = orphan_files(options["min_age_minutes"] * 60)
        root = Path(settings.MEDIA_ROOT)
        for path in found:
            self.stdout.write(path.relative_to(root).as_posix())
            if options["delete"]:
                path.unlink(missing_ok=True)
        if options["delete"]:
            message = _("%(count)d orphan files removed.")
        else:
            message = _("%(count)d orphan files found (run with --delete to remove them).")
        self.stdout.write(message % {"count": len(found)})
