"""The 清理 of normative documents: a review of all the documents of an agency in force,
with each one's result (继续有效 / 修改 / 废止 / 宣布失效), cited by the annual report and
the self-evaluation (`cleanup_counts`)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import record
from gongkai.audit.models import Action
from gongkai.lib.errors import ActionError
from gongkai.orgs.access import has_role
from gongkai.orgs.models import Agency, Role, User
from gongkai.publishing import register
from gongkai.publishing.library import validity_on
from gongkai.publishing.models import (
    CleanupResult,
    NormativeCleanup,
    NormativeCleanupEntry,
    NormativeDocument,
    Validity,
)


@transaction.atomic
def record_cleanup(
    agency: Agency,
    *,
    actor: User | None,
    title: str,
    held_on: date,
    basis: str,
    results: dict[int, tuple[str, str]],
) -> NormativeCleanup:
    """A 清理: every document of the agency in force on `held_on` gets a result; a
    document repealed or declared expired by the 清理 is recorded so in the register (and
    its catalog item follows)."""
    if actor is not None and not has_role(actor, agency, Role.OFFICER, Role.OFFICE_HEAD):
        raise ActionError(_("Only the agency's disclosure staff may do this."))
    if not title.strip():
        raise ActionError({"title": _("Give the clean-up a title.")})
    if held_on > timezone.localdate():
        raise ActionError({"held_on": _("The clean-up date cannot be in the future.")})
    in_force = list(in_force_on(agency, held_on))
    missing = [d.title for d in in_force if d.pk not in results]
    if missing:
        raise ActionError(
            _("Give a result for every document in force: %(list)s")
            % {"list": "、".join(missing[:10])}
        )
    cleanup = NormativeCleanup.objects.create(
        agency=agency, title=title.strip(), basis=basis.strip(), held_on=held_on, created_by=actor
    )
    for doc in in_force:
        result, note = results[doc.pk]
        if result not in CleanupResult.values:
            raise ActionError(_("Choose a result for %(title)s.") % {"title": doc.title})
        NormativeCleanupEntry.objects.create(
            cleanup=cleanup, document=doc, result=result, note=note.strip()
        )
        if result == CleanupResult.REPEAL and doc.repealed_on is None:
            doc.repealed_on = held_on
            register.save_document(doc, actor=actor)
        elif result == CleanupResult.DECLARE_EXPIRED and doc.expired_on is None:
            doc.expired_on = held_on
            register.save_document(doc, actor=actor)
    record(
        Action.PUBLISHING_STEP,
        actor=actor,
        obj=cleanup,
        agency=agency,
        detail={"step": "normative_cleanup", "documents": len(in_force)},
    )
    return cleanup


def in_force_on(agency: Agency, day: date) -> QuerySet[NormativeDocument]:
    """The agency's issued documents in force on `day` by the register."""
    docs = NormativeDocument.objects.filter(agency=agency, issued_on__lte=day).order_by(
        "kind", "issued_on", "id"
    )
    keep = [d.pk for d in docs if validity_on(d, day)[0] == Validity.VALID]
    return NormativeDocument.objects.filter(pk__in=keep).order_by("kind", "issued_on", "id")


def cleanup_counts(agency_ids: list[int], year: int) -> dict[str, int]:
    """For the annual report and the self-evaluation: the 清理 of the year and the number
    of documents by result."""
    entries = NormativeCleanupEntry.objects.filter(
        cleanup__agency_id__in=agency_ids, cleanup__held_on__year=year
    )
    counts = {r: entries.filter(result=r).count() for r in CleanupResult.values}
    counts["cleanups"] = NormativeCleanup.objects.filter(
        agency_id__in=agency_ids, held_on__year=year
    ).count()
    return counts
