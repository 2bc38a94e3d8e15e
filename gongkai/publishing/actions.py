"""Steps of a catalog item: create, publish, change, withdraw. Each writes the audit log;
publication steps also write a version and a link of the publication log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import record
from gongkai.audit.models import Action
from gongkai.jobs.queue import submit
from gongkai.lib.errors import ActionError
from gongkai.lib.html import clean_body, sanitize_html
from gongkai.lib.textextract import UnreadableFile, extract_text
from gongkai.orgs import content
from gongkai.orgs.access import has_role
from gongkai.orgs.models import Agency, Role, User
from gongkai.publishing import log
from gongkai.publishing import tasks as publishing_tasks
from gongkai.publishing.detect import mask_text
from gongkai.publishing.index_numbers import next_index_number
from gongkai.publishing.models import (
    Category,
    ChangeKind,
    ChangeStatus,
    Channel,
    Disclosure,
    IndexRule,
    InfoItem,
    Interpretation,
    ItemAttachment,
    ItemChange,
    ItemChannel,
    ItemStatus,
    ItemVersion,
    KeptFinding,
    PublicationAction,
    PublicationSchedule,
    RereviewOutcome,
    ReviewDecision,
    ReviewPolicy,
    ReviewRecord,
    ReviewStage,
    WithheldReview,
)
from gongkai.publishing.rescan import resolve_kept
from gongkai.publishing.review import (
    CHECKED_FIELDS,
    WITHDRAWAL_STAGE,
    Stage,
    agency_stages,
    change_stages,
    current_stage,
    findings,
    separation_problem,
    stages,
    workflow_problems,
)
from gongkai.workdays.calendar import Provisional
from gongkai.workdays.loading import day_one, get_calendar
from gongkai.workdays.periods import PROACTIVE_PUBLICATION

PUBLIC_FIELDS = [
    "index_no", "title", "summary", "formed_on", "doc_no", "topic", "genre", "validity",
    "effective_on", "ended_on", "body", "keywords",
]  # fmt: skip


STAFF = (Role.OFFICER, Role.OFFICE_HEAD)


def _require_staff(actor: User | None, agency: Agency, roles: tuple[str, ...] = STAFF) -> None:
    if actor is not None and not has_role(actor, agency, *roles):
        raise ActionError(_("Only the agency's disclosure staff may do this."))


def _locked(item: InfoItem, actor: User | None, roles: tuple[str, ...] = STAFF) -> InfoItem:
    """The item reloaded under a row lock (two steps cannot interleave), once the actor's
    role in its agency is checked; `roles` empty leaves the check to the caller."""
    item = InfoItem.objects.select_for_update().select_related("agency", "category").get(pk=item.pk)
    if roles:
        _require_staff(actor, item.agency, roles)
    return item


def _log(item: InfoItem, actor: User | None, step: str, **detail: Any) -> None:
    """The audit row of one step of an item."""
    record(
        Action.PUBLISHING_STEP,
        actor=actor,
        obj=item,
        agency=item.agency,
        detail={"step": step, **detail},
    )


def snapshot(item: InfoItem) -> dict[str, Any]:
    """The public content of an item, as stored in each version."""
    data: dict[str, Any] = {}
    for name in PUBLIC_FIELDS:
        value = getattr(item, name)
        data[name] = value.isoformat() if isinstance(value, date) else value
    data["category"] = item.category.code
    data["agency"] = item.agency.name
    return data


@transaction.atomic
def create_item(
    agency: Agency,
    *,
    actor: User | None,
    category: Category,
    formed_on: date,
    title: str,
    **fields: Any,
) -> InfoItem:
    """A draft with its 索引号; the disclosure attribute is decided now (源头认定)."""
    _require_staff(actor, agency)
    check_formed_on(formed_on)
    disclosure = fields.get("disclosure", Disclosure.PROACTIVE)
    if disclosure == Disclosure.WITHHELD and not fields.get("withheld_reason"):
        raise ActionError(_("Give the legal reason for not disclosing (Articles 14–16)."))
    if "body" in fields:
        fields["body"] = clean_body(fields["body"])
    item = InfoItem(
        agency=agency,
        category=category,
        formed_on=formed_on,
        title=title.strip(),
        created_by=actor,
        **fields,
    )
    item.index_no = next_index_number(agency, category, formed_on)
    _set_publication_due(item, formed_on)
    if disclosure == Disclosure.WITHHELD:
        item.rereview_due_on = rereview_due(formed_on)
    if InfoItem.objects.filter(index_no=item.index_no).exists():
        raise ActionError(
            _(
                "The index number %(index)s is already taken; ask the office head to correct "
                "the index number template."
            )
            % {"index": item.index_no}
        )
    item.save()
    _log(item, actor, "created")
    return item


FIRST_FORMED = date(1950, 1, 1)


def check_formed_on(formed_on: date) -> None:
    """生成日期: not in the future and not before the calendar's first year."""
    if not FIRST_FORMED <= formed_on <= timezone.localdate():
        raise ActionError(
            {
                "formed_on": _("The date formed must lie between %(first)s and today.")
                % {"first": FIRST_FORMED.isoformat()}
            }
        )


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def rereview_due(start: date) -> date:
    """第十八条: when withheld information is next re-assessed."""
    return add_months(start, settings.WITHHELD_REREVIEW_MONTHS)


def _publication_due(item: InfoItem, start: date) -> Provisional:
    """第二十六条: publish within 20 working days of forming or changing (or the category's period)."""
    days = item.category.publish_days or PROACTIVE_PUBLICATION.days
    return get_calendar(item.agency).provisional_add(start, days, day_one())


def _set_publication_due(item: InfoItem, start: date) -> None:
    try:
        due = _publication_due(item, start)
    except ValueError:
        raise ActionError(
            {
                "formed_on": _("%(date)s is outside the dates the calendar covers.")
                % {"date": start.isoformat()}
            }
        ) from None
    item.publish_clock_from = start
    item.publish_due_on, item.publish_due_provisional = due.value, due.provisional


def _version(item: InfoItem, action: str, actor: User | None, reason: str = "") -> ItemVersion:
    number = item.versions.count() + 1
    data = snapshot(item)
    version = ItemVersion.objects.create(
        item=item,
        number=number,
        action=action,
        reason=reason,
        snapshot=data,
        at=timezone.now(),
        actor=actor,
    )
    log.append(item, action=action, version=number, snapshot=data)
    # The portal's search and cached pages follow what the public sees, once committed.
    submit(publishing_tasks.index_item, item.pk)
    content.changed()
    _log(item, actor, action, version=number)
    return version


@transaction.atomic
def publish_item(item: InfoItem, *, actor: User | None) -> ItemVersion:
    """Publish an approved, proactively disclosed item."""
    item = _locked(item, actor)
    if item.status != ItemStatus.APPROVED:
        raise ActionError(_("Only an item that passed its reviews can be published."))
    if item.disclosure != Disclosure.PROACTIVE:
        raise ActionError(_("Only proactively disclosed information is published."))
    item.status, item.published_at = ItemStatus.PUBLISHED, timezone.now()
    item.published_late = (
        item.publish_due_on is not None
        and timezone.localtime(item.published_at).date() > item.publish_due_on
    )
    item.save(update_fields=["status", "published_at", "published_late"])
    _record_website_channel(item, actor)
    return _version(item, PublicationAction.PUBLISHED, actor)


def _record_website_channel(item: InfoItem, actor: User | None) -> None:
    """Publishing on the portal is publishing on the 政府网站: recorded once, automatically,
    so that the annual report's channel counts include it."""
    if item.channels.filter(channel=Channel.PORTAL).exists():
        return
    published_at = item.published_at or timezone.now()
    ItemChannel.objects.create(
        item=item,
        channel=Channel.PORTAL,
        published_on=timezone.localtime(published_at).date(),
        address=reverse("portal:item", args=[item.pk]),
        recorded_by=actor,
    )


CHANGE_FIELDS = (
    "title", "summary", "doc_no", "topic", "body", "keywords", "validity", "effective_on",
    "ended_on",
)  # fmt: skip
DATE_FIELDS = ("formed_on", "effective_on", "ended_on")


def _open_change(item: InfoItem) -> ItemChange | None:
    return item.change_requests.filter(
        status__in=[ChangeStatus.IN_REVIEW, ChangeStatus.RETURNED]
    ).first()


@transaction.atomic
def change_item(item: InfoItem, *, actor: User | None, reason: str, **changes: Any) -> ItemChange:
    """Propose a change to a published item: it goes through the review stages again, and
    the published version stays on the portal until the last stage approves (the public
    page then keeps the earlier versions). A returned change is proposed again the same
    way. Without an actor (a system step), the change is applied at once."""
    item = _locked(item, actor)
    if item.status != ItemStatus.PUBLISHED:
        raise ActionError(_("Only a published item can be changed."))
    if not reason.strip():
        raise ActionError(_("Give the reason for the change."))
    for name in changes:
        if name not in CHANGE_FIELDS:
            raise ActionError(_("%(field)s cannot be changed here.") % {"field": name})
    if not changes:
        raise ActionError(_("Nothing was changed."))
    proposed = InfoItem.objects.get(pk=item.pk)
    for name, value in changes.items():
        setattr(proposed, name, clean_body(value) if name == "body" else value)
    _refuse_unchecked_personal_data(proposed, changed=set(changes))
    stored = {
        name: getattr(proposed, name).isoformat()
        if isinstance(getattr(proposed, name), date)
        else getattr(proposed, name)
        for name in changes
    }
    change = _open_change(item)
    if change is not None and change.status == ChangeStatus.IN_REVIEW:
        raise ActionError(
            _("A change or withdrawal of this item is already in review; wait for its decision.")
        )
    plan = [s.as_json() for s in agency_stages(item.agency)]
    if change is None:
        change = ItemChange(item=item, kind=ChangeKind.CHANGE, requested_by=actor)
    else:  # a returned change, proposed again: a new round
        change.kind, change.round = ChangeKind.CHANGE, change.round + 1
    change.fields, change.reason, change.plan = stored, reason.strip(), plan
    change.status, change.stage = ChangeStatus.IN_REVIEW, plan[0]["order"]
    change.save()
    _log(item, actor, "change_proposed", fields=sorted(changes))
    if actor is None:
        _apply_change(item, change, None)
    return change


@transaction.atomic
def apply_register_change(
    item: InfoItem, *, actor: User | None, reason: str, **fields: Any
) -> ItemVersion:
    """A change decided elsewhere (the register's repeal or expiry of a normative
    document): applied to the published item at once, with `reason` as its public note."""
    item = _locked(item, None)
    if item.status != ItemStatus.PUBLISHED:
        raise ActionError(_("Only a published item can be changed."))
    stored = {k: v.isoformat() if isinstance(v, date) else v for k, v in fields.items()}
    # Applied at once (an open change in review, if any, stays in review).
    change = ItemChange.objects.create(
        item=item,
        kind=ChangeKind.CHANGE,
        fields=stored,
        reason=reason,
        requested_by=actor,
        status=ChangeStatus.APPLIED,
    )
    return _apply_change(item, change, actor)


def _apply_change(item: InfoItem, change: ItemChange, actor: User | None) -> ItemVersion:
    """The approved change or withdrawal reaches the public, with its reason as the note."""
    change.status, change.applied_at = ChangeStatus.APPLIED, timezone.now()
    change.save(update_fields=["status", "applied_at"])
    if change.kind == ChangeKind.WITHDRAWAL:
        item.status = ItemStatus.WITHDRAWN
        item.save(update_fields=["status"])
        return _version(item, PublicationAction.WITHDRAWN, actor, change.reason)
    for name, value in change.fields.items():
        if name in DATE_FIELDS and value:
            value = date.fromisoformat(value)
        setattr(item, name, value)
    item.save()
    return _version(item, PublicationAction.CHANGED, actor, change.reason)


def _refuse_unchecked_personal_data(item: InfoItem, changed: set[str]) -> None:
    """A change may not bring in personal data that nobody masked or kept."""
    found = [f for f in findings(item) if f.field in changed]
    if found:
        raise ActionError(
            _(
                "The change contains personal data or sensitive words: %(list)s. Mask them, or "
                "draft a new item for review."
            )
            % {"list": "、".join(f.finding.text for f in found[:10])}
        )


@transaction.atomic
def withdraw_item(item: InfoItem, *, actor: User | None, reason: str) -> ItemChange:
    """Take an item off the portal with a public notice; it is never deleted.

    A withdrawal needs the office head's approval: the office head's own withdrawal is
    that approval; an officer's goes to the office head (stage 撤回审批)."""
    item = _locked(item, actor)
    if item.status != ItemStatus.PUBLISHED:
        raise ActionError(_("Only a published item can be withdrawn."))
    if not reason.strip():
        raise ActionError(_("Give the reason for the withdrawal; it is shown to the public."))
    change = _open_change(item)
    if change is not None and change.status == ChangeStatus.IN_REVIEW:
        raise ActionError(
            _("A change or withdrawal of this item is already in review; wait for its decision.")
        )
    if change is not None:  # a returned change gives way to the withdrawal
        change.status = ChangeStatus.CANCELLED
        change.save(update_fields=["status"])
    change = ItemChange.objects.create(
        item=item,
        kind=ChangeKind.WITHDRAWAL,
        reason=reason.strip(),
        requested_by=actor,
        plan=[WITHDRAWAL_STAGE.as_json()],
        stage=WITHDRAWAL_STAGE.order,
    )
    _log(item, actor, "withdrawal_requested")
    if actor is None or has_role(actor, item.agency, Role.OFFICE_HEAD):
        if actor is not None:
            ReviewRecord.objects.create(
                item=item,
                change=change,
                round=change.round,
                stage_order=WITHDRAWAL_STAGE.order,
                stage_name=WITHDRAWAL_STAGE.name,
                reviewer=actor,
                decision=ReviewDecision.APPROVE,
                opinion=reason.strip(),
            )
        _apply_change(item, change, actor)
    return change


@transaction.atomic
def record_channel(
    item: InfoItem, *, actor: User | None, channel: str, published_on: date, address: str = ""
) -> ItemChannel:
    """Note one more channel an item was published on (it still counts once)."""
    item = _locked(item, actor)
    if item.status not in (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN):
        raise ActionError(_("Record channels once the item is published."))
    if item.published_at and published_on < timezone.localtime(item.published_at).date():
        raise ActionError(_("The channel date cannot be before the item was published."))
    if published_on > timezone.localdate():
        raise ActionError(_("The channel date cannot be in the future."))
    address = address.strip()
    if ItemChannel.objects.filter(item=item, channel=channel, address=address).exists():
        raise ActionError(_("This channel and address are already recorded."))
    entry = ItemChannel.objects.create(
        item=item, channel=channel, published_on=published_on, address=address, recorded_by=actor
    )
    _log(item, actor, "channel", channel=channel)
    return entry


EDITABLE = (ItemStatus.DRAFT, ItemStatus.RETURNED)
# What a draft's form may change; agency, 索引号, status and dates of steps never.
DRAFT_FIELDS = (
    "title", "category", "formed_on", "doc_no", "topic", "genre", "summary", "body",
    "keywords", "disclosure", "withheld_reason", "validity", "effective_on", "ended_on",
    "needs_interpretation",
)  # fmt: skip


@transaction.atomic
def update_draft(item: InfoItem, *, actor: User | None, **fields: Any) -> InfoItem:
    """Edit a draft or a returned item before it goes (back) into review."""
    item = _locked(item, actor)
    if item.status not in EDITABLE:
        raise ActionError(_("Only a draft or a returned item can be edited."))
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise ActionError(
            _("%(field)s cannot be changed here.") % {"field": "、".join(sorted(unknown))}
        )
    if fields.get("disclosure") == Disclosure.WITHHELD and not fields.get("withheld_reason"):
        raise ActionError(_("Give the legal reason for not disclosing (Articles 14–16)."))
    if "formed_on" in fields:
        check_formed_on(fields["formed_on"])
    clock = (item.formed_on, item.category_id)
    for name, value in fields.items():
        setattr(item, name, clean_body(value) if name == "body" else value)
    if item.disclosure != Disclosure.WITHHELD:
        item.withheld_reason, item.rereview_due_on = "", None
    elif item.rereview_due_on is None:
        item.rereview_due_on = rereview_due(item.formed_on)
    if (item.formed_on, item.category_id) != clock:
        # Only a new date formed or category moves the Article 26 date (a date set by a
        # re-review, from the day of the change, stays otherwise).
        _set_publication_due(item, item.formed_on)
    item.save()
    _log(item, actor, "edited")
    return item


def add_attachment(item: InfoItem, *, actor: User | None, upload: Any) -> ItemAttachment:
    """Attach a file to a draft; its text is extracted for the checks and for search.

    The text is read before the item is locked: reading a large file may take seconds,
    and no other writer should wait for it.
    """

    _require_staff(actor, item.agency)
    data = upload.read()
    upload.seek(0)
    try:
        text = "" if upload.content_type.startswith("image/") else extract_text(data, upload.name)
    except UnreadableFile:
        raise ActionError(
            _("%(name)s cannot be read; save it again as PDF, DOCX or XLSX.")
            % {"name": upload.name}
        ) from None
    with transaction.atomic():
        item = _locked(item, actor)
        if item.status not in EDITABLE:
            raise ActionError(_("Attachments can only be added to a draft or a returned item."))
        attachment = ItemAttachment.objects.create(
            item=item,
            file=upload,
            original_name=upload.name[:200],
            content_type=upload.content_type,
            size=upload.size,
            text=text,
            uploaded_by=actor,
        )
        _log(item, actor, "attached", name=attachment.original_name)
    return attachment


def replace_attachment(
    attachment: ItemAttachment, *, actor: User | None, upload: Any
) -> ItemAttachment:
    """Put a de-identified file in the place of an attachment (its findings go with it)."""
    new = add_attachment(attachment.item, actor=actor, upload=upload)
    remove_attachment(attachment, actor=actor)
    return new


@transaction.atomic
def remove_attachment(attachment: ItemAttachment, *, actor: User | None) -> None:
    item = _locked(attachment.item, actor)
    if item.status not in EDITABLE:
        raise ActionError(_("Attachments can only be removed from a draft or a returned item."))
    name = attachment.original_name
    attachment.file.delete(save=False)
    attachment.delete()
    _log(item, actor, "attachment_removed", name=name)


@transaction.atomic
def rereview_withheld(item: InfoItem, *, actor: User, outcome: str, opinion: str) -> WithheldReview:
    """第十八条 动态调整: re-assess withheld information; it stays withheld until the next
    re-review, or becomes disclosable (a proactive one is then drafted for publication,
    due within the Article 26 period from today, the change date)."""
    item = _locked(item, actor, (*STAFF, Role.CONFIDENTIALITY))
    if item.disclosure != Disclosure.WITHHELD:
        raise ActionError(_("Only withheld information is re-reviewed."))
    if not opinion.strip():
        raise ActionError(_("Give the opinion of the re-review."))
    today = timezone.localdate()
    next_due = None
    if outcome == RereviewOutcome.KEEP:
        next_due = rereview_due(today)
    elif outcome == RereviewOutcome.PROACTIVE:
        item.disclosure, item.withheld_reason = Disclosure.PROACTIVE, ""
        if item.status in (ItemStatus.IN_REVIEW, ItemStatus.RETURNED, ItemStatus.APPROVED):
            # Reviewed as withheld: the whole review runs again before publication.
            item.status, item.review_stage = ItemStatus.DRAFT, 0
        _set_publication_due(item, today)
    elif outcome == RereviewOutcome.ON_REQUEST:
        item.disclosure, item.withheld_reason = Disclosure.ON_REQUEST, ""
    else:
        raise ActionError(_("Choose the outcome of the re-review."))
    item.rereview_due_on = next_due
    item.save()
    entry = WithheldReview.objects.create(
        item=item, outcome=outcome, opinion=opinion.strip(), next_due_on=next_due, by=actor
    )
    _log(item, actor, "rereviewed", outcome=outcome)
    return entry


@transaction.atomic
def add_interpretation(
    document: InfoItem,
    *,
    actor: User | None,
    form: str,
    title: str,
    published_on: date,
    address: str = "",
    catalog_item: InfoItem | None = None,
    elements: Any = (),
) -> Interpretation:
    """Link a policy interpretation (政策解读) to the document it explains."""
    _require_staff(actor, document.agency)
    if document.status != ItemStatus.PUBLISHED or document.published_at is None:
        raise ActionError(
            _(
                "Only a published document can be interpreted: an interpretation is published "
                "together with its document (同步发布)."
            )
        )
    if not title.strip():
        raise ActionError(_("Give the interpretation's title."))
    if catalog_item is not None and catalog_item.pk == document.pk:
        raise ActionError(_("A document cannot interpret itself."))
    document_day = timezone.localtime(document.published_at).date()
    if published_on < document_day:
        raise ActionError(
            {
                "published_on": _(
                    "An interpretation cannot be published before its document (%(date)s)."
                )
                % {"date": document_day.isoformat()}
            }
        )
    if published_on > timezone.localdate():
        raise ActionError({"published_on": _("The date cannot be in the future.")})
    if not address.strip() and catalog_item is None:
        raise ActionError(_("Give the interpretation's address or choose it in the catalog."))
    if address.strip():
        try:
            URLValidator(schemes=["http", "https"])(address.strip())
        except ValidationError:
            raise ActionError(
                {"address": _("Give a web address starting with http:// or https://.")}
            ) from None
    try:
        after = get_calendar(document.agency).provisional_count(document_day, published_on)[0]
    except ValueError:
        after = (published_on - document_day).days
    limit = settings.INTERPRETATION_SYNC_WORKING_DAYS
    entry = Interpretation.objects.create(
        document=document,
        form=form,
        title=title.strip(),
        address=address.strip(),
        catalog_item=catalog_item,
        published_on=published_on,
        late=after > limit,
        late_working_days=after,
        recorded_by=actor,
    )
    if elements:
        entry.elements.set(elements)
    content.changed()  # the document's public page lists its interpretations
    _log(document, actor, "interpretation", form=form)
    return entry


def missing_interpretation(item: InfoItem) -> bool:
    """同步发布: a document that needs an interpretation is published without one."""
    return item.needs_interpretation and not item.interpretations.exists()


# -- review: personal data, then the stages (rules in gongkai.publishing.review) ---------
@transaction.atomic
def mask_findings(
    item: InfoItem, *, actor: User | None, only: tuple[str, str] | None = None
) -> int:
    """Replace open findings by their masked forms (去标识化); returns how many were replaced.

    Only while the item is a draft or returned: a published item changes through
    change_item, which keeps a version. The body is HTML, so the result is sanitised again.
    A number split by markup is not replaced here; the submit check still blocks it. Files
    cannot be masked: an attachment with findings is replaced, or a reviewer keeps them.
    """
    item = _locked(item, actor)
    if item.status not in (ItemStatus.DRAFT, ItemStatus.RETURNED):
        raise ActionError(_("Only a draft or a returned item can be masked here."))
    open_findings = findings(item)
    if only is not None:  # one finding (kind, text), wherever it occurs
        open_findings = [f for f in open_findings if (f.finding.kind, f.finding.text) == only]
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
    _log(item, actor, "masked", count=replaced)
    return replaced


@transaction.atomic
def keep_finding(item: InfoItem, *, actor: User, kind: str, text: str, reason: str) -> KeptFinding:
    """A reviewer keeps a finding on purpose (e.g. 惩戒性公示), with the reason."""
    if not any(has_role(actor, item.agency, s.role) for s in stages(item)):
        raise ActionError(_("Only a reviewer may keep personal data in an item."))
    if actor.pk == item.created_by_id:
        raise ActionError(
            _("Separation of duties: the drafter cannot keep personal data in their own item.")
        )
    if not reason.strip():
        raise ActionError(_("Give the reason for publishing this personal data."))
    if KeptFinding.objects.filter(item=item, kind=kind, text=text).exists():
        raise ActionError(_("This finding is already kept."))
    kept = KeptFinding.objects.create(
        item=item, kind=kind, text=text, reason=reason.strip(), by=actor
    )
    resolve_kept(item, kind, text)
    _log(item, actor, "finding_kept", kind=kind)
    return kept


@transaction.atomic
def submit_for_review(item: InfoItem, *, actor: User | None) -> InfoItem:
    item = _locked(item, actor)
    if item.status not in (ItemStatus.DRAFT, ItemStatus.RETURNED):
        raise ActionError(_("Only a draft or a returned item can be submitted for review."))
    remaining = findings(item)
    if remaining:
        raise ActionError(
            _("Mask or keep the personal data first: %(list)s")
            % {"list": "、".join(f"{f.finding.text}" for f in remaining[:10])}
        )
    plan = agency_stages(item.agency)
    item.status, item.review_round, item.review_stage = (
        ItemStatus.IN_REVIEW,
        item.review_round + 1,
        plan[0].order,
    )
    item.review_plan = [s.as_json() for s in plan]
    item.save(update_fields=["status", "review_round", "review_stage", "review_plan"])
    _log(item, actor, "submitted")
    return item


@transaction.atomic
def review(item: InfoItem, *, actor: User, decision: str, opinion: str = "") -> ReviewRecord:
    """The reviewer of the stage now due approves (on to the next stage) or returns the
    item, or its change or withdrawal. Separation of duties: see review.separation_problem."""
    item = _locked(item, actor, roles=())  # the stage's own role is checked below
    due = current_stage(item)
    if due is None:
        raise ActionError(_("The item is not in review."))
    current, change = due
    if not has_role(actor, item.agency, current.role):
        raise ActionError(
            _("The %(stage)s stage needs its own reviewer.") % {"stage": current.name}
        )
    if decision not in ReviewDecision.values:
        raise ActionError(_("Choose approve or return."))
    if decision == ReviewDecision.RETURN and not opinion.strip():
        raise ActionError(_("Give your opinion when returning an item."))
    refusal, same_person = separation_problem(item, actor, current, change)
    if refusal:
        raise ActionError(refusal)
    entry = ReviewRecord.objects.create(
        item=item,
        change=change,
        round=change.round if change else item.review_round,
        stage_order=current.order,
        stage_name=current.name,
        reviewer=actor,
        decision=decision,
        opinion=opinion.strip(),
        same_person=same_person,
    )
    workflow = change_stages(change) if change else stages(item)
    later = [s for s in workflow if s.order > current.order]
    if change is not None:
        if decision == ReviewDecision.RETURN:
            change.status = ChangeStatus.RETURNED
            change.save(update_fields=["status"])
        elif later:
            change.stage = later[0].order
            change.save(update_fields=["stage"])
        else:
            _apply_change(item, change, actor)
    else:
        if decision == ReviewDecision.RETURN:
            item.status = ItemStatus.RETURNED
        elif later:
            item.review_stage = later[0].order
        else:
            item.status = ItemStatus.APPROVED
        item.save(update_fields=["status", "review_stage"])
    _log(item, actor, "reviewed", stage=current.name, decision=decision)
    return entry


@transaction.atomic
def cancel_change(item: InfoItem, *, actor: User | None) -> None:
    """The officer drops a returned change or withdrawal; the published version stays."""
    item = _locked(item, actor)
    change = _open_change(item)
    if change is None or change.status != ChangeStatus.RETURNED:
        raise ActionError(_("Only a returned change can be dropped."))
    change.status = ChangeStatus.CANCELLED
    change.save(update_fields=["status"])
    _log(item, actor, "change_cancelled")


@transaction.atomic
def save_review_workflow(
    agency: Agency, rows: list[Stage], *, actor: User | None, one_person_office: bool
) -> None:
    """The office head's (or an administrator's) review stages, in order, and policy."""
    _require_staff(actor, agency, (Role.OFFICE_HEAD, Role.ADMIN))
    problems = workflow_problems(rows)
    if problems:
        raise ActionError(problems)
    ReviewStage.objects.filter(agency=agency).delete()
    ReviewStage.objects.bulk_create(
        ReviewStage(agency=agency, order=n, name=row.name.strip(), role=row.role)
        for n, row in enumerate(rows, start=1)
    )
    ReviewPolicy.objects.update_or_create(
        agency=agency, defaults={"one_person_office": one_person_office}
    )
    record(
        Action.PUBLISHING_STEP,
        actor=actor,
        obj=agency,
        agency=agency,
        detail={
            "step": "settings_review",
            "stages": [f"{r.name}:{r.role}" for r in rows],
            "one_person_office": one_person_office,
        },
    )


# -- an agency's catalog settings ---------------------------------------------------------
@transaction.atomic
def save_settings(
    agency: Agency, setting: PublicationSchedule | IndexRule, *, actor: User | None
) -> None:
    """The office head's settings of the catalog: the monthly schedule or the 索引号 rule."""
    _require_staff(actor, agency, (Role.OFFICE_HEAD, Role.ADMIN))
    setting.agency = agency
    setting.save()
    which = "schedule" if isinstance(setting, PublicationSchedule) else "index"
    record(
        Action.PUBLISHING_STEP,
        actor=actor,
        obj=agency,
        agency=agency,
        detail={"step": f"settings_{which}"},
    )


# -- after a calendar change ----------------------------------------------------------------
@dataclass(frozen=True)
class PublishDueChange:
    index_no: str
    before: date | None
    after: date | None


def recompute_publication_due() -> list[PublishDueChange]:
    """After a calendar change: recompute the 第二十六条 date of every item awaiting
    publication from its clock's start; return the changes. A date the new calendar
    cannot reach is left as it was (it stays provisional)."""
    changes: list[PublishDueChange] = []
    changed: list[InfoItem] = []
    awaiting = (
        InfoItem.objects.awaiting_publication()
        .exclude(publish_clock_from=None)
        .select_related("agency", "category")
    )
    for item in awaiting.iterator(chunk_size=1000):
        start = item.publish_clock_from
        if start is None:  # excluded above; for the type checker
            continue
        try:
            due = _publication_due(item, start)
        except ValueError:
            continue
        if (due.value, due.provisional) != (item.publish_due_on, item.publish_due_provisional):
            changes.append(PublishDueChange(item.index_no, item.publish_due_on, due.value))
            item.publish_due_on, item.publish_due_provisional = due.value, due.provisional
            changed.append(item)
    InfoItem.objects.bulk_update(
        changed, ["publish_due_on", "publish_due_provisional"], batch_size=1000
    )
    return changes
