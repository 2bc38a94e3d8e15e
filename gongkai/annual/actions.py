"""The life of an annual report: draft → office head's approval → published → locked.

- `open_report` starts a year's report with first drafts of its text from the records.
- `save_text` keeps the office's edits of sections 一, 五 and 六 while it is a draft.
- `enter_figures` (years before the agency used the system) stores figures by hand, with
  a reason; they are validated like computed ones.
- `approve` freezes tables, findings and text into a numbered revision; a report with a
  broken identity cannot be approved. `return_to_draft` undoes an unpublished approval.
- `publish` puts the revision on the portal and locks the year (gongkai.orgs.locks).
- `start_amendment` reopens a published report with a reason; its next approval and
  publication make a new revision, and the earlier ones stay visible.
Every step is in the audit log.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gongkai.annual import narrative
from gongkai.annual.checking.batch import Checked, stored_result
from gongkai.annual.checking.imports import (
    TEXT_SECTIONS,
    history_blocker,
    history_values,
    import_blocker,
    import_tables,
)
from gongkai.annual.compute import compute, scope_for
from gongkai.annual.models import (
    AnnualReport,
    HistoricalYear,
    ReportCheck,
    ReportStatus,
    Revision,
    Source,
)
from gongkai.annual.report import build, for_report
from gongkai.audit.log import record
from gongkai.audit.models import Action
from gongkai.foi.models import Application
from gongkai.lib.errors import ActionError
from gongkai.lib.report_format import FORMAT_2021, format_id_for_year
from gongkai.orgs import content, locks
from gongkai.orgs.access import has_role
from gongkai.orgs.models import Agency, Kind, Level, LockState, Role, User, in_subtree
from gongkai.publishing.models import DecisionFigures
from gongkai.publishing.register import FIGURE_FIELDS, figure_labels
from gongkai.workdays.periods import (
    DEPARTMENT_ANNUAL_REPORT,
    GOVERNMENT_ANNUAL_REPORT,
    CalendarDeadline,
)

# The first year with a national report format (国办公开办函〔2019〕60号); earlier reports
# are history to import, not to prepare here.
FIRST_YEAR = 2019
STAFF = (Role.OFFICER, Role.OFFICE_HEAD, Role.ADMIN)
HEADS = (Role.OFFICE_HEAD, Role.ADMIN)
# A rollup (the whole area's report) is also prepared by the supervising office.
ROLLUP_PRODUCERS = (*STAFF, Role.SUPERVISOR)


def producers(rollup: bool) -> tuple[str, ...]:
    """Who prepares a report: the agency's staff, and for a rollup its supervisors too."""
    return ROLLUP_PRODUCERS if rollup else STAFF


def statutory_deadline(agency: Agency) -> CalendarDeadline:
    """第四十九条: governments at county level and above by 31 March, others by 31 January."""
    if agency.kind == Kind.GOVERNMENT and agency.level != Level.TOWNSHIP:
        return GOVERNMENT_ANNUAL_REPORT
    return DEPARTMENT_ANNUAL_REPORT


def due_on(agency: Agency, year: int) -> date:
    deadline = statutory_deadline(agency)
    return date(year + 1, deadline.month, deadline.day)


def default_rollup(agency: Agency) -> bool:
    """A government's report covers its departments and townships (as seed 001 does)."""
    return agency.kind == Kind.GOVERNMENT and Agency.objects.filter(parent=agency).exists()


def first_record_year(agency: Agency) -> int | None:
    """The first year with a disclosure request of the agency: it used the system from then."""
    first = Application.objects.filter(in_subtree(agency, "agency")).aggregate(
        y=Min("received_on")
    )["y"]
    return first.year if first else None


def may_enter_by_hand(agency: Agency, year: int) -> bool:
    """Figures by hand only for years before the agency's first record in the system, and for
    the years of the 2019 format, whose section 二 the records cannot give."""
    if format_id_for_year(year) != FORMAT_2021:
        return True
    first = first_record_year(agency)
    return year < (first if first is not None else timezone.localdate().year)


def _require(actor: User | None, agency: Agency, roles: tuple[str, ...], message: str) -> None:
    if actor is not None and not has_role(actor, agency, *roles):
        raise ActionError(message)


def _lock(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update().select_related("agency").get(pk=report.pk)


def _head_step(report: AnnualReport, actor: User, message: str) -> AnnualReport:
    """The report reloaded under a row lock, once the office head's role is checked."""
    report = _lock(report)
    _require(actor, report.agency, HEADS, message)
    return report


# The year-lock state that each report status holds (None: the year is free).
_LOCK_OF_STATUS = {
    ReportStatus.DRAFT: None,
    ReportStatus.APPROVED: LockState.APPROVED,
    ReportStatus.PUBLISHED: LockState.PUBLISHED,
}


def _set_status(
    report: AnnualReport,
    status: ReportStatus,
    *,
    actor: User,
    step: str,
    fields: tuple[str, ...] = (),
    **detail: Any,
) -> None:
    """Save a new status (and `fields`), hold or release the year's records, log the step."""
    report.status = status
    report.save(update_fields=["status", "updated_at", *fields])
    locks.hold(report.agency, report.year, rollup=report.rollup, state=_LOCK_OF_STATUS[status])
    _log(report, step, actor, **detail)


def _log(report: AnnualReport, step: str, actor: User | None, **detail: Any) -> None:
    record(
        Action.ANNUAL_STEP,
        actor=actor,
        obj=report,
        agency=report.agency,
        detail={"step": step, "year": report.year, **detail},
    )


@transaction.atomic
def open_report(
    agency: Agency, year: int, *, actor: User | None, rollup: bool | None = None
) -> AnnualReport:
    """The year's report of the agency, created with first drafts of its text if new."""
    rollup = default_rollup(agency) if rollup is None else rollup
    _require(
        actor,
        agency,
        producers(rollup),
        _("Only the agency's disclosure staff may prepare its report."),
    )
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ActionError(
            _("A report can be prepared for %(first)d to %(last)d.")
            % {"first": FIRST_YEAR, "last": timezone.localdate().year}
        )
    existing = AnnualReport.objects.filter(agency=agency, year=year).first()
    if existing is not None:
        return existing
    built = build(agency, year, rollup=rollup)
    scope = scope_for(agency, year, rollup=rollup)
    # Drafted from the 2021-shaped tables, speaking for the whole area in a rollup.
    texts = narrative.drafts(scope, compute(scope), agency=agency, rollup=rollup)
    report = AnnualReport.objects.create(
        agency=agency, year=year, rollup=rollup, format=built.format, updated_by=actor, **texts
    )
    _log(report, "opened", actor, rollup=rollup)
    return report


def _require_draft(report: AnnualReport) -> None:
    if report.status != ReportStatus.DRAFT:
        raise ActionError(
            _("The report is %(status)s; only a draft can be changed.")
            % {"status": report.get_status_display()}
        )


@transaction.atomic
def save_text(
    report: AnnualReport, *, actor: User | None, overview: str, problems: str, other: str
) -> AnnualReport:
    report = _lock(report)
    _require(
        actor,
        report.agency,
        producers(report.rollup),
        _("Only the agency's disclosure staff may edit its report."),
    )
    _require_draft(report)
    report.overview, report.problems, report.other = (
        overview.strip(),
        problems.strip(),
        other.strip(),
    )
    report.updated_by = actor
    report.save(update_fields=["overview", "problems", "other", "updated_by", "updated_at"])
    _log(report, "text_saved", actor)
    return report


@transaction.atomic
def enter_figures(
    report: AnnualReport,
    tables: dict[str, Any],
    *,
    actor: User | None,
    reason: str,
    source: str = Source.MANUAL,
) -> AnnualReport:
    """Store hand-entered (or imported) figures for a year before the agency used the system."""
    report = _lock(report)
    _require(
        actor, report.agency, STAFF, _("Only the agency's disclosure staff may edit its report.")
    )
    _require_draft(report)
    if not may_enter_by_hand(report.agency, report.year):
        raise ActionError(
            _(
                "%(year)d has records in the system; its figures are computed from them and "
                "cannot be entered by hand."
            )
            % {"year": report.year}
        )
    if not reason.strip():
        raise ActionError({"reason": _("Say where the figures come from.")})
    report.source, report.source_note, report.entered_tables = source, reason.strip(), tables
    report.updated_by = actor
    report.save()
    _log(report, "figures_entered", actor, source=source)
    return report


@transaction.atomic
def use_computed(report: AnnualReport, *, actor: User | None) -> AnnualReport:
    """Drop hand-entered figures and compute from the records again."""
    report = _lock(report)
    _require(
        actor, report.agency, STAFF, _("Only the agency's disclosure staff may edit its report.")
    )
    _require_draft(report)
    report.source, report.source_note, report.entered_tables = Source.COMPUTED, "", {}
    report.save()
    _log(report, "figures_computed", actor)
    return report


REQUIRED_TEXT = ("overview", "problems")


def unconfirmed_figures(report: AnnualReport) -> list[str]:
    """For a report computed from the records: each agency whose figures of table 二
    (第二十条第（五）（六）（八）项: licensing, penalties, coercion, fees) are neither entered
    nor confirmed as 0, with the figures missing. Entered or imported reports hold them."""
    if report.source != Source.COMPUTED or report.format != FORMAT_2021:
        return []
    scope = scope_for(report.agency, report.year, rollup=report.rollup)
    labels = {name: label.split("（")[0] for name, label in figure_labels().items()}
    entered = {
        f.agency_id: f
        for f in DecisionFigures.objects.filter(agency_id__in=scope.agency_ids, year=report.year)
    }
    found = []
    for agency in Agency.objects.filter(pk__in=scope.agency_ids).order_by("path"):
        figures = entered.get(agency.pk)
        names = [
            labels[name]
            for name in FIGURE_FIELDS.values()
            if figures is None or getattr(figures, name) is None
        ]
        if names:
            found.append(f"{agency.name}（{'、'.join(names)}）")
    return found


def approval_problems(report: AnnualReport) -> list[str]:
    """What keeps a draft from approval, each said in full: an empty required section, a
    placeholder still in a text, table 二's figures not entered or confirmed as 0."""
    titles = narrative.section_titles()
    problems = []
    empty = [titles[key] for key in REQUIRED_TEXT if not getattr(report, key).strip()]
    if empty:
        problems.append(_("Write %(sections)s before approving.") % {"sections": "、".join(empty)})
    for key, text in report.narrative().items():
        for placeholder in narrative.placeholders(text):
            problems.append(
                _("%(section)s still holds the placeholder “%(text)s”: replace it with the facts.")
                % {"section": titles.get(key, key), "text": placeholder}
            )
    agencies = unconfirmed_figures(report)
    if agencies:
        problems.append(
            _(
                "The figures of table 二 (licensing, penalties, coercion, fees) are neither "
                "entered nor confirmed as 0 for %(year)d: %(agencies)s. Enter them (0 where "
                "there were none) under Proactive disclosure → Decision and fee figures."
            )
            % {"year": report.year, "agencies": "；".join(agencies[:10])}
            + (
                _(" and %(count)d more agencies.") % {"count": len(agencies) - 10}
                if len(agencies) > 10
                else ""
            )
        )
    return problems


@transaction.atomic
def approve(report: AnnualReport, *, actor: User) -> Revision:
    report = _head_step(
        report, actor, _("Only the head of the disclosure office may approve the annual report.")
    )
    _require_draft(report)
    if report.year >= timezone.localdate().year:
        raise ActionError(_("A year's report can be approved only after the year has ended."))
    missing = approval_problems(report)
    if missing:
        raise ActionError([_("The report cannot be approved yet:"), *missing])
    if report.format != FORMAT_2021 and report.source == Source.COMPUTED:
        raise ActionError(
            _(
                "%(year)d is reported in the 2019 format, whose section 二 the records cannot "
                "give: enter the figures by hand."
            )
            % {"year": report.year}
        )
    built = for_report(report)
    errors = [f for f in built.findings if f["severity"] == "error"]
    if errors:
        raise ActionError([_("The tables do not add up:")] + [f["message"] for f in errors[:10]])
    number = (report.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = Revision.objects.create(
        report=report,
        number=number,
        format=report.format,
        source=report.source,
        tables=built.as_json()["tables"],
        findings=built.findings,
        narrative=report.narrative(),
        reason=report.amendment_reason,
        approved_by=actor,
        approved_at=timezone.now(),
    )
    _set_status(report, ReportStatus.APPROVED, actor=actor, step="approved", revision=number)
    return revision


@transaction.atomic
def return_to_draft(report: AnnualReport, *, actor: User) -> AnnualReport:
    """The office head withdraws an approval that has not been published."""
    report = _head_step(
        report, actor, _("Only the head of the disclosure office may approve the annual report.")
    )
    if report.status != ReportStatus.APPROVED:
        raise ActionError(_("Only an approved, unpublished report can go back to draft."))
    report.revisions.filter(published_at__isnull=True).delete()
    _set_status(report, ReportStatus.DRAFT, actor=actor, step="returned")
    return report


@transaction.atomic
def publish(report: AnnualReport, *, actor: User) -> Revision:
    report = _head_step(
        report, actor, _("Only the head of the disclosure office may publish the annual report.")
    )
    if report.status != ReportStatus.APPROVED:
        raise ActionError(_("A report is published after the office head has approved it."))
    revision = report.revisions.get(published_at__isnull=True)
    revision.published_by, revision.published_at = actor, timezone.now()
    revision.save(update_fields=["published_by", "published_at"])
    report.amendment_reason = ""
    content.changed()  # the portal's column shows the new revision
    _set_status(
        report,
        ReportStatus.PUBLISHED,
        actor=actor,
        step="published",
        fields=("amendment_reason",),
        revision=revision.number,
    )
    return revision


@transaction.atomic
def start_amendment(report: AnnualReport, *, actor: User, reason: str) -> AnnualReport:
    """Reopen a published report; the published revision stays public until the next one."""
    report = _head_step(
        report, actor, _("Only the head of the disclosure office may amend a published report.")
    )
    if report.status != ReportStatus.PUBLISHED:
        raise ActionError(_("Only a published report is amended; a draft is simply edited."))
    if not reason.strip():
        raise ActionError({"reason": _("Give the reason for the amendment; it is published.")})
    report.amendment_reason = reason.strip()
    _set_status(
        report,
        ReportStatus.DRAFT,
        actor=actor,
        step="amendment_opened",
        fields=("amendment_reason",),
        reason=reason.strip(),
    )
    return report


@transaction.atomic
def import_checked_report(
    agency: Agency, year: int, checked: ReportCheck, *, actor: User | None, index: int
) -> AnnualReport:
    """Report `index` of the check run `checked` becomes the agency's `year`: its draft is
    opened, the figures read are entered (source IMPORTED) and its text saved, and the run
    remembers the report it became. One transaction: a refused step leaves neither a new
    draft nor half an import."""
    run = ReportCheck.objects.select_for_update().get(pk=checked.pk)
    if not 0 <= index < len(run.results):
        raise ActionError(_("No such report in this check."))
    data = run.results[index]
    blocker = import_blocker(data)
    if blocker:
        raise ActionError(blocker)
    if data["year"] != year:
        raise ActionError(
            _("The report is for %(report)d, not %(year)d.")
            % {"report": data["year"], "year": year}
        )
    tables, zeroed = import_tables(data)
    reason = (
        _(
            "Imported from the published report “%(file)s”; blank cells and cells with “/” "
            "count as 0."
        )
        if zeroed
        else _("Imported from the published report “%(file)s”.")
    ) % {"file": data["file"]}
    report = open_report(agency, year, actor=actor)
    if report.format != data["format"]:
        raise ActionError(
            _("The report of %(year)d in the system is in another format.") % {"year": year}
        )
    enter_figures(report, tables, actor=actor, reason=reason, source=Source.IMPORTED)
    sections = data.get("sections") or {}
    report = save_text(
        report, actor=actor, **{key: str(sections.get(key, "")) for key in TEXT_SECTIONS}
    )
    run.imported = {**run.imported, str(index): report.pk}
    run.save(update_fields=["imported"])
    _log(report, "imported", actor, check=run.pk, file=str(data["file"]))
    return report


@transaction.atomic
def import_history(
    agency: Agency,
    data: dict[str, Any],
    *,
    actor: User | None,
    run: ReportCheck | None = None,
) -> tuple[HistoricalYear, bool]:
    """A checked pre-2019 report (what checking.batch.stored_result keeps of it) becomes
    the agency's historical year: the items of its statistics table, for the trends. An
    earlier import of the same year is replaced (the second value says whether one was).
    Refused, with the reason, when the report is not a readable pre-2019 report whose table
    adds up (checking.imports.history_blocker), or the actor is not the agency's staff."""
    if actor is not None and not has_role(actor, agency, *STAFF):
        raise ActionError(_("Only the agency's disclosure staff can import its reports."))
    blocker = history_blocker(data)
    if blocker:
        raise ActionError(blocker)
    year = int(data["year"])
    found, created = HistoricalYear.objects.update_or_create(
        agency=agency,
        year=year,
        defaults={
            "figures": history_values(data),
            "file": str(data.get("file", ""))[:300],
            "check_run": run,
            "imported_by": actor,
        },
    )
    record(
        Action.ANNUAL_STEP,
        actor=actor,
        obj=found,
        agency=agency,
        detail={
            "step": "history_imported",
            "year": year,
            "file": found.file,
            "items": len(found.figures),
            "replaced": not created,
            **({"check": run.pk} if run is not None else {}),
        },
    )
    content.changed()  # the public trend charts show it
    return found, not created


def store_check_run(results: list[Checked], *, actor: User) -> ReportCheck:
    """Keep a batch of checked reports for the officer who ran it (its page lists them, and
    any can later be imported as an agency's year with import_checked_report)."""
    title = (
        results[0].file[:200]
        if len(results) == 1
        else ngettext("%(count)d report", "%(count)d reports", len(results))
        % {"count": len(results)}
    )
    return ReportCheck.objects.create(
        created_by=actor, title=title, results=[stored_result(r) for r in results]
    )
