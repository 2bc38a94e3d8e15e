"""The catalog of government information (政府信息公开目录) and its publication record."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.models import Role


class Category(models.Model):
    """A catalog category: the items of 第二十条/第二十一条, and an agency's own sub-categories.

    Standard categories have no agency and apply everywhere (or, for 第二十一条, at the
    levels listed in `levels`); an agency's own categories hang below them.
    """

    agency = models.ForeignKey(
        "orgs.Agency",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="categories",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    article = models.CharField(_("legal basis"), max_length=100, blank=True)
    levels = models.CharField(
        _("levels"),
        max_length=64,
        blank=True,
        help_text=_("Agency levels it applies to, comma-separated; empty for all."),
    )
    publish_days = models.PositiveSmallIntegerField(
        _("publication period (working days)"),
        null=True,
        blank=True,
        help_text=_("Empty: 20 working days (Article 26)."),
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("catalog category")
        verbose_name_plural = _("catalog categories")
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code"], name="unique_category_code_per_agency"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(agency__isnull=True),
                name="unique_standard_category_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Disclosure(models.TextChoices):
    """公开属性, decided when the item is drafted (源头认定)."""

    PROACTIVE = "proactive", _("Proactive disclosure")
    ON_REQUEST = "on_request", _("Disclosure on request")
    WITHHELD = "withheld", _("Not disclosed")


class WithheldReason(models.TextChoices):
    """The grounds of 第十四至十六条 for not disclosing."""

    STATE_SECRET = "state_secret", _("State secret (Article 14)")
    LAW_PROHIBITED = (
        "law_prohibited",
        _("Disclosure prohibited by law or administrative regulation (Article 14)"),
    )
    SECURITY_STABILITY = (
        "security_stability",
        _("Endangers national, public or economic security or social stability (Article 14)"),
    )
    THIRD_PARTY = (
        "third_party",
        _("Trade secrets or personal privacy of a third party (Article 15)"),
    )
    INTERNAL_AFFAIRS = (
        "internal_affairs",
        _("Internal affairs information (Article 16, paragraph 1)"),
    )
    PROCESS_INFORMATION = (
        "process_information",
        _("Process information or law-enforcement case files (Article 16, paragraph 2)"),
    )


class Validity(models.TextChoices):
    VALID = "valid", _("In force")
    EXPIRED = "expired", _("Expired")
    REPEALED = "repealed", _("Repealed")


class Genre(models.TextChoices):
    """体裁."""

    NOTICE = "notice", _("Notice")
    ANNOUNCEMENT = "announcement", _("Announcement")
    DECISION = "decision", _("Decision")
    OPINION = "opinion", _("Opinion")
    MEASURES = "measures", _("Measures or rules")
    PLAN = "plan", _("Plan")
    REPORT = "report", _("Report")
    GUIDE = "guide", _("Service guide")
    OTHER = "other", _("Other")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


DEFAULT_INDEX_TEMPLATE = "{credit_code}/{year}-{seq:05d}"


class IndexRule(models.Model):
    """An agency's 索引号 template. Placeholders: credit_code, agency_code, year, month,
    category_code, department_code, seq (see gongkai.publishing.index_numbers)."""

    agency = models.OneToOneField(
        "orgs.Agency", on_delete=models.CASCADE, related_name="index_rule"
    )
    template = models.CharField(
        _("index number template"), max_length=200, default=DEFAULT_INDEX_TEMPLATE
    )
    department_code = models.CharField(_("department code"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("index number rule")
        verbose_name_plural = _("index number rules")

    def __str__(self) -> str:
        return self.template


# An item the public sees (lists, search, feeds, the API): published and not withdrawn.
# A withdrawn item keeps its page, which shows the withdrawal notice (ON_PORTAL).
PUBLIC_STATUSES = (ItemStatus.PUBLISHED,)
ON_PORTAL_STATUSES = (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN)


def is_public(field: str = "") -> models.Q:
    """Rows whose item (`field`, a path to an InfoItem; empty for InfoItem itself) the
    public sees: the one spelling of "visible to the public" in lookups across relations."""
    return models.Q(**{f"{field}__status__in" if field else "status__in": PUBLIC_STATUSES})


class InfoItemQuerySet(models.QuerySet["InfoItem"]):
    def public(self) -> InfoItemQuerySet:
        """What the public sees: published items."""
        return self.filter(is_public())

    def on_portal(self) -> InfoItemQuerySet:
        """Items with a public page: the published, and the withdrawn with their notice."""
        return self.filter(status__in=ON_PORTAL_STATUSES)

    def awaiting_publication(self) -> InfoItemQuerySet:
        """Proactively disclosed items not yet published."""
        return self.filter(
            disclosure=Disclosure.PROACTIVE,
            status__in=[
                ItemStatus.DRAFT,
                ItemStatus.IN_REVIEW,
                ItemStatus.RETURNED,
                ItemStatus.APPROVED,
            ],
        )

    def publication_overdue(self, today: date) -> InfoItemQuerySet:
        return self.awaiting_publication().filter(publish_due_on__lt=today)

    def rereview_due(self, today: date) -> InfoItemQuerySet:
        """Withheld information whose 第十八条 re-review is due."""
        return self.filter(disclosure=Disclosure.WITHHELD, rereview_due_on__lte=today)

    def interpretation_missing(self) -> InfoItemQuerySet:
        """Published documents in force that need an interpretation and have none (同步发布)."""
        # NOT EXISTS, not a LEFT JOIN: the planner misjudges the join over a large catalog.
        return (
            self.public()
            .filter(needs_interpretation=True, validity=Validity.VALID)
            .exclude(models.Exists(Interpretation.objects.filter(document=models.OuterRef("pk"))))
        )

    def interpretation_late(self) -> InfoItemQuerySet:
        """Documents whose interpretation came later than the 同步 rule allows."""
        return self.filter(
            models.Exists(Interpretation.objects.filter(document=models.OuterRef("pk"), late=True))
        )

    def published_late(self) -> InfoItemQuerySet:
        """Published after their 第二十六条 date (compared in local time when published)."""
        return self.filter(
            status__in=[ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN], published_late=True
        )


class InfoItem(models.Model):
    """One piece of government information in the catalog (第十二条)."""

    agency = models.ForeignKey(
        "orgs.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="info_items"
    )
    index_no = models.CharField(_("index number"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    formed_on = models.DateField(_("date formed"))
    co_issuers = models.ManyToManyField(
        "orgs.Agency",
        verbose_name=_("co-issuing agencies"),
        blank=True,
        related_name="co_issued_items",
    )
    doc_no = models.CharField(_("document number"), max_length=100, blank=True)
    topic = models.CharField(_("topic"), max_length=100, blank=True)
    genre = models.CharField(_("genre"), max_length=16, choices=Genre.choices, default=Genre.NOTICE)
    category = models.ForeignKey(
        Category, verbose_name=_("catalog category"), on_delete=models.PROTECT, related_name="items"
    )
    disclosure = models.CharField(
        _("disclosure attribute"),
        max_length=16,
        choices=Disclosure.choices,
        default=Disclosure.PROACTIVE,
    )
    withheld_reason = models.CharField(
        _("reason for not disclosing"), max_length=24, choices=WithheldReason.choices, blank=True
    )
    validity = models.CharField(
        _("validity"), max_length=16, choices=Validity.choices, default=Validity.VALID
    )
    effective_on = models.DateField(_("in force from"), null=True, blank=True)
    ended_on = models.DateField(_("expired or repealed on"), null=True, blank=True)
    body = models.TextField(_("text"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    needs_interpretation = models.BooleanField(_("needs a policy interpretation"), default=False)
    # 第十八条: withheld information is re-assessed periodically.
    rereview_due_on = models.DateField(_("re-review due"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.DRAFT
    )
    # 第二十六条: publish_clock_from (the date formed, or the date a re-review made it
    # disclosable) + the category's period, in working days; kept to recompute the date
    # after a calendar change.
    publish_clock_from = models.DateField(null=True, blank=True)
    publish_due_on = models.DateField(_("publish by"), null=True, blank=True)
    publish_due_provisional = models.BooleanField(default=False)
    review_round = models.PositiveSmallIntegerField(default=0)
    review_stage = models.PositiveSmallIntegerField(default=0)  # order of the stage now due
    # The stages (order, name, role) fixed when the item was submitted: a later change of
    # the agency's workflow does not move an item already in review.
    review_plan = models.JSONField(default=list, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Published after publish_due_on (local dates): set once, when the item is published.
    published_late = models.BooleanField(_("published late"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InfoItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalog item")
        verbose_name_plural = _("catalog items")
        ordering = ["-formed_on", "-id"]
        indexes = [
            models.Index(
                fields=["agency", "status", "-formed_on"], name="pub_item_agency_status_idx"
            ),
            models.Index(fields=["category", "status", "-formed_on"], name="pub_item_category_idx"),
            # The back office's tabs over a supervisor's whole subtree (bench/publishing.py).
            models.Index(fields=["-formed_on", "-id"], name="pub_item_formed_idx"),
            models.Index(
                fields=["publish_due_on", "id"],
                include=["agency"],
                name="pub_item_awaiting_idx",
                condition=models.Q(
                    disclosure=Disclosure.PROACTIVE,
                    status__in=[
                        ItemStatus.DRAFT,
                        ItemStatus.IN_REVIEW,
                        ItemStatus.RETURNED,
                        ItemStatus.APPROVED,
                    ],
                ),
            ),
            models.Index(
                fields=["-formed_on", "-id"],
                include=["agency"],
                name="pub_item_late_idx",
                condition=models.Q(published_late=True),
            ),
            # The feeds, overall and per agency: the newest publications.
            models.Index(
                fields=["-published_at", "-id"],
                name="pub_item_feed_idx",
                condition=models.Q(status=ItemStatus.PUBLISHED),
            ),
            models.Index(
                fields=["agency", "-published_at", "-id"],
                name="pub_item_agency_feed_idx",
                condition=models.Q(status=ItemStatus.PUBLISHED),
            ),
            models.Index(
                fields=["rereview_due_on", "id"],
                include=["agency"],
                name="pub_item_rereview_idx",
                condition=models.Q(disclosure=Disclosure.WITHHELD),
            ),
            models.Index(
                fields=["-formed_on", "-id"],
                include=["agency"],
                name="pub_item_interpretation_idx",
                condition=models.Q(status=ItemStatus.PUBLISHED, needs_interpretation=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.index_no} {self.title}"

    @property
    def is_public(self) -> bool:
        """Whether the public sees the item (see PUBLIC_STATUSES)."""
        return self.status in PUBLIC_STATUSES


class PublicationAction(models.TextChoices):
    PUBLISHED = "published", _("Published")
    CHANGED = "changed", _("Changed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ItemVersion(models.Model):
    """What the public saw after each publication, change or withdrawal."""

    item = models.ForeignKey(InfoItem, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    action = models.CharField(max_length=16, choices=PublicationAction.choices)
    reason = models.CharField(max_length=500, blank=True)
    snapshot = models.JSONField()
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="unique_item_version")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.number} {self.action}"


class PublicationLogEntry(models.Model):
    """One link of the tamper-evident publication log: each entry hashes the one before.

    `digest` = SHA-256 over the previous digest and this entry's canonical content; editing
    or deleting any row breaks every later link (verify_publication_log finds the first).
    """

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    item = models.ForeignKey(InfoItem, on_delete=models.PROTECT, related_name="log_entries")
    index_no = models.CharField(max_length=100)
    action = models.CharField(max_length=16, choices=PublicationAction.choices)
    version = models.PositiveIntegerField()
    content_digest = models.CharField(max_length=64)
    previous_digest = models.CharField(max_length=64)
    digest = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.index_no} {self.action}"


# The roles a review stage may be given: the reviewer roles and the office head.
STAGE_ROLES = [
    (role.value, role.label)
    for role in (
        Role.REVIEWER_FIRST,
        Role.REVIEWER_SECOND,
        Role.CONFIDENTIALITY,
        Role.REVIEWER_FINAL,
        Role.OFFICE_HEAD,
    )
]


class ReviewStage(models.Model):
    """One stage of an agency's review workflow (三审、保密审查), in order.

    Without rows, the default applies: 初审 → 保密审查 → 终审 (gongkai.publishing.review).
    """

    agency = models.ForeignKey(
        "orgs.Agency", on_delete=models.CASCADE, related_name="review_stages"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("stage"), max_length=50)
    role = models.CharField(_("reviewer role"), max_length=20, choices=STAGE_ROLES)

    class Meta:
        verbose_name = _("review stage")
        verbose_name_plural = _("review stages")
        ordering = ["agency", "order"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "order"], name="unique_review_stage_order")
        ]

    def __str__(self) -> str:
        return self.name


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return with an opinion")


class ReviewRecord(models.Model):
    """A reviewer's decision at one stage: kept for the approval sheet (呈批单)."""

    item = models.ForeignKey(InfoItem, on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveSmallIntegerField()
    stage_order = models.PositiveSmallIntegerField()
    stage_name = models.CharField(max_length=50)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=16, choices=ReviewDecision.choices)
    opinion = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)
    # A decision on a change or a withdrawal of the published item, not on its publication.
    change = models.ForeignKey(
        "ItemChange", on_delete=models.CASCADE, null=True, blank=True, related_name="reviews"
    )
    # The reviewer had already decided another stage (allowed in a one-person office only).
    same_person = models.BooleanField(default=False)

    class Meta:
        ordering = ["item", "change", "round", "stage_order", "id"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.stage_name} {self.decision}"


class ReviewPolicy(models.Model):
    """An agency's review rules beyond the stages."""

    agency = models.OneToOneField(
        "orgs.Agency", on_delete=models.CASCADE, related_name="review_policy"
    )
    one_person_office = models.BooleanField(
        _("one person may decide several stages"),
        default=False,
        help_text=_(
            "Only for an office too small to staff each stage with a different person; "
            "each item decided so carries a warning."
        ),
    )

    class Meta:
        verbose_name = _("review policy")
        verbose_name_plural = _("review policies")

    def __str__(self) -> str:
        return str(self.agency_id)


class ChangeKind(models.TextChoices):
    CHANGE = "change", _("Change")
    WITHDRAWAL = "withdrawal", _("Withdrawal")


class ChangeStatus(models.TextChoices):
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned")
    APPLIED = "applied", _("Applied")
    CANCELLED = "cancelled", _("Cancelled")


class ItemChange(models.Model):
    """A change or withdrawal of a published item, reviewed before it reaches the public:
    the published version stays on the portal until the last stage approves."""

    item = models.ForeignKey(InfoItem, on_delete=models.CASCADE, related_name="change_requests")
    kind = models.CharField(max_length=16, choices=ChangeKind.choices)
    fields = models.JSONField(default=dict, blank=True)  # the new values (dates as ISO text)
    reason = models.CharField(max_length=500)
    status = models.CharField(
        max_length=16, choices=ChangeStatus.choices, default=ChangeStatus.IN_REVIEW
    )
    round = models.PositiveSmallIntegerField(default=1)
    stage = models.PositiveSmallIntegerField(default=0)
    plan = models.JSONField(default=list, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["item", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(status__in=["in_review", "returned"]),
                name="one_open_change_per_item",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind} {self.status}"


class KeptFinding(models.Model):
    """Personal data a reviewer decided to publish anyway, with the reason (e.g. 惩戒性公示)."""

    item = models.ForeignKey(InfoItem, on_delete=models.CASCADE, related_name="kept_findings")
    kind = models.CharField(max_length=20)
    text = models.CharField(max_length=100)
    reason = models.CharField(max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "kind", "text"], name="unique_kept_finding")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind} {self.text}"


class RescanFinding(models.Model):
    """Personal data that a later run of the detector found in a published item
    (rescan_published_items): listed for review until kept with a reason, or gone after a
    change."""

    item = models.ForeignKey(InfoItem, on_delete=models.CASCADE, related_name="rescan_findings")
    source = models.CharField(max_length=220)  # a field name, or "attachment:<file name>"
    kind = models.CharField(max_length=20)
    text = models.CharField(max_length=100)
    found_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["item", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "source", "kind", "text"], name="unique_rescan_finding"
            )
        ]
        indexes = [
            models.Index(
                fields=["item"],
                name="pub_rescan_open_idx",
                condition=models.Q(resolved_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind} {self.text}"


class SensitiveWord(models.Model):
    """The administrator's list of words that must not be published unnoticed."""

    word = models.CharField(_("word"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("sensitive word")
        verbose_name_plural = _("sensitive words")

    def __str__(self) -> str:
        return self.word


class Channel(models.TextChoices):
    """Where an item was published (第二十三条、第二十四条); an item counts once however many."""

    PORTAL = "portal", _("Government website or portal")
    GAZETTE = "gazette", _("Government gazette")
    WEIBO = "weibo", _("Government Weibo account")
    WECHAT = "wechat", _("Government WeChat account")
    APP = "app", _("Government mobile app")
    PLATFORM = "platform", _("Government information disclosure platform")
    NOTICE_BOARD = "notice_board", _("Public notice board")
    OTHER = "other", _("Other channel")


class ItemChannel(models.Model):
    """One channel an item was published on, with the date and the address or issue."""

    item = models.ForeignKey(InfoItem, on_delete=models.PROTECT, related_name="channels")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    published_on = models.DateField(_("published on"))
    address = models.CharField(
        _("address"),
        max_length=500,
        blank=True,
        help_text=_("Web address, gazette issue, or where the notice board stands."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("publication channel")
        verbose_name_plural = _("publication channels")
        ordering = ["item", "published_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "channel", "address"], name="unique_item_channel_address"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.channel}"


class ItemAttachment(models.Model):
    """A file published with an item (PDF, DOCX, XLSX, image); its text is kept for checks
    and search."""

    item = models.ForeignKey(InfoItem, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to="catalog/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    text = models.TextField(_("extracted text"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("item attachment")
        verbose_name_plural = _("item attachments")
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return self.original_name


class RereviewOutcome(models.TextChoices):
    KEEP = "keep", _("Still not disclosed")
    PROACTIVE = "proactive", _("Now to be disclosed proactively")
    ON_REQUEST = "on_request", _("Now disclosable on request")


class WithheldReview(models.Model):
    """A periodic re-assessment of withheld information (第十八条, 动态调整)."""

    item = models.ForeignKey(InfoItem, on_delete=models.PROTECT, related_name="rereviews")
    outcome = models.CharField(_("outcome"), max_length=16, choices=RereviewOutcome.choices)
    opinion = models.TextField(_("opinion"), max_length=2000)
    next_due_on = models.DateField(_("next re-review due"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("re-review of withheld information")
        verbose_name_plural = _("re-reviews of withheld information")
        ordering = ["item", "at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.outcome}"


class InterpretationForm(models.TextChoices):
    """The forms of 政策解读."""

    TEXT = "text", _("Text")
    GRAPHIC = "graphic", _("Graphic")
    AUDIO_VIDEO = "audio_video", _("Audio or video")
    PRESS_CONFERENCE = "press_conference", _("Press conference")
    ONLINE_INTERVIEW = "online_interview", _("Online interview")


class InterpretationElement(models.Model):
    """One 解读要素 of the installation's optional checklist (e.g. 背景依据, 主要内容, 新旧政策
    差异); edited by the administrator, empty by default. The interpretation form shows it."""

    name = models.CharField(_("element"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("interpretation element")
        verbose_name_plural = _("interpretation elements")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Interpretation(models.Model):
    """A policy interpretation (政策解读) of one catalog item; it may itself be a catalog item."""

    document = models.ForeignKey(
        InfoItem,
        verbose_name=_("document explained"),
        on_delete=models.PROTECT,
        related_name="interpretations",
    )
    form = models.CharField(_("form"), max_length=20, choices=InterpretationForm.choices)
    title = models.CharField(_("title"), max_length=300)
    address = models.CharField(_("address"), max_length=500, blank=True)
    catalog_item = models.ForeignKey(
        InfoItem,
        verbose_name=_("interpretation in the catalog"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interprets",
    )
    published_on = models.DateField(_("published on"))
    # 同步发布: published more than INTERPRETATION_SYNC_WORKING_DAYS working days after the
    # document (set when recorded; regulation-notes-2 §11.1).
    late = models.BooleanField(_("published late"), default=False)
    late_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    elements = models.ManyToManyField(
        InterpretationElement, verbose_name=_("elements covered"), blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("policy interpretation")
        verbose_name_plural = _("policy interpretations")
        ordering = ["document", "published_on", "id"]

    def __str__(self) -> str:
        return self.title


class PublicationSchedule(models.Model):
    """An agency's monthly rhythm (e.g. departments submit by the 15th, publication on the 20th)."""

    agency = models.OneToOneField(
        "orgs.Agency", on_delete=models.CASCADE, related_name="publication_schedule"
    )
    submit_day = models.PositiveSmallIntegerField(
        _("submit by (day of month)"), validators=[MinValueValidator(1), MaxValueValidator(28)]
    )
    publish_day = models.PositiveSmallIntegerField(
        _("publish on (day of month)"), validators=[MinValueValidator(1), MaxValueValidator(28)]
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind this many days before"),
        default=3,
        validators=[MaxValueValidator(20)],
    )

    class Meta:
        verbose_name = _("monthly publication schedule")
        verbose_name_plural = _("monthly publication schedules")

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.submit_day}/{self.publish_day}"


class NormativeKind(models.TextChoices):
    REGULATION = "regulation", _("Government rules (规章)")
    NORMATIVE_DOCUMENT = "normative_document", _("Administrative normative document")


class NormativeDocument(models.Model):
    """The register of 规章 and 行政规范性文件, from drafting to repeal.

    Its yearly counts (issued, repealed or expired, in force at year end) are table
    t2_art20_1 of the annual report.
    """

    agency = models.ForeignKey(
        "orgs.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="normative_documents",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NormativeKind.choices)
    title = models.CharField(_("title"), max_length=300)
    doc_no = models.CharField(_("document number"), max_length=100, blank=True)
    item = models.ForeignKey(
        InfoItem,
        verbose_name=_("catalog item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="normative_records",
    )
    drafted_on = models.DateField(_("drafting started"), null=True, blank=True)
    legality_reviewed_on = models.DateField(_("legality review"), null=True, blank=True)
    deliberated_on = models.DateField(_("collective deliberation"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    filed_on = models.DateField(_("filed for record on"), null=True, blank=True)
    filed_with = models.CharField(_("filed with"), max_length=200, blank=True)
    effective_on = models.DateField(_("in force from"), null=True, blank=True)
    amended_on = models.DateField(_("last amended on"), null=True, blank=True)
    repealed_on = models.DateField(_("repealed on"), null=True, blank=True)
    expired_on = models.DateField(_("expired on"), null=True, blank=True)
    # 有效期: many 行政规范性文件 are valid for a fixed period; reminders come before its end.
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("normative document")
        verbose_name_plural = _("normative documents")
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["agency", "kind", "issued_on"], name="pub_normdoc_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def ended_on(self) -> date | None:
        ends = [d for d in (self.repealed_on, self.expired_on) if d is not None]
        return min(ends) if ends else None


class CleanupResult(models.TextChoices):
    """The outcome of a 清理 for one document."""

    CONTINUE = "continue", _("Remains in force")
    AMEND = "amend", _("To be amended")
    REPEAL = "repeal", _("Repealed")
    DECLARE_EXPIRED = "declare_expired", _("Declared expired")


class NormativeCleanup(models.Model):
    """A 清理: a review of all the agency's normative documents in force, with each one's
    result; the annual report and the self-evaluation cite it."""

    agency = models.ForeignKey(
        "orgs.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    basis = models.CharField(_("basis"), max_length=300, blank=True)
    held_on = models.DateField(_("completed on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("clean-up of normative documents")
        verbose_name_plural = _("clean-ups of normative documents")
        ordering = ["agency", "-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class NormativeCleanupEntry(models.Model):
    cleanup = models.ForeignKey(NormativeCleanup, on_delete=models.CASCADE, related_name="entries")
    document = models.ForeignKey(
        NormativeDocument, on_delete=models.PROTECT, related_name="cleanup_entries"
    )
    result = models.CharField(_("result"), max_length=20, choices=CleanupResult.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["cleanup", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cleanup", "document"], name="unique_cleanup_document")
        ]

    def __str__(self) -> str:
        return f"{self.cleanup_id} {self.document_id} {self.result}"


class DecisionFigures(models.Model):
    """The figures of table 二 that no register yields, entered per agency and year:
    行政许可、行政处罚、行政强制 decisions and the 行政事业性收费 amount in 万元."""

    agency = models.ForeignKey(
        "orgs.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    licensing_decisions = models.PositiveIntegerField(null=True, blank=True)
    penalty_decisions = models.PositiveIntegerField(null=True, blank=True)
    coercion_decisions = models.PositiveIntegerField(null=True, blank=True)
    fee_amount = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("decision and fee figures")
        verbose_name_plural = _("decision and fee figures")
        ordering = ["agency", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="unique_decision_figures")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}"
