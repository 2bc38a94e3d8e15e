"""The default indicator system (gongkai/data/evaluation_default.json), built from the
rows of regulation-notes-2 §12 that the records can compute, plus the evidence items
(领导小组, 制度, 公开栏). `tree_rows` / `build` are shared with the XLSX import."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from gongkai.evaluation.models import Indicator, IndicatorSystem, Rule, SourceKind
from gongkai.evaluation.scoring import problems
from gongkai.lib.errors import ActionError

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "data" / "evaluation_default.json"


def flatten(nodes: Iterable[Mapping[str, Any]], parent: str = "") -> list[dict[str, Any]]:
    """The nested JSON tree as rows with a `parent` key, in reading order."""
    rows: list[dict[str, Any]] = []
    for node in nodes:
        row = {k: v for k, v in node.items() if k != "children"}
        row["parent"] = parent
        rows.append(row)
        rows.extend(flatten(node.get("children", []), parent=str(node["key"])))
    return rows


def build(system: IndicatorSystem, rows: Iterable[Mapping[str, Any]]) -> list[Indicator]:
    """Create the indicators of `rows` (each with `key`, `parent` key …) in `system`."""
    made: dict[str, Indicator] = {}
    for order, row in enumerate(rows, start=1):
        target = row.get("target")
        indicator = Indicator.objects.create(
            system=system,
            key=str(row["key"]),
            label=str(row["label"]),
            parent=made[str(row["parent"])] if row.get("parent") else None,
            sort_order=order,
            weight=Decimal(str(row.get("weight", 0))),
            rule=str(row.get("rule", "")),
            params=dict(row.get("params") or {}),
            source=str(row.get("source") or SourceKind.COMPUTED),
            measure=str(row.get("measure", "")),
            evidence_required=bool(row.get("evidence_required", False)),
            unit=str(row.get("unit", "")),
            target=None if target in (None, "") else Decimal(str(target)),
            guidance=str(row.get("guidance", "")),
        )
        made[indicator.key] = indicator
    return list(made.values())


@transaction.atomic
def load_default(*, year: int | None = None, path: Path = DEFAULT_FILE) -> IndicatorSystem:
    """The default system, created from the file once (an existing one is returned)."""
    existing = IndicatorSystem.objects.filter(is_default=True).first()
    if existing is not None:
        return existing
    data = json.loads(path.read_text(encoding="utf-8"))
    system = IndicatorSystem.objects.create(
        name=data["name"],
        year=year or int(data["year"]),
        issuing_body=data.get("issuing_body", ""),
        total=Decimal(str(data["total"])),
        is_default=True,
    )
    build(system, flatten(data["indicators"]))
    found = problems(system)
    if found:
        raise ActionError(found)
    return system


__all__ = ["Rule", "build", "flatten", "load_default"]
