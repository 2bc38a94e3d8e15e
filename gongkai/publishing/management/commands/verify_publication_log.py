"""Check the publication log, its anchors in the audit log and every published item."""

from __future__ import annotations

from typing import Any

from django.core.mail import mail_admins
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.publishing import integrity


class Command(BaseCommand):
    help = _(
        "Check the publication log's chain, its anchors in the audit log and the published "
        "items against their last published version; report the first problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--against",
            metavar="URL_OR_FILE",
            help=_("A head published earlier (the portal's JSON, by URL or saved to a file)."),
        )
        parser.add_argument(
            "--notify",
            action="store_true",
            help=_("Mail a problem to the administrators (settings.ADMINS): for scheduled runs."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            message = self._check(options["against"])
        except CommandError as exc:
            if options["notify"]:
                mail_admins(_("Publication log check failed"), str(exc))
            raise
        self.stdout.write(message)

    def _check(self, against: str | None) -> str:
        result = integrity.verify()
        finding = result.finding
        if finding is not None:
            raise CommandError(self._describe(finding, result.count))
        if against:
            try:
                published = integrity.read_published_head(against)
            except (OSError, ValueError) as exc:
                raise CommandError(
                    _("The published head cannot be read: %(error)s") % {"error": exc}
                ) from None
            if not integrity.matches_published(published):
                raise CommandError(
                    _(
                        "The publication log does not contain the head published on %(date)s "
                        "(entry %(count)s): the log was rewritten or cut back."
                    )
                    % {"date": published.get("date", "?"), "count": published.get("count", "?")}
                )
        return _("The publication log is intact: %(count)d entries checked.") % {
            "count": result.count
        }

    @staticmethod
    def _describe(finding: integrity.Finding, count: int) -> str:
        if finding.kind == "chain":
            reasons = {
                "missing": _("an entry is missing"),
                "previous": _("it does not continue the previous entry"),
                "digest": _("its content was changed after it was written"),
                "content": _("the published version it records was changed"),
            }
            return _(
                "The publication log is broken at entry %(seq)d: %(reason)s. %(count)d entries before it are intact."
            ) % {"seq": finding.seq, "reason": reasons[finding.reason], "count": count}
        if finding.kind == "anchor":
            return _(
                "Entry %(seq)d of the publication log differs from its record in the audit "
                "log: the chain was rewritten."
            ) % {"seq": finding.seq}
        if finding.kind == "deleted":
            return _(
                "Entry %(seq)d of the publication log, recorded in the audit log, is missing: "
                "the newest entries were deleted."
            ) % {"seq": finding.seq}
        item = finding.item
        name = f"{item.index_no} {item.title}" if item is not None else "?"
        if finding.kind == "attachments":
            return _("The attachments of %(item)s differ from those published.") % {"item": name}
        return _(
            "%(item)s differs from its last published version (%(fields)s): the public page "
            "shows content that was not published through the review."
        ) % {"item": name, "fields": finding.reason}
