"""The demo's self-evaluations: the default indicator system, last year's evaluation of
every department and township of the demo county (scored from the demo records, some
indicators weak), and the 教育局's approved and submitted; the supervisor 周文 (zwgk_jd) has
reviewed one of its scores and issued two rectification tasks — one to the 教育局 on its
weakest indicator, past its deadline, so both home pages show it, one to the 林业局.

For the supervisor's board (zwgk_jd, 统计) every department and township also gets a
year of records last year — catalog items over the months with their review, hotline
messages, meetings and training, a few requests — with some agencies deliberately weak
(late publications, missing summaries, late replies, no meetings), so that the ranking,
the weak cells and the monthly charts show something to read."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from gongkai.evaluation import actions, rectification, results
from gongkai.evaluation.defaults import load_default
from gongkai.evaluation.models import EvaluationStatus, Rectification, SelfEvaluation
from gongkai.foi.models import Application, Event, EventKind, Status
from gongkai.orgs.models import Agency, User
from gongkai.publishing.models import Category, InfoItem, ItemStatus, ReviewDecision, ReviewRecord
from gongkai.records.models import Message, Training, TrainingKind

# agency code → (officer, office head) user names, where the demo has them
STAFF = {"qsx-jyj": ("jyj_jbr", "jyj_fzr"), "qsx-czj": ("czj_jbr", ""),
         "qsx-lyj": ("lyj_jbr", ""), "qsx-cgz": ("cgz_jbr", "")}  # fmt: skip
# What the agencies say of the evidence items: (score share, note). The weak ones are weak.
EVIDENCE = {
    "leading_group": (Decimal(1), "根据人事变动调整了政务公开工作领导小组，领导小组下设办公室，与单位办公室合署办公，明确了责任股室。"),
    "rules": (Decimal(1), "修订完善了政府信息主动公开、依申请公开和保密审查制度。"),
    "bulletin": (Decimal("0.5"), "在办事大厅设置政务公开栏，按季度更新。"),
}  # fmt: skip
WEAK = {"qsx-lyj": {"bulletin"}, "qsx-cgz": {"rules", "bulletin"}}


# The board's weak spots, by agency code: (late publications, items without a summary,
# late replies to requests, hotline messages answered late, meetings held).
BOARD = {
    "qsx-lyj": (3, 1, 1, 2, 0),
    "qsx-cgz": (2, 2, 0, 3, 1),
    "qsx-scjgj": (1, 0, 1, 0, 2),
    "qsx-dhx": (0, 3, 0, 1, 0),
    "qsx-zjj": (1, 0, 0, 0, 2),
}
USUAL = (0, 0, 0, 0, 2)
MARK = "DEMO-BOARD"


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_default_timezone())


def board_records(county: Agency, year: int) -> int:
    """Once: last year's records of every agency below the county (see the docstring)."""
    if InfoItem.objects.filter(index_no__startswith=MARK).exists():
        return 0
    reviewer = _user("zwgk_fzr") or User.objects.filter(is_superuser=True).first()
    made = 0
    agencies = Agency.objects.filter(parent=county).order_by("sort_order", "code")
    for n, agency in enumerate(agencies):
        late, no_summary, late_replies, late_messages, meetings = BOARD.get(agency.code, USUAL)
        category, _created = Category.objects.get_or_create(
            agency=agency, code=f"{agency.code}-gzdt", defaults={"name": "工作动态"}
        )
        items = []
        for i in range(8 + n % 5):
            month = 1 + (i * 5 + n) % 12
            published = date(year, month, 3 + (i * 7 + n) % 24)
            items.append(
                InfoItem(
                    agency=agency, index_no=f"{MARK}-{agency.code}-{i + 1}",
                    title=f"{agency.name}{month}月工作动态（{i + 1}）",
                    summary="" if i < no_summary else f"{agency.name}{month}月工作情况。",
                    topic="综合政务", formed_on=published - timedelta(days=30 if i < late else 3),
                    category=category, status=ItemStatus.PUBLISHED,
                    published_at=_at(published), published_late=i < late,
                )
            )  # fmt: skip
        InfoItem.objects.bulk_create(items)
        if reviewer is not None:
            ReviewRecord.objects.bulk_create(
                ReviewRecord(item=item, round=1, stage_order=1, stage_name="审核",
                             reviewer=reviewer, decision=ReviewDecision.APPROVE)
                for item in InfoItem.objects.filter(index_no__startswith=f"{MARK}-{agency.code}-")
            )  # fmt: skip
        messages = []
        for i in range(6):
            received = _at(date(year, 1 + (i * 2 + n) % 12, 8 + i), 9)
            days = 20 if i < late_messages else 1 + i % 4
            messages.append(
                Message(agency=agency, channel="hotline", number=f"{MARK}-{agency.code}-{i + 1}",
                        received_at=received, answered_at=received + timedelta(days=days),
                        category="consultation", status="closed",
                        subject="咨询政务公开相关事项", answer="已电话答复。")
            )  # fmt: skip
        Message.objects.bulk_create(messages)
        Training.objects.bulk_create(
            [Training(agency=agency, kind=TrainingKind.MEETING, held_on=date(year, 3 + 5 * i, 15),
                      title="专题研究政务公开工作会议") for i in range(meetings)]
            + [Training(agency=agency, kind=TrainingKind.TRAINING, held_on=date(year, 6, 20),
                        title="政务公开业务培训")]
        )  # fmt: skip
        for i in range(2 + n % 3 if late_replies or n % 2 else 0):
            on = date(year, 2 + i * 3, 10)
            app = Application.objects.create(
                agency=agency, number=f"{MARK}-{agency.code}-{i + 1}", year=year, seq=900 + i,
                channel="online", submitted_on=on, received_on=on,
                applicant_type="natural_person", applicant_name="张某", description="申请公开本单位相关文件",
                provision_form="electronic", delivery="email", status=Status.CLOSED,
                closed_on=on + timedelta(days=35 if i < late_replies else 14),
                outcome="granted", replied_late=i < late_replies,
            )  # fmt: skip
            Event.objects.create(application=app, kind=EventKind.RECEIVED, on=on)
        made += 1
    return made


def _user(name: str) -> User | None:
    return User.objects.filter(username=name).first() if name else None


def create() -> int:
    """Once: the evaluations of last year."""
    county = Agency.objects.filter(code="qsx").first()
    if county is None:
        return 0
    system = load_default()
    year = timezone.localdate().year - 1
    board_records(county, year)
    made = 0
    for agency in Agency.objects.filter(parent=county).order_by("sort_order", "code"):
        if SelfEvaluation.objects.filter(agency=agency, year=year).exists():
            continue
        officer, head = (_user(n) for n in STAFF.get(agency.code, ("", "")))
        evaluation = actions.open_evaluation(agency, year, actor=officer, system=system)
        for key, (share, note) in EVIDENCE.items():
            indicator = system.indicators.get(key=key)
            if key in WEAK.get(agency.code, set()):
                actions.save_result(evaluation, indicator, actor=officer, manual_score=0,
                                    note="")  # fmt: skip
                continue
            actions.save_result(evaluation, indicator, actor=officer,
                                manual_score=indicator.weight * share, note=note)  # fmt: skip
            actions.add_evidence(evaluation, indicator, actor=officer, note=note)
        actions.redraft_report(evaluation, actor=officer)
        if head is not None and officer is not None:
            actions.approve(evaluation, actor=head)
            actions.submit(evaluation, actor=officer)
        made += 1
    create_rectifications(year)
    return made


def create_rectifications(year: int) -> int:
    """Once: the supervisor's review of the 教育局's evaluation and two tasks."""
    supervisor = _user("zwgk_jd")
    if supervisor is None or Rectification.objects.exists():
        return 0
    made = 0
    today = timezone.localdate()
    evaluation = SelfEvaluation.objects.filter(
        agency__code="qsx-jyj", year=year, status=EvaluationStatus.SUBMITTED
    ).first()
    if evaluation is not None:
        bulletin = evaluation.system.indicators.filter(key="bulletin").first()
        if bulletin is not None:
            actions.review_result(evaluation, bulletin, actor=supervisor,
                                  reviewed_score=bulletin.weight / 4,
                                  review_note="佐证照片未体现按季度更新，复核扣分。")  # fmt: skip
        leaves = [r for r in results.rows(evaluation) if r.is_leaf and r.max]
        weakest = min(leaves, key=lambda r: r.share, default=None)
        indicator = (
            evaluation.system.indicators.filter(key=weakest.key).first() if weakest else None
        )
        label = indicator.label if indicator else "主动公开"
        rectification.issue(
            evaluation.agency, actor=supervisor, evaluation=evaluation, indicator=indicator,
            finding=f"{year}年度自查自评“{label}”失分较多，请对照指标逐条整改，"
                    "并报送整改情况和佐证材料。",
            deadline=today - timedelta(days=10), on=today - timedelta(days=40),
        )  # fmt: skip
        made += 1
    forestry = SelfEvaluation.objects.filter(agency__code="qsx-lyj", year=year).first()
    if forestry is not None:
        rectification.issue(
            forestry.agency, actor=supervisor, evaluation=forestry, year=year,
            indicator=forestry.system.indicators.filter(key="bulletin").first(),
            finding="办事大厅政务公开栏未按季度更新，请更新并报送现场照片。",
            deadline=today + timedelta(days=20),
        )  # fmt: skip
        made += 1
    return made
