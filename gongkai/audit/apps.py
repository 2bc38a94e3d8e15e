from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "gongkai.audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        # Login events come from django.contrib.auth as signals; that is
        # their only interface, so the receivers live here (not domain flow).
        from django.db.backends.signals import connection_created

        from gongkai.audit import receivers  # noqa: F401
        from gongkai.audit.integrity import register_sqlite_function

        def on_connection(sender: object, connection: Any, **kwargs: Any) -> None:
            if connection.vendor == "sqlite":
                register_sqlite_function(connection)

        connection_created.connect(on_connection, weak=False, dispatch_uid="gongkai.audit")
