from django.contrib import admin

from gongkai.audit.admin_mixins import AuditedAdminMixin
from gongkai.workdays.models import RegionalHoliday


@admin.register(RegionalHoliday)
class RegionalHolidayAdmin(AuditedAdminMixin, admin.ModelAdmin[RegionalHoliday]):
    list_display = ["date", "name", "agency", "source"]
    list_filter = ["agency"]
    autocomplete_fields = ["agency"]
    date_hierarchy = "date"
