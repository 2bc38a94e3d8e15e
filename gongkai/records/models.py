"""The other statutory disclosure work (regulation notes §11): public consultation on
drafts, responses to public concern, hotline and mailbox messages, press conferences and
online interviews, NPC deputies' suggestions and CPPCC proposals, meetings and training,
and the disclosure office's staff and budget per year.

Rows are written only by gongkai.records.actions. Each kind's `problems()` says, field by
field, what is inconsistent (dates out of order); the actions refuse such a record.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# 《重大行政决策程序暂行条例》第十五条 and the 法治政府示范 indicator 24 (notes §11.3).
MIN_DAYS_LONG = 30
MIN_WORKING_DAYS_NORMATIVE = 7
# 国办发〔2016〕61号 / 80号 (notes §11.2): clock hours.
SEVERE_RESPONSE_HOURS = 24
OTHER_RESPONSE_HOURS = 48
MESSAGE_REPLY_DAYS = 15  # a local rule; the agency sets its own


def _before(later: Any, earlier: Any) -> bool:
    return later is not None and earlier is not None and later < earlier


def _order_message(field: Any) -> str:
    return gettext("This is before %(field)s.") % {"field": field.verbose_name}


class Record(models.Model):
    """What every record has: its agency, who wrote it and when."""

    agency = models.ForeignKey(
        "orgs.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The pairs (later field, earlier field) that must be in order.
    ORDER: tuple[tuple[str, str], ...] = ()

    class Meta:
        abstract = True

    def problems(self) -> dict[str, str]:
        """Field → message for each date out of order; empty when coherent."""
        errors: dict[str, str] = {}
        for later, earlier in self.ORDER:
            if later not in errors and _before(getattr(self, later), getattr(self, earlier)):
                errors[later] = _order_message(self._meta.get_field(earlier))
        return errors

    def record_date(self) -> date | None:
        """The date the record counts in (its year in the annual report)."""
        raise NotImplementedError


class RecordSettings(models.Model):
    """An agency's own rules for this work (the office head sets them)."""

    agency = models.OneToOneField(
        "orgs.Agency", on_delete=models.CASCADE, related_name="record_settings"
    )
    comment_name_required = models.BooleanField(_("commenters must give their name"), default=False)
    comment_contact_required = models.BooleanField(
        _("commenters must give a contact"), default=False
    )
    severe_response_hours = models.PositiveSmallIntegerField(
        _("response limit for major emergencies (hours)"),
        default=SEVERE_RESPONSE_HOURS,
        validators=[MinValueValidator(1)],
    )
    other_response_hours = models.PositiveSmallIntegerField(
        _("response limit for other public concern (hours)"),
        default=OTHER_RESPONSE_HOURS,
        validators=[MinValueValidator(1)],
    )
    message_reply_days = models.PositiveSmallIntegerField(
        _("reply limit for hotline and mailbox messages (days)"),
        default=MESSAGE_REPLY_DAYS,
        validators=[MinValueValidator(1)],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("settings of the other disclosure work")
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


# ---- 意见征集 ------------------------------------------------------------------------------


class ConsultationKind(models.TextChoices):
    MAJOR_DECISION = "major_decision", _("Major administrative decision")
    REGULATION = "regulation", _("Draft government rule")
    MARKET_NORMATIVE = "market_normative", _("Normative document on market activity")
    NORMATIVE = "normative", _("Normative document")
    OTHER = "other", _("Other draft")


class Consultation(Record):
    """A draft put to public comment (意见征集), its period and, later, its feedback."""

    kind = models.CharField(_("kind"), max_length=20, choices=ConsultationKind.choices)
    title = models.CharField(_("title"), max_length=300)
    draft = models.TextField(_("draft text"))
    explanation = models.TextField(_("explanation of the draft"))
    how_to_comment = models.TextField(
        _("how to comment"),
        blank=True,
        help_text=_("Besides the form on the portal: post, e-mail, fax."),
    )
    opens_on = models.DateField(_("comments open on"))
    closes_on = models.DateField(_("comments close on"))
    short_period_reason = models.TextField(
        _("reason for a shorter period"),
        blank=True,
        help_text=_("Needed when the period is shorter than the rule for the kind."),
    )
    published_at = models.DateTimeField(_("published on the portal"), null=True, blank=True)
    offline_comments = models.PositiveIntegerField(_("comments received by other means"), default=0)
    feedback = models.TextField(
        _("feedback on the comments"),
        blank=True,
        help_text=_("How many comments, which were adopted and why the others were not."),
    )
    adopted_comments = models.PositiveIntegerField(_("comments adopted"), default=0)
    feedback_published_at = models.DateTimeField(_("feedback published"), null=True, blank=True)

    ORDER = (("closes_on", "opens_on"),)

    class Meta:
        verbose_name = _("public consultation")
        verbose_name_plural = _("public consultations")
        ordering = ["-opens_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def record_date(self) -> date | None:
        return self.opens_on

    @property
    def is_open(self) -> bool:
        today = timezone.localdate()
        return self.published_at is not None and self.opens_on <= today <= self.closes_on

    @property
    def has_closed(self) -> bool:
        return timezone.localdate() > self.closes_on

    def comment_count(self) -> int:
        """Every comment received: online (rejected as spam or not) and by other means."""
        return self.comments.count() + self.offline_comments


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    SHOWN = "shown", _("Shown")
    HIDDEN = "hidden", _("Not shown")


class Comment(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    text = models.TextField(_("comment"))
    submitted_at = models.DateTimeField(_("submitted"))
    status = models.CharField(
        _("status"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    # Personal data found in the text (publishing.detect findings as dicts).
    findings = models.JSONField(default=list, blank=True)
    shown_text = models.TextField(_("text shown"), blank=True)
    adopted = models.BooleanField(_("adopted"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


# ---- 回应关切 ------------------------------------------------------------------------------


class Severity(models.TextChoices):
    SEVERE = "severe", _("Major or especially major emergency")
    OTHER = "other", _("Other public concern")


class ResponseForm(models.TextChoices):
    PRESS_RELEASE = "press_release", _("Press release")
    PRESS_CONFERENCE = "press_conference", _("Press conference")
    INTERVIEW = "interview", _("Interview")
    CATALOG_ITEM = "catalog_item", _("Catalog item")
    NEW_MEDIA = "new_media", _("Government new media")
    OTHER = "other", _("Other")


class Concern(Record):
    """An issue of public concern (政务舆情) and the agency's response."""

    topic = models.CharField(_("issue"), max_length=300)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.OTHER
    )
    noticed_at = models.DateTimeField(_("noticed at"))
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    response_form = models.CharField(
        _("form of the response"), max_length=20, choices=ResponseForm.choices, blank=True
    )
    response = models.TextField(_("response"), blank=True)
    link = models.CharField(_("address of the response"), max_length=500, blank=True)

    ORDER = (("responded_at", "noticed_at"),)

    class Meta:
        verbose_name = _("response to public concern")
        verbose_name_plural = _("responses to public concern")
        ordering = ["-noticed_at", "-id"]

    def __str__(self) -> str:
        return self.topic

    def record_date(self) -> date | None:
        return timezone.localtime(self.noticed_at).date()

    def limit_hours(self, rules: RecordSettings | None = None) -> int:
        rules = rules or RecordSettings(agency=self.agency)
        if self.severity == Severity.SEVERE:
            return rules.severe_response_hours
        return rules.other_response_hours

    def is_late(self, rules: RecordSettings | None = None, now: datetime | None = None) -> bool:
        """Responded (or, unanswered, still open at `now`) after the limit."""
        limit = self.noticed_at + timedelta(hours=self.limit_hours(rules))
        return (self.responded_at or now or timezone.now()) > limit

    def response_hours(self) -> float | None:
        if self.responded_at is None:
            return None
        return round((self.responded_at - self.noticed_at).total_seconds() / 3600, 1)


# ---- 政务咨询投诉 --------------------------------------------------------------------------


class MessageChannel(models.TextChoices):
    HOTLINE = "hotline", _("12345 hotline")
    MAILBOX = "mailbox", _("Website mailbox")
    LEADER_MAILBOX = "leader_mailbox", _("Leader's mailbox")
    OTHER = "other", _("Other channel")


class MessageCategory(models.TextChoices):
    CONSULTATION = "consultation", _("Enquiry")
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")
    REQUEST = "request", _("Request for help")
    REPORT = "report", _("Report of wrongdoing")
    OTHER = "other", _("Other")


class MessageStatus(models.TextChoices):
    OPEN = "open", _("Being handled")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Message(Record):
    """A hotline work order or a mailbox message (政务咨询投诉)."""

    channel = models.CharField(_("channel"), max_length=20, choices=MessageChannel.choices)
    number = models.CharField(_("work order number"), max_length=50)
    received_at = models.DateTimeField(_("received at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=MessageCategory.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.OPEN
    )
    subject = models.CharField(_("subject"), max_length=300)
    content = models.TextField(_("content"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    public_summary = models.TextField(
        _("summary for the portal"),
        blank=True,
        help_text=_("Without personal data; shown on the portal's monthly summary when given."),
    )
    # Made public by the office (records.actions.publish_message): the summary above and
    # this answer, both with personal data masked by the office page that publishes them.
    public_answer = models.TextField(_("answer for the portal"), blank=True)
    published_at = models.DateTimeField(_("shown on the portal since"), null=True, blank=True)

    ORDER = (("answered_at", "received_at"),)

    class Meta:
        verbose_name = _("hotline or mailbox message")
        verbose_name_plural = _("hotline and mailbox messages")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "number"], name="records_message_number_per_agency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    def record_date(self) -> date | None:
        return timezone.localtime(self.received_at).date()

    def problems(self) -> dict[str, str]:
        errors = super().problems()
        if self.status != MessageStatus.OPEN and self.answered_at is None:
            errors.setdefault("answered_at", gettext("An answered message has its answer time."))
        return errors

    def is_late(self, rules: RecordSettings | None = None, now: datetime | None = None) -> bool:
        days = (rules or RecordSettings(agency=self.agency)).message_reply_days
        return (self.answered_at or now or timezone.now()) > self.received_at + timedelta(days=days)


# ---- 新闻发布会、在线访谈 ------------------------------------------------------------------


class PressKind(models.TextChoices):
    PRESS_CONFERENCE = "press_conference", _("Press conference")
    ONLINE_INTERVIEW = "online_interview", _("Online interview")


class PressEvent(Record):
    kind = models.CharField(_("kind"), max_length=20, choices=PressKind.choices)
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=300)
    speakers = models.CharField(_("speakers"), max_length=300)
    principal_leader = models.BooleanField(
        _("the principal leader spoke"),
        default=False,
        help_text=_("The principal leader interpreted the policy in person."),
    )
    link = models.CharField(
        _("address of the record or interpretation"), max_length=500, blank=True
    )

    class Meta:
        verbose_name = _("press conference or online interview")
        verbose_name_plural = _("press conferences and online interviews")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.topic

    def record_date(self) -> date | None:
        return self.held_on


# ---- 人大代表建议、政协委员提案 ------------------------------------------------------------


class ProposalKind(models.TextChoices):
    NPC = "npc", _("NPC deputy's suggestion")
    CPPCC = "cppcc", _("CPPCC member's proposal")


class Handling(models.TextChoices):
    LEAD = "lead", _("Lead handler")
    CO = "co", _("Co-handler")


class ProposalResult(models.TextChoices):
    SOLVED = "solved", _("Solved or adopted")
    IN_PROGRESS = "in_progress", _("Being solved or planned")
    EXPLAINED = "explained", _("Kept for reference, explained")


class ReplyDisclosure(models.TextChoices):
    FULL = "full", _("Full text public")
    SUMMARY = "summary", _("Summary public")
    NOT_PUBLIC = "not_public", _("Not public")


class Proposal(Record):
    kind = models.CharField(_("kind"), max_length=10, choices=ProposalKind.choices)
    number = models.CharField(_("number"), max_length=50)
    title = models.CharField(_("title"), max_length=300)
    handling = models.CharField(_("handling"), max_length=10, choices=Handling.choices)
    received_on = models.DateField(_("received on"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    result = models.CharField(
        _("result"), max_length=20, choices=ProposalResult.choices, blank=True
    )
    disclosure = models.CharField(
        _("disclosure of the reply"),
        max_length=20,
        choices=ReplyDisclosure.choices,
        default=ReplyDisclosure.FULL,
    )
    published_on = models.DateField(_("reply published on"), null=True, blank=True)
    not_public_reason = models.CharField(_("reason not public"), max_length=300, blank=True)

    ORDER = (("answered_on", "received_on"), ("published_on", "answered_on"))

    class Meta:
        verbose_name = _("NPC suggestion or CPPCC proposal")
        verbose_name_plural = _("NPC suggestions and CPPCC proposals")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def record_date(self) -> date | None:
        return self.received_on

    def problems(self) -> dict[str, str]:
        errors = super().problems()
        if self.disclosure == ReplyDisclosure.NOT_PUBLIC and not self.not_public_reason.strip():
            errors.setdefault(
                "not_public_reason", gettext("Give the reason the reply is not public.")
            )
        if self.published_on is not None and self.answered_on is None:
            errors.setdefault("answered_on", gettext("Record the answer date first."))
        if self.published_on is not None and self.disclosure == ReplyDisclosure.NOT_PUBLIC:
            errors.setdefault(
                "published_on", gettext("A reply that is not public has no date of publication.")
            )
        return errors


# ---- 会议与培训 ----------------------------------------------------------------------------


class TrainingKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    TRAINING = "training", _("Training")


class Training(Record):
    kind = models.CharField(_("kind"), max_length=10, choices=TrainingKind.choices)
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=300)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("meeting or training")
        verbose_name_plural = _("meetings and training")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def record_date(self) -> date | None:
        return self.held_on


# ---- 机构与人员、经费 ----------------------------------------------------------------------


class Staffing(Record):
    """The disclosure office's staff and budget in one year."""

    year = models.PositiveSmallIntegerField(_("year"))
    office = models.CharField(_("disclosure office"), max_length=200, blank=True)
    full_time = models.PositiveSmallIntegerField(_("full-time staff"), default=0)
    part_time = models.PositiveSmallIntegerField(_("part-time staff"), default=0)
    budget = models.DecimalField(
        _("budget (10,000 yuan)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("staff and budget")
        verbose_name_plural = _("staff and budget")
        ordering = ["-year", "agency"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="records_staffing_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}"

    def record_date(self) -> date | None:
        return date(self.year, 12, 31)

    def problems(self) -> dict[str, str]:
        errors = super().problems()
        if not 2008 <= self.year <= timezone.localdate().year + 1:
            errors["year"] = gettext("The year must be between 2008 and next year.")
        return errors
