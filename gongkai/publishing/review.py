"""Review before publication: personal-data checks, then the agency's review stages.

Submitting runs the detector over title, summary and body; every finding must be masked
or kept by a reviewer with a reason before the item can go into review. Each stage's
reviewer approves or returns it with an opinion; the last approval makes it APPROVED.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.audit.log import record
from gongkai.audit.models import Action
from gongkai.lib.errors import ActionError
from gongkai.lib.html import sanitize_html, text_for_checks
from gongkai.orgs.access import has_role
from gongkai.orgs.models import Role, User
from gongkai.publishing.detect import Finding, find_personal_data, mask_text
from gongkai.publishing.models import (
    InfoItem,
    ItemStatus,
    KeptFinding,
    ReviewDecision,
    ReviewRecord,
    ReviewStage,
    SensitiveWord,
)


@dataclass(frozen=True)
class Stage:
    order: int
    name: str
    role: str


DEFAULT_STAGES = (
    Stage(1, "初审", Role.REVIEWER_FIRST),
    Stage(2, "保密审查", Role.CONFIDENTIALITY),
    Stage(3, "终审", Role.REVIEWER_FINAL),
)
CHECKED_FIELDS = ("title", "summary", "body", "doc_no", "topic", "keywords")


def stages(item: InfoItem) -> tuple[Stage, ...]:
    configured = ReviewStage.objects.filter(agency=item.agency).order_by("order")
    return tuple(Stage(s.order, s.name, s.role) for s in configured) or DEFAULT_STAGES


@dataclass(frozen=True)
class FieldFinding:
    """A finding in one field of the item, or (field "attachment") in an attachment's text."""

    field: str
    finding: Finding
    attachment: str = ""

    @property
    def label(self) -> str:
        if self.field == "attachment":
            return _("Attachment %(name)s") % {"name": self.attachment}
        return str(getattr(InfoItem._meta.get_field(self.field), "verbose_name", self.field))


def findings(item: InfoItem) -> list[FieldFinding]:
    """Personal data and sensitive words not yet masked or kept, attachments included."""
    words = list(SensitiveWord.objects.values_list("word", flat=True))
    kept = set(item.kept_findings.values_list("kind", "text")) if item.pk else set()
    result = []
    for name in CHECKED_FIELDS:
        text = getattr(item, name)
        if name == "body":
            text = text_for_checks(text)
        for finding in find_personal_data(text, words):
            if (finding.kind, finding.text) not in kept:
                result.append(FieldFinding(name, finding))
    if item.pk:
        for attachment in item.attachments.only("original_name", "text"):
            for finding in find_personal_data(attachment.text, words):
                if (finding.kind, finding.text) not in kept:
                    result.append(FieldFinding("attachment", finding, attachment.original_name))
    return result


@transaction.atomic
def mask_findings(item: InfoItem, *, actor: User | None) -> int:
    """Replace open findings by their masked forms (去标识化); returns how many were replaced.

    Only while the item is a draft or returned: a published item changes through
    change_item, which keeps a version. The body is HTML, so the result is sanitised again.
    A number split by markup is not replaced here; the submit check still blocks it. Files
    cannot be masked: an attachment with findings is replaced, or a reviewer keeps them.
    """
    item = InfoItem.objects.select_for_update().select_related("agency").get(pk=item.pk)
    if actor is not None and not has_role(actor, item.agency, Role.OFFICER, Role.OFFICE_HEAD):
        raise ActionError(_("Only the agency's disclosure staff may do this."))
    if item.status not in (ItemStatus.DRAFT, ItemStatus.RETURNED):
        raise ActionError(_("Only a draft or a returned item can be masked here."))
    open_findings = findings(item)
    replaced = 0
    for name in CHECKED_FIELDS:
        own = [f.finding for f in open_findings if f.field == name]
        if not own:
            continue
        text = getattr(item, name)
        if name == "body":
            for finding in own:
                replaced += text.count(finding.text)
                text = text.replace(finding.text, finding.masked)
            text = sanitize_html(text)
        else:
            replaced += len(own)
            text = mask_text(text, own)
        setattr(item, name, text)
    item.save(update_fields=list(CHECKED_FIELDS))
    record(
        Action.PUBLISHING_STEP,
        actor=actor,
        obj=item,
        agency=item.agency,
        detail={"step": "masked", "count": replaced},
    )
    return replaced


@transaction.atomic
def keep_finding(item: InfoItem, *, actor: User, kind: str, text: str, reason: str) -> KeptFinding:
    """A reviewer keeps a finding on purpose (e.g. 惩戒性公示), with the reason."""
    if not any(has_role(actor, item.agency, s.role) for s in stages(item)):
        raise ActionError(_("Only a reviewer may keep personal data in an item."))
    if not reason.strip():
        raise ActionError(_("Give the reason for publishing this personal data."))
    kept = KeptFinding.objects.create(
        item=item, kind=kind, text=text, reason=reason.strip(), by=actor
    )
    record(
        Action.PUBLISHING_STEP,
        actor=actor,
        obj=item,
        agency=item.agency,
        detail={"step": "finding_kept", "kind": kind},
    )
    return kept


@transaction.atomic
def submit_for_review(item: InfoItem, *, actor: User | None) -> InfoItem:
    item = InfoItem.objects.select_for_update().select_related("agency").get(pk=item.pk)
    if actor is not None and not has_role(actor, item.agency, Role.OFFICER, Role.OFFICE_HEAD):
        raise ActionError(_("Only the agency's disclosure staff may do this."))
    if item.status not in (ItemStatus.DRAFT, ItemStatus.RETURNED):
        raise ActionError(_("Only a draft or a returned item can be submitted for review."))
    remaining = findings(item)
    if remaining:
        raise ActionError(
            _("Mask or keep the personal data first: %(list)s")
            % {"list": "、".join(f"{f.finding.text}" for f in remaining[:10])}
        )
    item.status, item.review_round, item.review_stage = (
        ItemStatus.IN_REVIEW,
        item.review_round + 1,
        stages(item)[0].order,
    )
    item.save(update_fields=["status", "review_round", "review_stage"])
    record(
        Action.PUBLISHING_STEP,
        actor=actor,
        obj=item,
        agency=item.agency,
        detail={"step": "submitted"},
    )
    return item


@transaction.atomic
def review(item: InfoItem, *, actor: User, decision: str, opinion: str = "") -> ReviewRecord:
    """The current stage's reviewer approves (on to the next stage) or returns the item."""
    item = InfoItem.objects.select_for_update().select_related("agency").get(pk=item.pk)
    if item.status != ItemStatus.IN_REVIEW:
        raise ActionError(_("The item is not in review."))
    workflow = stages(item)
    current = next(s for s in workflow if s.order == item.review_stage)
    if not has_role(actor, item.agency, current.role):
        raise ActionError(
            _("The %(stage)s stage needs its own reviewer.") % {"stage": current.name}
        )
    if decision == ReviewDecision.RETURN and not opinion.strip():
        raise ActionError(_("Give your opinion when returning an item."))
    entry = ReviewRecord.objects.create(
        item=item,
        round=item.review_round,
        stage_order=current.order,
        stage_name=current.name,
        reviewer=actor,
        decision=decision,
        opinion=opinion.strip(),
    )
    later = [s for s in workflow if s.order > current.order]
    if decision == ReviewDecision.RETURN:
        item.status = ItemStatus.RETURNED
    elif later:
        item.review_stage = later[0].order
    else:
        item.status = ItemStatus.APPROVED
    item.save(update_fields=["status", "review_stage"])
    record(
        Action.PUBLISHING_STEP,
        actor=actor,
        obj=item,
        agency=item.agency,
        detail={"step": "reviewed", "stage": current.name, "decision": decision},
    )
    return entry
