"""Proactive disclosure's background tasks: the search index, the personal-data re-scan,
and the daily check of the publication log's chain."""

from __future__ import annotations

from typing import Any

from django.core.mail import mail_admins
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.jobs.queue import PermanentError, job
from gongkai.publishing import catalog_search, integrity, rescan
from gongkai.publishing.models import InfoItem


@job(_("Update an item's search entry"), concerns="publishing.InfoItem")
def index_item(item_id: int) -> None:
    """The item's entry as the public sees it now (dropped when not public): rewriting it
    twice writes the same entry."""
    catalog_search.update_item(item_id)


@job(_("Rebuild the search index"))
def rebuild_search_index(fast: bool = False) -> int:
    """Replace the whole index with the published items; returns how many are indexed."""
    return catalog_search.rebuild(fast=fast)


@job(_("Re-scan published items for personal data"))
def rescan_published_items() -> int:
    """New findings are recorded once (publishing.RescanFinding); returns how many."""
    return len(rescan.rescan_published())


@job(_("Re-scan a published item for personal data"), concerns="publishing.InfoItem")
def rescan_item(item_id: int) -> int:
    item = InfoItem.objects.public().filter(pk=item_id).first()
    return len(rescan.rescan_item(item)) if item is not None else 0


@job(_("Check the publication log and record the day's head"), max_attempts=1)
def check_publication_log() -> dict[str, Any]:
    """The daily 发布记录校验值: the chain is verified end to end and its head returned (the
    portal publishes it at /publication-record/); a broken chain is a failure for the
    administrators and a mail to settings.ADMINS."""
    result = integrity.verify()
    if result.finding is not None:
        message = gettext(
            "The publication log is broken at entry %(seq)d: run manage.py verify_publication_log for the details."
        ) % {"seq": result.finding.seq}
        mail_admins(gettext("Publication log check failed"), message)
        raise PermanentError(message)
    return integrity.head()
