from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "gongkai.orgs"
    verbose_name = _("Agencies and staff")

    def ready(self) -> None:
        from gongkai import checks  # noqa: F401  (registers the configuration checks)
