"""The demo's self-evaluations: the default indicator system, last year's evaluation of
every department and township of the demo county (scored from the demo records, some
indicators weak), and the 教育局's approved and submitted; the supervisor 周文 (zwgk_jd) has
reviewed one of its scores and issued two rectification tasks — one to the 教育局 on its
weakest indicator, past its deadline, so both home pages show it, one to the 林业局."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from gongkai.evaluation import actions, rectification, results
from gongkai.evaluation.defaults import load_default
from gongkai.evaluation.models import EvaluationStatus, Rectification, SelfEvaluation
from gongkai.orgs.models import Agency, User

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


def _user(name: str) -> User | None:
    return User.objects.filter(username=name).first() if name else None


def create() -> int:
    """Once: the evaluations of last year."""
    county = Agency.objects.filter(code="qsx").first()
    if county is None:
        return 0
    system = load_default()
    year = timezone.localdate().year - 1
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
