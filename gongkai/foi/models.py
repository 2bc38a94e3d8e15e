"""Disclosure requests (依申请公开): the application and its append-only timeline.

A case is its timeline (DESIGN.md principle 3). `status`, `due_on` and the other fields
below the line "derived" are written only by gongkai.foi.actions, from the events, so that
lists and the overdue query can use indexes; the events remain the truth.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_stubs_ext import StrOrPromise

from gongkai.foi.fees import FeeMethod
from gongkai.foi.receipt import Channel
from gongkai.lib.report_format import (
    applicant_type_choices,
    case_outcome_choices,
    remedy_kind_choices,
    remedy_result_choices,
)
from gongkai.lib.report_keys import ApplicantType, RemedyResult
from gongkai.orgs.models import Agency, AgencyQuerySet


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident identity card")
    PASSPORT = "passport", _("Passport")
    HK_MACAO_PERMIT = "hk_macao", _("Mainland travel permit for Hong Kong and Macao residents")
    TAIWAN_PERMIT = "taiwan", _("Mainland travel permit for Taiwan residents")
    OTHER = "other", _("Other identity document")


class CreditCodeMissing(models.TextChoices):
    """Why an organisation gives no unified social credit code (GB 32100-2015 covers only
    organisations registered in the mainland, and a branch may use its parent's)."""

    FOREIGN = "foreign", _("A foreign or overseas organisation")
    BRANCH = "branch", _("A branch or internal unit without a code of its own")
    OTHER = "other", _("Another organisation that has not been given a code")


class ProvisionForm(models.TextChoices):
    PAPER = "paper", pgettext_lazy("provision", "Paper")
    EMAIL = "email", pgettext_lazy("provision", "E-mail")
    ELECTRONIC = "electronic", pgettext_lazy("provision", "Electronic copy (disc, USB drive)")
    INSPECTION = "inspection", pgettext_lazy("provision", "Inspection or copying on site")


class Delivery(models.TextChoices):
    POST = "post", pgettext_lazy("delivery", "By post")
    EMAIL = "email", pgettext_lazy("delivery", "By e-mail")
    PICK_UP = "pick_up", pgettext_lazy("delivery", "Collected in person")
    ONLINE = "online", pgettext_lazy("delivery", "Online")


class Status(models.TextChoices):
    OPEN = "open", _("In progress")
    AWAITING_CORRECTION = "awaiting_correction", _("Awaiting correction")
    CONSULTING = "consulting", _("Consulting")
    AWAITING_FEE = "awaiting_fee", _("Awaiting fee payment")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (Status.OPEN, Status.AWAITING_CORRECTION, Status.CONSULTING, Status.AWAITING_FEE)


class ApplicationQuerySet(models.QuerySet["Application"]):
    def open(self) -> ApplicationQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: date) -> ApplicationQuerySet:
        """Open cases whose due date has passed, or that a step already found past it.

        A case paused or restarted by a step taken after its period ended stays overdue
        (missed_due_on): such a step does not launder the delay.
        """
        return self.open().filter(
            models.Q(paused=False, due_on__lt=today) | models.Q(missed_due_on__isnull=False)
        )

    def replied_late(self) -> ApplicationQuerySet:
        """Closed cases answered after their period (逾期答复)."""
        return self.filter(replied_late=True)

    def due_by(self, day: date) -> ApplicationQuerySet:
        return self.open().filter(paused=False, due_on__lte=day)


class Application(models.Model):
    agency = models.ForeignKey(
        "orgs.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    number = models.CharField(_("application number"), max_length=64, unique=True)
    year = models.PositiveSmallIntegerField(_("year of the number"))
    seq = models.PositiveIntegerField(_("sequence"))

    # How it arrived (第二十九条、第三十一条)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    oral = models.BooleanField(
        _("oral request written down by staff"), default=False, help_text=_("Article 29")
    )
    submitted_on = models.DateField(_("submitted on"))
    signed_on = models.DateField(_("signed for on"), null=True, blank=True)
    confirmed_on = models.DateField(_("receipt confirmed on"), null=True, blank=True)
    received_on = models.DateField(_("date of receipt"), help_text=_("Article 31"))

    # The applicant (第二十九条第一项). Organisation fields are blank for natural persons.
    applicant_type = models.CharField(
        _("applicant type"), max_length=32, choices=applicant_type_choices
    )
    applicant_name = models.CharField(_("name"), max_length=100)
    id_type = models.CharField(
        _("identity document"), max_length=16, choices=IdType.choices, blank=True
    )
    id_number = models.CharField(_("identity document number"), max_length=40, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    credit_code_missing = models.CharField(
        _("why there is no credit code"),
        max_length=16,
        choices=CreditCodeMissing.choices,
        blank=True,
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("postal address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)

    # What is asked for (第二十九条第二、三项)
    description = models.TextField(_("information requested"), max_length=5000)
    document_refs = models.CharField(_("title or document number"), max_length=500, blank=True)
    provision_form = models.CharField(
        _("form of provision"), max_length=16, choices=ProvisionForm.choices
    )
    delivery = models.CharField(_("way of delivery"), max_length=16, choices=Delivery.choices)

    fee_method = models.CharField(
        _("fee method"), max_length=16, choices=FeeMethod.choices, blank=True
    )

    # Public tracking, duplicate-submit protection and who handles it
    query_code_hash = models.CharField(max_length=128, editable=False)
    # The random seed the query code is derived from with the SECRET_KEY (query_codes.py):
    # it lets a double submit show the first code again and a lost code be re-sent.
    # Empty for cases stored before it existed (their code can only be replaced).
    query_code_seed = models.CharField(max_length=64, blank=True, editable=False)
    # NULL, not "", for staff-registered cases: a unique column admits many NULLs.
    submission_token = models.CharField(  # noqa: DJ001
        max_length=64, unique=True, null=True, editable=False
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_applications",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    # Derived from the timeline by gongkai.foi.actions.refresh (see the module docstring)
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.CharField(
        _("outcome"), max_length=48, choices=case_outcome_choices, blank=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    due_provisional = models.BooleanField(_("due date provisional"), default=False)
    paused = models.BooleanField(_("clock paused"), default=False)
    # The reply period's due date that a step (or the reply) came after; kept for good.
    missed_due_on = models.DateField(_("period missed on"), null=True, blank=True)
    replied_late = models.BooleanField(_("answered late"), default=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "seq"], name="unique_application_seq")
        ]
        indexes = [
            models.Index(fields=["status", "paused", "due_on"], name="foi_app_due_idx"),
            # Covering: the annual report's table 三 reads an agency's requests from it alone.
            models.Index(
                fields=["agency", "received_on"],
                include=["applicant_type", "id"],
                name="foi_app_agency_recv_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_organisation(self) -> bool:
        return self.applicant_type != ApplicantType.NATURAL_PERSON

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def applicant_key(self) -> dict[str, str]:
        """How the same applicant is recognised: document number, credit code, or name and
        phone (lookups on Application)."""
        if self.id_number:
            return {"id_number": self.id_number}
        if self.credit_code:
            return {"credit_code": self.credit_code}
        return {"applicant_name": self.applicant_name, "phone": self.phone}

    def position_in_month(self) -> int:
        """This application's place among the applicant's requests to the agency that month
        (国办函〔2020〕109号 counts them per month)."""
        received = self.received_on
        same = Application.objects.filter(
            agency=self.agency,
            received_on__year=received.year,
            received_on__month=received.month,
            **self.applicant_key(),
        )
        earlier = same.filter(received_on__lt=received).count()
        same_day = same.filter(received_on=received, seq__lte=self.seq).count()
        return earlier + same_day

    def transfer_targets(self) -> AgencyQuerySet:
        """Where the case may go: the agency's own internal or dispatched bodies, its
        parent's other departments (the same government), and back up to the parent."""
        agency = self.agency
        family = Agency.objects.active().filter(
            models.Q(parent=agency)
            | models.Q(pk=agency.parent_id)
            | models.Q(parent_id=agency.parent_id, parent__isnull=False)
        )
        return family.exclude(pk=agency.pk).order_by("path")


class CorrectionAnswer(models.Model):
    """What the applicant sent online in answer to a 补正 notice (第三十条), with its files
    (Attachment.correction). Recording it is the 收到补正 step (actions.answer_correction)."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="correction_answers",
    )
    event = models.OneToOneField(
        "Event",
        verbose_name=_("step"),
        on_delete=models.PROTECT,
        related_name="correction_answer",
    )
    text = models.TextField(_("corrected request"), max_length=5000)
    received_on = models.DateField(_("date of receipt"))
    deadline = models.DateField(_("correction deadline"), null=True, blank=True)
    late = models.BooleanField(_("after the deadline"), default=False)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("correction sent online")
        verbose_name_plural = _("corrections sent online")
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.received_on}"


class ExtensionRequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ExtensionRequest(models.Model):
    """An officer asks the office head to extend the reply period (第三十三条第二款)."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="extension_requests",
    )
    days = models.PositiveSmallIntegerField(_("working days"))
    reason = models.TextField(_("reason"), max_length=2000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ExtensionRequestStatus.choices,
        default=ExtensionRequestStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), max_length=2000, blank=True)
    event = models.OneToOneField(
        "Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="extension_request",
    )

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(status="pending"),
                name="one_pending_extension_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} +{self.days}"


class Attachment(models.Model):
    """A file the applicant sent with the request (e.g. identity proof) or with an online
    correction (`correction`). Never public."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    correction = models.ForeignKey(
        CorrectionAnswer,
        verbose_name=_("correction"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
    )
    file = models.FileField(_("file"), upload_to="foi/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class EventKind(models.TextChoices):
    """The steps of a case; each is one row, never changed afterwards."""

    RECEIVED = "received", _("Request received")
    ASSIGNED = "assigned", _("Assigned")
    TRANSFERRED = "transferred", _("Transferred to another department")
    CORRECTION_REQUESTED = "correction_requested", _("Correction requested")
    CORRECTION_RECEIVED = "correction_received", _("Corrected request received")
    CONSULTATION_SENT = "consultation_sent", _("Consultation sent")
    CONSULTATION_CLOSED = "consultation_closed", _("Consultation answered or expired")
    EXTENSION_APPROVED = "extension_approved", _("Extension approved")
    FEE_NOTICE_SENT = "fee_notice_sent", _("Fee notice sent")
    FEE_PAID = "fee_paid", _("Fee paid")
    REPLIED = "replied", _("Replied")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")
    CLOSED_UNANSWERED = "closed_unanswered", _("Closed: correction or fee overdue")

    @property
    def step_title(self) -> StrOrPromise:
        """The back office's name for the step that records this event (its form's title).

        The label names what happened, on the timeline and to the applicant; this names
        what the officer does. Kinds without a step form of their own keep their label.
        """
        return _STEP_TITLES.get(self, self.label)


# Read through EventKind.step_title: the one place a step's title is written.
_STEP_TITLES: dict[EventKind, StrOrPromise] = {
    EventKind.TRANSFERRED: _("Transfer to another department"),
    EventKind.CORRECTION_REQUESTED: _("Request a correction"),
    EventKind.CORRECTION_RECEIVED: _("Corrected request received"),
    EventKind.CONSULTATION_SENT: _("Consult a third party or agency"),
    EventKind.CONSULTATION_CLOSED: _("Record the consulted party's answer"),
    EventKind.EXTENSION_APPROVED: _("Approve an extension"),
    EventKind.FEE_NOTICE_SENT: _("Send a fee notice"),
    EventKind.FEE_PAID: _("Record the fee payment"),
    EventKind.REPLIED: _("Reply"),
    EventKind.WITHDRAWN: _("Record a withdrawal"),
    EventKind.CLOSED_UNANSWERED: _("Close as overdue"),
}


class Event(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("step"), max_length=32, choices=EventKind.choices)
    on = models.DateField(_("date"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Step details: days (extension), party/ref (consultation), until (correction
    # deadline), outcome (reply), amount (fee) ...: one shape per kind, gongkai.foi.events.
    data = models.JSONField(_("details"), default=dict, blank=True)
    note = models.TextField(_("internal note"), blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["on", "id"]
        indexes = [
            # A request's closing event, the first of these by date and id: the annual
            # report's table 三 (gongkai.annual.compute.CLOSING_KINDS).
            models.Index(
                fields=["application", "on", "id"],
                condition=models.Q(
                    kind__in=[
                        EventKind.REPLIED,
                        EventKind.WITHDRAWN,
                        EventKind.CLOSED_UNANSWERED,
                    ]
                ),
                name="foi_event_closing_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.on} {self.get_kind_display()}"

    @property
    def detail_templates(self) -> tuple[str, str]:
        """For {% include %}: the kind's own details (templates/foi/events/<kind>.html),
        else nothing, so that a new kind needs only its template."""
        return f"foi/events/{self.kind}.html", "foi/events/_none.html"


class Remedy(models.Model):
    """An administrative review or lawsuit about an application (table 四 of the report).

    The annual report counts remedies filed in the year, with their result at year end
    (尚未审结 while `decided_on` is empty).
    """

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="remedies",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=remedy_kind_choices)
    body = models.CharField(_("review body or court"), max_length=200)
    filed_on = models.DateField(_("filed on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    result = models.CharField(
        _("result"), max_length=16, choices=remedy_result_choices, default=RemedyResult.PENDING
    )
    case_number = models.CharField(_("case number"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review or lawsuit")
        verbose_name_plural = _("reviews and lawsuits")
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.get_kind_display()} {self.filed_on}"


class LetterKind(models.TextChoices):
    """The letters of regulation-notes-2 §8.3 that the office issues (the 登记表 is the
    case itself; the 征求意见确认函 and 协办函 are not written by gongkai)."""

    RECEIPT = "receipt", _("Acknowledgement of receipt")
    CORRECTION = "correction", _("Notice to correct the request")
    EXPLANATION = "explanation", _("Request to explain the reasons (Article 35)")
    EXTENSION = "extension", _("Notice of extension")
    CONSULTATION_THIRD_PARTY = (
        "consultation_third_party",
        _("Letter asking a third party for its opinion (Article 32)"),
    )
    CONSULTATION_AGENCY = (
        "consultation_agency",
        _("Letter asking a co-producing agency for its opinion (Article 34)"),
    )
    CONSULTATION_NOTICE = (
        "consultation_notice",
        _("Notice to the applicant of a consultation"),
    )
    THIRD_PARTY_OVERRIDE = (
        "third_party_override",
        _("Notice to a third party of disclosure despite its objection (Article 32)"),
    )
    FEE_NOTICE = "fee_notice", _("Fee notice")
    REPLY = "reply", _("Reply")
    ABANDONMENT = "abandonment", _("Notice that the request counts as abandoned")
    WITHDRAWAL = "withdrawal", _("Notice of the end of handling after a withdrawal")
    DELIVERY_RECORD = "delivery_record", _("Delivery record (送达回证)")


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    ISSUED = "issued", _("Issued")


class LetterTemplate(models.Model):
    """An office's wording for one kind of letter, replacing the built-in text.

    `agency` is the agency whose letters use it, or empty for the installation's default
    (gongkai.foi.letters.wording looks up the agency's, then the default, then the
    built-in wording of gongkai.foi.wording). `variant` is empty, or the wording key of a
    decision letter (an outcome key of table 三, or granted_published /
    unable_not_held_elsewhere; for a notice of （六）1、2 its outcome); the older outcome
    groups (granted, denied, …) are still read. Placeholders are written {申请人} etc.;
    gongkai.foi.letters lists them. Every save is a LetterTemplateVersion
    (gongkai.foi.letter_templates).
    """

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="letter_templates",
        help_text=_("Empty: the default of the whole installation."),
    )
    kind = models.CharField(_("letter"), max_length=32, choices=LetterKind.choices)
    variant = models.CharField(_("variant"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "variant"],
                condition=models.Q(agency__isnull=False),
                name="unique_agency_letter_template",
            ),
            models.UniqueConstraint(
                fields=["kind", "variant"],
                condition=models.Q(agency__isnull=True),
                name="unique_default_letter_template",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.variant}".strip()


class LetterTemplateVersion(models.Model):
    """One saved state of a LetterTemplate: who saved it, when, and why (never changed)."""

    template = models.ForeignKey(
        LetterTemplate,
        verbose_name=_("letter template"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("letter template version")
        verbose_name_plural = _("letter template versions")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="unique_letter_template_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"


class Letter(models.Model):
    """A letter to the applicant or a consulted party: drafted, approved, then issued."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="letters"
    )
    kind = models.CharField(_("letter"), max_length=32, choices=LetterKind.choices)
    title = models.CharField(_("title"), max_length=100)
    recipient = models.CharField(_("to"), max_length=200)
    body = models.TextField(_("text"), max_length=10000)
    status = models.CharField(
        _("status"), max_length=16, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )
    doc_no = models.CharField(_("document number"), max_length=100, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    drafted_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    # A decision letter drafted before the reply: the outcome and the facts it states
    # (RepliedData). Issuing it records the reply (gongkai.foi.letters.issue_letter).
    decision = models.JSONField(default=dict, blank=True)
    # The step the letter documents (for a decision letter: the reply its issue recorded).
    event = models.ForeignKey(
        "Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="letters"
    )

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["drafted_at", "id"]

    def __str__(self) -> str:
        return self.doc_no or self.title


class DeliveryMethod(models.TextChoices):
    """送达方式 (国办公开办函〔2016〕235号: 邮寄 through the postal service)."""

    IN_PERSON = "in_person", _("Handed over in person")
    POST = "post", _("By post (China Post)")
    EMAIL = "email", _("E-mailed")
    ONLINE = "online", _("Online, on the portal")
    FAX = "fax", _("By fax")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Being sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Sending failed")


class LetterDelivery(models.Model):
    """One delivery (送达) of an issued letter: how, when, and its proof.

    An e-mail delivery is written by gongkai.foi.delivery when the letter is issued and
    updated by each send attempt; the others are recorded by the office. `received_on`
    is the addressee's date of receipt where it starts or stops a clock (a signed-for
    postal notice); gongkai.foi.delivery derives it for the other methods.
    """

    letter = models.ForeignKey(
        Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="deliveries"
    )
    method = models.CharField(_("method"), max_length=16, choices=DeliveryMethod.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.DELIVERED,
    )
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=40, blank=True)
    proof = models.FileField(_("proof"), upload_to="foi/delivery/%Y/%m/", blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["recorded_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.letter} {self.get_method_display()} {self.delivered_on or ''}".strip()
