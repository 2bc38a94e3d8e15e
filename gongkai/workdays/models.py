"""The working-day calendar as data: one row per exceptional date.

A date not in the table follows the weekend rule. A year counts as known only when it
has a HolidayYear row: seeded from the chinesecalendar library, or entered by an
administrator from the State Council's notice (which then overrides the library).
Local holidays set by a local government apply to its agency and everything below it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Origin(models.TextChoices):
    LIBRARY = "library", _("chinesecalendar library")
    ADMIN = "admin", _("Entered by an administrator")


class HolidayYear(models.Model):
    """One year's holiday arrangement (国务院办公厅关于YYYY年部分节假日安排的通知)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    origin = models.CharField(_("origin"), max_length=16, choices=Origin.choices)
    notice_title = models.CharField(_("notice"), max_length=200, blank=True)
    notice_no = models.CharField(_("document number"), max_length=100, blank=True)
    notice_date = models.DateField(_("date of the notice"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("holiday year")
        verbose_name_plural = _("holiday years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day off on a weekday, or a weekend day worked (调休上班), of one year's notice."""

    year = models.ForeignKey(
        HolidayYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("holiday"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class RegionalHoliday(models.Model):
    """A local holiday (e.g. an ethnic festival set by a local government, 放假办法第四条)."""

    agency = models.ForeignKey(
        "orgs.Agency",
        verbose_name=_("applies to the region of"),
        on_delete=models.CASCADE,
        related_name="regional_holidays",
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("holiday"), max_length=50)
    source = models.CharField(_("source"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("regional holiday")
        verbose_name_plural = _("regional holidays")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "date"], name="unique_regional_holiday")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
