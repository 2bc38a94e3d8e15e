"""Indicator systems (评估指标体系) as data, and each agency's yearly self-evaluation (自查自评).

An `IndicatorSystem` is a tree of `Indicator`s. Every indicator has a point budget
(`weight`; a parent's weight is the sum of its children's, the first level adds up to the
system's `total`), a scoring rule (`Rule`: ratio with thresholds, deduction per
occurrence with a cap, or a manual score) with its parameters, and a source: a computed
measure of gongkai.evaluation.measures, or evidence (佐证材料) the agency attaches.

A `SelfEvaluation` is one agency's evaluation of a year against one system: its
per-indicator results (`IndicatorResult`: the computed value, the agency's manual score
and note), its evidence files, its report text, and the workflow draft → approved →
submitted (frozen: `snapshot` holds the results as submitted) → returned → … Every
submission and return is kept as an `EvaluationRevision`. The supervising office reviews a
submitted evaluation per indicator (`IndicatorResult.reviewed_score`, `review_note`).

A `Rectification` (整改) is a task the supervising office issues to an agency below it —
a finding, often on one indicator of an evaluation, and a deadline — which the agency
answers with what it did and evidence (`RectificationFile`); the supervisor accepts the
answer or returns it: issued → answered → accepted, or returned → answered → …
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IndicatorSystem(models.Model):
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    issuing_body = models.CharField(_("issuing body"), max_length=200, blank=True)
    total = models.DecimalField(_("total points"), max_digits=6, decimal_places=2, default=100)
    copy_of = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
    )
    # The agency whose administrators edit it (a province's own system); empty: the
    # installation's (the superuser's).
    owner = models.ForeignKey(
        "orgs.Agency",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_default = models.BooleanField(_("default system"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indicator system")
        verbose_name_plural = _("indicator systems")
        ordering = ["-year", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.year}）"


class Rule(models.TextChoices):
    RATIO = "ratio", _("Ratio with thresholds")
    DEDUCTION = "deduction", _("Deduction per occurrence with a cap")
    MANUAL = "manual", _("Manual score")


class SourceKind(models.TextChoices):
    COMPUTED = "computed", _("Computed from the records")
    EVIDENCE = "evidence", _("Evidence attached by the agency")
    MANUAL = "manual", _("Scored by hand")


class Indicator(models.Model):
    system = models.ForeignKey(IndicatorSystem, on_delete=models.CASCADE, related_name="indicators")
    key = models.CharField(_("key"), max_length=64)
    label = models.CharField(_("indicator"), max_length=300)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent indicator"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    weight = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=Decimal(0))
    rule = models.CharField(_("scoring rule"), max_length=16, choices=Rule.choices, blank=True)
    # ratio: {"thresholds": [[95, 1.0], [80, 0.6], [0, 0]], "when_empty": "full"|"zero"};
    # deduction: {"per": 2, "cap": 10}; manual: {}.
    params = models.JSONField(_("rule parameters"), default=dict, blank=True)
    source = models.CharField(
        _("source"), max_length=16, choices=SourceKind.choices, default=SourceKind.COMPUTED
    )
    measure = models.CharField(_("computed measure"), max_length=64, blank=True)
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    guidance = models.TextField(_("guidance"), blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["system", "key"], name="evaluation_indicator_key")
        ]

    def __str__(self) -> str:
        return self.label


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved by the office head")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")


# The states in which the agency may still change results, evidence and text.
EDITABLE_STATUSES = (EvaluationStatus.DRAFT, EvaluationStatus.RETURNED)


class SelfEvaluation(models.Model):
    agency = models.ForeignKey(
        "orgs.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    system = models.ForeignKey(
        IndicatorSystem,
        verbose_name=_("indicator system"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.DRAFT,
    )
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    # The results as submitted (measures.result_json per indicator): what the supervisor
    # reads once the evaluation is frozen, whatever the records do afterwards.
    snapshot = models.JSONField(default=list, blank=True)
    recipient = models.CharField(_("addressed to"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    text = models.TextField(_("report text"), blank=True)
    signed_on = models.DateField(_("date of the report"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("self-evaluation")
        verbose_name_plural = _("self-evaluations")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="evaluation_agency_year")
        ]
        indexes = [models.Index(fields=["year", "status"], name="evaluation_year_status")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class IndicatorResult(models.Model):
    """One indicator of one evaluation: the agency's manual score and note (and, once
    reviewed, the supervisor's). Computed values are not stored here while the
    evaluation is a draft: they are computed when read, and frozen in the snapshot."""

    evaluation = models.ForeignKey(SelfEvaluation, on_delete=models.CASCADE, related_name="results")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    manual_score = models.DecimalField(
        _("self-assessed score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("explanation"), blank=True)
    reviewed_score = models.DecimalField(
        _("score after review"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("indicator result")
        verbose_name_plural = _("indicator results")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "indicator"], name="evaluation_result_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} {self.indicator}"


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    return f"evaluation/{instance.evaluation_id}/{filename}"


class EvidenceFile(models.Model):
    """A 佐证材料 attached to one indicator of one evaluation: a file, a note, or both."""

    evaluation = models.ForeignKey(
        SelfEvaluation, on_delete=models.CASCADE, related_name="evidence"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    note = models.TextField(_("note"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["indicator__sort_order", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name or self.note[:40]


class RevisionKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")


class EvaluationRevision(models.Model):
    """A submitted (or returned) state of an evaluation, kept for good."""

    evaluation = models.ForeignKey(
        SelfEvaluation, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveSmallIntegerField(_("revision"))
    kind = models.CharField(_("step"), max_length=16, choices=RevisionKind.choices)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    snapshot = models.JSONField(default=list)
    text = models.TextField(blank=True)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("evaluation revision")
        verbose_name_plural = _("evaluation revisions")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "number"], name="evaluation_revision_no")
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} r{self.number}"


# ---- 整改 ------------------------------------------------------------------------------------


class RectificationStatus(models.TextChoices):
    ISSUED = "issued", _("Issued, awaiting the agency's answer")
    ANSWERED = "answered", _("Answered, awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned: rectify further")


# The states in which the agency owes an answer (and past the deadline, is overdue).
AWAITING_ANSWER = (RectificationStatus.ISSUED, RectificationStatus.RETURNED)


class RectificationQuerySet(models.QuerySet["Rectification"]):
    def awaiting_answer(self) -> RectificationQuerySet:
        return self.filter(status__in=AWAITING_ANSWER)

    def overdue(self, today: date) -> RectificationQuerySet:
        """Past the deadline and not answered (a returned task owes a new answer)."""
        return self.awaiting_answer().filter(deadline__lt=today)


class Rectification(models.Model):
    agency = models.ForeignKey(
        "orgs.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    evaluation = models.ForeignKey(
        SelfEvaluation,
        verbose_name=_("self-evaluation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rectifications",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year evaluated"), null=True, blank=True)
    finding = models.TextField(_("problem found"))
    deadline = models.DateField(_("rectify by"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RectificationStatus.choices,
        default=RectificationStatus.ISSUED,
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"))
    answer = models.TextField(_("what was done"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("opinion of the supervising office"), blank=True)
    # Every step as {"step", "by", "at", "text"}: the earlier answers and returns of a task
    # answered more than once.
    history = models.JSONField(default=list, blank=True)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification task")
        verbose_name_plural = _("rectification tasks")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["status", "deadline"], name="evaluation_rect_due"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.finding[:30]}"

    @property
    def awaiting_answer(self) -> bool:
        return self.status in AWAITING_ANSWER

    def is_overdue(self, today: date) -> bool:
        return self.awaiting_answer and self.deadline < today

    @property
    def answered_late(self) -> bool:
        """Answered after the deadline (local date of the answer)."""
        return self.answered_at is not None and (
            timezone.localdate(self.answered_at) > self.deadline
        )

    def step(self, step: str, by: Any, at: Any, text: str = "") -> None:
        self.history = [
            *self.history,
            {"step": step, "by": getattr(by, "display_name", ""),
             "at": timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
             "text": text},
        ]  # fmt: skip


def rectification_path(instance: RectificationFile, filename: str) -> str:
    return f"evaluation/rectification/{instance.rectification_id}/{filename}"


class RectificationFile(models.Model):
    """Evidence of what the agency did about a rectification task."""

    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=rectification_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rectification evidence")
        verbose_name_plural = _("rectification evidence")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
