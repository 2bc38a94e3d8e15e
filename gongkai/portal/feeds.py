"""RSS 2.0 and Atom feeds of newly published government information, overall and per agency.

Only published items appear; a withdrawn item drops out of the feed (its page keeps the
withdrawal notice). Readers identify an item by its 索引号, never by its address.
"""

from __future__ import annotations

import html
import re
import uuid
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.models import Agency
from gongkai.publishing.models import InfoItem

NEWEST = 50
DESCRIPTION_LENGTH = 200
# Namespace of the Atom ids (see AtomItemsFeed.item_guid); never change it, or every
# reader sees every item again as new.
ATOM_ID_NAMESPACE = uuid.UUID("5d0f8a3e-4b6c-5f1a-9a57-6b1f3c2d7e90")


def summary_of(item: InfoItem) -> str:
    """The summary, or else the start of the text without its markup."""
    if item.summary.strip():
        return item.summary.strip()
    text = re.sub(r"\s+", " ", html.unescape(strip_tags(item.body))).strip()
    return text[:DESCRIPTION_LENGTH]


class ItemsFeed(Feed[InfoItem, Agency]):
    """The newest published items of the installation, or of one active agency."""

    feed_type: type[SyndicationFeed] = Rss201rev2Feed

    def get_object(self, request: HttpRequest, code: str | None = None) -> Agency | None:
        if code is None:
            return None
        return get_object_or_404(Agency.objects.active(), code=code)

    def title(self, obj: Agency | None) -> str:
        if obj is None:
            return str(_("New government information of %(site)s") % {"site": settings.SITE_NAME})
        return str(_("New government information of %(agency)s") % {"agency": obj.name})

    def description(self, obj: Agency | None) -> str:
        if obj is None:
            return str(_("The newest government information published proactively."))
        return str(
            _("The newest government information published proactively by %(agency)s.")
            % {"agency": obj.name}
        )

    def link(self, obj: Agency | None) -> str:
        if obj is None:
            return reverse("portal:home")
        return reverse("portal:agency", args=[obj.code])

    def items(self, obj: Agency | None) -> QuerySet[InfoItem]:
        items = InfoItem.objects.public()
        if obj is not None:
            items = items.filter(agency=obj)
        return items.select_related("agency", "category").order_by("-published_at", "-id")[:NEWEST]

    def item_title(self, item: InfoItem) -> str:
        return item.title

    def item_description(self, item: InfoItem) -> str:
        return summary_of(item)

    def item_link(self, item: InfoItem) -> str:
        return reverse("portal:item", args=[item.pk])

    def item_pubdate(self, item: InfoItem) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: InfoItem) -> datetime:
        return item.updated_at

    def item_author_name(self, item: InfoItem) -> str:
        return item.agency.name

    def item_categories(self, item: InfoItem) -> list[str]:
        return [item.category.name]

    def item_guid(self, item: InfoItem) -> str:
        return item.index_no

    item_guid_is_permalink = False


class AtomItemsFeed(ItemsFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Agency | None) -> str:
        return self.description(obj)

    def item_guid(self, item: InfoItem) -> str:
        # Atom ids must be IRIs, which a 索引号 ("…/2026-00001") is not: a name-based UUID
        # of it is, and unlike a tag: URI it does not change with the host name readers use.
        return f"urn:uuid:{uuid.uuid5(ATOM_ID_NAMESPACE, item.index_no)}"
