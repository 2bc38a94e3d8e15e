from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gongkai.orgs import demo


class Command(BaseCommand):
    help = "Create or refresh the demo installation (a county, its agencies and staff)."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo.create()
        self.stdout.write(
            _("Demo data is ready. Staff logins (password for all: %(password)s):")
            % {"password": demo.DEMO_PASSWORD}
        )
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.stdout.write(
                f"  {login.username.ljust(width)}  {login.full_name}  {login.agency} · {login.role}"
            )
