"""Check the audit log's HMAC chain and its guards; report the first broken entry."""

from __future__ import annotations

from typing import Any

from django.core.mail import mail_admins
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from gongkai.audit import integrity
from gongkai.audit.models import AuditChainHead, AuditEntry


def run_verification() -> integrity.Report:
    head = AuditChainHead.objects.filter(pk=1).values_list("seq", "mac", "signature").first()
    rows = (
        AuditEntry.objects.order_by("seq", "id").values(*integrity.FIELDS).iterator(chunk_size=2000)
    )
    return integrity.verify(rows, head if head and head[0] else None)


class Command(BaseCommand):
    help = _(
        "Check the audit log's HMAC chain; report the first missing, altered or reordered entry."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--against",
            metavar="SEQ:MAC",
            help=_("A chain head printed earlier and kept elsewhere: the log must contain it."),
        )

        parser.add_argument(
            "--notify",
            action="store_true",
            help=_("Mail a problem to the administrators (settings.ADMINS): for scheduled runs."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self._verify(options)
        except CommandError as exc:
            if options["notify"]:
                mail_admins(_("Audit log check failed"), str(exc))
            raise

    def _verify(self, options: dict[str, Any]) -> None:
        missing = sorted(
            set(integrity.EXPECTED_TRIGGERS.get(connection.vendor, []))
            - set(integrity.triggers_present(connection))
        )
        report = run_verification()
        problem = report.problem
        if problem is not None:
            reasons = {
                "missing": _("the entry is missing"),
                "altered": _("the entry was changed after it was written"),
                "reordered": _("the entry is out of order"),
                "head": _("the chain head kept beside the log does not match the newest entry"),
                "key": _("its key is neither AUDIT_KEY nor one of AUDIT_KEYS_OLD"),
            }
            raise CommandError(
                _(
                    "The audit log is broken at entry %(seq)d: %(reason)s. "
                    "%(count)d entries before it are intact."
                )
                % {"seq": problem.seq, "reason": reasons[problem.kind], "count": report.count}
            )
        if options["against"]:
            self._check_against(options["against"])
        if missing:
            raise CommandError(
                _("The audit log's guard triggers are missing: %(names)s. Run migrate.")
                % {"names": ", ".join(missing)}
            )
        self.stdout.write(
            _("The audit log is intact: %(count)d entries checked. Chain head: %(seq)d:%(mac)s")
            % {"count": report.count, "seq": report.head_seq, "mac": report.head}
        )

    def _check_against(self, kept: str) -> None:
        seq_text, _sep, mac = kept.partition(":")
        try:
            seq = int(seq_text)
        except ValueError:
            raise CommandError(_("Give the kept head as SEQ:MAC.")) from None
        entry = AuditEntry.objects.filter(seq=seq).values_list("mac", flat=True).first()
        if entry != mac:
            raise CommandError(
                _(
                    "The audit log does not contain the kept chain head %(seq)d: it was "
                    "rewritten or cut back."
                )
                % {"seq": seq}
            )
