"""The portal's sitemap: its fixed pages, the active agencies' columns, the published
catalog and the published annual reports.

/sitemap.xml is an index of the sections (gongkai/urls.py): the catalog may run to
hundreds of thousands of items, and only an index makes the pages after the first one
(?p=2, …) discoverable.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import reverse

from gongkai.annual.models import AnnualReport
from gongkai.annual.published import published_reports
from gongkai.orgs.models import Agency
from gongkai.publishing.models import InfoItem

# Far below the protocol's 50,000 URLs per file, to keep each page's query and response small.
ITEMS_PER_PAGE = 5_000


class StaticSitemap(Sitemap[str]):
    changefreq = "daily"

    def items(self) -> list[str]:
        return [
            "portal:home",
            "portal:guides",
            "portal:catalog",
            "portal:search",
            "portal:annual_reports",
            "portal:apply_choose",
            "portal:track",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class AgencySitemap(Sitemap[Agency]):
    changefreq = "weekly"

    def items(self) -> QuerySet[Agency]:
        return Agency.objects.active().only("code").order_by("path")

    def location(self, item: Agency) -> str:
        return reverse("portal:agency", args=[item.code])


class ItemSitemap(Sitemap[InfoItem]):
    limit = ITEMS_PER_PAGE

    def items(self) -> QuerySet[InfoItem]:
        return InfoItem.objects.public().only("pk", "updated_at").order_by("pk")

    def location(self, item: InfoItem) -> str:
        return reverse("portal:item", args=[item.pk])

    def lastmod(self, item: InfoItem) -> datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> datetime | None:
        # Django's default calls lastmod() on every item of the section, i.e. loads the
        # whole catalog for the index; one aggregate does the same.
        latest: datetime | None = self.items().aggregate(latest=Max("updated_at"))["latest"]
        return latest


class AnnualReportSitemap(Sitemap[AnnualReport]):
    changefreq = "yearly"

    def items(self) -> QuerySet[AnnualReport]:
        return published_reports().only("year", "agency__code").order_by("pk")

    def location(self, item: AnnualReport) -> str:
        return reverse("portal:annual_report", args=[item.agency.code, item.year])

    def lastmod(self, item: AnnualReport) -> datetime:
        published_at: datetime = item.latest_published_at  # type: ignore[attr-defined]
        return published_at


SITEMAPS: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {
    "pages": StaticSitemap,
    "agencies": AgencySitemap,
    "items": ItemSitemap,
    "annual-reports": AnnualReportSitemap,
}
