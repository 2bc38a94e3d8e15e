"""The one writer of the records of the other disclosure work.

Every step checks the role, refuses dates out of order (the field named) and changes in a
year whose annual report is approved or published (gongkai.orgs.locks), writes in one
transaction and appends its audit row. The consultation's public steps (a comment from
the portal) have no staff actor; the portal passes in what publishing's personal-data
detector found, since records sits beside publishing and does not import it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import record as audit
from gongkai.audit.models import Action
from gongkai.lib.errors import ActionError
from gongkai.orgs import content
from gongkai.orgs.access import has_role
from gongkai.orgs.locks import check_unlocked
from gongkai.orgs.models import Agency, Role, User
from gongkai.records.models import (
    MIN_DAYS_LONG,
    MIN_WORKING_DAYS_NORMATIVE,
    Comment,
    CommentStatus,
    Consultation,
    ConsultationKind,
    Message,
    MessageStatus,
    Record,
    RecordSettings,
)
from gongkai.workdays.calendar import DayOne
from gongkai.workdays.loading import get_calendar

STAFF = (Role.OFFICER, Role.OFFICE_HEAD)
HEADS = (Role.OFFICE_HEAD, Role.ADMIN)
R = TypeVar("R", bound=Record)


def _require_staff(actor: User | None, agency: Agency) -> None:
    if actor is not None and not has_role(actor, agency, *STAFF):
        raise ActionError(_("Only the agency's disclosure staff may do this."))


def _log(obj: Model, agency: Agency, step: str, actor: User | None, **detail: Any) -> None:
    audit(
        Action.RECORDS_STEP,
        actor=actor,
        obj=obj,
        agency=agency,
        detail={"step": step, "kind": obj._meta.model_name, **detail},
    )


def settings_for(agency: Agency) -> RecordSettings:
    """The agency's settings, or the defaults (unsaved) when it has none."""
    found = RecordSettings.objects.filter(agency=agency).first()
    return found or RecordSettings(agency=agency)


# ---- the consultation period ----------------------------------------------------------


def period_problem(consultation: Consultation) -> str | None:
    """Why the period is too short for the kind (notes §11.3), or None."""
    opens, closes = consultation.opens_on, consultation.closes_on
    if opens is None or closes is None or closes < opens:
        return None
    if consultation.kind in (
        ConsultationKind.MAJOR_DECISION,
        ConsultationKind.REGULATION,
        ConsultationKind.MARKET_NORMATIVE,
    ):
        days = (closes - opens).days + 1
        if days < MIN_DAYS_LONG:
            return _(
                "The period is %(days)d days; %(kind)s is open for comment for at least "
                "%(min)d days (国务院令第713号第十五条) unless a reason is recorded."
            ) % {"days": days, "kind": consultation.get_kind_display(), "min": MIN_DAYS_LONG}
    elif consultation.kind == ConsultationKind.NORMATIVE:
        count, _guessed = get_calendar(consultation.agency).provisional_count(
            opens, closes, DayOne.EVENT_DAY
        )
        if count < MIN_WORKING_DAYS_NORMATIVE:
            return _(
                "The period is %(days)d working days; a normative document is open for "
                "comment for at least %(min)d working days unless a reason is recorded."
            ) % {"days": count, "min": MIN_WORKING_DAYS_NORMATIVE}
    return None


def problems(obj: Record) -> dict[str, str]:
    errors = obj.problems()
    if isinstance(obj, Consultation):
        short = period_problem(obj)
        if short and not obj.short_period_reason.strip():
            errors.setdefault("short_period_reason", short)
    return errors


# ---- any record ------------------------------------------------------------------------


def _check_unlocked(obj: Record) -> None:
    """Refuse a change of a record in a year whose annual report is approved or published."""
    dates = [obj.record_date()]
    if obj.pk:
        before = type(obj)._default_manager.filter(pk=obj.pk).first()
        if before is not None:
            dates.append(before.record_date())
    found = [d for d in dates if d is not None]
    if found:
        check_unlocked(obj.agency, min(found))


@transaction.atomic
def save_record(obj: R, *, actor: User | None) -> R:
    """Create or change a record of any kind (a consultation's text and period too)."""
    _require_staff(actor, obj.agency)
    errors = problems(obj)
    if errors:
        raise ActionError(errors)
    if isinstance(obj, Consultation) and obj.pk and obj.feedback_published_at:
        raise ActionError(_("The feedback is published; the consultation can no longer change."))
    _check_unlocked(obj)
    created = obj.pk is None
    if created:
        obj.created_by = actor
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:  # the unique constraints: a number, a year per agency
        raise ActionError(
            _("This agency already has such a record: %(record)s.") % {"record": obj}
        ) from exc
    _log(obj, obj.agency, "created" if created else "changed", actor)
    return obj


@transaction.atomic
def save_settings(rules: RecordSettings, *, actor: User | None) -> RecordSettings:
    if actor is not None and not has_role(actor, rules.agency, *HEADS):
        raise ActionError(_("Only the head of the disclosure office may change this."))
    rules.updated_by = actor
    rules.save()
    _log(rules, rules.agency, "settings", actor)
    return rules


# ---- the consultation's public flow -----------------------------------------------------


def _lock_consultation(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().select_related("agency").get(pk=consultation.pk)


@transaction.atomic
def publish_consultation(consultation: Consultation, *, actor: User | None) -> Consultation:
    """Put the draft, its explanation and its period on the portal."""
    consultation = _lock_consultation(consultation)
    _require_staff(actor, consultation.agency)
    if consultation.published_at is not None:
        raise ActionError(_("The draft is already on the portal."))
    errors = problems(consultation)
    if errors:
        raise ActionError(list(errors.values()))
    consultation.published_at = timezone.now()
    consultation.save(update_fields=["published_at", "updated_at"])
    _log(consultation, consultation.agency, "published", actor)
    return consultation


@dataclass
class CommentInput:
    """A comment as typed on the portal, with what the personal-data detector found."""

    name: str = ""
    contact: str = ""
    text: str = ""
    findings: list[dict[str, Any]] = field(default_factory=list)
    masked_text: str = ""


@transaction.atomic
def submit_comment(consultation: Consultation, given: CommentInput) -> Comment:
    """A comment from the public: kept for moderation, never shown before it."""
    consultation = _lock_consultation(consultation)
    rules = settings_for(consultation.agency)
    errors: dict[str, str] = {}
    if not consultation.is_open:
        raise ActionError(_("Comments on this draft are not open now."))
    if not given.text.strip():
        errors["text"] = _("Write your comment.")
    if rules.comment_name_required and not given.name.strip():
        errors["name"] = _("This agency asks for your name.")
    if rules.comment_contact_required and not given.contact.strip():
        errors["contact"] = _("This agency asks for a way to contact you.")
    if errors:
        raise ActionError(errors)
    comment = Comment.objects.create(
        consultation=consultation,
        name=given.name.strip(),
        contact=given.contact.strip(),
        text=given.text.strip(),
        findings=given.findings,
        shown_text=(given.masked_text or given.text).strip(),
        submitted_at=timezone.now(),
    )
    _log(comment, consultation.agency, "comment_received", None, findings=len(given.findings))
    return comment


@transaction.atomic
def moderate_comment(
    comment: Comment,
    *,
    actor: User | None,
    show: bool,
    shown_text: str | None = None,
    adopted: bool | None = None,
) -> Comment:
    """Show a comment (its text with personal data masked, or as edited) or keep it hidden;
    and, once read, whether it was adopted."""
    comment = (
        Comment.objects.select_for_update()
        .select_related("consultation__agency")
        .get(pk=comment.pk)
    )
    agency = comment.consultation.agency
    _require_staff(actor, agency)
    if comment.consultation.feedback_published_at is not None:
        raise ActionError(_("The feedback is published; the comments can no longer change."))
    if shown_text is not None:
        if show and not shown_text.strip():
            raise ActionError({"shown_text": _("A comment shown has a text.")})
        comment.shown_text = shown_text.strip()
    comment.status = CommentStatus.SHOWN if show else CommentStatus.HIDDEN
    comment.adopted = adopted
    comment.moderated_by, comment.moderated_at = actor, timezone.now()
    comment.save()
    _log(comment, agency, "comment_moderated", actor, status=comment.status)
    return comment


@transaction.atomic
def publish_feedback(
    consultation: Consultation,
    *,
    actor: User | None,
    feedback: str,
    adopted: int | None = None,
) -> Consultation:
    """After the period: how many comments, which were adopted and why the others were not."""
    consultation = _lock_consultation(consultation)
    _require_staff(actor, consultation.agency)
    if consultation.published_at is None:
        raise ActionError(_("Publish the draft first."))
    if not consultation.has_closed:
        raise ActionError(
            _("The feedback is published after the period, which ends on %(date)s.")
            % {"date": consultation.closes_on.isoformat()}
        )
    if consultation.comments.filter(status=CommentStatus.PENDING).exists():
        raise ActionError(_("Moderate every comment before publishing the feedback."))
    if not feedback.strip():
        raise ActionError({"feedback": _("Write the feedback on the comments.")})
    counted = consultation.comments.filter(adopted=True).count()
    adopted = counted if adopted is None else adopted
    if adopted < 0 or adopted > consultation.comment_count():
        raise ActionError(
            {
                "adopted_comments": _(
                    "The comments adopted cannot be more than the %(count)d received."
                )
                % {"count": consultation.comment_count()}
            }
        )
    consultation.feedback = feedback.strip()
    consultation.adopted_comments = adopted
    consultation.feedback_published_at = timezone.now()
    consultation.save()
    _log(consultation, consultation.agency, "feedback_published", actor, adopted=adopted)
    return consultation


# ---- a message on the portal's monthly summary ------------------------------------------


def _lock_message(message: Message) -> Message:
    return Message.objects.select_for_update().select_related("agency").get(pk=message.pk)


@transaction.atomic
def publish_message(
    message: Message, *, actor: User | None, summary: str, answer: str, masked: int = 0
) -> Message:
    """Show an answered message on the portal's monthly summary (政务咨询投诉的公开汇总),
    with the texts given. The caller (gongkai.office.hotline) has masked the personal data
    publishing's detector found in them; `masked` is how many, for the audit row. The
    sender's name and contact are not stored at all, so never shown."""
    message = _lock_message(message)
    _require_staff(actor, message.agency)
    if message.status == MessageStatus.OPEN or message.answered_at is None:
        raise ActionError(_("Only an answered message can be shown on the portal."))
    errors: dict[str, str] = {}
    if not summary.strip():
        errors["public_summary"] = _("Write the message as the public may read it.")
    if not answer.strip():
        errors["public_answer"] = _("Write the answer as the public may read it.")
    if errors:
        raise ActionError(errors)
    first = message.published_at is None
    message.public_summary = summary.strip()
    message.public_answer = answer.strip()
    message.published_at = message.published_at or timezone.now()
    message.save(update_fields=["public_summary", "public_answer", "published_at", "updated_at"])
    step = "message_published" if first else "message_republished"
    _log(message, message.agency, step, actor, masked=masked)
    content.changed()  # the portal's monthly summary lists it
    return message


@transaction.atomic
def withdraw_message(message: Message, *, actor: User | None) -> Message:
    """Take a message off the portal (its texts are kept for the office)."""
    message = _lock_message(message)
    _require_staff(actor, message.agency)
    if message.published_at is None:
        raise ActionError(_("The message is not shown on the portal."))
    message.published_at = None
    message.save(update_fields=["published_at", "updated_at"])
    _log(message, message.agency, "message_withdrawn", actor)
    content.changed()
    return message


# ---- bulk writes -----------------------------------------------------------------------


@transaction.atomic
def create_many(objs: Iterable[R], *, actor: User | None, step: str) -> list[R]:
    """Create checked records in one transaction (the importer), one audit row for all."""
    created = []
    agencies: dict[int, Agency] = {}
    for obj in objs:
        _require_staff(actor, obj.agency)
        errors = problems(obj)
        if errors:
            raise ActionError(errors)
        _check_unlocked(obj)
        obj.created_by = actor
        obj.save()
        created.append(obj)
        agencies[obj.agency.pk] = obj.agency
    for agency in agencies.values():
        audit(
            Action.RECORDS_STEP,
            actor=actor,
            agency=agency,
            detail={
                "step": step,
                "count": sum(1 for o in created if o.agency.pk == agency.pk),
            },
        )
    return created
