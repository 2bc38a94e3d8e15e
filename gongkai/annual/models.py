"""An agency's annual report for a year, its workflow, and its frozen revisions.

The numbers of a report are computed from the records (compute.py) until the head of the
disclosure office approves it; approval freezes them, with the office's text, into a
numbered `Revision`. Publishing makes that revision public and locks the year: a record
that would change a locked year's numbers is refused until the office head opens an
amendment, which ends in a new, visible revision (never a silent change).

Years before the agency used the system may hold figures entered by hand (`MANUAL`,
with a reason) or imported from a published report (`IMPORTED`); both are validated by
the same identities and marked as such wherever they are shown.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TEXT_MAX = 50_000  # characters per text section


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved, awaiting publication")
    PUBLISHED = "published", _("Published")


# A report in one of these states holds its year's records still.
LOCKING_STATUSES = (ReportStatus.APPROVED, ReportStatus.PUBLISHED)


class Source(models.TextChoices):
    COMPUTED = "computed", _("Computed from the records")
    MANUAL = "manual", _("Entered by hand")
    IMPORTED = "imported", _("Imported from a published report")


class AnnualReport(models.Model):
    agency = models.ForeignKey(
        "orgs.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rollup = models.BooleanField(
        _("covers the agencies below"),
        default=False,
        help_text=_("A government's report compiled from its departments and townships."),
    )
    format = models.CharField(_("format"), max_length=8, default="2021")
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    source = models.CharField(
        _("source of the figures"), max_length=16, choices=Source.choices, default=Source.COMPUTED
    )
    source_note = models.TextField(_("why the figures are not computed"), blank=True)
    # The tables of a manual or imported report: {table: {row: {column: value}}}.
    entered_tables = models.JSONField(default=dict, blank=True)
    # The text sections; forms and files label them from the format file.
    overview = models.TextField(max_length=TEXT_MAX, verbose_name=_("overview"), blank=True)
    problems = models.TextField(
        max_length=TEXT_MAX, verbose_name=_("main problems and improvements"), blank=True
    )
    other = models.TextField(max_length=TEXT_MAX, verbose_name=_("other matters"), blank=True)
    amendment_reason = models.TextField(_("reason for the amendment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="annual_report_agency_year")
        ]
        indexes = [models.Index(fields=["year", "status"], name="annual_report_year_status")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"

    @property
    def locked(self) -> bool:
        return self.status in LOCKING_STATUSES

    def narrative(self) -> dict[str, str]:
        """The text sections by their key in the format file."""
        return {"overview": self.overview, "problems": self.problems, "other": self.other}

    def published_revision(self) -> Revision | None:
        return self.revisions.filter(published_at__isnull=False).order_by("-number").first()


class Revision(models.Model):
    """An approved state of a report: its tables, findings and text, frozen."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("revision"))
    format = models.CharField(max_length=8)
    source = models.CharField(max_length=16, choices=Source.choices)
    tables = models.JSONField()
    findings = models.JSONField(default=list)
    narrative = models.JSONField(default=dict)
    reason = models.TextField(_("reason for the amendment"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report revision")
        verbose_name_plural = _("report revisions")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="annual_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.report} r{self.number}"


class ReportCheck(models.Model):
    """A batch of published reports checked in the back office (checking/batch.py).

    `results` holds one `Checked.as_json()` per report, plus its text sections (which
    as_json leaves out) so that a report can later be imported as the agency's year.
    `imported` maps a report's position in `results` (as a string: JSON keys are strings)
    to the id of the `AnnualReport` it was imported into.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("checked at"), auto_now_add=True)
    title = models.CharField(_("title"), max_length=200)
    results = models.JSONField(default=list)
    imported = models.JSONField(default=dict, blank=True)
    # True while its files are being checked in the background (CheckedFile); `results`
    # is written once the last one is done (annual/checking/runs.py).
    pending = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("check of published reports")
        verbose_name_plural = _("checks of published reports")
        indexes = [
            models.Index(fields=["created_by", "-created_at"], name="annual_check_user_recent")
        ]

    def __str__(self) -> str:
        return self.title


class CheckedFileStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")
    CHECKING = "checking", _("being checked")
    DONE = "done", _("checked")
    FAILED = "failed", _("could not be checked")


class CheckedFile(models.Model):
    """One report of a check run, checked by its own background task
    (`annual.tasks.check_report_file`): the uploaded file until it is checked, then its
    result (`batch.stored_result`). Written by annual/checking/runs.py."""

    run = models.ForeignKey(ReportCheck, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField()
    name = models.CharField(_("file"), max_length=255)
    upload = models.FileField(upload_to="report-checks/%Y/%m/", blank=True)
    pasted = models.BooleanField(default=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CheckedFileStatus.choices,
        default=CheckedFileStatus.WAITING,
    )
    result = models.JSONField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("checked report file")
        verbose_name_plural = _("checked report files")
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="annual_checked_file_position")
        ]

    def __str__(self) -> str:
        return self.name


class HistoricalYear(models.Model):
    """An agency's year before the 2019 format, imported from its published report: the
    items of its 政府信息公开情况统计表 (the keys of gongkai/data/pre2019_statistics.json,
    which also gives their labels; see docs/records.md for how they correspond to the
    2019+ figures in the trends). Written by actions.import_history."""

    agency = models.ForeignKey(
        "orgs.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="historical_years",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # {item key: number}; an item the report left blank or printed "/" is absent.
    figures = models.JSONField(_("figures"), default=dict)
    file = models.CharField(_("imported from"), max_length=300)
    check_run = models.ForeignKey(
        ReportCheck,
        verbose_name=_("check"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("historical year")
        verbose_name_plural = _("historical years")
        ordering = ["agency", "year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="annual_history_agency_year")
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"
