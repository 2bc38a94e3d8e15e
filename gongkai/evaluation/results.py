"""One evaluation's results: live from the records while it can change, frozen once
submitted; and their JSON (the snapshot, the command's output, the board's drill-down)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gongkai.evaluation import measures, scoring
from gongkai.evaluation.measures import Period
from gongkai.evaluation.models import EvaluationStatus, EvidenceFile, SelfEvaluation, SourceKind
from gongkai.evaluation.scoring import Result

# Drill-down ids kept in a snapshot per indicator (the page lists every row live).
SNAPSHOT_IDS = 500


def _num(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def live(evaluation: SelfEvaluation) -> list[Result]:
    return scoring.evaluate(
        evaluation.system, [evaluation.agency_id], Period.year(evaluation.year)
    )[evaluation.agency_id]


def result_json(
    evaluation: SelfEvaluation,
    result: Result,
    files: dict[int, list[str]],
    keys: dict[int, str] | None = None,
) -> dict[str, Any]:
    """The shape of `self_evaluation --format json`'s indicators (and of the snapshot)."""
    indicator = result.indicator
    evidence: list[Any] = []
    if result.is_leaf and indicator.source == SourceKind.COMPUTED and indicator.measure:
        evidence = list(
            measures.drilldown(
                indicator.measure, [evaluation.agency_id], Period.year(evaluation.year)
            ).values_list("pk", flat=True)[:SNAPSHOT_IDS]
        )
    elif result.is_leaf:
        evidence = files.get(indicator.pk, [])
    return {
        "key": indicator.key,
        "label": indicator.label,
        "parent": (keys or {}).get(indicator.parent_id or 0),
        "depth": result.depth,
        "value": _num(result.value),
        "unit": indicator.unit,
        "target": _num(indicator.target),
        "score": _num(result.score),
        "max": _num(result.max),
        "source": indicator.source,
        "rule": indicator.rule,
        "measure": indicator.measure,
        "total": result.count.total if result.count else None,
        "occurrences": result.count.bad if result.count else None,
        "evidence": evidence,
    }


def evidence_names(evaluation: SelfEvaluation) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    if evaluation.pk is None:
        return names
    for e in EvidenceFile.objects.filter(evaluation=evaluation).order_by("id"):
        names.setdefault(e.indicator_id, []).append(e.original_name or e.note[:60])
    return names


def snapshot(evaluation: SelfEvaluation, results: list[Result]) -> list[dict[str, Any]]:
    files = evidence_names(evaluation)
    keys = {r.indicator.pk: r.key for r in results}
    return [result_json(evaluation, r, files, keys) for r in results]


@dataclass
class Row:
    """A result as the pages and files read it, live or from the snapshot."""

    key: str
    label: str
    depth: int
    value: float | int | None
    unit: str
    target: float | int | None
    score: float | int | None
    max: float | int | None
    source: str
    measure: str
    total: int | None
    occurrences: int | None
    evidence: list[Any]
    is_leaf: bool

    @property
    def share(self) -> float:
        if not self.max:
            return 1.0
        return float(self.score or 0) / float(self.max)


def rows(evaluation: SelfEvaluation) -> list[Row]:
    """The frozen snapshot of a submitted evaluation, else the live results."""
    data = evaluation.snapshot if evaluation.status == EvaluationStatus.SUBMITTED else None
    if not data:
        data = snapshot(evaluation, live(evaluation))
    return rows_from(data)


def rows_from(data: list[dict[str, Any]]) -> list[Row]:
    keys_with_children = {d["parent"] for d in data if d.get("parent")}
    return [
        Row(
            key=d["key"],
            label=d["label"],
            depth=d["depth"],
            value=d["value"],
            unit=d["unit"],
            target=d["target"],
            score=d["score"],
            max=d["max"],
            source=d["source"],
            measure=d.get("measure", ""),
            total=d.get("total"),
            occurrences=d.get("occurrences"),
            evidence=d.get("evidence", []),
            is_leaf=d["key"] not in keys_with_children,
        )
        for d in data
    ]


def total(rows_: list[Row]) -> float:
    return round(sum(float(r.score or 0) for r in rows_ if r.depth == 0), 2)


def reviewed_scores(evaluation: SelfEvaluation) -> dict[str, Decimal]:
    """{indicator key: the supervisor's score after review}, where one was recorded."""
    rows_ = evaluation.results.filter(reviewed_score__isnull=False)
    return {key: score for key, score in rows_.values_list("indicator__key", "reviewed_score")
            if score is not None}  # fmt: skip


def reviewed_total(rows_: list[Row], reviewed: dict[str, Decimal]) -> float | None:
    """The total after review: each reviewed leaf's score replaced by the reviewed one (a
    parent's score is the sum of its children's). None while nothing is reviewed."""
    if not reviewed:
        return None
    return round(
        sum(
            float(reviewed[r.key]) if r.key in reviewed else float(r.score or 0)
            for r in rows_
            if r.is_leaf
        ),
        2,
    )
