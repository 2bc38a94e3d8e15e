from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualConfig(AppConfig):
    name = "gongkai.annual"
    verbose_name = _("Annual reports")
