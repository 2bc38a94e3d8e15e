from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gongkai.publishing.log import verify


class Command(BaseCommand):
    help = "Check the hash chain of the publication log and report the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = verify()
        if broken is None:
            self.stdout.write(
                _("The publication log is intact: %(count)d entries checked.") % {"count": checked}
            )
            return
        reasons = {
            "missing": _("an entry is missing"),
            "previous": _("it does not continue the previous entry"),
            "digest": _("its content was changed after it was written"),
            "content": _("the published version it records was changed"),
        }
        raise CommandError(
            _(
                "The publication log is broken at entry %(seq)d: %(reason)s. %(count)d entries before it are intact."
            )
            % {"seq": broken.seq, "reason": reasons[broken.reason], "count": checked}
        )
