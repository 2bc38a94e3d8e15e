"""Demo annual reports for the county's education bureau (used by seed_demo).

Requests received in the two years before this one are handled through the real actions;
then the report of two years ago is approved and published, last year's is started as a
draft, and the year before those holds figures entered by hand from a published report —
so the portal's column, the cross-year checks and the trend chart all have something to
show.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gongkai.annual import actions as annual_actions
from gongkai.annual.models import AnnualReport
from gongkai.annual.report import build
from gongkai.foi import actions
from gongkai.foi.demo import _fields
from gongkai.foi.receipt import Channel
from gongkai.lib.report_keys import ApplicantType, Outcome
from gongkai.orgs.models import Agency, User
from gongkai.publishing.models import DecisionFigures
from gongkai.publishing.register import FIGURE_FIELDS, save_figures

# (month, day received, days to reply, outcome or None for open/withdrawn)
HISTORY = [
    (1, 8, 12, Outcome.GRANTED),
    (2, 20, 15, Outcome.GRANTED),
    (3, 11, 18, Outcome.PARTIALLY_GRANTED),
    (4, 2, 9, Outcome.UNABLE_NOT_HELD),
    (5, 16, 20, Outcome.DENIED_PROCESS_INFO),
    (6, 3, 6, Outcome.NP_REPEATED),
    (7, 21, 14, Outcome.GRANTED),
    (9, 9, 16, Outcome.UNABLE_UNCLEAR_AFTER_CORRECTION),
    (10, 28, 0, None),  # withdrawn on the day
    (11, 14, 11, Outcome.GRANTED),
    (12, 24, 0, "open"),  # still open at the year's end
]
PROBLEMS = {
    2: (
        "一是政策解读形式较为单一，图解、视频解读较少；二是依申请公开答复文书的说理有待加强。"
        "下一步，我局将丰富解读形式，规范答复文书，加强业务培训。"
    ),
    1: (
        "一是部分栏目更新不够及时，基层学校信息公开的指导有待加强；二是依申请公开的办理"
        "时限管理仍需细化。下一步，我局将建立栏目更新提醒机制，开展学校信息公开专项检查。"
    ),
}


@transaction.atomic
def create() -> int:
    agency = Agency.objects.get(code="qsx-jyj")
    if AnnualReport.objects.filter(agency=agency).exists():
        return 0
    officer = User.objects.get(username="jyj_jbr")
    head = User.objects.get(username="jyj_fzr")
    this_year = timezone.localdate().year
    for offset in (2, 1):
        year = this_year - offset
        for i, (month, day, days, outcome) in enumerate(HISTORY):
            received = date(year, month, day)
            application = actions.submit_application(
                agency, _fields(i), channel=Channel.ONLINE, submitted_on=received, actor=officer
            ).application
            if outcome is None:
                actions.withdraw(application, actor=officer, on=received, note="申请人撤回")
            elif outcome == "open" and offset == 2:
                actions.reply(  # the history of past years, recorded as an import
                    application,
                    actor=None,
                    imported=True,
                    on=date(year + 1, 1, 10),
                    outcome=Outcome.GRANTED,
                    basis="条例第三十六条第（二）项",
                )
            elif outcome != "open":
                actions.reply(
                    application,
                    actor=None,
                    imported=True,
                    on=received + timedelta(days=days),
                    outcome=outcome,
                    basis="条例第三十六条",
                )
    # The figures of table 二 the records cannot give: those not entered are confirmed as 0.
    for year in (this_year - 2, this_year - 1):
        entered = DecisionFigures.objects.filter(agency=agency, year=year).first()
        save_figures(
            agency,
            year,
            actor=officer,
            **{
                name: Decimal(0) if name == "fee_amount" else 0
                for name in FIGURE_FIELDS.values()
                if entered is None or getattr(entered, name) is None
            },
        )
    # Two years ago: approved and published; last year: a draft to finish.
    published = annual_actions.open_report(agency, this_year - 2, actor=officer)
    annual_actions.save_text(
        published,
        actor=officer,
        overview=published.overview,
        problems=PROBLEMS[2],
        other=published.other,
    )
    annual_actions.approve(published, actor=head)
    annual_actions.publish(published, actor=head)
    draft = annual_actions.open_report(agency, this_year - 1, actor=officer)
    annual_actions.save_text(
        draft, actor=officer, overview=draft.overview, problems=PROBLEMS[1], other=draft.other
    )
    # Three years ago, before the bureau used the system: figures from its published report.
    earlier = annual_actions.open_report(agency, this_year - 3, actor=officer)
    tables = build(agency, this_year - 3).as_json()["tables"]
    t3 = tables["t3_applications"]
    person = ApplicantType.NATURAL_PERSON
    for row, value in (
        ("new_received", 9),
        (Outcome.GRANTED, 6),
        (Outcome.PARTIALLY_GRANTED, 2),
        (Outcome.UNABLE_NOT_HELD, 1),
        ("total_processed", 9),
    ):
        t3[row][person] = t3[row]["total"] = value
    annual_actions.enter_figures(
        earlier,
        tables,
        actor=officer,
        reason=f"录入{this_year - 3}年已在政府网站公开的年度报告",
    )
    annual_actions.save_text(
        earlier,
        actor=officer,
        overview=f"{this_year - 3}年，我局认真贯彻落实《中华人民共和国政府信息公开条例》。",
        problems="政策解读的针对性有待提高。",
        other="",
    )
    annual_actions.approve(earlier, actor=head)
    annual_actions.publish(earlier, actor=head)
    return AnnualReport.objects.filter(agency=agency).count()
