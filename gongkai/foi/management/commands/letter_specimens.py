"""Specimens (样张) of every letter, for an office to review its wording and layout.

`python manage.py letter_specimens --agency CODE --output DIR` writes DIR/<name>.docx,
DIR/<name>.pdf and DIR/index.json ({"name", "kind", "outcome", "number", "text"} per
specimen): one specimen per letter kind and one decision letter per outcome of table 三
(plus the two wordings of 第三十六条 that share a row, granted_published and
unable_not_held_elsewhere), filled with sample facts, in the agency's own wording where
its office has adjusted a template (else the installation's default, else the built-in
text). The back office's template preview is one specimen (specimen()).

Nothing of it stays in the database. Each sample case is written inside a savepoint that
is rolled back as soon as its text is composed (the wording is filled by the same
letters.compose the office uses, which reads the timeline from the database), with
seq 0 so that it can never meet a real case's number. The 文号 is a sample (the
letter's code with 1号), computed without next_value: no Sequence is created or used.
The files are rendered afterwards from unsaved Letter objects.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.foi import letter_files, letters, remedy
from gongkai.foi.fees import FeeMethod, pages_fee
from gongkai.foi.models import (
    Application,
    Delivery,
    EventKind,
    Letter,
    LetterKind,
    LetterStatus,
    ProvisionForm,
)
from gongkai.foi.receipt import Channel
from gongkai.foi.wording import ABANDONMENT, REPLIES
from gongkai.lib.report_keys import ApplicantType, Outcome
from gongkai.orgs.models import Agency

# The outcome each reply wording records, where the key is not the outcome itself.
_WORDING_OUTCOME = {
    "granted_published": Outcome.GRANTED,
    "unable_not_held_elsewhere": Outcome.UNABLE_NOT_HELD,
}


@dataclass
class Sample:
    """One specimen: its letter kind and the steps of its sample case after `received`
    (kind, working offset in days from receipt, data)."""

    name: str
    kind: str
    steps: list[tuple[str, int, dict[str, Any]]] = field(default_factory=list)
    outcome: str = ""  # the case's outcome field (closing steps)
    issued_letter: bool = False  # the delivery record needs a letter to deliver
    description: str = "本机关2025年度部门预算及其说明"  # what the sample applicant asked for


def _reply_facts(key: str, year: int, abbr: str) -> dict[str, Any]:
    """Sample facts a reply records beside its outcome (letters.REPLY_FACTS)."""
    documents = "《2025年度部门预算》及其说明（电子文档，共12页）"
    facts: dict[str, dict[str, Any]] = {
        "granted_published": {
            "published_at": f"本机关门户网站“法定主动公开内容—财政预决算”栏目（{year}年2月10日发布）"
        },
        Outcome.GRANTED: {"documents": documents},
        Outcome.PARTIALLY_GRANTED: {
            "documents": "《2025年度部门预算》（已删除第5页所列个人信息）",
            "withheld": [
                {
                    "part": "第5页所列人员的姓名和身份证号码",
                    "reason": "属于个人隐私，公开会对第三方合法权益造成损害",
                    "basis": "条例第十五条",
                },
                {
                    "part": "附件2《预算调整方案（讨论稿）》",
                    "reason": "属于过程性信息",
                    "basis": "条例第十六条第二款",
                },
            ],
        },
        Outcome.DENIED_STATE_SECRET: {"basis": "该信息已依法定程序确定为国家秘密"},
        Outcome.DENIED_LAW_PROHIBITED: {
            "law": "《中华人民共和国统计法》",
            "basis": "该信息属于统计调查中获得的能够识别单个统计调查对象的资料",
        },
        Outcome.DENIED_THREE_SECURITY_ONE_STABILITY: {"basis": "该信息涉及重点目标的安全防范部署"},
        Outcome.DENIED_THIRD_PARTY_RIGHTS: {
            "basis": "该信息含有企业的技术参数和经营数据，第三方不同意公开且理由合理"
        },
        Outcome.DENIED_INTERNAL_AFFAIRS: {"basis": "该信息为本机关内部人员考勤记录"},
        Outcome.DENIED_PROCESS_INFO: {"basis": "该信息为局务会议讨论记录"},
        Outcome.DENIED_ENFORCEMENT_CASE_FILE: {"basis": "该信息为行政处罚案卷中的询问笔录"},
        Outcome.DENIED_ADMINISTRATIVE_QUERY: {
            "law": "《不动产登记暂行条例》",
            "competent_agency": "县不动产登记中心",
        },
        Outcome.UNABLE_NOT_HELD: {
            "search_record": "以“部门预算”“2025年度”为关键词检索了本机关公文管理系统和档案室目录，并询问了计划财务科"
        },
        "unable_not_held_elsewhere": {
            "competent_agency": "县财政局",
            "competent_contact": "联系电话0000-5678，地址县人民路9号",
            "basis": "该信息由县财政局制作并保存",
        },
        Outcome.UNABLE_NEEDS_CREATION: {
            "basis": "本机关未对该数据作过统计，现有资料为分散保存的原始单据",
            "documents": "现有的《2025年度部门预算》",
        },
        Outcome.NP_PETITION_COMPLAINT: {"basis": "您反映的是对某工程施工噪声的投诉"},
        Outcome.NP_REPEATED: {"earlier_reply": f"{year}年1月5日，{abbr}依申答〔{year}〕1号"},
        Outcome.NP_PUBLICATION: {"published_at": "县新华书店或者各级公共图书馆"},
        Outcome.NP_MASSIVE_UNREASONABLE: {"basis": "您在一个月内提出了120件申请"},
        Outcome.NP_CONFIRM_OR_REISSUE: {"basis": "您要求本机关对已经取得的文件加盖印章予以确认"},
        Outcome.OTHER_MISC: {"basis": "您的申请事项已由本机关在另一申请中一并答复"},
    }
    return facts.get(key, {})


def _samples(year: int, abbr: str) -> list[Sample]:
    third_party = {"party": "third_party", "recipient": "某某建设工程有限公司", "ref": "c1"}
    co_agency = {"party": "agency", "recipient": "县发展和改革局", "ref": "c1"}
    correction = {
        "items": ["写明所需政府信息的名称、文号或者便于查询的其他特征性描述", "提供身份证明"],
        "until": "",  # filled from the receipt date
    }
    fee = {"method": FeeMethod.PER_PAGE, "amount": pages_fee(300), "pages": 300}
    project = "县城北污水处理厂扩建项目环境影响评价报告书及其批复"
    samples = [
        Sample("receipt", LetterKind.RECEIPT),
        Sample(
            "correction", LetterKind.CORRECTION, [(EventKind.CORRECTION_REQUESTED, 2, correction)]
        ),
        Sample("explanation", LetterKind.EXPLANATION),
        Sample(
            "extension",
            LetterKind.EXTENSION,
            [
                (
                    EventKind.EXTENSION_APPROVED,
                    18,
                    {"days": 20, "reason": "申请公开的信息数量较大，需要调取多年档案"},
                )
            ],
        ),
        Sample(
            "consultation_third_party",
            LetterKind.CONSULTATION_THIRD_PARTY,
            [(EventKind.CONSULTATION_SENT, 5, third_party)],
            description=project,
        ),
        Sample(
            "consultation_agency",
            LetterKind.CONSULTATION_AGENCY,
            [(EventKind.CONSULTATION_SENT, 5, co_agency)],
            description=project,
        ),
        Sample(
            "consultation_notice",
            LetterKind.CONSULTATION_NOTICE,
            [(EventKind.CONSULTATION_SENT, 5, third_party)],
            description=project,
        ),
        Sample(
            "third_party_override",
            LetterKind.THIRD_PARTY_OVERRIDE,
            [
                (EventKind.CONSULTATION_SENT, 5, third_party),
                (
                    EventKind.CONSULTATION_CLOSED,
                    15,
                    {"ref": "c1", "result": "不同意公开，认为涉及本公司的商业秘密"},
                ),
                (
                    EventKind.REPLIED,
                    18,
                    {
                        "outcome": Outcome.GRANTED,
                        "basis": "该项目的环境影响评价结论关系周边居民的健康和安全，"
                        "不公开可能对公共利益造成重大影响",
                        "documents": "",
                    },
                ),
            ],
            description=project,
            outcome=Outcome.GRANTED,
        ),
        Sample("fee_notice", LetterKind.FEE_NOTICE, [(EventKind.FEE_NOTICE_SENT, 3, fee)]),
    ]
    for key in REPLIES:
        outcome = _WORDING_OUTCOME.get(key, key)
        facts = {"basis": "", "documents": ""} | _reply_facts(key, year, abbr)
        steps: list[tuple[str, int, dict[str, Any]]] = []
        if outcome == Outcome.UNABLE_UNCLEAR_AFTER_CORRECTION:
            steps = [
                (EventKind.CORRECTION_REQUESTED, 2, correction),
                (EventKind.CORRECTION_RECEIVED, 6, {}),
            ]
        steps.append((EventKind.REPLIED, 15, {"outcome": outcome, **facts}))
        samples.append(Sample(f"reply-{key}", LetterKind.REPLY, steps, outcome=outcome))
    for outcome in ABANDONMENT:
        lapsed = (
            (EventKind.CORRECTION_REQUESTED, 2, correction)
            if outcome == Outcome.OTHER_OVERDUE_CORRECTION
            else (EventKind.FEE_NOTICE_SENT, 3, fee)
        )
        samples.append(
            Sample(
                f"abandonment-{outcome}",
                LetterKind.ABANDONMENT,
                [lapsed, (EventKind.CLOSED_UNANSWERED, 30, {"outcome": outcome})],
                outcome=outcome,
            )
        )
    samples += [
        Sample(
            "withdrawal",
            LetterKind.WITHDRAWAL,
            [(EventKind.WITHDRAWN, 4, {})],
            outcome=Outcome.OTHER_MISC,
        ),
        Sample(
            "delivery_record",
            LetterKind.DELIVERY_RECORD,
            [
                (
                    EventKind.REPLIED,
                    15,
                    {"outcome": Outcome.GRANTED, "basis": "", "documents": "《2025年度部门预算》"},
                )
            ],
            outcome=Outcome.GRANTED,
            issued_letter=True,
        ),
    ]
    return samples


@dataclass(frozen=True)
class Specimen:
    name: str
    kind: str
    outcome: str | None
    number: str
    issued_on: date
    composed: letters.Composed

    def letter(self, agency: Agency) -> Letter:
        """An unsaved, issued-looking letter for letter_files (never saved)."""
        return Letter(
            application=Application(agency=agency),
            kind=self.kind,
            title=self.composed.title,
            recipient=self.composed.recipient,
            body=self.composed.body,
            status=LetterStatus.ISSUED,
            doc_no=self.number,
            issued_on=self.issued_on,
        )

    def text(self, agency: Agency) -> str:
        """The letter's full plain text, in the order of the page (GB/T 9704): 文号,
        title, body, the agency's name and the date."""
        return "\n".join(
            (
                self.number,
                self.composed.title,
                self.composed.body,
                agency.name,
                letter_files.chinese_date(self.issued_on),
            )
        )


def sample_number(agency: Agency, kind: str, year: int) -> str:
    """The 文号 a first letter of `kind` would get, without touching the sequence (a
    preview for an agency without its 机关代字 shows a gap where it goes)."""
    code, _scope = letters.series(agency, kind, year)
    if not agency.doc_abbr:
        return f"____{code}〔{year}〕1号"
    return letters.format_doc_no(agency, code, year, 1)


def _workday(start: date, days: int) -> date:
    """A sample date `days` working days (Monday–Friday) after `start`."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def _compose(agency: Agency, sample: Sample, year: int) -> Specimen:
    received = date(year, 3, 2)
    while received.weekday() >= 5:
        received += timedelta(days=1)
    with transaction.atomic():
        application = Application.objects.create(
            agency=agency,
            number=settings.FOI_NUMBER_FORMAT.format(agency_code=agency.code, year=year, seq=0),
            year=year,
            seq=0,  # real numbers start at 1: a sample can never meet one
            channel=Channel.ONLINE,
            submitted_on=received,
            received_on=received,
            applicant_type=ApplicantType.NATURAL_PERSON,
            applicant_name="张某某",
            phone="13800000000",
            email="zhang@example.com",
            address="县人民路8号",
            postcode="100000",
            description=sample.description,
            provision_form=ProvisionForm.ELECTRONIC,
            delivery=Delivery.POST,
            outcome=sample.outcome,
        )
        application.events.create(
            kind=EventKind.RECEIVED,
            on=received,
            data={"channel": Channel.ONLINE, "oral": False, "attachments": 0},
        )
        on = received
        for kind, offset, data in sample.steps:
            on = _workday(received, offset)
            if kind == EventKind.CORRECTION_REQUESTED:
                data = data | {"until": _workday(on, 10).isoformat()}
            application.events.create(kind=kind, on=on, data=data)
        if sample.issued_letter:
            delivered = REPLIES[Outcome.GRANTED]
            application.letters.create(
                kind=LetterKind.REPLY,
                title=delivered.title,
                recipient=application.applicant_name,
                body="—",
                status=LetterStatus.ISSUED,
                doc_no=sample_number(agency, LetterKind.REPLY, year),
                issued_on=on,
            )
        composed = letters.compose(application, sample.kind)
        transaction.set_rollback(True)
    closes = sample.kind in (LetterKind.REPLY, LetterKind.ABANDONMENT, LetterKind.WITHDRAWAL)
    return Specimen(
        sample.name,
        sample.kind,
        composed.outcome if closes else None,
        sample_number(agency, sample.kind, year),
        on,
        composed,
    )


def specimens(agency: Agency, year: int) -> list[Specimen]:
    """Every specimen's text, composed in savepoints that are all rolled back."""
    abbr = agency.doc_abbr
    with transaction.atomic():
        made = [_compose(agency, sample, year) for sample in _samples(year, abbr)]
        transaction.set_rollback(True)
    return made


def specimen(agency: Agency, name: str, year: int) -> Specimen:
    """One specimen by name (the back office's preview of a template), rolled back like
    specimens(). Raises KeyError for a name no specimen has."""
    found = {sample.name: sample for sample in _samples(year, agency.doc_abbr or "____")}
    with transaction.atomic():
        made = _compose(agency, found[name], year)
        transaction.set_rollback(True)
    return made


class Command(BaseCommand):
    help = "Write a specimen (样张) of every letter as DOCX and PDF, with index.json."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", required=True, help="The agency's code.")
        parser.add_argument("--output", required=True, type=Path, help="The folder to write.")
        parser.add_argument("--year", type=int, help="The year of the sample (default: this year).")

    def handle(self, *args: Any, **options: Any) -> None:
        code: str = options["agency"]
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise CommandError(_("No agency has the code %(code)s.") % {"code": code})
        if not agency.doc_abbr:
            raise CommandError(
                _(
                    "%(agency)s has no agency abbreviation (机关代字) for the document number "
                    "yet: set it on the agency's page, under “Letters and remedies”."
                )
                % {"agency": agency.name}
            )
        output = Path(options["output"])
        try:
            output.mkdir(parents=True, exist_ok=True)
            probe = output / ".letter_specimens"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise CommandError(
                _("The folder %(path)s cannot be written: %(error)s")
                % {"path": output, "error": exc.strerror or exc}
            ) from exc
        year = options["year"] or timezone.localdate().year
        index = []
        for specimen in specimens(agency, year):
            letter = specimen.letter(agency)
            if specimen.kind in letters.WITH_REMEDY:
                outcome = specimen.outcome or ""
                for problem in remedy.clause_problems(letter.body, agency, outcome):
                    self.stderr.write(f"{specimen.name}: {problem}")
            (output / f"{specimen.name}.docx").write_bytes(letter_files.render_docx(letter))
            (output / f"{specimen.name}.pdf").write_bytes(letter_files.render_pdf(letter))
            index.append(
                {
                    "name": specimen.name,
                    "kind": specimen.kind,
                    "outcome": specimen.outcome,
                    "number": specimen.number,
                    "text": specimen.text(agency),
                }
            )
        (output / "index.json").write_text(
            json.dumps(index, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        self.stdout.write(
            _("%(count)d specimens written to %(path)s.") % {"count": len(index), "path": output}
        )
