"""Each computed measure against hand-made records; its drill-down is its value."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from gongkai.annual.models import AnnualReport, ReportStatus, Revision
from gongkai.evaluation import measures
from gongkai.evaluation.measures import Count, Period
from gongkai.foi.models import Event, EventKind, Letter, LetterKind, LetterStatus, Remedy, Status
from gongkai.lib.report_keys import RemedyResult
from gongkai.publishing.models import Interpretation, ItemStatus, ReviewRecord
from gongkai.records.models import (
    Consultation,
    Message,
    Proposal,
    RecordSettings,
    Training,
)
from tests.evaluation.conftest import TZ, application, at, category, item

YEAR = Period.year(2025)
pytestmark = pytest.mark.usefixtures("year_2025")


def check(key, cast, expected: Count, bad_rows):
    """The grouped value for A (B's rows never count) and the drill-down's rows."""
    got = measures.values([key], [cast.a.pk, cast.b.pk], YEAR)[key]
    assert got.get(cast.a.pk, Count()) == expected
    drilled = measures.drilldown(key, [cast.a.pk], YEAR)
    assert sorted(r.pk for r in drilled) == sorted(r.pk for r in bad_rows)
    assert drilled.count() == expected.bad
    assert measures.drilldown(key, [cast.a.pk], YEAR, bad_only=False).count() == expected.total


def test_proactive_timeliness_counts_late_and_overdue_items(cast):
    on_time = item(cast.a, published=date(2025, 3, 1))
    late = item(cast.a, published=date(2025, 4, 1), late=True)
    overdue = item(cast.a, publish_due_on=date(2025, 6, 1))  # never published
    item(cast.a, publish_due_on=date(2026, 6, 1))  # not yet due
    item(cast.a, published=date(2024, 3, 1), late=True)  # another year
    item(cast.b, published=date(2025, 3, 1), late=True)
    check("proactive_timeliness", cast, Count(3, 2), [late, overdue])
    assert on_time.pk
    assert Count(3, 2).value("rate") == Decimal("33.3")


def test_metadata_counts_items_without_summary_or_topic(cast):
    item(cast.a, published=date(2025, 3, 1))
    bare = item(cast.a, published=date(2025, 3, 2), summary="")
    untopiced = item(cast.a, published=date(2025, 3, 3), topic="")
    check("metadata_complete", cast, Count(3, 2), [bare, untopiced])


def test_categories_without_a_recent_publication_are_stale(cast):
    fresh, stale, empty = category(cast.a), category(cast.a), category(cast.a)
    item(cast.a, published=date(2025, 11, 1), cat=fresh)
    item(cast.a, published=date(2025, 2, 1), cat=stale)  # more than 6 months before year end
    check("categories_updated", cast, Count(3, 2), [stale, empty])


def test_review_recorded(cast):
    reviewed = item(cast.a, published=date(2025, 3, 1))
    ReviewRecord.objects.create(
        item=reviewed, round=1, stage_order=1, stage_name="初审", reviewer=cast.reviewer_a,
        decision="approve",
    )  # fmt: skip
    unreviewed = item(cast.a, published=date(2025, 3, 2))
    check("review_recorded", cast, Count(2, 1), [unreviewed])


def test_interpretation_coverage_and_timeliness(cast):
    explained = item(cast.a, published=date(2025, 3, 1), needs_interpretation=True)
    missing = item(cast.a, published=date(2025, 3, 2), needs_interpretation=True)
    item(cast.a, published=date(2025, 3, 3))  # needs none
    on_time = Interpretation.objects.create(
        document=explained, form="text", title="解读", published_on=date(2025, 3, 1)
    )
    late = Interpretation.objects.create(
        document=explained, form="graphic", title="图解", published_on=date(2025, 3, 20), late=True
    )
    check("interpretation_coverage", cast, Count(2, 1), [missing])
    check("interpretation_timeliness", cast, Count(2, 1), [late])
    assert on_time.pk


def test_request_timeliness_counts_late_replies_and_overdue_open_cases(cast):
    on_time = application(cast.a, date(2025, 3, 1), status=Status.CLOSED,
                          closed_on=date(2025, 3, 20), outcome="granted")  # fmt: skip
    late = application(cast.a, date(2025, 4, 1), status=Status.CLOSED,
                       closed_on=date(2025, 6, 1), outcome="granted", replied_late=True)  # fmt: skip
    overdue = application(cast.a, date(2025, 11, 1), due_on=date(2025, 12, 1))
    application(cast.a, date(2025, 12, 20), due_on=date(2026, 3, 1))  # not yet due
    check("request_timeliness", cast, Count(3, 2), [late, overdue])
    assert on_time.pk


def test_correction_notice_late_by_its_mark(cast):
    case = application(cast.a, date(2025, 3, 3))
    Event.objects.create(application=case, kind=EventKind.CORRECTION_REQUESTED, on=date(2025, 3, 5))
    other = application(cast.a, date(2025, 4, 1))
    late = Event.objects.create(
        application=other, kind=EventKind.CORRECTION_REQUESTED, on=date(2025, 4, 20),
        data={"late": {"article": "第三十条", "due": "2025-04-10", "rule": "correction_notice"}},
    )  # fmt: skip
    check("correction_timeliness", cast, Count(2, 1), [late])


def test_remedy_clause_in_issued_decision_letters(cast):
    case = application(cast.a, date(2025, 3, 3))
    clause = "如对本答复不服，可以自收到本答复书之日起六十日内向测试县人民政府申请行政复议。"
    Letter.objects.create(application=case, kind=LetterKind.REPLY, title="答复书", recipient="测试",
                          body="答复。" + clause, status=LetterStatus.ISSUED,
                          issued_on=date(2025, 3, 20))  # fmt: skip
    bare = Letter.objects.create(application=case, kind=LetterKind.REPLY, title="答复书",
                                 recipient="测试", body="答复。", status=LetterStatus.ISSUED,
                                 issued_on=date(2025, 3, 21))  # fmt: skip
    Letter.objects.create(application=case, kind=LetterKind.REPLY, title="答复书", recipient="测试",
                          body="草稿", status=LetterStatus.DRAFT)  # fmt: skip
    check("remedy_clause", cast, Count(2, 1), [bare])


def test_remedies_corrected(cast):
    case = application(cast.a, date(2025, 3, 3))
    Remedy.objects.create(application=case, kind="administrative_review", body="县政府",
                          filed_on=date(2025, 4, 1), decided_on=date(2025, 6, 1),
                          result=RemedyResult.UPHELD)  # fmt: skip
    corrected = Remedy.objects.create(application=case, kind="litigation_direct", body="法院",
                                      filed_on=date(2025, 4, 1), decided_on=date(2025, 9, 1),
                                      result=RemedyResult.CORRECTED)  # fmt: skip
    check("remedies_upheld", cast, Count(2, 1), [corrected])


def _report(agency, year, published: date | None, findings=()):
    report = AnnualReport.objects.create(agency=agency, year=year, status=ReportStatus.PUBLISHED)
    Revision.objects.create(
        report=report, number=1, format="2021", source="computed", tables={},
        findings=list(findings), approved_by=agency_user(), approved_at=at(date(2025, 1, 10)),
        published_at=at(published) if published else None,
    )  # fmt: skip
    return report


def agency_user():
    from gongkai.orgs.models import User

    return User.objects.get(username="head_a")


def test_annual_report_measures(cast):
    # A department's 2024 report is due by 31 January 2025; B's came late and copied.
    _report(cast.a, 2024, date(2025, 1, 20))
    _report(
        cast.b, 2024, date(2025, 2, 20), findings=[{"id": "TEXT-REPEATED", "severity": "warning"}]
    )
    got = measures.values(
        ["annual_report_on_time", "annual_report_balanced", "annual_report_not_copied"],
        [cast.a.pk, cast.b.pk, cast.a_unit.pk],
        YEAR,
    )
    assert got["annual_report_on_time"] == {cast.a.pk: Count(1, 0), cast.b.pk: Count(1, 1),
                                            cast.a_unit.pk: Count(1, 1)}  # fmt: skip
    assert got["annual_report_balanced"][cast.a.pk] == Count(1, 0)
    assert got["annual_report_balanced"][cast.a_unit.pk] == Count(1, 1)  # no report at all
    assert got["annual_report_not_copied"][cast.b.pk] == Count(1, 1)
    assert got["annual_report_not_copied"][cast.a.pk] == Count(1, 0)
    assert [
        a.pk for a in measures.drilldown("annual_report_on_time", [cast.a.pk, cast.b.pk], YEAR)
    ] == [cast.b.pk]
    assert measures.annual_reports([cast.b.pk], YEAR).get().year == 2024


def _consultation(agency, opens, closes, **fields):
    return Consultation.objects.create(
        agency=agency, kind="normative", title="征求意见", draft="草案", explanation="说明",
        opens_on=opens, closes_on=closes, published_at=at(opens), **fields,
    )  # fmt: skip


def test_consultation_period_and_feedback(cast):
    full = _consultation(cast.a, date(2025, 3, 1), date(2025, 4, 1),
                         feedback="采纳", feedback_published_at=at(date(2025, 4, 10)))  # fmt: skip
    short = _consultation(cast.a, date(2025, 5, 1), date(2025, 5, 5), short_period_reason="紧急")
    check("consultation_period", cast, Count(2, 1), [short])
    check("consultation_feedback", cast, Count(2, 1), [short])
    assert full.pk


def test_proposal_replies_published(cast):
    def proposal(**fields):
        return Proposal.objects.create(agency=cast.a, kind="npc", number="1", title="建议",
                                       handling="lead", received_on=date(2025, 3, 1), **fields)  # fmt: skip

    proposal(answered_on=date(2025, 5, 1), published_on=date(2025, 5, 10))
    unpublished = proposal(answered_on=date(2025, 6, 1))
    proposal(answered_on=date(2025, 6, 1), disclosure="not_public", not_public_reason="涉密")
    check("proposal_published", cast, Count(2, 1), [unpublished])


def test_hotline_messages_against_each_agencys_limit(cast):
    RecordSettings.objects.create(agency=cast.a, message_reply_days=5)

    def message(received, answered, agency=cast.a):
        return Message.objects.create(
            agency=agency, channel="hotline", number=f"M{Message.objects.count()}",
            received_at=received, answered_at=answered, category="consultation", subject="诉求",
            status="closed" if answered else "open",
        )  # fmt: skip

    start = datetime(2025, 3, 1, 9, tzinfo=TZ)
    message(start, start + timedelta(days=4))
    late = message(start, start + timedelta(days=6))
    unanswered = message(start, None)
    message(start, start + timedelta(days=6), agency=cast.b)  # within B's default 15 days
    check("hotline_on_time", cast, Count(3, 2), [late, unanswered])
    assert measures.values(["hotline_on_time"], [cast.b.pk], YEAR)["hotline_on_time"][
        cast.b.pk
    ] == Count(1, 0)


def test_meetings_and_training_are_counted(cast):
    for day in (date(2025, 3, 1), date(2025, 9, 1)):
        Training.objects.create(agency=cast.a, kind="meeting", held_on=day, title="专题会议")
    Training.objects.create(agency=cast.a, kind="training", held_on=date(2025, 5, 1), title="培训")
    got = measures.values(["meetings_held", "trainings_held"], [cast.a.pk], YEAR)
    assert got["meetings_held"][cast.a.pk] == Count(2, 0)
    assert got["meetings_held"][cast.a.pk].value("count") == 2
    assert got["trainings_held"][cast.a.pk] == Count(1, 0)


def test_a_subtree_sums_its_agencies(cast):
    item(cast.a, published=date(2025, 3, 1), late=True)
    item(cast.a_unit, published=date(2025, 3, 1))
    ids = [cast.a.pk, cast.a_unit.pk]
    per = measures.values(["proactive_timeliness"], ids, YEAR)["proactive_timeliness"]
    assert measures.rollup(per, ids) == Count(2, 1)


def test_an_unpublished_item_of_a_running_year_is_not_yet_late(cast, time_machine):
    time_machine.move_to(datetime(2025, 6, 1, 9, tzinfo=TZ))
    item(cast.a, publish_due_on=date(2025, 6, 1), status=ItemStatus.IN_REVIEW)
    assert (
        measures.values(["proactive_timeliness"], [cast.a.pk], YEAR)["proactive_timeliness"] == {}
    )


def test_proposal_replies_published_within_twenty_working_days(cast, settings):
    def proposal(answered, published=None, **fields):
        return Proposal.objects.create(agency=cast.a, kind="cppcc", number="2", title="提案",
                                       handling="lead", received_on=date(2025, 3, 1),
                                       answered_on=answered, published_on=published, **fields)  # fmt: skip

    # Answered Tuesday 3 June 2025: 20 working days end on Tuesday 1 July.
    proposal(date(2025, 6, 3), date(2025, 7, 1))
    late = proposal(date(2025, 6, 3), date(2025, 7, 2))
    never = proposal(date(2025, 11, 3))  # due early December, still unpublished
    proposal(date(2025, 12, 22))  # due in January: not late yet at the year's end
    proposal(date(2025, 6, 3), disclosure="not_public", not_public_reason="涉密")
    check("proposal_timeliness", cast, Count(4, 2), [late, never])
    settings.EVALUATION_PROPOSAL_PUBLICATION_DAYS = 21
    check("proposal_timeliness", cast, Count(4, 1), [never])
