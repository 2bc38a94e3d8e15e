"""Letters of a case (告知书): wording and the draft → approval → issue workflow.

The wording is plain text with placeholders such as {申请人}; an administrator may replace
the built-in text of any kind (and of each reply group) in the Django admin. Placeholders
are filled from the case's timeline, so a letter states exactly what the record says.
A reply letter cites the legal basis of its outcome from the annual-report format file.
The letter as DOCX and PDF is gongkai/foi/letter_files.py.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date
from typing import cast

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import record
from gongkai.audit.models import Action
from gongkai.foi.actions import ActionError, deadline
from gongkai.foi.events import (
    ConsultationSentData,
    CorrectionRequestedData,
    ExtensionApprovedData,
    FeeNoticeSentData,
    RepliedData,
)
from gongkai.foi.models import (
    Application,
    Event,
    EventKind,
    Letter,
    LetterKind,
    LetterStatus,
    LetterTemplate,
)
from gongkai.lib.report_format import outcome_choices, outcome_legal_basis
from gongkai.orgs.access import has_role
from gongkai.orgs.models import Role, SequenceKind, User
from gongkai.orgs.sequences import next_value
from gongkai.workdays.loading import day_one, get_calendar
from gongkai.workdays.periods import AGENCY_OPINION, FEE_PAYMENT, THIRD_PARTY_OPINION

REGULATIONS = "《中华人民共和国政府信息公开条例》"

# 文号 abbreviations per kind: 受理、补正、延期、征求意见、收费、答复.
ABBREVIATIONS = {
    LetterKind.RECEIPT: "受",
    LetterKind.CORRECTION: "补",
    LetterKind.EXTENSION: "延",
    LetterKind.CONSULTATION: "征",
    LetterKind.FEE_NOTICE: "费",
    LetterKind.REPLY: "答",
}

# The step each letter documents; a letter is offered once its step is on the timeline.
SOURCE_STEP = {
    LetterKind.RECEIPT: EventKind.RECEIVED,
    LetterKind.CORRECTION: EventKind.CORRECTION_REQUESTED,
    LetterKind.EXTENSION: EventKind.EXTENSION_APPROVED,
    LetterKind.CONSULTATION: EventKind.CONSULTATION_SENT,
    LetterKind.FEE_NOTICE: EventKind.FEE_NOTICE_SENT,
    LetterKind.REPLY: EventKind.REPLIED,
}

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
)


@dataclass(frozen=True)
class Wording:
    title: str
    body: str


DEFAULTS: dict[tuple[str, str], Wording] = {
    (LetterKind.RECEIPT, ""): Wording(
        "政府信息公开申请受理回执",
        "{申请人}：\n"
        "本机关于{收到日期}收到您提出的政府信息公开申请（申请编号：{申请编号}），申请内容为：{申请内容}。\n"
        f"根据{REGULATIONS}第三十三条的规定，本机关将在收到申请之日起20个工作日内予以答复，"
        "答复期限为{答复期限}。如需延长答复期限，本机关将另行告知。\n"
        "联系电话：{联系电话}；办公地址：{办公地址}。",
    ),
    (LetterKind.CORRECTION, ""): Wording(
        "政府信息公开申请补正告知书",
        "{申请人}：\n"
        "本机关于{收到日期}收到您提出的政府信息公开申请（申请编号：{申请编号}）。经审查，申请内容不明确，"
        f"根据{REGULATIONS}第三十条的规定，请您对下列事项作出补正：\n{{补正事项}}\n"
        "请于{补正期限}前提交补正后的申请。答复期限自本机关收到补正的申请之日起计算。"
        "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
    ),
    (LetterKind.EXTENSION, ""): Wording(
        "政府信息公开申请延期答复告知书",
        "{申请人}：\n"
        "本机关于{收到日期}收到您提出的政府信息公开申请（申请编号：{申请编号}）。因{延期理由}，"
        "不能在规定期限内作出答复。经本机关政府信息公开工作机构负责人同意，"
        f"根据{REGULATIONS}第三十三条第二款的规定，答复期限延长{{延期天数}}个工作日，"
        "本机关将于{延期后期限}前作出答复。",
    ),
    (LetterKind.CONSULTATION, ""): Wording(
        "政府信息公开征求意见函",
        "{被征求意见方}：\n"
        "本机关收到政府信息公开申请（申请编号：{申请编号}），申请公开：{申请内容}。该信息的公开可能涉及贵方的合法权益。"
        f"根据{REGULATIONS}第三十二条、第三十四条的规定，现征求贵方意见，请于{{意见期限}}前书面回复。"
        "逾期未提出意见的，本机关将依照条例的规定决定是否公开。",
    ),
    (LetterKind.FEE_NOTICE, ""): Wording(
        "政府信息公开信息处理费收费通知书",
        "{申请人}：\n"
        "您提出的政府信息公开申请（申请编号：{申请编号}）的数量、频次明显超过合理范围。"
        f"根据{REGULATIONS}第四十二条和《政府信息公开信息处理费管理办法》的规定，"
        "需缴纳信息处理费{收费金额}元。请于{缴费期限}前缴纳，逾期未缴纳的视为放弃申请。",
    ),
}
# One reply per outcome group; the outcome and its legal basis fill the placeholders.
REPLY_BODY = (
    "{申请人}：\n"
    "本机关于{收到日期}收到您提出的政府信息公开申请（申请编号：{申请编号}），申请公开：{申请内容}。\n"
    "经审查，办理结果为：{办理结果}。{理由}\n"
    f"依据：{REGULATIONS}{{法律依据}}。\n"
    "{提供信息}"
    "如对本答复不服，可以在收到本告知书之日起60日内依法申请行政复议，或者在6个月内依法提起行政诉讼。"
)
REPLY_BASIS = {
    "granted": "第三十六条第（二）项",
    "partially_granted": "第三十七条",
    "denied": "第三十六条第（三）项",
    "unable": "第三十六条",
    "not_processed": "第三十六条",
    "other": "第三十六条",
}


def reply_group(outcome: str) -> str:
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


def wording(kind: str, variant: str = "") -> Wording:
    custom = LetterTemplate.objects.filter(kind=kind, variant=variant).first()
    if custom is None and variant:
        custom = LetterTemplate.objects.filter(kind=kind, variant="").first()
    if custom is not None:
        return Wording(custom.title, custom.body)
    if kind == LetterKind.REPLY:
        return Wording("政府信息公开申请答复告知书", REPLY_BODY)
    return DEFAULTS[(kind, "")]


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
    elif event.kind == EventKind.REPLIED:
        data = cast(RepliedData, event.data)
        outcome = data.get("outcome", application.outcome)
        labels = dict(outcome_choices())
        basis = (
            outcome_legal_basis(outcome).removeprefix("条例") or REPLY_BASIS[reply_group(outcome)]
        )
        values |= {
            "办理结果": labels.get(outcome, outcome),
            "法律依据": basis,
            "理由": data.get("basis", ""),
            "提供信息": f"提供的信息：{data['documents']}\n" if data.get("documents") else "",
        }
    return values


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _source_event(application: Application, kind: str) -> Event | None:
    return (
        application.events.filter(kind=SOURCE_STEP[LetterKind(kind)]).order_by("-on", "-id").first()
    )


def available_kinds(application: Application) -> list[str]:
    kinds = set(application.events.values_list("kind", flat=True))
    return [kind for kind, step in SOURCE_STEP.items() if step in kinds]


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
    variant = reply_group(application.outcome) if kind == LetterKind.REPLY else ""
    text = wording(kind, variant)
    values = _values(application, event)
    recipient = values.get("被征求意见方") or application.applicant_name
    letter = Letter.objects.create(
        application=application,
        kind=kind,
        title=text.title,
        recipient=recipient,
        body=text.body.format_map(_Blank(values)),
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
    agency = letter.application.agency
    # One count per year and kind of letter (the scope "2026/reply"; foi migration 0009).
    seq = next_value(agency, SequenceKind.LETTER_NO, f"{issued.year}/{letter.kind}")
    letter.doc_no = (
        f"{agency.code.upper()}依申{ABBREVIATIONS[LetterKind(letter.kind)]}〔{issued.year}〕{seq}号"
    )
    letter.status, letter.issued_on = LetterStatus.ISSUED, issued
    letter.save(update_fields=["doc_no", "status", "issued_on"])
    record(
        Action.FOI_STEP,
        actor=actor,
        obj=letter.application,
        detail={"step": "letter_issued", "doc_no": letter.doc_no},
    )
    return letter
