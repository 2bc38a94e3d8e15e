from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "gongkai.audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        # Login events come from django.contrib.auth and django-axes as signals; that is
        # their only interface, so the receivers live here (not domain flow).
        from gongkai.audit import receivers  # noqa: F401
