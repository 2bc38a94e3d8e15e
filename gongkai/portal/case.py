"""What the applicant sees of a case on /track/: a public reading of its timeline.

Only what the applicant was told or sent is read: the steps of PUBLIC_STEPS, the office's
requests (the 补正 items, the fee, a consultation's pause), the issued letters, the
outcome and the remedy clause of the decision. Never the handler's notes (Event.note),
reviewers' opinions, the consulted third party's name, other applicants, or the identity
number (tests/portal/test_case_page.py checks what must not appear).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import cast

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from gongkai.foi import clock
from gongkai.foi.actions import open_correction
from gongkai.foi.events import (
    ConsultationSentData,
    CorrectionRequestedData,
    ExtensionApprovedData,
    FeeNoticeSentData,
    TransferredData,
)
from gongkai.foi.fees import FeeMethod
from gongkai.foi.models import (
    Application,
    CorrectionAnswer,
    Event,
    EventKind,
    Letter,
    LetterKind,
    LetterStatus,
    Status,
)
from gongkai.foi.receipt import Channel
from gongkai.orgs.models import Agency
from gongkai.workdays import deadlines as engine
from gongkai.workdays.loading import day_one, get_calendar
from gongkai.workdays.periods import AGENCY_OPINION, FEE_PAYMENT, THIRD_PARTY_OPINION
from gongkai.workdays.timeline import Party

# Steps the applicant sees; internal ones (assignment) are not shown.
PUBLIC_STEPS = {
    EventKind.RECEIVED,
    EventKind.TRANSFERRED,
    EventKind.CORRECTION_REQUESTED,
    EventKind.CORRECTION_RECEIVED,
    EventKind.CONSULTATION_SENT,
    EventKind.CONSULTATION_CLOSED,
    EventKind.EXTENSION_APPROVED,
    EventKind.FEE_NOTICE_SENT,
    EventKind.FEE_PAID,
    EventKind.REPLIED,
    EventKind.WITHDRAWN,
    EventKind.CLOSED_UNANSWERED,
}

# Letters issued to the applicant (not those to a consulted party, nor the 送达回证).
APPLICANT_LETTERS = set(LetterKind) - {
    LetterKind.CONSULTATION_THIRD_PARTY,
    LetterKind.CONSULTATION_AGENCY,
    LetterKind.THIRD_PARTY_OVERRIDE,
    LetterKind.DELIVERY_RECORD,
}


# Letters that end a case and carry the remedy clause (letters.WITH_REMEDY, less the
# third party's notice).
DECISIONS = {LetterKind.REPLY, LetterKind.ABANDONMENT, LetterKind.WITHDRAWAL}


def received_explanation(channel: str) -> str:
    """How the date of receipt was set (第三十一条), in the applicant's words."""
    return {
        Channel.ONLINE: _(
            "Submitted on this platform: the submission is confirmed on screen, so the day it was sent counts as the day of receipt (Article 31(3))."
        ),
        Channel.IN_PERSON: _(
            "Handed in in person: the day it was handed in counts (Article 31(1))."
        ),
        Channel.POST_SIGNED: _(
            "Sent by registered post: the day the agency signed for it counts (Article 31(2))."
        ),
        Channel.POST_PLAIN: _(
            "Sent by ordinary letter: the day the agency confirmed receipt with you counts (Article 31(2))."
        ),
        Channel.FAX: _("Sent by fax: the day both sides confirmed receipt counts (Article 31(3))."),
        Channel.EMAIL: _(
            "Sent by e-mail to the agency's published address: the day its mail system received the message counts (Article 31(3))."
        ),
    }.get(Channel(channel), "")


def status_words(application: Application) -> str:
    """The status in plain words: what happens now and what, if anything, you must do."""
    if application.status == Status.AWAITING_CORRECTION:
        return _(
            "The agency asked you to correct or complete your request. The period stops until it receives your correction; answer it below."
        )
    if application.status == Status.AWAITING_FEE:
        return _(
            "The agency asked you to pay a processing fee. The period stops until the fee is paid."
        )
    if application.status == Status.CONSULTING:
        return _(
            "The agency is asking a third party or another agency for its opinion. That time does not count against the period."
        )
    if application.status == Status.CLOSED:
        return _("Your request has been answered and its handling has ended.")
    if application.status == Status.WITHDRAWN:
        return _("You withdrew your request; its handling has ended.")
    return _("The agency is handling your request.")


@dataclass(frozen=True)
class Pause:
    reason: str
    since: date


@dataclass(frozen=True)
class Correction:
    items: list[str]
    until: date | None
    on: date


@dataclass(frozen=True)
class Fee:
    amount: int
    basis: str
    until: date
    on: date
    paid: bool


@dataclass(frozen=True)
class Consultation:
    on: date
    who: str
    until: date
    answered: bool


@dataclass(frozen=True)
class Transfer:
    on: date
    from_name: str
    to: Agency | None
    to_name: str


@dataclass(frozen=True)
class Step:
    on: date
    label: str
    detail: str = ""


@dataclass
class CasePage:
    application: Application
    status_text: str
    received_how: str
    deadline: engine.Deadline
    pause: Pause | None
    steps: list[Step] = field(default_factory=list)
    letters: list[Letter] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    open_correction: Correction | None = None
    answers: list[CorrectionAnswer] = field(default_factory=list)
    fees: list[Fee] = field(default_factory=list)
    consultations: list[Consultation] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    extension: ExtensionApprovedData | None = None
    outcome: str = ""
    remedy: str = ""
    restarted_on: date | None = None  # the last 收到补正: the period counts from it again


def issued_letters(application: Application) -> QuerySet[Letter]:
    """The letters the applicant may read and download: issued, addressed to them."""
    return application.letters.filter(
        status=LetterStatus.ISSUED, kind__in=[k.value for k in APPLICANT_LETTERS]
    ).order_by("issued_on", "id")


def remedy_text(letter: Letter) -> str:
    """The remedy clause of a decision letter: its paragraph naming 行政复议."""
    return next(
        (line.strip() for line in letter.body.splitlines() if "行政复议" in line),
        "",
    )


def _fee_basis(data: FeeNoticeSentData) -> str:
    if data.get("method") == FeeMethod.PER_REQUEST and data.get("position"):
        return _(
            "Per request: this is your request no. %(position)d to this agency this month; requests 11 to 30 cost 100 yuan each, and from the 31st every further 10 requests cost 100 yuan more each (Guo Ban Han [2020] No. 109, Article 4)."
        ) % {"position": data["position"]}
    if data.get("pages"):
        return _(
            "Per page: %(pages)d pages; up to 30 pages free, pages 31 to 100 10 yuan each, 101 to 200 20 yuan each, from 201 40 yuan each (Guo Ban Han [2020] No. 109, Article 5)."
        ) % {"pages": data["pages"]}
    return _("Guo Ban Han [2020] No. 109.")


def build(application: Application) -> CasePage:
    events: list[Event] = list(application.events.order_by("on", "id"))
    result = clock.deadline(application)
    calendar = get_calendar(application.agency)
    pause = next((p for p in reversed(result.pauses) if p.end is None), None)
    page = CasePage(
        application=application,
        status_text=status_words(application),
        received_how=received_explanation(application.channel),
        deadline=result,
        pause=Pause(pause.reason.label, pause.start) if pause else None,
    )
    kinds = {e.kind for e in events}
    closed_refs = {e.data.get("ref") for e in events if e.kind == EventKind.CONSULTATION_CLOSED}
    for event in events:
        if event.kind not in PUBLIC_STEPS:
            continue
        detail = ""
        if event.kind == EventKind.CORRECTION_REQUESTED:
            data = cast(CorrectionRequestedData, event.data)
            until = data.get("until")
            page.corrections.append(
                Correction(
                    list(data.get("items", [])),
                    date.fromisoformat(until) if until else None,
                    event.on,
                )
            )
        elif event.kind == EventKind.FEE_NOTICE_SENT:
            fee = cast(FeeNoticeSentData, event.data)
            received = fee.get("received_on")
            start = date.fromisoformat(received) if received else event.on
            page.fees.append(
                Fee(
                    amount=fee["amount"],
                    basis=_fee_basis(fee),
                    until=calendar.provisional_add(start, FEE_PAYMENT.days, day_one()).value,
                    on=event.on,
                    paid=EventKind.FEE_PAID in kinds,
                )
            )
        elif event.kind == EventKind.CONSULTATION_SENT:
            consultation = cast(ConsultationSentData, event.data)
            to_agency = consultation.get("party") == Party.AGENCY
            period = AGENCY_OPINION if to_agency else THIRD_PARTY_OPINION
            received = consultation.get("received_on")
            start = date.fromisoformat(received) if received else event.on
            # A third party's identity may itself be protected (第十五条): never named.
            who = (
                consultation.get("recipient") or _("another agency")
                if to_agency
                else _("a third party")
            )
            page.consultations.append(
                Consultation(
                    on=event.on,
                    who=who,
                    until=calendar.provisional_add(start, period.days, day_one()).value,
                    answered=consultation.get("ref") in closed_refs,
                )
            )
            detail = _("Opinion asked of %(who)s") % {"who": who}
        elif event.kind == EventKind.EXTENSION_APPROVED:
            page.extension = cast(ExtensionApprovedData, event.data)
            detail = _("Extended by %(days)d working days: %(reason)s") % {
                "days": page.extension["days"],
                "reason": page.extension.get("reason", ""),
            }
        elif event.kind == EventKind.TRANSFERRED:
            moved = cast(TransferredData, event.data)
            page.transfers.append(
                Transfer(
                    on=event.on,
                    from_name=moved.get("from_name", ""),
                    to=Agency.objects.filter(code=moved.get("to", "")).first(),
                    to_name=moved.get("to_name", ""),
                )
            )
            detail = _("Now handled by %(agency)s") % {"agency": moved.get("to_name", "")}
        elif event.kind == EventKind.CORRECTION_RECEIVED:
            page.restarted_on = event.on
        label = (
            _("Transferred to %(agency)s") % {"agency": event.data.get("to_name", "")}
            if event.kind == EventKind.TRANSFERRED
            else EventKind(event.kind).label
        )
        page.steps.append(Step(event.on, str(label), detail))
    notice = open_correction(application)
    if notice is not None and page.corrections:
        page.open_correction = page.corrections[-1]
    page.answers = list(application.correction_answers.prefetch_related("files"))
    page.letters = list(issued_letters(application))
    if not application.is_open and application.outcome:
        page.outcome = application.get_outcome_display()
    decision = next((letter for letter in reversed(page.letters) if letter.kind in DECISIONS), None)
    if decision is not None:
        page.remedy = remedy_text(decision)
    return page
