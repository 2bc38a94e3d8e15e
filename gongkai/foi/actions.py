"""Every step of a disclosure request: one function, one transaction, one timeline event.

Each action checks the case's state and the actor's role, appends one Event, recomputes
the derived fields (status, due date) from the whole timeline with the deadline engine,
writes the audit log, and defers e-mail until the transaction has committed. Views and
commands call these; nothing else writes an application's status (STYLE.md 3).

Timeliness that cannot be laundered (issue 17). A **late step** is a 补正 notice after the
7th working day from receipt or a second one on the same request (第三十条: 7个工作日内
一次性告知), a fee notice, consultation or extension after the reply period has ended, or
a reply after the due date (第三十三条). A step is **back-dated** when its date lies more
than settings.FOI_BACKDATE_WORKING_DAYS working days before the day it is recorded.
In the office (an actor given) both are refused, saying why, unless the actor is the head
of the disclosure office (Role.OFFICE_HEAD) and gives `late_approval_reason`: the same
person whom 第三十三条第二款 makes approve an extension answers for the delay, and a
separate approver would need a second login for every late step. An import (actor None)
records what happened and is not refused. Either way the event keeps its marks for good:
data["late"] = {"article", "due", "rule"}, data["backdated"] = {"working_days",
"recorded_on"}, data["approval"] = {"by", "name", "reason"}; the engine keeps the case
overdue once a step came after its period (Deadline.missed_due).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import record
from gongkai.audit.models import Action
from gongkai.foi import notify
from gongkai.foi.clock import backdated_days, deadline, engine_events, late_reason, lateness
from gongkai.foi.events import (
    AssignedData,
    ClosedUnansweredData,
    ConsultationClosedData,
    ConsultationSentData,
    CorrectionRequestedData,
    EventData,
    ExtensionApprovedData,
    FeeBasis,
    FeeNoticeSentData,
    FeePaidData,
    ReceiptData,
    ReceivedData,
    RepliedData,
    StepMarks,
    TransferredData,
)
from gongkai.foi.fees import FeeMethod, pages_fee, request_rate
from gongkai.foi.models import (
    OPEN_STATUSES,
    Application,
    Attachment,
    CorrectionAnswer,
    Event,
    EventKind,
    ExtensionRequest,
    ExtensionRequestStatus,
    Remedy,
    Status,
)
from gongkai.foi.query_codes import (
    check_query_code,
    code_from_seed,
    current_code,
    hash_query_code,
    new_query_code,
    new_seed,
)
from gongkai.foi.receipt import Channel, legal_received_on
from gongkai.lib.errors import ActionError
from gongkai.lib.report_keys import OVERDUE_OUTCOMES, Outcome, RemedyResult
from gongkai.lib.uploads import display_name, storage_name
from gongkai.orgs.access import has_role
from gongkai.orgs.locks import check_unlocked
from gongkai.orgs.models import Agency, Role, SequenceKind, User
from gongkai.orgs.sequences import next_value
from gongkai.workdays import deadlines as engine
from gongkai.workdays import periods
from gongkai.workdays.loading import day_one, get_calendar

_STATUS_OF_PAUSE = {
    engine.PauseReason.CORRECTION: Status.AWAITING_CORRECTION,
    engine.PauseReason.THIRD_PARTY: Status.CONSULTING,
    engine.PauseReason.AGENCY: Status.CONSULTING,
    engine.PauseReason.FEE: Status.AWAITING_FEE,
}
_PAUSE_STATUS_ORDER = [Status.AWAITING_CORRECTION, Status.AWAITING_FEE, Status.CONSULTING]
OUTCOME_KEYS = frozenset(Outcome.values)

logger = logging.getLogger(__name__)


# -- the derived fields --------------------------------------------------------------------
def refresh(application: Application) -> engine.Deadline:
    """Recompute status and due date from the timeline and save them."""
    result = deadline(application, explain=False)
    kinds = list(application.events.values_list("kind", flat=True))
    if EventKind.WITHDRAWN in kinds:
        application.status = Status.WITHDRAWN
    elif result.closed_on is not None:
        application.status = Status.CLOSED
    elif result.paused:
        # One status for several reasons: what the case waits for most urgently.
        application.status = min(
            (_STATUS_OF_PAUSE[reason] for reason in result.waiting), key=_PAUSE_STATUS_ORDER.index
        )
    else:
        application.status = Status.OPEN
    application.closed_on = result.closed_on
    application.due_on = result.due
    application.paused = result.paused
    application.due_provisional = result.provisional
    application.missed_due_on = result.missed_due
    application.replied_late = result.replied_late
    application.save(
        update_fields=[
            "status",
            "closed_on",
            "due_on",
            "paused",
            "due_provisional",
            "missed_due_on",
            "replied_late",
        ]
    )
    return result


# Steps that change the annual report's table 三: receipt and the closing steps.
COUNTED_STEPS = (
    EventKind.RECEIVED,
    EventKind.REPLIED,
    EventKind.WITHDRAWN,
    EventKind.CLOSED_UNANSWERED,
)


def _check_timeliness(
    application: Application,
    kind: EventKind,
    *,
    actor: User | None,
    on: date,
    today: date,
    reason: str,
) -> StepMarks:
    """The late and back-dating marks of a step, refusing it in the office if unapproved."""
    marks: StepMarks = {}
    problems: list[str] = []
    late = lateness(application, kind, on)
    if late is not None:
        marks["late"] = late
        problems.append(late_reason(kind, late))
    if actor is not None and kind != EventKind.RECEIVED:
        days = backdated_days(application, on, today)
        if days:
            marks["backdated"] = {"working_days": days, "recorded_on": today.isoformat()}
            problems.append(
                _(
                    "The date %(date)s is %(days)d working days ago; steps may be dated at most %(limit)d working days back."
                )
                % {
                    "date": on.isoformat(),
                    "days": days,
                    "limit": settings.FOI_BACKDATE_WORKING_DAYS,
                }
            )
    if actor is None or not problems:
        return marks  # an import records what happened, marked
    if not has_role(actor, application.agency, Role.OFFICE_HEAD):
        problems.append(
            _(
                "Only the head of the disclosure office can approve it: ask them to record this step with the reason for the delay."
            )
        )
        raise ActionError("".join(problems))
    if not reason.strip():
        problems.append(_("To record it anyway, give the reason for the delay in the approval."))
        raise ActionError("".join(problems))
    marks["approval"] = {"by": actor.pk, "name": actor.display_name, "reason": reason.strip()}
    return marks


def _append(
    application: Application,
    kind: EventKind,
    *,
    actor: User | None,
    on: date,
    data: EventData | None = None,
    note: str = "",
    late_approval_reason: str = "",
) -> Event:
    """Append one event after checking its date, then refresh the derived fields."""
    today = timezone.localdate()
    if on > today:
        raise ActionError(_("The date %(date)s is in the future.") % {"date": on.isoformat()})
    if kind in COUNTED_STEPS:
        check_unlocked(application.agency, on)  # an approved or published report counts it
    last = application.events.order_by("-on", "-id").first()
    if last is not None and on < last.on:
        raise ActionError(
            _("The date %(date)s is before the previous step (%(previous)s, %(step)s).")
            % {
                "date": on.isoformat(),
                "previous": last.on.isoformat(),
                "step": last.get_kind_display(),
            }
        )
    # Any kind's data may carry the marks of a late or back-dated step (events.StepMarks).
    stored: dict[str, Any] = {
        **(data or {}),
        **_check_timeliness(
            application, kind, actor=actor, on=on, today=today, reason=late_approval_reason
        ),
    }
    event = Event.objects.create(
        application=application, kind=kind, on=on, actor=actor, data=stored, note=note
    )
    try:
        refresh(application)
    except engine.DeadlineError as exc:
        raise ActionError(str(exc)) from exc
    if kind in notify.NOTIFIED_STEPS and actor is not None:
        transaction.on_commit(lambda: notify.notify_step(application, event))
    record(
        Action.FOI_STEP,
        actor=actor,
        obj=application,
        detail={
            "step": kind.value,
            "on": on.isoformat(),
            **{k: v for k, v in stored.items() if k != "items"},
        },
    )
    return event


def _lock(application: Application) -> Application:
    """Reload the case with a row lock, so that two steps cannot interleave."""
    return Application.objects.select_for_update().select_related("agency").get(pk=application.pk)


def _require_open(application: Application) -> None:
    if application.status not in OPEN_STATUSES:
        raise ActionError(
            _("Application %(number)s is %(status)s; no further step is possible.")
            % {"number": application.number, "status": application.get_status_display()}
        )


def require_handler(application: Application, actor: User | None) -> None:
    """Staff steps need a role in the case's agency (or supervision above it)."""
    _require_handler(application, actor)


def _require_handler(application: Application, actor: User | None) -> None:
    if actor is None:
        return  # commands and imports
    if not has_role(actor, application.agency, Role.OFFICER, Role.OFFICE_HEAD, Role.ADMIN):
        raise PermissionDenied(_("Only the agency's disclosure staff may handle this application."))


# -- intake -----------------------------------------------------------------------------
def _next_number(agency: Agency, year: int) -> tuple[str, int]:
    """The next gap-free number of `agency` in `year`.

    Runs inside the caller's transaction: the counter row stays locked (SELECT … FOR
    UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions serialise writers) until the
    application is saved, and a rolled-back submission gives its number back.
    """
    seq = next_value(agency, SequenceKind.APPLICATION, str(year))
    number = settings.FOI_NUMBER_FORMAT.format(agency_code=agency.code, year=year, seq=seq)
    return number, seq


@dataclass(frozen=True)
class Submitted:
    application: Application
    query_code: str  # shown once to the applicant; only its hash is stored
    duplicate: bool = False


def _remove(files: list[Any]) -> None:
    """Delete the files of a submission that was not stored: none is left without a record."""
    for stored_file in files:
        try:
            stored_file.storage.delete(stored_file.name)
        except OSError:
            logger.warning("could not remove %s after a failed submission", stored_file.name)


def submit_application(
    agency: Agency,
    applicant: Mapping[str, Any],
    *,
    channel: str,
    submitted_on: date,
    signed_on: date | None = None,
    confirmed_on: date | None = None,
    oral: bool = False,
    actor: User | None = None,
    token: str | None = None,
    number: str | None = None,
    attachments: Sequence[Any] = (),
) -> Submitted:
    """Store a new application with its number and a `received` event, then acknowledge it.

    `applicant` holds the applicant, request and provision fields of Application. The
    same `token` (from the form the person filled in) never creates a second case: a
    repeated submission returns the first one with the same query code (derived again
    from the case's seed, query_codes.py), so a code written down from either answer works.
    The e-mail acknowledgement is sent only after the transaction has committed.
    """
    received_on = legal_received_on(
        channel, submitted_on=submitted_on, signed_on=signed_on, confirmed_on=confirmed_on
    )
    if token:
        existing = Application.objects.filter(submission_token=token).first()
        if existing is not None:
            return _resubmitted(existing)
    seed = new_seed()
    code = code_from_seed(seed)
    stored: list[Any] = []  # files written, removed again when the submission fails
    try:
        with transaction.atomic():
            if number is None:
                number, seq = _next_number(agency, received_on.year)
            else:
                seq = _imported_seq(agency, received_on.year, number)
            application = Application.objects.create(
                agency=agency,
                number=number,
                year=received_on.year,
                seq=seq,
                channel=channel,
                oral=oral,
                submitted_on=submitted_on,
                signed_on=signed_on,
                confirmed_on=confirmed_on,
                received_on=received_on,
                query_code_hash=hash_query_code(code),
                query_code_seed=seed,
                submission_token=token or None,
                **dict(applicant),
            )
            for upload in attachments:
                # Shown as typed (cleaned); stored under a generated name (gongkai.lib.uploads).
                original = display_name(upload.name)
                upload.name = storage_name(upload.name, upload.content_type)
                attachment = Attachment(
                    application=application,
                    original_name=original,
                    content_type=upload.content_type,
                    size=upload.size,
                )
                attachment.file.save(upload.name, upload, save=False)
                stored.append(attachment.file)
                attachment.save()
            _append(
                application,
                EventKind.RECEIVED,
                actor=actor,
                on=received_on,
                data=ReceivedData(channel=channel, oral=oral, attachments=len(attachments)),
            )
    except IntegrityError:
        _remove(stored)
        if token and (existing := Application.objects.filter(submission_token=token).first()):
            return _resubmitted(existing)
        raise
    except BaseException:
        _remove(stored)
        raise
    if application.email:
        transaction.on_commit(lambda: _acknowledge(application, code))
    return Submitted(application, code)


def _resubmitted(application: Application) -> Submitted:
    """A repeated submission shows the first code again; nothing is mailed a second time.

    A case stored before codes had a seed cannot show its code again: it gets a fresh one,
    mailed too, since the first mail's code stops working.
    """
    code = current_code(application)
    if code is not None:
        return Submitted(application, code, duplicate=True)
    seed = new_seed()
    code = code_from_seed(seed)
    Application.objects.filter(pk=application.pk).update(
        query_code_hash=hash_query_code(code), query_code_seed=seed
    )
    if application.email:
        transaction.on_commit(lambda: _acknowledge(application, code))
    return Submitted(application, code, duplicate=True)


def _imported_seq(agency: Agency, year: int, number: str) -> int:
    """Imported records keep their own numbers; they take the next free sequence slot."""
    if Application.objects.filter(number=number).exists():
        raise ActionError(_("The number %(number)s is already used.") % {"number": number})
    return next_value(agency, SequenceKind.APPLICATION, str(year))


def _acknowledge(application: Application, code: str) -> None:
    send_mail(
        _("Your request %(number)s has been received") % {"number": application.number},
        _(
            "%(agency)s received your request for government information on %(date)s.\n"
            "Application number: %(number)s\nQuery code: %(code)s\n"
            "Use both on the portal to follow your request."
        )
        % {
            "agency": application.agency.name,
            "date": application.received_on.isoformat(),
            "number": application.number,
            "code": code,
        },
        None,
        [application.email],
        fail_silently=True,
    )


# -- handling ---------------------------------------------------------------------------
@transaction.atomic
def assign(
    application: Application, *, actor: User, handler: User, on: date | None = None
) -> Event:
    application = _lock(application)
    _require_open(application)
    _require_handler(application, actor)
    if not has_role(handler, application.agency, Role.OFFICER, Role.OFFICE_HEAD):
        raise ActionError(
            _("%(name)s is not disclosure staff of this agency.") % {"name": handler.display_name}
        )
    application.handler = handler
    application.save(update_fields=["handler"])
    return _append(
        application,
        EventKind.ASSIGNED,
        actor=actor,
        on=on or timezone.localdate(),
        data=AssignedData(handler=handler.pk, handler_name=handler.display_name),
    )


@transaction.atomic
def transfer(
    application: Application,
    *,
    actor: User | None,
    on: date,
    to_agency: Agency,
    reason: str,
    late_approval_reason: str = "",
) -> Event:
    """Hand the case to the department that holds the information (the clock keeps running)."""
    application = _lock(application)
    _require_open(application)
    _require_handler(application, actor)
    if not application.transfer_targets().filter(pk=to_agency.pk).exists():
        raise ActionError(
            _("The case cannot be transferred to %(name)s.") % {"name": to_agency.name}
        )
    if not reason.strip():
        raise ActionError(_("Give the reason for the transfer."))
    origin = application.agency
    # The case moves between two agencies' reports of every year since it was received.
    check_unlocked(origin, application.received_on)
    check_unlocked(to_agency, application.received_on)
    application.agency, application.handler = to_agency, None
    application.save(update_fields=["agency", "handler"])
    return _append(
        application,
        EventKind.TRANSFERRED,
        actor=actor,
        on=on,
        data=TransferredData(
            {
                "from": origin.code,
                "from_name": origin.name,
                "to": to_agency.code,
                "to_name": to_agency.name,
                "reason": reason.strip(),
            }
        ),
        late_approval_reason=late_approval_reason,
    )


@transaction.atomic
def request_correction(
    application: Application,
    *,
    actor: User | None,
    on: date,
    items: list[str],
    until: date,
    late_approval_reason: str = "",
) -> Event:
    """第三十条: one notice listing every item to correct, with a reasonable deadline."""
    application = _lock(application)
    _require_open(application)
    _require_handler(application, actor)
    if application.status == Status.AWAITING_CORRECTION:
        raise ActionError(_("A correction has already been requested and not yet received."))
    if application.status != Status.OPEN:
        raise ActionError(_("The clock is already stopped for another reason."))
    items = [i.strip() for i in items if i.strip()]
    if not items:
        raise ActionError(_("List what the applicant must correct (Article 30)."))
    if until <= on:
        raise ActionError(_("The correction deadline must be after the notice date."))
    return _append(
        application,
        EventKind.CORRECTION_REQUESTED,
        actor=actor,
        on=on,
        data=CorrectionRequestedData(items=items, until=until.isoformat()),
        late_approval_reason=late_approval_reason,
    )


@transaction.atomic
def receive_correction(
    application: Application, *, actor: User | None, on: date, late_approval_reason: str = ""
) -> Event:
    """The corrected request: the reply period starts again (第三十条)."""
    application = _lock(application)
    _require_handler(application, actor)
    if application.status != Status.AWAITING_CORRECTION:
        raise ActionError(_("No correction is awaited for this application."))
    return _append(
        application,
        EventKind.CORRECTION_RECEIVED,
        actor=actor,
        on=on,
        late_approval_reason=late_approval_reason,
    )


@transaction.atomic
def send_consultation(
    application: Application,
    *,
    actor: User | None,
    on: date,
    party: str,
    recipient: str,
    received_on: date | None = None,
    late_approval_reason: str = "",
) -> Event:
    """Ask a third party (第三十二条) or another agency (第三十四条); the clock pauses."""
    application = _lock(application)
    _require_open(application)
    _require_handler(application, actor)
    if application.status in (Status.AWAITING_CORRECTION, Status.AWAITING_FEE):
        raise ActionError(_("The clock is already stopped for another reason."))
    if not recipient.strip():
        raise ActionError(_("Name the party consulted."))
    ref = f"c{application.events.filter(kind=EventKind.CONSULTATION_SENT).count() + 1}"
    return _append(
        application,
        EventKind.CONSULTATION_SENT,
        actor=actor,
        on=on,
        data=ConsultationSentData(
            party=engine.Party(party).value,
            recipient=recipient.strip(),
            ref=ref,
            **_receipt(on, received_on),
        ),
        late_approval_reason=late_approval_reason,
    )


@transaction.atomic
def close_consultation(
    application: Application,
    *,
    actor: User | None,
    on: date,
    ref: str = "",
    result: str = "",
    late_approval_reason: str = "",
) -> Event:
    application = _lock(application)
    _require_handler(application, actor)
    sent = set(
        application.events.filter(kind=EventKind.CONSULTATION_SENT).values_list(
            "data__ref", flat=True
        )
    )
    closed = set(
        application.events.filter(kind=EventKind.CONSULTATION_CLOSED).values_list(
            "data__ref", flat=True
        )
    )
    waiting = sorted(sent - closed)
    if not waiting:
        raise ActionError(_("No consultation of this application is waiting for an answer."))
    if ref and ref not in waiting:
        raise ActionError(_("Consultation %(ref)s is not waiting for an answer.") % {"ref": ref})
    return _append(
        application,
        EventKind.CONSULTATION_CLOSED,
        actor=actor,
        on=on,
        data=ConsultationClosedData(ref=ref or waiting[0], result=result),
        late_approval_reason=late_approval_reason,
    )


@transaction.atomic
def approve_extension(
    application: Application,
    *,
    actor: User | None,
    on: date,
    days: int,
    reason: str,
    late_approval_reason: str = "",
) -> Event:
    """第三十三条第二款: at most 20 working days, once, approved by the office head."""
    application = _lock(application)
    _require_open(application)
    if actor is not None and not has_role(actor, application.agency, Role.OFFICE_HEAD):
        raise PermissionDenied(
            _("Only the head of the disclosure office may approve an extension (Article 33).")
        )
    refusal = periods.extension_refusal(
        days,
        already_extended=application.events.filter(kind=EventKind.EXTENSION_APPROVED).exists(),
    )
    if refusal is not None:
        raise ActionError(refusal)
    if not reason.strip():
        raise ActionError(_("Give the reason for the extension."))
    return _append(
        application,
        EventKind.EXTENSION_APPROVED,
        actor=actor,
        on=on,
        data=ExtensionApprovedData(days=days, reason=reason.strip()),
        late_approval_reason=late_approval_reason,
    )


def _receipt(sent: date, received: date | None) -> ReceiptData:
    """The addressee's date of receipt, when a notice went by post and arrived later."""
    if received is None:
        return {}
    if received < sent:
        raise ActionError(_("The notice cannot be received before it was sent."))
    return {"received_on": received.isoformat()}


@transaction.atomic
def send_fee_notice(
    application: Application,
    *,
    actor: User | None,
    on: date,
    method: str,
    pages: int = 0,
    received_on: date | None = None,
    late_approval_reason: str = "",
) -> Event:
    """A processing-fee notice (国办函〔2020〕109号); the clock waits for payment."""
    application = _lock(application)
    _require_open(application)
    _require_handler(application, actor)
    if application.status != Status.OPEN:
        raise ActionError(_("A fee notice can only be sent while the case is running."))
    if application.events.filter(kind=EventKind.FEE_NOTICE_SENT).exists():
        raise ActionError(_("A fee notice has already been sent for this application."))
    if method == FeeMethod.PER_REQUEST:
        position = application.position_in_month()
        amount = request_rate(position)
        basis: FeeBasis = {"position": position}
    elif method == FeeMethod.PER_PAGE:
        if pages <= 0:
            raise ActionError(_("Give the number of pages."))
        amount = pages_fee(pages)
        basis = {"pages": pages}
    else:
        raise ActionError(_("Choose per request or per page (one method only, Article 3)."))
    if amount == 0:
        raise ActionError(_("No fee is due under the rules; no notice is needed."))
    application.fee_method = method
    application.save(update_fields=["fee_method"])
    return _append(
        application,
        EventKind.FEE_NOTICE_SENT,
        actor=actor,
        on=on,
        data=FeeNoticeSentData(method=method, amount=amount, **basis, **_receipt(on, received_on)),
        late_approval_reason=late_approval_reason,
    )


@transaction.atomic
def record_fee_payment(
    application: Application,
    *,
    actor: User | None,
    on: date,
    amount: int,
    late_approval_reason: str = "",
) -> Event:
    application = _lock(application)
    _require_handler(application, actor)
    if application.status != Status.AWAITING_FEE:
        raise ActionError(_("No fee is awaited for this application."))
    notice = application.events.filter(kind=EventKind.FEE_NOTICE_SENT).latest("id")
    notice_data = cast(FeeNoticeSentData, notice.data)
    if amount != notice_data["amount"]:
        raise ActionError(
            _("The amount paid (%(paid)d yuan) differs from the notice (%(due)d yuan).")
            % {"paid": amount, "due": notice_data["amount"]}
        )
    return _append(
        application,
        EventKind.FEE_PAID,
        actor=actor,
        on=on,
        data=FeePaidData(amount=amount),
        late_approval_reason=late_approval_reason,
    )


def check_reply(application: Application, outcome: str) -> None:
    """Refuse a reply to a closed case or with an outcome a reply cannot have."""
    _require_open(application)
    if outcome not in OUTCOME_KEYS:
        raise ActionError(_("Choose the outcome of the reply."))
    if outcome in OVERDUE_OUTCOMES:
        raise ActionError(
            _("Use “close as overdue” for a correction or fee that was not supplied.")
        )


def replied_data(
    outcome: str, basis: str = "", documents: str = "", facts: Mapping[str, Any] | None = None
) -> RepliedData:
    """The record of a reply: its outcome, reasons, what is provided, and the facts the
    decision letter states (letters.REPLY_FACTS, `withheld`)."""
    replied = RepliedData(outcome=outcome, basis=basis.strip(), documents=documents.strip())
    replied.update(cast(RepliedData, {k: v for k, v in dict(facts or {}).items() if v}))
    return replied


@transaction.atomic
def reply(
    application: Application,
    *,
    actor: User | None,
    on: date,
    outcome: str,
    basis: str = "",
    documents: str = "",
    facts: Mapping[str, Any] | None = None,  # facts the letter states (letters.REPLY_FACTS)
    late_approval_reason: str = "",
    letter_id: int | None = None,
    imported: bool = False,
) -> Event:
    """The reply, with exactly one outcome (a leaf row of table 三 of the annual report).

    In the office the reply *is* its decision letter: gongkai.foi.letters.issue_letter
    calls this with the letter, on the letter's date. Only commands (imports of past
    cases, `imported` marks them, and the demo) record a reply without a letter.
    """
    application = _lock(application)
    _require_handler(application, actor)
    check_reply(application, outcome)
    if actor is not None and letter_id is None:
        raise ActionError(
            _(
                "In the office a reply is given by issuing its decision letter: choose the outcome to draft the letter, have it approved, then issue it."
            )
        )
    application.outcome = outcome
    application.save(update_fields=["outcome"])
    replied = replied_data(outcome, basis, documents, facts)
    if letter_id is not None:
        replied["letter"] = letter_id
    if imported:
        replied["imported"] = True
    return _append(
        application,
        EventKind.REPLIED,
        actor=actor,
        on=on,
        data=replied,
        late_approval_reason=late_approval_reason,
    )


@transaction.atomic
def record_notice_receipt(event_id: int, *, received_on: date, actor: User | None) -> Event:
    """The addressee's date of receipt of a fee notice or a consultation letter, known
    from its delivery (a signed-for postal notice): the period it starts runs from it."""
    event = Event.objects.select_related("application").get(pk=event_id)
    application = _lock(event.application)
    if event.kind not in (EventKind.FEE_NOTICE_SENT, EventKind.CONSULTATION_SENT):
        raise ActionError(_("Only a fee notice or a consultation has a date of receipt."))
    if received_on < event.on:
        raise ActionError(_("The notice cannot be received before it was sent."))
    if event.data.get("received_on") == received_on.isoformat():
        return event
    if event.data.get("received_on"):
        raise ActionError(
            _("The date of receipt of this notice is already recorded (%(date)s).")
            % {"date": event.data["received_on"]}
        )
    event.data = {**event.data, "received_on": received_on.isoformat()}
    event.save(update_fields=["data"])
    try:
        refresh(application)
    except engine.DeadlineError as exc:
        raise ActionError(str(exc)) from exc
    record(
        Action.FOI_STEP,
        actor=actor,
        obj=application,
        detail={"step": "notice_received", "event": event.pk, "on": received_on.isoformat()},
    )
    return event


@transaction.atomic
def close_overdue(
    application: Application, *, actor: User | None, on: date, late_approval_reason: str = ""
) -> Event:
    """End a case whose correction (第三十条) or fee (109号) did not come in time."""
    application = _lock(application)
    _require_handler(application, actor)
    result = deadline(application, today=on, explain=False)
    if not result.abandoned:
        raise ActionError(_("Neither a correction nor a fee is overdue for this application."))
    outcome = (
        Outcome.OTHER_OVERDUE_CORRECTION
        if application.status == Status.AWAITING_CORRECTION
        else Outcome.OTHER_OVERDUE_FEE
    )
    application.outcome = outcome
    application.save(update_fields=["outcome"])
    return _append(
        application,
        EventKind.CLOSED_UNANSWERED,
        actor=actor,
        on=on,
        data=ClosedUnansweredData(outcome=outcome),
        late_approval_reason=late_approval_reason,
    )


@transaction.atomic
def withdraw(
    application: Application,
    *,
    actor: User | None,
    on: date,
    note: str = "",
    late_approval_reason: str = "",
) -> Event:
    application = _lock(application)
    _require_open(application)
    _require_handler(application, actor)
    # A withdrawn request is counted in table 三 under （六）其他处理 3.其他.
    application.outcome = Outcome.OTHER_MISC
    application.save(update_fields=["outcome"])
    return _append(
        application,
        EventKind.WITHDRAWN,
        actor=actor,
        on=on,
        note=note,
        late_approval_reason=late_approval_reason,
    )


@transaction.atomic
def record_remedy(
    application: Application,
    *,
    actor: User | None,
    kind: str,
    body: str,
    filed_on: date,
    case_number: str = "",
) -> Remedy:
    """An administrative review or lawsuit about the application has been filed."""
    _require_handler(application, actor)
    if filed_on < application.received_on:
        raise ActionError(_("A review or lawsuit cannot be filed before the request was received."))
    if filed_on > timezone.localdate():
        raise ActionError(_("The date %(date)s is in the future.") % {"date": filed_on.isoformat()})
    check_unlocked(application.agency, filed_on)
    remedy = Remedy.objects.create(
        application=application,
        kind=kind,
        body=body.strip(),
        filed_on=filed_on,
        case_number=case_number.strip(),
    )
    record(
        Action.FOI_STEP, actor=actor, obj=application, detail={"step": "remedy_filed", "kind": kind}
    )
    return remedy


@transaction.atomic
def decide_remedy(remedy: Remedy, *, actor: User | None, decided_on: date, result: str) -> Remedy:
    _require_handler(remedy.application, actor)
    if result == RemedyResult.PENDING:
        raise ActionError(_("Choose the result of the decision."))
    if decided_on < remedy.filed_on:
        raise ActionError(_("The decision cannot be earlier than the filing."))
    check_unlocked(remedy.application.agency, decided_on)
    remedy.decided_on, remedy.result = decided_on, result
    remedy.save(update_fields=["decided_on", "result"])
    record(
        Action.FOI_STEP,
        actor=actor,
        obj=remedy.application,
        detail={"step": "remedy_decided", "result": result},
    )
    return remedy


# -- the applicant's online correction, and extensions asked for and decided ------------
def open_correction(application: Application) -> Event | None:
    """The 补正 notice the case waits for, when it waits for one."""
    if application.status != Status.AWAITING_CORRECTION:
        return None
    return (
        application.events.filter(kind=EventKind.CORRECTION_REQUESTED)
        .order_by("-on", "-id")
        .first()
    )


@transaction.atomic
def answer_correction(
    application: Application, *, text: str, files: Sequence[Any] = ()
) -> CorrectionAnswer:
    """The applicant answers the 补正 notice on the portal: 收到补正 is recorded.

    The date is the 第三十一条 date of the online channel (the day it is sent, as for the
    online form; receipt.legal_received_on). An answer after the notice's deadline is still
    recorded, with its date, and marked late for the handler, who decides whether the
    request counts as abandoned (第三十条) — the applicant is not turned away by a page.
    """
    application = _lock(application)
    notice = open_correction(application)
    if notice is None:
        raise ActionError(_("No correction is awaited for this application."))
    text = text.strip()
    if not text:
        raise ActionError(_("Write what you correct or add to your request."))
    on = legal_received_on(Channel.ONLINE, submitted_on=timezone.localdate())
    until_text = cast(CorrectionRequestedData, notice.data).get("until")
    until = date.fromisoformat(until_text) if until_text else None
    event = receive_correction(application, actor=None, on=on)
    answer = CorrectionAnswer.objects.create(
        application=application,
        event=event,
        text=text,
        received_on=on,
        deadline=until,
        late=until is not None and on > until,
    )
    for upload in files:
        Attachment.objects.create(
            application=application,
            correction=answer,
            file=upload,
            original_name=upload.name[:200],
            content_type=upload.content_type,
            size=upload.size,
        )
    transaction.on_commit(lambda: _tell_staff_of_correction(application, answer))
    return answer


def _case_staff_emails(application: Application) -> list[str]:
    """The handler, or while none is assigned the office heads of the agency."""
    if application.handler is not None and application.handler.email:
        return [application.handler.email]
    return sorted(
        {
            email
            for email in User.objects.filter(
                memberships__agency=application.agency,
                memberships__role=Role.OFFICE_HEAD,
                is_active=True,
            ).values_list("email", flat=True)
            if email
        }
    )


def _tell_staff_of_correction(application: Application, answer: CorrectionAnswer) -> None:
    recipients = _case_staff_emails(application)
    if not recipients:
        return
    late = (
        _(
            "It was sent after the correction deadline (%(deadline)s): decide whether the request counts as abandoned (Article 30)."
        )
        % {"deadline": answer.deadline.isoformat() if answer.deadline else "—"}
        if answer.late
        else ""
    )
    send_mail(
        _("Correction received online: %(number)s") % {"number": application.number},
        _(
            "The applicant of %(number)s sent a correction on the portal on %(date)s (%(files)d files). The reply period starts again. %(late)s"
        )
        % {
            "number": application.number,
            "date": answer.received_on.isoformat(),
            "files": answer.files.count(),
            "late": late,
        },
        None,
        recipients,
        fail_silently=True,
    )


def _already_extended(application: Application) -> bool:
    return application.events.filter(kind=EventKind.EXTENSION_APPROVED).exists()


@transaction.atomic
def request_extension(
    application: Application, *, actor: User, days: int, reason: str
) -> ExtensionRequest:
    """An officer asks the office head for an extension (第三十三条第二款), with a reason."""
    application = _lock(application)
    _require_open(application)
    _require_handler(application, actor)
    if application.status not in (Status.OPEN, Status.CONSULTING):
        raise ActionError(_("The clock is already stopped for another reason."))
    refusal = periods.extension_refusal(days, already_extended=_already_extended(application))
    if refusal is not None:
        raise ActionError(refusal)
    if not reason.strip():
        raise ActionError(_("Give the reason for the extension."))
    if application.extension_requests.filter(status=ExtensionRequestStatus.PENDING).exists():
        raise ActionError(_("An extension has already been requested and awaits the office head."))
    asked = ExtensionRequest.objects.create(
        application=application, days=days, reason=reason.strip(), requested_by=actor
    )
    record(
        Action.FOI_STEP,
        actor=actor,
        obj=application,
        detail={"step": "extension_requested", "days": days},
    )
    return asked


@transaction.atomic
def decide_extension(
    asked: ExtensionRequest,
    *,
    actor: User,
    approve: bool,
    on: date | None = None,
    refusal_reason: str = "",
    late_approval_reason: str = "",
) -> ExtensionRequest:
    """The office head approves (the 延期 step, approve_extension) or refuses a request."""
    asked = ExtensionRequest.objects.select_for_update().get(pk=asked.pk)
    application = asked.application
    if not has_role(actor, application.agency, Role.OFFICE_HEAD):
        raise PermissionDenied(
            _("Only the head of the disclosure office may approve an extension (Article 33).")
        )
    if asked.status != ExtensionRequestStatus.PENDING:
        raise ActionError(_("This extension request has already been decided."))
    if approve:
        asked.event = approve_extension(
            application,
            actor=actor,
            on=on or timezone.localdate(),
            days=asked.days,
            reason=asked.reason,
            late_approval_reason=late_approval_reason,
        )
        asked.status = ExtensionRequestStatus.APPROVED
    else:
        if not refusal_reason.strip():
            raise ActionError(_("Give the reason for refusing the extension."))
        asked.status, asked.refusal_reason = ExtensionRequestStatus.REFUSED, refusal_reason.strip()
        record(
            Action.FOI_STEP,
            actor=actor,
            obj=application,
            detail={"step": "extension_refused"},
        )
    asked.decided_by, asked.decided_at = actor, timezone.now()
    asked.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at", "event"])
    return asked


__all__ = [
    "ActionError",
    "Channel",
    "Submitted",
    "answer_correction",
    "approve_extension",
    "assign",
    "check_query_code",
    "close_consultation",
    "close_overdue",
    "decide_extension",
    "hash_query_code",
    "new_query_code",
    "receive_correction",
    "record_fee_payment",
    "refresh",
    "reply",
    "request_correction",
    "request_extension",
    "send_consultation",
    "send_fee_notice",
    "submit_application",
    "withdraw",
]


@dataclass(frozen=True)
class DueDateChange:
    number: str
    before: date | None
    after: date | None


def recompute_open_cases() -> list[DueDateChange]:
    """After a calendar change: recompute every open case's due date; return the changes.

    Events are read in one query and grouped in memory; the engine's bulk mode does the
    arithmetic (bench/workdays.py measures it on 100,000 cases).
    """
    applications = {a.pk: a for a in Application.objects.open().select_related("agency")}
    timelines: dict[int, list[Event]] = {pk: [] for pk in applications}
    for event in Event.objects.filter(application_id__in=list(applications)).order_by(
        "application_id", "on", "id"
    ):
        timelines[event.application_id].append(event)
    today = timezone.localdate()
    changes: list[DueDateChange] = []
    changed: list[Application] = []
    for pk, application in applications.items():
        result = engine.compute_deadline(
            engine_events(timelines[pk]),
            get_calendar(application.agency),
            today=today,
            day_one=day_one(),
            explain=False,
        )
        if (result.due, result.provisional, result.missed_due) != (
            application.due_on,
            application.due_provisional,
            application.missed_due_on,
        ):
            if (result.due, result.provisional) != (
                application.due_on,
                application.due_provisional,
            ):
                changes.append(DueDateChange(application.number, application.due_on, result.due))
            application.due_on, application.due_provisional = result.due, result.provisional
            application.missed_due_on = result.missed_due
            changed.append(application)
    Application.objects.bulk_update(
        changed, ["due_on", "due_provisional", "missed_due_on"], batch_size=1000
    )
    return changes
