from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "gongkai.records"
    verbose_name = _("Other statutory disclosure work")
