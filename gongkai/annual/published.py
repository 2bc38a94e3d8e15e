"""Published annual reports, for the portal's column, the sitemap and the open data API."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from gongkai.annual.models import AnnualReport, Revision

DOWNLOADS = ("docx", "pdf", "xlsx")


def published_reports() -> QuerySet[AnnualReport]:
    """Reports of active agencies that have a published revision, annotated with the number
    and publication time of the latest one (for the sitemap and the open data API)."""
    published = Revision.objects.filter(report=OuterRef("pk"), published_at__isnull=False)
    latest = published.order_by("-number")
    return (
        AnnualReport.objects.filter(Exists(published), agency__is_active=True)
        .annotate(
            latest_revision=Subquery(latest.values("number")[:1]),
            latest_published_at=Subquery(latest.values("published_at")[:1]),
        )
        .select_related("agency")
    )
