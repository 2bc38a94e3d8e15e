"""Letters of a case (告知书): wording and the draft → approval → issue workflow.

The wording (gongkai.foi.wording) is plain text with placeholders such as {申请人}; an
office may replace the built-in text of any kind (and, for the decision letter, of each
wording key) for its agency, and an administrator for the whole installation, on the
back office's letter-template pages (gongkai.foi.letter_templates, versioned and
audited): wording() takes the agency's text, else the installation's, else the
built-in. Placeholders are filled from the case's timeline, so a letter states exactly
what the record says. The decision letter has
one wording per outcome of table 三 and ends with the remedy clause of gongkai.foi.remedy,
which is checked again when the letter is issued; the 文号 needs the agency's 机关代字.
The letter as DOCX and PDF is gongkai/foi/letter_files.py.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import record
from gongkai.audit.models import Action
from gongkai.foi import actions, delivery, remedy
from gongkai.foi import tasks as foi_tasks
from gongkai.foi.actions import ActionError
from gongkai.foi.clock import deadline
from gongkai.foi.events import (
    ConsultationClosedData,
    ConsultationSentData,
    CorrectionRequestedData,
    ExtensionApprovedData,
    FeeNoticeSentData,
)
from gongkai.foi.fees import FeeMethod
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
from gongkai.foi.wording import ABANDONMENT, DEFAULTS, REGULATIONS, REPLIES, Wording
from gongkai.jobs.queue import submit
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
from gongkai.workdays.timeline import Party

# The letter code of each kind, between the 机关代字 and the year of the 文号
# (青教 + 依申答 + 〔2026〕 + 1号). 依申 marks the 依申请公开 series; the rest names the
# letter: 受理、补正、说明理由、延期、征求意见、征求意见告知、权利人（第三方）告知、收费、答复、
# 视为放弃、撤回（终止办理）、送达. No national list of these codes exists [unconfirmed]; an
# office that uses others keeps them here.
LETTER_CODES: dict[str, str] = {
    LetterKind.RECEIPT: "依申受",
    LetterKind.CORRECTION: "依申补",
    LetterKind.EXPLANATION: "依申说",
    LetterKind.EXTENSION: "依申延",
    LetterKind.CONSULTATION_THIRD_PARTY: "依申征",
    LetterKind.CONSULTATION_AGENCY: "依申征",
    LetterKind.CONSULTATION_NOTICE: "依申征告",
    LetterKind.THIRD_PARTY_OVERRIDE: "依申权告",
    LetterKind.FEE_NOTICE: "依申费",
    LetterKind.REPLY: "依申答",
    LetterKind.ABANDONMENT: "依申弃",
    LetterKind.WITHDRAWAL: "依申撤",
    LetterKind.DELIVERY_RECORD: "依申送",
}
# An agency with one series for all its letters (LetterSeries.SHARED) numbers them under
# one code, so that each number of the year appears once (e.g. 青教依申〔2026〕7号).
SHARED_CODE = "依申"
# Kinds that share a code share its number series, or a number would be given twice: the
# two 征求意见书 continue the series "consultation" of the letters issued before the split
# (foi migration letter_kinds). Any other kind's series is named after the kind.
SERIES: dict[str, str] = {
    LetterKind.CONSULTATION_THIRD_PARTY: "consultation",
    LetterKind.CONSULTATION_AGENCY: "consultation",
}

# The step each letter documents; a letter is offered once its step is on the timeline
# (the consultation letters: a consultation of their party; the delivery record: an
# issued letter to deliver, see available_kinds).
SOURCE_STEP = {
    LetterKind.RECEIPT: EventKind.RECEIVED,
    LetterKind.CORRECTION: EventKind.CORRECTION_REQUESTED,
    # 第三十五条 has no step of its own on the timeline: offered while the case is open.
    LetterKind.EXPLANATION: EventKind.RECEIVED,
    LetterKind.EXTENSION: EventKind.EXTENSION_APPROVED,
    LetterKind.CONSULTATION_THIRD_PARTY: EventKind.CONSULTATION_SENT,
    LetterKind.CONSULTATION_AGENCY: EventKind.CONSULTATION_SENT,
    LetterKind.CONSULTATION_NOTICE: EventKind.CONSULTATION_SENT,
    # The third party's answer is on the timeline; the office decides to disclose anyway.
    LetterKind.THIRD_PARTY_OVERRIDE: EventKind.CONSULTATION_CLOSED,
    LetterKind.FEE_NOTICE: EventKind.FEE_NOTICE_SENT,
    LetterKind.REPLY: EventKind.REPLIED,
    LetterKind.ABANDONMENT: EventKind.CLOSED_UNANSWERED,
    LetterKind.WITHDRAWAL: EventKind.WITHDRAWN,
    LetterKind.DELIVERY_RECORD: EventKind.RECEIVED,
}
# The steps that close a case; each has its own letter (reply, abandonment, withdrawal).
CLOSING_STEPS = (EventKind.REPLIED, EventKind.CLOSED_UNANSWERED, EventKind.WITHDRAWN)
# Letters addressed to the consulted party rather than to the applicant.
TO_PARTY = delivery.TO_PARTY
# Letters whose remedy clause is checked before they are issued (行政复议法第二十条第三款).
WITH_REMEDY = (LetterKind.REPLY, LetterKind.ABANDONMENT, LetterKind.THIRD_PARTY_OVERRIDE)

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
    # The letters added with issue 17: 征求意见告知书, 第三十二条 notice, fee, 送达回证.
    "征求意见日期",
    "征求意见事由",
    "征求对象",
    "第三方意见",
    "公开理由",
    "收费标准",
    "受送达人",
    "送达文书",
    "送达文号",
    "送达地址",
    "送达方式",
    "送达日期",
    "邮件号码",
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
    outcome = str(event.data.get("outcome") or event.application.outcome)
    if outcome == Outcome.GRANTED and event.data.get("published_at"):
        return "granted_published"
    if outcome == Outcome.UNABLE_NOT_HELD and event.data.get("competent_agency"):
        return "unable_not_held_elsewhere"
    return outcome if outcome in REPLIES else Outcome.OTHER_MISC


def wording(
    kind: str, variant: str = "", key: str = "", *, agency: Agency | None = None
) -> Wording:
    """The text of a letter: the agency's LetterTemplate, else the installation's default
    (agency empty), else the built-in one. Within each, the template for the wording key
    comes first, then for the variant (a reply's older outcome group), then for the kind."""
    return wording_source(kind, variant, key, agency=agency)[0]


def wording_source(
    kind: str, variant: str = "", key: str = "", *, agency: Agency | None = None
) -> tuple[Wording, LetterTemplate | None]:
    """wording() and the template it comes from (None: the built-in text)."""
    names = list(dict.fromkeys(v for v in (key, variant, "") if v is not None))
    scopes: list[int | None] = [agency.pk, None] if agency is not None else [None]
    found = {
        (t.agency_id, t.variant): t
        for t in LetterTemplate.objects.filter(kind=kind, variant__in=names).filter(
            Q(agency__isnull=True) | Q(agency_id__in=[s for s in scopes if s is not None])
        )
    }
    for scope in scopes:
        for name in names:
            custom = found.get((scope, name))
            if custom is not None:
                return Wording(custom.title, custom.body), custom
    return builtin(kind, key), None


def builtin(kind: str, key: str = "") -> Wording:
    """The built-in wording of gongkai.foi.wording for `kind` and wording key `key`."""
    if kind == LetterKind.REPLY:
        return REPLIES.get(key or Outcome.OTHER_MISC, REPLIES[Outcome.OTHER_MISC])
    if kind == LetterKind.ABANDONMENT:
        return ABANDONMENT.get(key, ABANDONMENT[Outcome.OTHER_OVERDUE_CORRECTION])
    return DEFAULTS[kind]


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders a template uses that gongkai cannot fill (checked when it is saved);
    [] for a text whose braces do not pair (placeholder_problems names those)."""
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return []
    names = [name for _lit, name, _spec, _conv in fields if name is not None]
    return sorted({name for name in names if name not in PLACEHOLDERS})


def placeholder_problems(text: str, kind: str = "") -> list[str]:
    """What stops `text` from being a template of `kind`, in the user's words: braces
    that do not pair, placeholders gongkai cannot fill or written with a format
    ({申请人:>4}), and a decision letter without its remedy clause ({救济途径})."""
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return [
            _(
                "The braces do not pair: write each placeholder as {name}, with one opening "
                "and one closing brace; a brace meant as text is written twice ({{ or }})."
            )
        ]
    problems = []
    if any(name == "" for _lit, name, _spec, _conv in fields):
        problems.append(_("An empty placeholder {} cannot be filled: write a name inside it."))
    unknown = [name for name in unknown_placeholders(text) if name]
    if unknown:
        problems.append(
            _("Unknown placeholders: %(names)s. Only the placeholders listed can be filled.")
            % {"names": "、".join(f"{{{name}}}" for name in unknown)}
        )
    if any(spec or conv for _lit, name, spec, conv in fields if name):
        problems.append(
            _("A placeholder is written {name} only, without a colon or an exclamation mark.")
        )
    if kind in WITH_REMEDY and "救济途径" not in {name for _l, name, _s, _c in fields}:
        problems.append(
            _(
                "A decision letter must keep the placeholder {救济途径}: the remedy clause is "
                "generated from the agency tree and checked when the letter is issued."
            )
        )
    return problems


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "____"


def _values(application: Application, event: Event, kind: str = "") -> dict[str, str]:

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
        to_agency = consultation.get("party") == Party.AGENCY
        period = AGENCY_OPINION if to_agency else THIRD_PARTY_OPINION
        received = consultation.get("received_on")
        start = date.fromisoformat(received) if received else event.on
        limit = get_calendar(agency).provisional_add(start, period.days, day_one()).value
        recipient = consultation.get("recipient", "")
        values |= {
            "被征求意见方": recipient,
            "意见期限": _chinese_date(limit),
            "征求意见日期": _chinese_date(event.on),
            # The applicant is told who was consulted only when it is an agency: a third
            # party's identity may itself be what 第十五条 protects.
            "征求对象": (recipient or "有关机关") if to_agency else "相关第三方",
            "征求意见事由": (
                "您申请公开的政府信息由本机关与其他行政机关共同制作，根据〈条例〉第三十四条的规定，"
                if to_agency
                else "您申请公开的政府信息的公开可能损害第三方合法权益，根据〈条例〉第三十二条的规定，"
            ).replace("〈条例〉", REGULATIONS),
        }
    elif event.kind == EventKind.CONSULTATION_CLOSED:
        values |= _override_values(application, event)
    elif event.kind == EventKind.FEE_NOTICE_SENT:
        fee = cast(FeeNoticeSentData, event.data)
        received = fee.get("received_on")
        start = date.fromisoformat(received) if received else event.on
        limit = get_calendar(agency).provisional_add(start, FEE_PAYMENT.days, day_one()).value
        values |= {
            "收费金额": str(fee["amount"]),
            "缴费期限": _chinese_date(limit),
            "收费标准": _fee_basis(fee),
        }
    elif event.kind in CLOSING_STEPS:
        values |= _decision_values(application, event)
    if kind == LetterKind.DELIVERY_RECORD:
        values |= _delivery_values(application)
    return values


def _fee_basis(fee: FeeNoticeSentData) -> str:
    """收费的依据、标准 (国办函〔2020〕109号第四、五条) as one clause."""
    if fee.get("method") == FeeMethod.PER_REQUEST and fee.get("position"):
        return (
            f"按件计收：本申请为您本月提出的第{fee['position']}件申请，"
            "第11件至第30件每件100元，第31件起每10件为一档、每档每件提高100元"
        )
    if fee.get("pages"):
        return (
            f"按量计收：共{fee['pages']}页，30页以下免费，31页至100页每页10元，"
            "101页至200页每页20元，201页以上每页40元"
        )
    return "____"


def _third_party_consultation(application: Application, ref: str) -> Event | None:
    return next(
        (
            sent
            for sent in application.events.filter(kind=EventKind.CONSULTATION_SENT).order_by(
                "-on", "-id"
            )
            if sent.data.get("ref") == ref and sent.data.get("party") != Party.AGENCY
        ),
        None,
    )


def _override_values(application: Application, event: Event) -> dict[str, str]:
    """第三十二条 last sentence: the third party's objection, and the reasons to disclose
    (the reasons recorded with the reply, else a gap for the officer)."""
    data = cast(ConsultationClosedData, event.data)
    sent = _third_party_consultation(application, data.get("ref", ""))
    reply = application.events.filter(kind=EventKind.REPLIED).last()
    reasons = _sentence(str(reply.data.get("basis", ""))) if reply is not None else ""
    return {
        "被征求意见方": sent.data.get("recipient", "") if sent is not None else "",
        "征求意见日期": _chinese_date(sent.on) if sent is not None else "____",
        "第三方意见": _sentence(data.get("result", "")) or "不同意公开",
        "公开理由": reasons or "____",
        "救济途径": remedy.clause(
            application.agency,
            "",
            online=application.delivery in (Delivery.EMAIL, Delivery.ONLINE),
            document="本告知书",
            subject="本机关决定公开的决定",
        ),
    }


def _delivery_values(application: Application) -> dict[str, str]:
    """The 送达回证 of the last letter issued (not itself a delivery record)."""
    delivered = (
        application.letters.filter(status=LetterStatus.ISSUED)
        .exclude(kind=LetterKind.DELIVERY_RECORD)
        .order_by("-issued_on", "-id")
        .first()
    )
    method = Delivery(application.delivery) if application.delivery in Delivery.values else None
    address = (
        {
            Delivery.EMAIL: application.email,
            Delivery.POST: " ".join(p for p in (application.postcode, application.address) if p),
        }.get(method)
        if method
        else ""
    )
    return {
        "受送达人": delivered.recipient if delivered else application.applicant_name,
        "送达文书": f"《{delivered.title}》" if delivered else "____",
        "送达文号": (delivered.doc_no or "____") if delivered else "____",
        "送达地址": address or application.address or "____",
        "送达方式": str(_DELIVERY_METHOD.get(method, "____")) if method else "____",
        "送达日期": _chinese_date(delivered.issued_on)
        if delivered and delivered.issued_on
        else "____",
        "邮件号码": "____" if method == Delivery.POST else "无",
    }


# 送达方式 in the words of 国办公开办函〔2016〕235号 and of the applicant's choice.
_DELIVERY_METHOD = {
    Delivery.POST: "邮寄送达（邮政企业）",
    Delivery.EMAIL: "电子邮件送达",
    Delivery.PICK_UP: "直接送达（当面领取）",
    Delivery.ONLINE: "网上送达（政府信息公开申请平台）",
}


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
            # 视为放弃 is told in a 告知书, not an 答复书.
            **(
                {"document": "本告知书", "subject": "本告知"}
                if event.kind == EventKind.CLOSED_UNANSWERED
                else {}
            ),
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


def _candidates(application: Application, kind: str) -> list[Event]:
    """The events a letter of `kind` may document, latest first."""
    events = list(
        application.events.filter(kind=SOURCE_STEP[LetterKind(kind)]).order_by("-on", "-id")
    )
    if kind == LetterKind.CONSULTATION_AGENCY:
        return [e for e in events if e.data.get("party") == Party.AGENCY]
    if kind == LetterKind.CONSULTATION_THIRD_PARTY:
        return [e for e in events if e.data.get("party") != Party.AGENCY]
    if kind == LetterKind.THIRD_PARTY_OVERRIDE:
        return [e for e in events if _third_party_consultation(application, e.data.get("ref", ""))]
    if kind == LetterKind.EXPLANATION and not application.is_open:
        return []
    if kind == LetterKind.DELIVERY_RECORD and not (
        application.letters.filter(status=LetterStatus.ISSUED)
        .exclude(kind=LetterKind.DELIVERY_RECORD)
        .exists()
    ):
        return []
    return events


def _source_event(application: Application, kind: str) -> Event | None:
    found = _candidates(application, kind)
    return found[0] if found else None


def available_kinds(application: Application) -> list[str]:
    """The letters the case page offers: those whose step is on the timeline."""
    return [kind for kind in SOURCE_STEP if _candidates(application, kind)]


@dataclass(frozen=True)
class Composed:
    """A letter's text before it is saved: what draft_letter stores, and the specimens."""

    kind: str
    title: str
    recipient: str
    body: str
    outcome: str  # the table-三 key of a letter that closes the case, else ""


def compose(application: Application, kind: str, event: Event | None = None) -> Composed:
    """Fill the wording of `kind` from the case's record (raises ActionError without its
    step), or from `event`: the reply a draft decision letter proposes. Writes nothing."""
    event = event or _source_event(application, kind)
    if event is None:
        raise ActionError(_("This letter needs its step on the timeline first."))
    outcome = ""
    if kind == LetterKind.REPLY:
        outcome = str(event.data.get("outcome") or application.outcome)
        text = wording(kind, reply_group(outcome), reply_key(event), agency=application.agency)
    elif kind == LetterKind.ABANDONMENT:
        outcome = str(event.data.get("outcome") or application.outcome)
        text = wording(kind, key=outcome, agency=application.agency)
    else:
        if kind == LetterKind.WITHDRAWAL:
            outcome = application.outcome or Outcome.OTHER_MISC
        text = wording(kind, agency=application.agency)
    values = _values(application, event, kind)
    recipient = (
        values.get("被征求意见方") or application.applicant_name
        if kind in TO_PARTY
        else application.applicant_name
    )
    return Composed(
        kind, text.title, recipient, tidy(text.body.format_map(_Blank(values))), outcome
    )


def _require_staff(actor: User | None, application: Application, *roles: str) -> None:
    if actor is not None and not has_role(actor, application.agency, *roles):
        raise PermissionDenied(_("You do not have the role needed for this action."))


@transaction.atomic
def draft_letter(application: Application, *, actor: User | None, kind: str) -> Letter:
    """Write a draft from the wording and the case's record; the handler may edit it.

    The decision letter of an open case is drafted by draft_reply (its outcome chosen);
    this drafts one only for a reply already on the timeline (an imported case)."""
    _require_staff(actor, application, Role.OFFICER, Role.OFFICE_HEAD)
    if kind == LetterKind.REPLY and not application.events.filter(kind=EventKind.REPLIED).exists():
        raise ActionError(_("Choose the outcome of the reply: that drafts its decision letter."))
    composed = compose(application, kind)
    letter = Letter.objects.create(
        application=application,
        kind=kind,
        title=composed.title,
        recipient=composed.recipient,
        body=composed.body,
        drafted_by=actor,
        event=_source_event(application, kind),
    )
    record(
        Action.FOI_STEP,
        actor=actor,
        obj=application,
        detail={"step": "letter_drafted", "kind": kind},
    )
    return letter


@transaction.atomic
def draft_reply(
    application: Application,
    *,
    actor: User | None,
    outcome: str,
    basis: str = "",
    documents: str = "",
    facts: Mapping[str, Any] | None = None,
) -> Letter:
    """Choosing the outcome drafts the decision letter (答复书); the case stays open until
    the approved letter is issued (issue_letter records the reply on the issue date).

    A new choice replaces a decision letter not yet issued, approved or not."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_staff(actor, application, Role.OFFICER, Role.OFFICE_HEAD)
    actions.check_reply(application, outcome)
    decision = actions.replied_data(outcome, basis, documents, facts)
    replaced = application.letters.filter(kind=LetterKind.REPLY).exclude(status=LetterStatus.ISSUED)
    replaced_count = replaced.count()
    replaced.delete()
    proposed = Event(
        application=application,
        kind=EventKind.REPLIED,
        on=timezone.localdate(),
        data=dict(decision),
    )
    composed = compose(application, LetterKind.REPLY, event=proposed)
    letter = Letter.objects.create(
        application=application,
        kind=LetterKind.REPLY,
        title=composed.title,
        recipient=composed.recipient,
        body=composed.body,
        drafted_by=actor,
        decision=dict(decision),
    )
    record(
        Action.FOI_STEP,
        actor=actor,
        obj=application,
        detail={
            "step": "letter_drafted",
            "kind": LetterKind.REPLY,
            "outcome": outcome,
            **({"replaced": replaced_count} if replaced_count else {}),
        },
    )
    return letter


def pending_reply(application: Application) -> Letter | None:
    """The decision letter being prepared (drafted or approved, not yet issued)."""
    return (
        application.letters.filter(kind=LetterKind.REPLY)
        .exclude(status=LetterStatus.ISSUED)
        .exclude(decision={})
        .first()
    )


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
def issue_letter(
    letter: Letter,
    *,
    actor: User | None,
    on: date | None = None,
    late_approval_reason: str = "",
) -> Letter:
    """Give the approved letter its 文号 (gap-free per agency, year and kind) and date, and
    deliver it where gongkai delivers (gongkai.foi.delivery).

    Issuing a drafted decision letter records the reply, on the issue date: that is when
    the case closes and the date the reply counts as given (for the deadline, 逾期答复 and
    the annual report). A reply after the due date or back-dated beyond the setting needs
    the office head's `late_approval_reason` (gongkai.foi.actions)."""
    _require_staff(actor, letter.application, Role.OFFICER, Role.OFFICE_HEAD)
    letter = (
        Letter.objects.select_for_update().select_related("application__agency").get(pk=letter.pk)
    )
    if letter.status != LetterStatus.APPROVED:
        raise ActionError(_("A letter is issued only after the office head has approved it."))
    issued = on or timezone.localdate()
    if issued > timezone.localdate():
        raise ActionError(_("The date %(date)s is in the future.") % {"date": issued.isoformat()})
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
    if not letter.body.strip():
        raise ActionError(_("The letter has no text."))
    problem = delivery.delivery_problem(letter)
    if problem:
        raise ActionError(problem)
    decides = letter.kind == LetterKind.REPLY and bool(letter.decision) and letter.event_id is None
    if letter.kind in WITH_REMEDY:
        # A third party's notice is checked as an ordinary clause (no 复议前置: the
        # decision it challenges is to disclose).
        outcome = (
            ""
            if letter.kind == LetterKind.THIRD_PARTY_OVERRIDE
            else str(letter.decision.get("outcome") or application.outcome)
        )
        problems = remedy.clause_problems(letter.body, agency, outcome)
        if problems:
            raise ActionError(
                _("The remedy clause of this letter is incomplete: %(problems)s")
                % {"problems": "；".join(p.rstrip("。") for p in problems) + "。"}
            )
    if decides:
        decision = dict(letter.decision)
        event = actions.reply(
            application,
            actor=actor,
            on=issued,
            outcome=str(decision.pop("outcome")),
            basis=str(decision.pop("basis", "")),
            documents=str(decision.pop("documents", "")),
            facts=decision,
            late_approval_reason=late_approval_reason,
            letter_id=letter.pk,
        )
        letter.event = event
    letter.doc_no = doc_no(agency, letter.kind, issued.year)
    letter.status, letter.issued_on = LetterStatus.ISSUED, issued
    letter.save(update_fields=["doc_no", "status", "issued_on", "event"])
    record(
        Action.FOI_STEP,
        actor=actor,
        obj=letter.application,
        detail={"step": "letter_issued", "doc_no": letter.doc_no},
    )
    emailed = delivery.on_issue(letter)
    if emailed is not None:
        submit(foi_tasks.email_letter, emailed.pk)
    return letter


def doc_no(agency: Agency, kind: str, year: int) -> str:
    """The next 文号 of `agency` for a letter of `kind` issued in `year` (§10.3):
    代字 + letter code + 〔year〕 + number + 号, gap-free per agency and year and per kind
    or shared as the agency chose. Runs inside the issuing transaction (next_value)."""
    code, scope = series(agency, kind, year)
    return format_doc_no(agency, code, year, next_value(agency, SequenceKind.LETTER_NO, scope))


def series(agency: Agency, kind: str, year: int) -> tuple[str, str]:
    """The letter code and the Sequence scope of `agency`'s letters of `kind` in `year`."""
    if agency.letter_series == LetterSeries.SHARED:
        return SHARED_CODE, f"{year}/all"
    # The scope "2026/reply" (foi migration 0009 moved the old counts to it).
    return LETTER_CODES.get(kind, SHARED_CODE), f"{year}/{SERIES.get(kind, kind)}"


def format_doc_no(agency: Agency, code: str, year: int, seq: int) -> str:
    number = f"{agency.doc_abbr}{code}〔{year}〕{seq}号"
    doc_no_validator(number)
    return number
