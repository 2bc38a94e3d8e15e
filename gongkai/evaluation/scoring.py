"""Scoring: the rules of an indicator, the checks of a system, and the evaluation of a
whole system for many agencies at once.

- `score(indicator, count, manual)` applies one leaf's rule: a ratio with thresholds
  (the first threshold the value reaches gives its share of the points), a deduction per
  occurrence with a cap (鲤城 / 金东: "每条扣N分", at most the cap; 锦州: deductions
  within an indicator capped at its weight), or a manual score (0 … the points).
- `problems(system)` lists, in Chinese and naming the indicator, what makes a system
  unusable: points that do not add up, thresholds out of order, unknown measures.
- `evaluate(system, agency_ids, period)` → {agency id: [Result, …]} in tree order: one
  grouped query per measure the system uses (measures.values) plus one for the manual
  scores, whatever the number of agencies. The board calls it for thousands.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from gongkai.evaluation import measures
from gongkai.evaluation.measures import Count, Period
from gongkai.evaluation.models import (
    Indicator,
    IndicatorResult,
    IndicatorSystem,
    Rule,
    SourceKind,
)

CENT = Decimal("0.01")


def _dec(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValueError(value) from None


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Result:
    """One indicator for one agency. For a parent, `score` and `max` sum its children."""

    indicator: Indicator
    depth: int
    max: Decimal
    score: Decimal | None = None
    value: Decimal | None = None
    count: Count | None = None
    manual: Decimal | None = None
    children: list[Result] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.indicator.key

    @property
    def source(self) -> str:
        return self.indicator.source

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def lost(self) -> Decimal:
        return self.max - (self.score or Decimal(0))

    @property
    def share(self) -> Decimal:
        """The share of the points obtained (0 … 1); 1 for an indicator without points."""
        if not self.max:
            return Decimal(1)
        return (self.score or Decimal(0)) / self.max


def thresholds(indicator: Indicator) -> list[tuple[Decimal, Decimal]]:
    return [(_dec(v), _dec(s)) for v, s in indicator.params.get("thresholds", [])]


def score(
    indicator: Indicator, count: Count | None, manual: Decimal | None
) -> tuple[Decimal | None, Decimal]:
    """(value, score) of a leaf indicator."""
    weight = indicator.weight
    if indicator.rule == Rule.MANUAL or indicator.source != SourceKind.COMPUTED:
        got = Decimal(0) if manual is None else min(max(manual, Decimal(0)), weight)
        return None, _round(got)
    measure = measures.MEASURES[indicator.measure]
    count = count or Count()
    if indicator.rule == Rule.DEDUCTION:
        per = _dec(indicator.params.get("per", 1))
        cap = _dec(indicator.params.get("cap", weight))
        deducted = min(cap, per * count.occurrences)
        return Decimal(count.occurrences), _round(max(weight - deducted, Decimal(0)))
    value = count.value(measure.value_kind)
    if value is None:
        empty = indicator.params.get("when_empty", "full")
        return None, _round(weight if empty == "full" else Decimal(0))
    for minimum, share in thresholds(indicator):
        if value >= minimum:
            return value, _round(weight * share)
    return value, Decimal("0.00")


# ---- checks of a system ---------------------------------------------------------------------


def rule_problems(indicator: Indicator) -> dict[str, str]:
    """Field → message for one indicator's own definition (a form shows them)."""
    name = indicator.label or indicator.key
    errors: dict[str, str] = {}
    computed = indicator.source == SourceKind.COMPUTED and indicator.rule != Rule.MANUAL
    if computed and indicator.measure not in measures.MEASURES:
        errors["measure"] = _("“%(indicator)s”: choose one of the computed measures.") % {
            "indicator": name
        }
    if indicator.rule == Rule.RATIO:
        try:
            steps = thresholds(indicator)
        except (ValueError, TypeError):
            steps = []
            errors["params"] = _("“%(indicator)s”: the thresholds are not numbers.") % {
                "indicator": name
            }
        if not steps and "params" not in errors:
            errors["params"] = _("“%(indicator)s”: a ratio rule needs at least one threshold.") % {
                "indicator": name
            }
        values = [v for v, _s in steps]
        shares = [s for _v, s in steps]
        if steps and (
            values != sorted(values, reverse=True)
            or len(set(values)) != len(values)
            or shares != sorted(shares, reverse=True)
            or any(s < 0 or s > 1 for s in shares)
        ):
            errors["params"] = _(
                "“%(indicator)s”: the thresholds are out of order: list them from the highest "
                "value down, each with a share of the points between 0 and 1 that does not "
                "grow as the value falls."
            ) % {"indicator": name}
        if indicator.params.get("when_empty", "full") not in ("full", "zero"):
            errors["params"] = _(
                "“%(indicator)s”: without records the score is either full or zero."
            ) % {"indicator": name}
    elif indicator.rule == Rule.DEDUCTION:
        try:
            per = _dec(indicator.params.get("per", 0))
            cap = _dec(indicator.params.get("cap", indicator.weight))
        except ValueError:
            per, cap = Decimal(0), Decimal(-1)
        if per <= 0 or cap < 0 or cap > indicator.weight:
            errors["params"] = _(
                "“%(indicator)s”: a deduction needs points per occurrence above 0 and a cap "
                "between 0 and the indicator's %(weight)s points."
            ) % {"indicator": name, "weight": indicator.weight}
    if indicator.weight < 0:
        errors["weight"] = _("“%(indicator)s”: the points cannot be negative.") % {
            "indicator": name
        }
    return errors


def tree_problems(
    total: Decimal, indicators: Sequence[Indicator], *, name_of_total: str = ""
) -> list[str]:
    """What is wrong with a tree: every rule's problems, then the sums of points."""
    problems: list[str] = []
    children: dict[int | None, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        children[indicator.parent_id].append(indicator)
    for indicator in indicators:
        if children.get(indicator.pk):
            added = sum((c.weight for c in children[indicator.pk]), Decimal(0))
            if added != indicator.weight:
                problems.append(
                    _(
                        "“%(indicator)s”: its sub-indicators add up to %(sum)s points, not "
                        "its %(weight)s."
                    )
                    % {"indicator": indicator.label, "sum": added, "weight": indicator.weight}
                )
        else:
            if not indicator.rule:
                problems.append(
                    _("“%(indicator)s”: an indicator without sub-indicators needs a scoring rule.")
                    % {"indicator": indicator.label}
                )
            problems.extend(rule_problems(indicator).values())
    first = sum((i.weight for i in children.get(None, [])), Decimal(0))
    if first != total:
        problems.append(
            _("The first-level indicators add up to %(sum)s points, not the system's %(total)s.")
            % {"sum": first, "total": total}
        )
    return problems


def problems(system: IndicatorSystem) -> list[str]:
    return tree_problems(system.total, list(system.indicators.all()))


# ---- evaluation -----------------------------------------------------------------------------


def ordered(indicators: Iterable[Indicator]) -> list[tuple[Indicator, int]]:
    """The tree in reading order, with each indicator's depth (0 = first level)."""
    children: dict[int | None, list[Indicator]] = defaultdict(list)
    for indicator in sorted(indicators, key=lambda i: (i.sort_order, i.pk or 0)):
        children[indicator.parent_id].append(indicator)
    out: list[tuple[Indicator, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for child in children.get(parent, []):
            out.append((child, depth))
            walk(child.pk, depth + 1)

    walk(None, 0)
    return out


def manual_scores(
    system: IndicatorSystem, agency_ids: measures.AgencyIds, year: int
) -> dict[tuple[int, int], Decimal]:
    rows = IndicatorResult.objects.filter(
        evaluation__system=system,
        evaluation__year=year,
        evaluation__agency_id__in=measures._ids(agency_ids),
        manual_score__isnull=False,
    ).values_list("evaluation__agency_id", "indicator_id", "manual_score")
    return {(a, i): s for a, i, s in rows if s is not None}


def evaluate(
    system: IndicatorSystem,
    agency_ids: measures.AgencyIds,
    period: Period,
    *,
    tree: list[tuple[Indicator, int]] | None = None,
    manual: dict[tuple[int, int], Decimal] | None = None,
) -> dict[int, list[Result]]:
    """Every indicator of `system` for every agency of `agency_ids`, in tree order.

    `agency_ids` may be a queryset of agencies (e.g. ``Agency.objects.filter(…)
    .values("pk")``): the SQL then takes it as a subquery (see measures.values)."""
    if isinstance(agency_ids, QuerySet):
        sql_ids: Any = agency_ids.values("pk")
        ids = list(agency_ids.values_list("pk", flat=True))
    else:
        ids = sql_ids = list(agency_ids)
    tree = tree if tree is not None else ordered(system.indicators.all())
    leaves = [i for i, _d in tree if not any(c.parent_id == i.pk for c, _e in tree)]
    keys = [
        i.measure
        for i in leaves
        if i.source == SourceKind.COMPUTED and i.rule != Rule.MANUAL and i.measure
    ]
    counts = measures.values(keys, sql_ids, period)
    if manual is None:
        manual = manual_scores(system, sql_ids, period.end.year)
    leaf_ids = {i.pk for i in leaves}
    out: dict[int, list[Result]] = {}
    for agency_id in ids:
        results: list[Result] = []
        by_id: dict[int, Result] = {}
        for indicator, depth in tree:
            result = Result(indicator, depth, indicator.weight)
            by_id[indicator.pk] = result
            if indicator.parent_id in by_id:
                by_id[indicator.parent_id].children.append(result)
            if indicator.pk in leaf_ids:
                count = None
                if indicator.measure in counts:
                    count = counts[indicator.measure].get(agency_id, Count())
                result.count = count
                result.manual = manual.get((agency_id, indicator.pk))
                result.value, result.score = score(indicator, count, result.manual)
            results.append(result)
        for result in reversed(results):
            if result.children:
                result.score = sum((c.score or Decimal(0) for c in result.children), Decimal(0))
        out[agency_id] = results
    return out


def total(results: Iterable[Result]) -> Decimal:
    return sum((r.score or Decimal(0) for r in results if r.depth == 0), Decimal(0))


def worst(results: Iterable[Result], n: int = 3) -> list[Result]:
    """The leaves that lost the largest share of their points (the report's 三、问题)."""
    lost = [r for r in results if r.is_leaf and r.max > 0 and r.share < 1]
    return sorted(lost, key=lambda r: (r.share, -r.max))[:n]
