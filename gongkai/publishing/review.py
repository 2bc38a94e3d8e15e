"""The rules of review before publication: the agency's review stages, and the findings of
the personal-data detector that block submission.

Submitting runs the detector over title, summary and body; every finding must be masked
or kept by a reviewer with a reason before the item can go into review. Each stage's
reviewer approves or returns it with an opinion; the last approval makes it APPROVED.
The steps themselves (mask, keep, submit, review) are in gongkai.publishing.actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils.translation import gettext as _

from gongkai.lib.html import text_for_checks
from gongkai.orgs.access import has_role
from gongkai.orgs.models import Agency, Role, User
from gongkai.publishing.detect import Finding, find_personal_data
from gongkai.publishing.models import (
    STAGE_ROLES,
    ChangeKind,
    ChangeStatus,
    InfoItem,
    InfoItemQuerySet,
    ItemChange,
    ItemStatus,
    ReviewPolicy,
    ReviewRecord,
    ReviewStage,
    SensitiveWord,
)


@dataclass(frozen=True)
class Stage:
    order: int
    name: str
    role: str

    def as_json(self) -> dict[str, Any]:
        return {"order": self.order, "name": self.name, "role": self.role}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Stage:
        return cls(int(data["order"]), str(data["name"]), str(data["role"]))


DEFAULT_STAGES = (
    Stage(1, "初审", Role.REVIEWER_FIRST),
    Stage(2, "保密审查", Role.CONFIDENTIALITY),
    Stage(3, "终审", Role.REVIEWER_FINAL),
)
# What the configuration page offers when an agency has not set its stages: the default
# workflow, with a 复审 stage (the second-stage reviewer's) ready to switch on.
SECOND_STAGE = Stage(2, "复审", Role.REVIEWER_SECOND)
WITHDRAWAL_STAGE = Stage(1, "撤回审批", Role.OFFICE_HEAD)
CHECKED_FIELDS = ("title", "summary", "body", "doc_no", "topic", "keywords")


def agency_stages(agency: Agency) -> tuple[Stage, ...]:
    """The agency's workflow as configured, or the default."""
    configured = ReviewStage.objects.filter(agency=agency).order_by("order")
    return tuple(Stage(s.order, s.name, s.role) for s in configured) or DEFAULT_STAGES


def stages(item: InfoItem) -> tuple[Stage, ...]:
    """The stages of the item's review: those fixed at submission while it is in review,
    otherwise the agency's workflow."""
    if item.review_plan and item.status in (ItemStatus.IN_REVIEW, ItemStatus.APPROVED):
        return tuple(Stage.from_json(s) for s in item.review_plan)
    return agency_stages(item.agency)


def change_stages(change: ItemChange) -> tuple[Stage, ...]:
    if change.plan:
        return tuple(Stage.from_json(s) for s in change.plan)
    if change.kind == ChangeKind.WITHDRAWAL:
        return (WITHDRAWAL_STAGE,)
    return agency_stages(change.item.agency)


def workflow_problems(rows: list[Stage]) -> list[str]:
    """Why a workflow cannot be saved (empty list: it can). Each message names its rule."""
    problems = []
    roles = dict(STAGE_ROLES)
    if not rows:
        problems.append(_("A workflow needs at least one stage."))
    for row in rows:
        if row.role not in roles:
            problems.append(
                _(
                    "The stage %(stage)s has the role “%(role)s”, which does not exist; choose "
                    "one of the reviewer roles."
                )
                % {"stage": row.name, "role": row.role}
            )
        if not row.name.strip():
            problems.append(_("Every stage needs a name."))
    names = [r.name.strip() for r in rows]
    if len(set(names)) != len(names):
        problems.append(_("Two stages have the same name."))
    if rows and not any(r.role == Role.CONFIDENTIALITY for r in rows):
        problems.append(
            _(
                "Every workflow must include a confidentiality review (保密审查) by the "
                "confidentiality reviewer before publication (Article 17 of the Regulations)."
            )
        )
    return problems


def one_person_office(agency: Agency) -> bool:
    policy = ReviewPolicy.objects.filter(agency=agency).first()
    return bool(policy and policy.one_person_office)


def separation_problem(
    item: InfoItem, actor: User, stage: Stage, change: ItemChange | None = None
) -> tuple[str, bool]:
    """Whether separation of duties lets `actor` decide `stage`: (refusal, same_person).

    The drafter (of the item, or of the change) never decides a stage of it; one person
    does not decide two stages of the same item, unless the agency is a one-person
    office, and then the decision is marked (same_person) and the item shows a warning.
    """
    drafters = {item.created_by_id}
    if change is not None:
        drafters.add(change.requested_by_id)
    if actor.pk in drafters:
        return (
            _(
                "Separation of duties: the drafter of an item cannot decide any review "
                "stage of it (%(stage)s)."
            )
            % {"stage": stage.name},
            False,
        )
    earlier = ReviewRecord.objects.filter(item=item, change=change, reviewer=actor).exclude(
        stage_order=stage.order
    )
    if change is None:
        earlier = earlier.filter(round=item.review_round)
    else:
        earlier = earlier.filter(round=change.round)
    decided = earlier.values_list("stage_name", flat=True).first()
    if decided is not None:
        if one_person_office(item.agency):
            return "", True
        return (
            _(
                "Separation of duties: you already decided the %(earlier)s stage of this "
                "item; the %(stage)s stage needs another person."
            )
            % {"earlier": decided, "stage": stage.name},
            False,
        )
    return "", False


def current_stage(item: InfoItem) -> tuple[Stage, ItemChange | None] | None:
    """The stage now due on the item (its publication, or an open change), if any."""
    if item.status == ItemStatus.IN_REVIEW:
        stage = next((s for s in stages(item) if s.order == item.review_stage), None)
        return (stage, None) if stage else None
    change = item.change_requests.filter(status=ChangeStatus.IN_REVIEW).first()
    if change is not None:
        stage = next((s for s in change_stages(change) if s.order == change.stage), None)
        return (stage, change) if stage else None
    return None


def may_decide(item: InfoItem, user: User | AnonymousUser) -> Stage | None:
    """The stage `user` may decide on `item` now, or None."""
    if not isinstance(user, User):
        return None
    due = current_stage(item)
    if due is None:
        return None
    stage, change = due
    if not has_role(user, item.agency, stage.role):
        return None
    refusal, _same = separation_problem(item, user, stage, change)
    return None if refusal else stage


def items_awaiting_review(user: User | AnonymousUser) -> InfoItemQuerySet:
    """Catalog items whose stage now due (publication, change or withdrawal) `user` may
    decide: the office home's review queue. A stable entry point for other apps."""
    from gongkai.publishing.access import visible_items

    if not isinstance(user, User):
        return InfoItem.objects.none()
    candidates = (
        visible_items(user)
        .filter(Q(status=ItemStatus.IN_REVIEW) | Q(change_requests__status=ChangeStatus.IN_REVIEW))
        .distinct()
    )
    pks = [item.pk for item in candidates[:500] if may_decide(item, user) is not None]
    return InfoItem.objects.filter(pk__in=pks).select_related("agency", "category")


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
