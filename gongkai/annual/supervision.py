"""For a supervising office: who contributes what to a rollup, how many replies came in
time, and whose reports are missing, unapproved or late (第四十九条 deadlines).

The breakdown counts the main figures of table 三 and 四 per agency in one grouped query
each, then sums each child's subtree, so a city sees its counties and a county its
departments and townships, each line adding up to the rollup.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from gongkai.annual.actions import due_on
from gongkai.annual.compute import Scope, _t3_predicates, applications_with_closing
from gongkai.annual.models import AnnualReport
from gongkai.foi.models import Application, Remedy, Status
from gongkai.lib.report_keys import OVERDUE_OUTCOMES, RemedyKind
from gongkai.orgs.models import Agency, Membership, Role, User

FIGURES = ("new_received", "carried_over", "total_processed", "carried_forward")
REMEDIES = ("reviews", "lawsuits")
# Replies given in the year, and those within the reply period (第三十三条; not 逾期答复).
TIMELINESS = ("replied", "replied_on_time")
ALL = FIGURES + REMEDIES + TIMELINESS


@dataclass
class Line:
    agency: Agency
    own: bool  # the agency's own records only (not its subtree)
    figures: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ALL, 0))

    @property
    def on_time_rate(self) -> float | None:
        """The share of the year's replies given in time, in per cent; None without replies."""
        return on_time_rate(self.figures)


def on_time_rate(figures: dict[str, int]) -> float | None:
    if not figures["replied"]:
        return None
    return round(100 * figures["replied_on_time"] / figures["replied"], 1)


def _per_agency(agencies: list[Agency], year: int) -> dict[int, dict[str, int]]:
    ids = [a.pk for a in agencies]
    scope = Scope(tuple(ids), year)
    start, end = scope.start, scope.end
    predicates = _t3_predicates(scope)  # the same rules as the report's table 三
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ALL, 0))
    annotated: Any = applications_with_closing(ids)
    for row in (
        annotated.filter(received_on__lte=end)
        .values("agency_id")
        .annotate(**{name: Count("id", filter=q) for name, q in predicates.items()})
        .order_by()
    ):
        counts[row["agency_id"]].update({name: row[name] for name in FIGURES})
    for row in (
        Remedy.objects.filter(application__agency_id__in=ids, filed_on__range=(start, end))
        .values("application__agency_id")
        .annotate(
            reviews=Count("id", filter=Q(kind=RemedyKind.ADMINISTRATIVE_REVIEW)),
            lawsuits=Count("id", filter=~Q(kind=RemedyKind.ADMINISTRATIVE_REVIEW)),
        )
        .order_by()
    ):
        counts[row["application__agency_id"]].update(
            reviews=row["reviews"], lawsuits=row["lawsuits"]
        )
    # Closed by a reply (not withdrawn, not closed for a missing correction or fee).
    for row in (
        Application.objects.filter(
            agency_id__in=ids, status=Status.CLOSED, closed_on__range=(start, end)
        )
        .exclude(outcome__in=OVERDUE_OUTCOMES)
        .values("agency_id")
        .annotate(replied=Count("id"), replied_on_time=Count("id", filter=Q(replied_late=False)))
        .order_by()
    ):
        counts[row["agency_id"]].update(
            replied=row["replied"], replied_on_time=row["replied_on_time"]
        )
    return counts


def breakdown(agency: Agency, year: int) -> list[Line]:
    """The agency's own records, then each child's subtree: lines that add up to the rollup."""
    subtree = list(Agency.objects.subtree_of(agency).order_by("path"))
    counts = _per_agency(subtree, year)
    children = [a for a in subtree if a.parent_id == agency.pk]
    lines = [Line(agency, own=True, figures=dict(counts[agency.pk]))]
    for child in children:
        line = Line(child, own=False)
        for member in subtree:
            if member.path.startswith(child.path):
                for name, value in counts[member.pk].items():
                    line.figures[name] += value
        lines.append(line)
    return lines


def totals(lines: list[Line]) -> dict[str, int]:
    return {name: sum(line.figures[name] for line in lines) for name in ALL}


@dataclass
class Standing:
    agency: Agency
    due_on: date
    report: AnnualReport | None
    published_on: date | None

    @property
    def state(self) -> str:
        if self.report is None:
            return "missing"
        if self.published_on is not None:
            return "late" if self.published_on > self.due_on else "published"
        return str(self.report.status)

    @property
    def overdue(self) -> bool:
        if self.published_on is not None:
            return self.published_on > self.due_on
        return timezone.localdate() > self.due_on


def standings(agency: Agency, year: int, *, problems_only: bool = False) -> list[Standing]:
    """Every active agency below `agency` and where its report for `year` stands."""
    below = list(Agency.objects.subtree_of(agency).active().exclude(pk=agency.pk).order_by("path"))
    reports = {
        r.agency_id: r
        for r in AnnualReport.objects.filter(agency__in=below, year=year).prefetch_related(
            "revisions"
        )
    }
    result = []
    for member in below:
        report = reports.get(member.pk)
        first = None
        if report is not None:
            published = [r.published_at for r in report.revisions.all() if r.published_at]
            first = timezone.localdate(min(published)) if published else None
        standing = Standing(member, due_on(member, year), report, first)
        if problems_only and standing.state == "published":
            continue
        result.append(standing)
    return result


@dataclass
class Dashboard:
    year: int
    own: list[Standing]
    supervised: list[tuple[Agency, int]]  # supervising agency, reports missing/unapproved/late


def for_user(user: User, today: date) -> Dashboard:
    """Last year's report of each agency where the user works, and for supervisors how many
    reports below are not yet published on time."""
    year = today.year - 1
    memberships = Membership.objects.filter(user=user, agency__is_active=True)
    own_ids = memberships.filter(role__in=(Role.OFFICER, Role.OFFICE_HEAD, Role.ADMIN)).values(
        "agency_id"
    )
    own = []
    for agency in Agency.objects.filter(pk__in=own_ids).order_by("path"):
        report = AnnualReport.objects.filter(agency=agency, year=year).first()
        first = None
        if report is not None:
            published = report.revisions.filter(published_at__isnull=False).order_by("number")
            first_revision = published.first()
            first = timezone.localdate(first_revision.published_at) if first_revision else None
        own.append(Standing(agency, due_on(agency, year), report, first))
    supervised = [
        (agency, len(standings(agency, year, problems_only=True)))
        for agency in Agency.objects.filter(
            pk__in=memberships.filter(role=Role.SUPERVISOR).values("agency_id")
        ).order_by("path")
    ]
    return Dashboard(year, own, supervised)
