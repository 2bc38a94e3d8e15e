from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gongkai.workdays.seed import library_version, seed_from_library


class Command(BaseCommand):
    help = (
        "Load the holiday arrangements the chinesecalendar library knows. Years entered "
        "by an administrator are kept."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        years = seed_from_library()
        if years:
            self.stdout.write(
                _("Loaded %(count)d years (%(first)d–%(last)d) from chinesecalendar %(version)s.")
                % {
                    "count": len(years),
                    "first": years[0],
                    "last": years[-1],
                    "version": library_version(),
                }
            )
        else:
            self.stdout.write(_("Nothing to load."))
