"""Demo applications in every state, dated relative to today (used by seed_demo)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.foi import actions, delivery, letters
from gongkai.foi.models import Application, DeliveryMethod, Letter, LetterDelivery
from gongkai.foi.receipt import Channel
from gongkai.lib.report_keys import ApplicantType, Outcome
from gongkai.orgs.demo import credit_code
from gongkai.orgs.models import Agency, User

PEOPLE = [
    (
        ApplicantType.NATURAL_PERSON,
        "王小明",
        "resident_id",
        "11010519491231002X",
        "13900000001",
        "wangxm@example.com",
    ),
    (
        ApplicantType.NATURAL_PERSON,
        "李红",
        "resident_id",
        "110101199003076254",
        "13900000002",
        "lihong@example.com",
    ),
    (
        ApplicantType.COMMERCIAL_ENTERPRISE,
        "青山县兴农农业开发有限公司",
        "",
        "",
        "0000-88120101",
        "xingnong@example.com",
    ),
    (ApplicantType.NATURAL_PERSON, "赵强", "resident_id", "110101198506154318", "13900000004", ""),
]
REQUESTS = [
    "青山县2025年义务教育阶段学校布局调整方案",
    "城关镇第二小学扩建项目的立项批复及预算",
    "2025年度县教育局部门决算及“三公”经费支出明细",
    "我村小学撤并的听证会记录",
]


def _fields(i: int) -> dict[str, str]:
    kind, name, id_type, id_number, phone, email = PEOPLE[i % len(PEOPLE)]
    fields = {
        "applicant_type": kind,
        "applicant_name": name,
        "id_type": id_type,
        "id_number": id_number,
        "phone": phone,
        "email": email,
        "address": "青山县人民路 100 号",
        "description": REQUESTS[i % len(REQUESTS)],
        "provision_form": "electronic",
        "delivery": "email" if email else "post",
    }
    if kind != ApplicantType.NATURAL_PERSON:
        fields |= {"credit_code": credit_code(900), "contact_person": "孙经理"}
    return fields


@transaction.atomic
def create() -> int:
    agency = Agency.objects.get(code="qsx-jyj")
    if Application.objects.filter(agency=agency).exists():
        return 0
    officer = User.objects.get(username="jyj_jbr")
    head = User.objects.get(username="jyj_fzr")
    today = timezone.localdate()

    def new(i: int, days_ago: int, channel: str = Channel.ONLINE) -> Application:
        on = today - timedelta(days=days_ago)
        return actions.submit_application(
            agency,
            _fields(i),
            channel=channel,
            submitted_on=on,
            signed_on=on if channel == Channel.POST_SIGNED else None,
            actor=officer,
        ).application

    def issue(application: Application, kind: str, days_ago: int) -> Letter:
        """A letter of a past step: drafted, approved by the head, issued on its date."""
        letter = letters.draft_letter(application, actor=officer, kind=kind)
        letters.approve_letter(letter, actor=head)
        return letters.issue_letter(letter, actor=officer, on=today - timedelta(days=days_ago))

    def answer(application: Application, days_ago: int, outcome: str, **facts: Any) -> Letter:
        """The reply: the outcome drafts the decision letter; issuing it closes the case."""
        basis, documents = facts.pop("basis", ""), facts.pop("documents", "")
        letter = letters.draft_reply(
            application,
            actor=officer,
            outcome=outcome,
            basis=basis,
            documents=documents,
            facts=facts,
        )
        letters.approve_letter(letter, actor=head)
        return letters.issue_letter(letter, actor=officer, on=today - timedelta(days=days_ago))

    def posted(letter: Letter, days_ago: int, signed_days_ago: int, number: str) -> None:
        delivery.record_delivery(
            letter,
            actor=officer,
            method="post",
            delivered_on=today - timedelta(days=days_ago),
            received_on=today - timedelta(days=signed_days_ago),
            tracking_number=number,
            note="挂号信，回执已归档",
        )

    new(0, 2)  # just received
    assigned = new(1, 6, Channel.POST_SIGNED)
    actions.assign(assigned, actor=head, handler=officer, on=today - timedelta(days=5))
    correction = new(3, 9, Channel.IN_PERSON)
    actions.request_correction(
        correction,
        actor=officer,
        on=today - timedelta(days=8),
        items=["请写明所需信息的名称或文号", "请说明需要的年份"],
        until=today + timedelta(days=10),
    )
    posted(issue(correction, "correction", 8), 8, 6, "1151208800012")
    consulting = new(2, 12)
    actions.send_consultation(
        consulting,
        actor=officer,
        on=today - timedelta(days=7),
        party="third_party",
        recipient="青山县某建筑工程有限公司",
    )
    consultation = issue(consulting, "consultation_third_party", 7)
    delivery.record_delivery(
        consultation,
        actor=officer,
        method="in_person",
        delivered_on=today - timedelta(days=7),
        note="由该公司办公室工作人员签收",
    )
    issue(consulting, "consultation_notice", 7)  # e-mailed to the applicant
    extended = new(0, 26)
    actions.approve_extension(
        extended,
        actor=head,
        on=today - timedelta(days=4),
        days=15,
        reason="涉及档案较多，需要调阅整理",
    )
    issue(extended, "extension", 4)  # e-mailed to the applicant
    overdue = new(1, 45)
    actions.assign(overdue, actor=head, handler=officer, on=today - timedelta(days=44))
    granted = new(2, 30)
    answer(
        granted,
        12,
        Outcome.GRANTED,
        basis="条例第三十六条第（二）项",
        documents="青山县教育局2025年度部门决算及“三公”经费支出明细表",
    )
    partial = new(1, 28)
    answer(
        partial,
        10,
        Outcome.PARTIALLY_GRANTED,
        documents="城关镇第二小学扩建项目立项批复（已删除个人信息）",
        withheld=[
            {
                "part": "立项批复附件3中被征收户的姓名和身份证号码",
                "reason": "属于个人隐私，公开会对第三方合法权益造成损害",
                "basis": "条例第十五条",
            },
            {
                "part": "附件5《扩建方案（征求意见稿）》",
                "reason": "属于行政机关在履行行政管理职能过程中形成的过程性信息",
                "basis": "条例第十六条第二款",
            },
        ],
    )
    denied = new(3, 35)
    posted(
        answer(
            denied,
            15,
            Outcome.DENIED_PROCESS_INFO,
            basis="属于讨论记录，依据条例第十六条第二款不予公开",
        ),
        14,
        12,
        "1151208800029",
    )
    return Application.objects.filter(agency=agency).count()


def date_emails() -> None:
    """The demo's history is written today, its letters e-mailed after the commit: they
    count as sent on each letter's date (run after create)."""
    for sent in LetterDelivery.objects.filter(
        method=DeliveryMethod.EMAIL, letter__application__agency__code="qsx-jyj"
    ).select_related("letter"):
        sent.delivered_on = sent.received_on = sent.letter.issued_on
        sent.note = f"已于{sent.delivered_on}发送至{sent.address}。"
        sent.save(update_fields=["delivered_on", "received_on", "note"])
