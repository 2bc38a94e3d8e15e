"""The version of what the public portal shows: one counter, bumped after the commit of
each change the public sees — a publishing step (publish, change, withdraw, an
interpretation, a channel), an edit of an agency's guide or contact details, the
publication of an annual report. The portal's page cache is keyed on it
(gongkai.portal.cache). A change made in the administration site does not bump it; such
pages follow within PORTAL_CACHE_SECONDS.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from gongkai.orgs.models import PublicContent

ROW = 1


def changed() -> None:
    """The public content changes with the current transaction: bump once it commits (a
    rolled-back change leaves the cached pages as they are)."""
    transaction.on_commit(_bump)


def _bump() -> None:
    if not PublicContent.objects.filter(pk=ROW).update(version=F("version") + 1):
        PublicContent.objects.get_or_create(pk=ROW, defaults={"version": 1})


def version(using: str = "default") -> int:
    """The current version (0 before the first change), as the database `using` has it."""
    row = (
        PublicContent.objects.using(using).filter(pk=ROW).values_list("version", flat=True).first()
    )
    return row or 0
