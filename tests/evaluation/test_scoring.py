"""Scoring rules, the checks of a system, and the default system evaluated in bulk."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gongkai.evaluation import scoring
from gongkai.evaluation.defaults import load_default
from gongkai.evaluation.measures import Count, Period
from gongkai.evaluation.models import (
    Indicator,
    IndicatorResult,
    IndicatorSystem,
    Rule,
    SelfEvaluation,
    SourceKind,
)
from tests.evaluation.conftest import item

pytestmark = pytest.mark.usefixtures("year_2025")


def leaf(rule, params, weight=10, measure="proactive_timeliness", source=SourceKind.COMPUTED):
    return Indicator(key="k", label="测试指标", weight=Decimal(weight), rule=rule,
                     params=params, measure=measure, source=source)  # fmt: skip


RATIO = {"thresholds": [[95, 1], [80, 0.6], [0, 0]]}


@pytest.mark.parametrize(
    ("count", "expected"),
    [(Count(100, 0), "10.00"), (Count(100, 5), "10.00"), (Count(100, 6), "6.00"),
     (Count(100, 20), "6.00"), (Count(100, 21), "0.00"), (Count(0, 0), "10.00")],
)  # fmt: skip
def test_a_ratio_takes_the_share_of_the_first_threshold_reached(count, expected):
    assert scoring.score(leaf(Rule.RATIO, RATIO), count, None)[1] == Decimal(expected)


def test_a_ratio_without_records_can_score_zero():
    rule = leaf(Rule.RATIO, {**RATIO, "when_empty": "zero"})
    assert scoring.score(rule, Count(), None) == (None, Decimal("0.00"))


@pytest.mark.parametrize(("bad", "expected"), [(0, "10.00"), (2, "6.00"), (4, "4.00"), (9, "4.00")])
def test_a_deduction_per_occurrence_stops_at_its_cap(bad, expected):
    rule = leaf(Rule.DEDUCTION, {"per": 2, "cap": 6})
    assert scoring.score(rule, Count(10, bad), None) == (Decimal(bad), Decimal(expected))


def test_a_manual_score_is_kept_within_the_points():
    rule = leaf(Rule.MANUAL, {}, weight=4, source=SourceKind.EVIDENCE, measure="")
    assert scoring.score(rule, None, Decimal("3.5"))[1] == Decimal("3.50")
    assert scoring.score(rule, None, Decimal(9))[1] == Decimal("4.00")
    assert scoring.score(rule, None, None)[1] == Decimal("0.00")


@pytest.mark.parametrize(
    "params",
    [{"thresholds": [[80, 0.6], [95, 1]]}, {"thresholds": [[95, 0.5], [80, 0.6]]},
     {"thresholds": [[95, 1.5]]}, {"thresholds": []}, {"thresholds": [["高", 1]]}],
)  # fmt: skip
def test_thresholds_out_of_order_are_refused_naming_the_indicator(params):
    errors = scoring.rule_problems(leaf(Rule.RATIO, params))
    assert "测试指标" in errors["params"]


def test_a_deduction_cap_above_the_points_is_refused():
    assert (
        "测试指标" in scoring.rule_problems(leaf(Rule.DEDUCTION, {"per": 2, "cap": 20}))["params"]
    )
    assert "测试指标" in scoring.rule_problems(leaf(Rule.DEDUCTION, {"per": 0}))["params"]


def test_an_unknown_measure_is_refused():
    assert "measure" in scoring.rule_problems(leaf(Rule.RATIO, RATIO, measure="nope"))


def test_points_that_do_not_add_up_are_refused(db):
    system = IndicatorSystem.objects.create(name="测", year=2025, total=100)
    top = Indicator.objects.create(system=system, key="top", label="一级指标", weight=60)
    Indicator.objects.create(system=system, key="a", label="甲", weight=30, parent=top,
                             rule=Rule.MANUAL, source=SourceKind.EVIDENCE)  # fmt: skip
    found = scoring.problems(system)
    assert any("一级指标" in p and "30" in p and "60" in p for p in found)
    assert any("100" in p and "60" in p for p in found)


def test_the_default_system_is_consistent_and_covers_section_12(db):
    system = load_default()
    assert scoring.problems(system) == []
    keys = set(system.indicators.values_list("key", flat=True))
    for key in ["proactive_timeliness", "metadata_complete", "categories_updated",
                "interpretation_coverage", "interpretation_timeliness", "request_timeliness",
                "correction_timeliness", "remedy_clause", "remedies_upheld",
                "annual_report_on_time", "annual_report_balanced", "annual_report_not_copied",
                "consultation_period", "consultation_feedback", "proposal_published",
                "hotline_on_time", "review_recorded", "leading_group", "rules", "meetings",
                "bulletin"]:  # fmt: skip
        assert key in keys
    assert load_default() == system  # once


def test_evaluate_scores_many_agencies_in_a_fixed_number_of_queries(
    cast, django_assert_max_num_queries
):
    system = load_default()
    tree = scoring.ordered(system.indicators.all())
    for n in range(3):
        item(cast.a, published=date(2025, 3, 1 + n), late=True)
    evaluation = SelfEvaluation.objects.create(agency=cast.a, year=2025, system=system)
    IndicatorResult.objects.create(evaluation=evaluation, manual_score=3,
                                   indicator=system.indicators.get(key="leading_group"))  # fmt: skip
    ids = [cast.a.pk, cast.b.pk, cast.a_unit.pk, cast.county.pk]
    with django_assert_max_num_queries(25):
        results = scoring.evaluate(system, ids, Period.year(2025), tree=tree)
    a = {r.key: r for r in results[cast.a.pk]}
    assert a["proactive_timeliness"].value == 3
    assert a["proactive_timeliness"].score == Decimal("4.00")  # 10 − 3 × 2
    assert a["leading_group"].score == Decimal("3.00")
    assert a["support"].score == sum(c.score or 0 for c in a["support"].children)
    assert scoring.total(results[cast.a.pk]) == sum(
        r.score or 0 for r in results[cast.a.pk] if r.depth == 0
    )
    assert scoring.worst(results[cast.a.pk])[0].share < 1
    b = {r.key: r for r in results[cast.b.pk]}
    assert b["proactive_timeliness"].score == Decimal("10.00")
    assert b["leading_group"].score == Decimal("0.00")
