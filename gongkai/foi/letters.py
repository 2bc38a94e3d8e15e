"""Letters of a case (告知书): wording and the draft → approval → issue workflow.

The wording (gongkai.foi.wording) is plain text with placeholders such as {申请人}; an
administrator may replace the built-in text of any kind (and, for the decision letter, of
each wording key or outcome group) in the Django admin. Placeholders are filled from the
case's timeline, so a letter states exactly what the record says. The decision letter has
one wording per outcome of table 三 and ends with the remedy clause of gongkai.foi.remedy,
which is checked again when the letter is issued; the 文号 needs the agency's 机关代字.
The letter as DOCX and PDF is gongkai/foi/letter_files.py.
"""

from __future__ import annotations

import re
import string
from datetime import date
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import record
from gongkai.audit.models import Action
from gongkai.foi import remedy
from gongkai.foi.actions import ActionError, deadline
from gongkai.foi.events import (
    ConsultationSentData,
    CorrectionRequestedData,
    ExtensionApprovedData,
    FeeNoticeSentData,
)
from gongkai.foi.models import (
    Application,
    Delivery,
    Event,
    EventKind,
    Letter,
    LetterKind,
    LetterStatus,
    LetterTemplate,
)
from gongkai.foi.wording import DEFAULTS, REPLIES, Wording
from gongkai.lib.report_format import outcome_choices, outcome_legal_basis
from gongkai.lib.report_keys import Outcome
from gongkai.orgs.access import has_role
from gongkai.orgs.models import (
    Agency,
    LetterSeries,
    Role,
    SequenceKind,
    User,
    doc_no_validator,
)
from gongkai.orgs.sequences import next_value
from gongkai.workdays.loading import day_one, get_calendar
from gongkai.workdays.periods import AGENCY_OPINION, FEE_PAYMENT, THIRD_PARTY_OPINION

# The letter code of each kind, between the 机关代字 and the year of the 文号
# (青教 + 依申答 + 〔2026〕 + 1号). 依申 marks the 依申请公开 series; the last character names
# the letter: 受理、补正、延期、征求意见、收费、答复. Kinds added later fall back to
# SHARED_CODE until they get their own entry here.
LETTER_CODES: dict[str, str] = {
    LetterKind.RECEIPT: "依申受",
    LetterKind.CORRECTION: "依申补",
    LetterKind.EXTENSION: "依申延",
    LetterKind.CONSULTATION: "依申征",
    LetterKind.FEE_NOTICE: "依申费",
    LetterKind.REPLY: "依申答",
}
# An agency with one series for all its letters (LetterSeries.SHARED) numbers them under
# one code, so that each number of the year appears once (e.g. 青教依申〔2026〕7号).
SHARED_CODE = "依申"

# The step each letter documents; a letter is offered once its step is on the timeline.
SOURCE_STEP = {
    LetterKind.RECEIPT: EventKind.RECEIVED,
    LetterKind.CORRECTION: EventKind.CORRECTION_REQUESTED,
    LetterKind.EXTENSION: EventKind.EXTENSION_APPROVED,
    LetterKind.CONSULTATION: EventKind.CONSULTATION_SENT,
    LetterKind.FEE_NOTICE: EventKind.FEE_NOTICE_SENT,
    LetterKind.REPLY: EventKind.REPLIED,
}
# The decision letter documents whichever step closed the case: the reply, the closing
# of a lapsed correction or fee (（六）1、2) or the applicant's withdrawal.
CLOSING_STEPS = (EventKind.REPLIED, EventKind.CLOSED_UNANSWERED, EventKind.WITHDRAWN)

PLACEHOLDERS = (
    "申请人",
    "申请编号",
    "机关名称",
    "收到日期",
    "申请内容",
    "答复期限",
    "补正事项",
    "补正期限",
    "延期天数",
    "延期理由",
    "延期后期限",
    "被征求意见方",
    "意见期限",
    "收费金额",
    "缴费期限",
    "办理结果",
    "法律依据",
    "理由",
    "提供信息",
    "联系电话",
    "办公地址",
    # Facts of the decision letters (gongkai.foi.wording), from the closing step's record.
    "救济途径",
    "复议机关",
    "获取途径",
    "获取途径说明",
    "不予公开部分",
    "有关法律",
    "负责机关",
    "负责机关联系方式",
    "检索情况",
    "前次答复",
    "受理渠道",
    "补正告知日期",
    "收费通知日期",
    "撤回日期",
)

# Facts a reply may record beside its outcome (event data; import_applications, the API
# and the reply form write them) and the placeholder each fills.
REPLY_FACTS = {
    "published_at": "获取途径",
    "law": "有关法律",
    "competent_agency": "负责机关",
    "competent_contact": "负责机关联系方式",
    "search_record": "检索情况",
    "earlier_reply": "前次答复",
    "channel": "受理渠道",
}


def reply_group(outcome: str) -> str:
    """The outcome group of older LetterTemplate variants (granted, denied, …)."""
    for prefix, group in (
        ("granted", "granted"),
        ("partially", "partially_granted"),
        ("denied", "denied"),
        ("unable", "unable"),
        ("np_", "not_processed"),
        ("other", "other"),
    ):
        if outcome.startswith(prefix):
            return group
    return "other"


def reply_key(event: Event) -> str:
    """The wording of the decision letter closing with `event` (see wording.REPLIES)."""
    if event.kind == EventKind.WITHDRAWN:
        return "withdrawn"
    outcome = str(event.data.get("outcome") or event.application.outcome)
    if outcome == Outcome.GRANTED and event.data.get("published_at"):
        return "granted_published"
    if outcome == Outcome.UNABLE_NOT_HELD and event.data.get("competent_agency"):
        return "unable_not_held_elsewhere"
    return outcome if outcome in REPLIES else Outcome.OTHER_MISC


def wording(kind: str, variant: str = "", key: str = "") -> Wording:
    """The text of a letter: an administrator's LetterTemplate for the wording key, then
    for the variant (a reply's outcome group), then for the kind; else the built-in one."""
    for name in dict.fromkeys(v for v in (key, variant, "") if v is not None):
        custom = LetterTemplate.objects.filter(kind=kind, variant=name).first()
        if custom is not None:
            return Wording(custom.title, custom.body)
    if kind == LetterKind.REPLY:
        return REPLIES[key or Outcome.OTHER_MISC]
    return DEFAULTS[kind]


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders a template uses that gongkai cannot fill (checked when it is saved)."""
    names = [
        name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None
    ]
    return sorted({name for name in names if name not in PLACEHOLDERS})


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "____"


def _values(application: Application, event: Event) -> dict[str, str]:

    agency = application.agency
    result = deadline(application, explain=False)
    values = {
        "申请人": application.applicant_name,
        "申请编号": application.number,
        "机关名称": agency.name,
        "收到日期": _chinese_date(application.received_on),
        "申请内容": application.description.strip(),
        "答复期限": _chinese_date(result.due) if result.due else "____",
        "联系电话": agency.office_phone or "____",
        "办公地址": agency.office_address or "____",
    }
    if event.kind == EventKind.CORRECTION_REQUESTED:
        correction = cast(CorrectionRequestedData, event.data)
        values["补正事项"] = "\n".join(
            f"{i}. {item}" for i, item in enumerate(correction.get("items", []), 1)
        )
        values["补正期限"] = _chinese_date(date.fromisoformat(correction["until"]))
    elif event.kind == EventKind.EXTENSION_APPROVED:
        extension = cast(ExtensionApprovedData, event.data)
        values |= {"延期天数": str(extension["days"]), "延期理由": extension.get("reason", "")}
        values["延期后期限"] = _chinese_date(result.due) if result.due else "____"
    elif event.kind == EventKind.CONSULTATION_SENT:
        consultation = cast(ConsultationSentData, event.data)
        period = THIRD_PARTY_OPINION if consultation.get("party") != "agency" else AGENCY_OPINION
        received = consultation.get("received_on")
        start = date.fromisoformat(received) if received else event.on
        limit = get_calendar(agency).provisional_add(start, period.days, day_one()).value
        values |= {
            "被征求意见方": consultation.get("recipient", ""),
            "意见期限": _chinese_date(limit),
        }
    elif event.kind == EventKind.FEE_NOTICE_SENT:
        fee = cast(FeeNoticeSentData, event.data)
        received = fee.get("received_on")
        start = date.fromisoformat(received) if received else event.on
        limit = get_calendar(agency).provisional_add(start, FEE_PAYMENT.days, day_one()).value
        values |= {"收费金额": str(fee["amount"]), "缴费期限": _chinese_date(limit)}
    elif event.kind in CLOSING_STEPS:
        values |= _decision_values(application, event)
    return values


def _sentence(text: str) -> str:
    """A typed fact to go inside a sentence: trimmed, without its own final stop."""
    return text.strip().rstrip("。；;.，, ")


def _withheld(data: dict[str, Any]) -> str:
    """第三十七条: each withheld part with its reason and basis, one numbered line each."""
    parts = data.get("withheld") or []
    lines = []
    for i, part in enumerate(parts, 1):
        if isinstance(part, dict):
            line = _sentence(str(part.get("part", ""))) or "____"
            if part.get("reason"):
                line += f"：{_sentence(str(part['reason']))}"
            if part.get("basis"):
                line += f"（依据：{_sentence(str(part['basis']))}）"
        else:
            line = _sentence(str(part))
        lines.append(f"{i}. {line}。")
    if lines:
        return "\n".join(lines)
    # No parts recorded: the reasons typed with the reply, else a gap to fill in.
    return f"{_sentence(data.get('basis', ''))}。" if data.get("basis") else "____"


def _decision_values(application: Application, event: Event) -> dict[str, str]:
    """The placeholders of the decision letter (gongkai.foi.wording.REPLIES)."""
    agency, data = application.agency, event.data
    outcome = str(data.get("outcome") or application.outcome)
    labels = dict(outcome_choices())
    basis = outcome_legal_basis(outcome).removeprefix("条例") if outcome in labels else ""
    facts = {
        placeholder: _sentence(str(data[key]))
        for key, placeholder in REPLY_FACTS.items()
        if data.get(key)
    }
    reasons = _sentence(data.get("basis", ""))
    documents = _sentence(data.get("documents", ""))
    search = facts.pop("检索情况", "")
    correction = application.events.filter(kind=EventKind.CORRECTION_REQUESTED).last()
    fee = application.events.filter(kind=EventKind.FEE_NOTICE_SENT).last()
    body = remedy.review_body(agency)
    values = {
        # Kept for administrators' templates written before the per-outcome wording.
        "办理结果": labels.get(outcome, outcome),
        "法律依据": basis,
        "理由": f"{reasons}。" if reasons else "",
        "提供信息": f"现向您提供：{documents}。" if documents else "",
        "检索情况": f"本机关的检索情况：{search}。" if search else "",
        "不予公开部分": _withheld(data),
        "获取途径说明": (f"您可以通过{facts['获取途径']}获取。" if facts.get("获取途径") else ""),
        "有关法律": "有关法律、行政法规",
        "受理渠道": "信访、投诉举报或者12345政务服务便民热线等相应渠道",
        "复议机关": body.name if body else "____",
        "救济途径": remedy.clause(
            agency,
            outcome,
            online=application.delivery in (Delivery.EMAIL, Delivery.ONLINE),
            withdrawn=event.kind == EventKind.WITHDRAWN,
        ),
        "撤回日期": _chinese_date(event.on),
    }
    if correction is not None:
        values["补正告知日期"] = _chinese_date(correction.on)
        values["补正期限"] = _chinese_date(date.fromisoformat(correction.data["until"]))
    if fee is not None:
        start = (
            date.fromisoformat(fee.data["received_on"]) if fee.data.get("received_on") else fee.on
        )
        limit = get_calendar(agency).provisional_add(start, FEE_PAYMENT.days, day_one()).value
        values |= {
            "收费通知日期": _chinese_date(fee.on),
            "收费金额": str(fee.data["amount"]),
            "缴费期限": _chinese_date(limit),
        }
    return values | facts


# Punctuation doubled where a typed fact met the wording's own (e.g. "。。").
_DOUBLED = re.compile(r"([。；，：])[。；，]+")


def tidy(body: str) -> str:
    """The filled text without doubled punctuation or empty lines (an empty placeholder)."""
    lines = (
        _DOUBLED.sub(r"\1", line).rstrip() for line in body.split("\n")
    )  # only real line breaks: files clean the rest
    return "\n".join(line for line in lines if line.strip())


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _steps(kind: str) -> tuple[str, ...]:
    return CLOSING_STEPS if kind == LetterKind.REPLY else (SOURCE_STEP[LetterKind(kind)],)


def _source_event(application: Application, kind: str) -> Event | None:
    return application.events.filter(kind__in=_steps(kind)).order_by("-on", "-id").first()


def available_kinds(application: Application) -> list[str]:
    kinds = set(application.events.values_list("kind", flat=True))
    return [kind for kind in SOURCE_STEP if kinds.intersection(_steps(kind))]


def _require_staff(actor: User | None, application: Application, *roles: str) -> None:
    if actor is not None and not has_role(actor, application.agency, *roles):
        raise PermissionDenied(_("You do not have the role needed for this action."))


@transaction.atomic
def draft_letter(application: Application, *, actor: User | None, kind: str) -> Letter:
    """Write a draft from the wording and the case's record; the handler may edit it."""
    _require_staff(actor, application, Role.OFFICER, Role.OFFICE_HEAD)
    event = _source_event(application, kind)
    if event is None:
        raise ActionError(_("This letter needs its step on the timeline first."))
    if kind == LetterKind.REPLY:
        outcome = str(event.data.get("outcome") or application.outcome)
        text = wording(kind, reply_group(outcome), reply_key(event))
    else:
        text = wording(kind)
    values = _values(application, event)
    recipient = values.get("被征求意见方") or application.applicant_name
    letter = Letter.objects.create(
        application=application,
        kind=kind,
        title=text.title,
        recipient=recipient,
        body=tidy(text.body.format_map(_Blank(values))),
        drafted_by=actor,
    )
    record(
        Action.FOI_STEP,
        actor=actor,
        obj=application,
        detail={"step": "letter_drafted", "kind": kind},
    )
    return letter


@transaction.atomic
def edit_letter(letter: Letter, *, actor: User | None, body: str) -> Letter:
    _require_staff(actor, letter.application, Role.OFFICER, Role.OFFICE_HEAD)
    if letter.status != LetterStatus.DRAFT:
        raise ActionError(_("Only a draft can be changed."))
    letter.body = body.strip()
    letter.save(update_fields=["body"])
    return letter


@transaction.atomic
def approve_letter(letter: Letter, *, actor: User | None) -> Letter:
    """The head of the disclosure office signs the draft off."""
    _require_staff(actor, letter.application, Role.OFFICE_HEAD)
    if letter.status != LetterStatus.DRAFT:
        raise ActionError(_("Only a draft can be approved."))
    letter.status, letter.approved_by, letter.approved_at = (
        LetterStatus.APPROVED,
        actor,
        timezone.now(),
    )
    letter.save(update_fields=["status", "approved_by", "approved_at"])
    record(
        Action.FOI_STEP,
        actor=actor,
        obj=letter.application,
        detail={"step": "letter_approved", "kind": letter.kind},
    )
    return letter


@transaction.atomic
def issue_letter(letter: Letter, *, actor: User | None, on: date | None = None) -> Letter:
    """Give the approved letter its 文号 (gap-free per agency, year and kind) and date."""
    _require_staff(actor, letter.application, Role.OFFICER, Role.OFFICE_HEAD)
    letter = (
        Letter.objects.select_for_update().select_related("application__agency").get(pk=letter.pk)
    )
    if letter.status != LetterStatus.APPROVED:
        raise ActionError(_("A letter is issued only after the office head has approved it."))
    issued = on or timezone.localdate()
    application = letter.application
    agency = application.agency
    if not agency.doc_abbr:
        raise ActionError(
            _(
                "%(agency)s has no agency abbreviation (机关代字) for the document number yet. "
                "The head of the disclosure office sets it on the agency's page, under "
                "“Letters and remedies”."
            )
            % {"agency": agency.name}
        )
    if letter.kind == LetterKind.REPLY:
        closing = _source_event(application, LetterKind.REPLY)
        problems = remedy.clause_problems(
            letter.body,
            agency,
            application.outcome,
            withdrawn=closing is not None and closing.kind == EventKind.WITHDRAWN,
        )
        if problems:
            raise ActionError(
                _("The remedy clause of this letter is incomplete: %(problems)s")
                % {"problems": "；".join(p.rstrip("。") for p in problems) + "。"}
            )
    letter.doc_no = doc_no(agency, letter.kind, issued.year)
    letter.status, letter.issued_on = LetterStatus.ISSUED, issued
    letter.save(update_fields=["doc_no", "status", "issued_on"])
    record(
        Action.FOI_STEP,
        actor=actor,
        obj=letter.application,
        detail={"step": "letter_issued", "doc_no": letter.doc_no},
    )
    return letter


def doc_no(agency: Agency, kind: str, year: int) -> str:
    """The next 文号 of `agency` for a letter of `kind` issued in `year` (§10.3):
    代字 + letter code + 〔year〕 + number + 号, gap-free per agency and year and per kind
    or shared as the agency chose. Runs inside the issuing transaction (next_value)."""
    if agency.letter_series == LetterSeries.SHARED:
        code, scope = SHARED_CODE, f"{year}/all"
    else:
        # The scope "2026/reply" (foi migration 0009 moved the old counts to it).
        code, scope = LETTER_CODES.get(kind, SHARED_CODE), f"{year}/{kind}"
    seq = next_value(agency, SequenceKind.LETTER_NO, scope)
    number = f"{agency.doc_abbr}{code}〔{year}〕{seq}号"
    doc_no_validator(number)
    return number
