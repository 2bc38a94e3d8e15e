"""Demo applications in every state, dated relative to today (used by seed_demo)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from gongkai.foi import actions
from gongkai.foi.models import Application
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
    consulting = new(2, 12)
    actions.send_consultation(
        consulting,
        actor=officer,
        on=today - timedelta(days=7),
        party="third_party",
        recipient="青山县某建筑工程有限公司",
    )
    extended = new(0, 26)
    actions.approve_extension(
        extended,
        actor=head,
        on=today - timedelta(days=4),
        days=15,
        reason="涉及档案较多，需要调阅整理",
    )
    overdue = new(1, 45)
    actions.assign(overdue, actor=head, handler=officer, on=today - timedelta(days=44))
    granted = new(2, 30)
    actions.reply(
        granted,
        actor=officer,
        on=today - timedelta(days=12),
        outcome=Outcome.GRANTED,
        basis="条例第三十六条第（二）项",
    )
    denied = new(3, 35)
    actions.reply(
        denied,
        actor=officer,
        on=today - timedelta(days=15),
        outcome=Outcome.DENIED_PROCESS_INFO,
        basis="属于讨论记录，依据条例第十六条第二款不予公开",
    )
    return Application.objects.filter(agency=agency).count()
