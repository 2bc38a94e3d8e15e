"""The rules of review before publication: the agency's review stages, and the findings of
the personal-data detector that block submission.

Submitting runs the detector over title, summary and body; every finding must be masked
or kept by a reviewer with a reason before the item can go into review. Each stage's
reviewer approves or returns it with an opinion; the last approval makes it APPROVED.
The steps themselves (mask, keep, submit, review) are in gongkai.publishing.actions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from gongkai.lib.html import text_for_checks
from gongkai.orgs.models import Role
from gongkai.publishing.detect import Finding, find_personal_data
from gongkai.publishing.models import (
    InfoItem,
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
