from typing import Any

from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from django.utils.translation import gettext as _

from gongkai.annual import demo as annual_demo
from gongkai.evaluation import demo as evaluation_demo
from gongkai.foi import demo as foi_demo
from gongkai.orgs import demo
from gongkai.publishing import demo as publishing_demo
from gongkai.records import demo as records_demo

DEMO_SETTINGS = {
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "FOI_BACKDATE_WORKING_DAYS": 10_000,
}


class Command(BaseCommand):
    help = "Create or refresh the demo installation (a county, its agencies and staff)."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo.create()
        # Each app adds its own demo records on top of the agencies and staff.
        # The demo applicants are fictional: keep their acknowledgements off the console.
        # Their cases' history is written today, each step as if recorded on its own day:
        # no step is back-dated in the sense of gongkai.foi.actions.
        with override_settings(**DEMO_SETTINGS):
            applications = foi_demo.create()
        foi_demo.date_emails()
        if applications:
            self.stdout.write(_("%(count)d demo applications created.") % {"count": applications})
        items = publishing_demo.create()
        if items:
            self.stdout.write(_("%(count)d demo catalog items created.") % {"count": items})
        # Before the reports: their first drafts are written from these records.
        records = records_demo.create()
        if records:
            self.stdout.write(
                _("%(count)d demo records of other disclosure work created.") % {"count": records}
            )
        with override_settings(**DEMO_SETTINGS):
            reports = annual_demo.create()
        if reports:
            self.stdout.write(_("%(count)d demo annual reports created.") % {"count": reports})
        evaluation_demo.create()  # last year's self-evaluations (gongkai/evaluation/demo.py)
        self.stdout.write(
            _("Demo data is ready. Staff logins (password for all: %(password)s):")
            % {"password": demo.DEMO_PASSWORD}
        )
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.stdout.write(
                f"  {login.username.ljust(width)}  {login.full_name}  {login.agency} · {login.role}"
            )
        self.stdout.write(
            _(
                "Administrators and supervisors enrol a second factor at their first login: "
                "scan the QR code shown with an authenticator app on a phone, then type its "
                "six-digit code (and keep the recovery codes shown next)."
            )
        )
