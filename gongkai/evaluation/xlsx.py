"""An indicator tree as XLSX: one row per indicator, parents before their children.

Columns (Chinese header, or the English field name): 代码 key, 指标 label, 上级代码 parent,
分值 weight, 计分规则 rule (按比率分档 / 按次扣分 / 人工评分, or ratio / deduction / manual),
来源 source (计算 / 佐证材料 / 人工, or computed / evidence / manual), 计算指标 measure, 分档
thresholds ("95:1;80:0.6;0:0"), 每次扣分 per, 扣分上限 cap, 须佐证 evidence_required (是/否),
单位 unit, 目标值 target, 评分说明 guidance.

The import checks every row (listed by line with all its problems) and then the tree's sums;
one problem anywhere and nothing is imported (`actions.replace_tree` replaces the whole
tree in one transaction).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _

from gongkai.evaluation import scoring
from gongkai.evaluation.measures import MEASURES
from gongkai.evaluation.models import Indicator, IndicatorSystem, Rule, SourceKind
from gongkai.lib.spreadsheets import Columns, RejectedRow, StructureError, read_table

HEADERS = [
    ("key", "代码"), ("label", "指标"), ("parent", "上级代码"), ("weight", "分值"),
    ("rule", "计分规则"), ("source", "来源"), ("measure", "计算指标"), ("thresholds", "分档"),
    ("per", "每次扣分"), ("cap", "扣分上限"), ("evidence_required", "须佐证"), ("unit", "单位"),
    ("target", "目标值"), ("guidance", "评分说明"),
]  # fmt: skip
RULES = {"按比率分档": Rule.RATIO, "按次扣分": Rule.DEDUCTION, "人工评分": Rule.MANUAL}
SOURCES = {"计算": SourceKind.COMPUTED, "佐证材料": SourceKind.EVIDENCE, "人工": SourceKind.MANUAL}
COLUMNS = Columns(
    aliases={chinese: key for key, chinese in HEADERS},
    required={"key": "代码", "label": "指标", "weight": "分值"},
)


def _thresholds_text(indicator: Indicator) -> str:
    return ";".join(f"{v}:{s}" for v, s in indicator.params.get("thresholds", []))


def export(system: IndicatorSystem) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has one sheet
    sheet.title = "指标体系"
    sheet.append([chinese for _key, chinese in HEADERS])
    keys = {i.pk: i.key for i in system.indicators.all()}
    rule_names: dict[str, str] = {str(v): k for k, v in RULES.items()}
    source_names: dict[str, str] = {str(v): k for k, v in SOURCES.items()}
    for indicator, _depth in scoring.ordered(system.indicators.all()):
        params = indicator.params
        sheet.append([
            indicator.key, indicator.label, keys.get(indicator.parent_id or 0, ""),
            float(indicator.weight), rule_names.get(indicator.rule, ""),
            source_names.get(indicator.source, ""), indicator.measure,
            _thresholds_text(indicator), params.get("per", ""), params.get("cap", ""),
            "是" if indicator.evidence_required else "否", indicator.unit,
            "" if indicator.target is None else float(indicator.target), indicator.guidance,
        ])  # fmt: skip
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _number(text: str) -> Decimal:
    return Decimal(text.strip())


def read(system: IndicatorSystem, data: bytes, name: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows of the file as `defaults.build` takes them, and every problem (by line,
    then of the tree). Rows are returned only when there is no problem at all."""
    table = read_table(data, name, columns=COLUMNS, no_rows=_("The file lists no indicator."))
    rows: list[dict[str, Any]] = []
    rejected: list[RejectedRow] = []
    seen: set[str] = set()
    for row in table.rows:
        key, label = row.text("key"), row.text("label")
        if not key:
            row.add("key", _("Enter the indicator's key."))
        elif key in seen:
            row.add("key", _("“%(key)s” appears twice in the file.") % {"key": key})
        if not label:
            row.add("label", _("Enter the indicator's name."))
        parent = row.text("parent")
        if parent and parent not in seen:
            row.add(
                "parent",
                _("“%(key)s” is not an indicator listed above this row.") % {"key": parent},
            )
        values: dict[str, Any] = {"key": key, "label": label, "parent": parent}
        try:
            values["weight"] = _number(row.text("weight") or "0")
        except InvalidOperation:
            row.add("weight", _("Enter a number."))
        rule_text = row.text("rule")
        values["rule"] = RULES.get(rule_text, rule_text)
        if rule_text and values["rule"] not in Rule.values:
            row.add("rule", _("Choose 按比率分档, 按次扣分 or 人工评分."))
        source_text = row.text("source") or "计算"
        values["source"] = SOURCES.get(source_text, source_text)
        if values["source"] not in SourceKind.values:
            row.add("source", _("Choose 计算, 佐证材料 or 人工."))
        values["measure"] = row.text("measure")
        if values["measure"] and values["measure"] not in MEASURES:
            row.add(
                "measure", _("“%(key)s” is not a computed measure.") % {"key": values["measure"]}
            )
        params: dict[str, Any] = {}
        try:
            if row.text("thresholds"):
                params["thresholds"] = [
                    [float(_number(v)), float(_number(s))]
                    for v, s in (
                        part.split(":")
                        for part in row.text("thresholds").split(";")
                        if part.strip()
                    )
                ]
            for name_ in ("per", "cap"):
                if row.text(name_):
                    params[name_] = float(_number(row.text(name_)))
        except (InvalidOperation, ValueError):
            row.add("thresholds", _("Write thresholds as value:share pairs, e.g. 95:1;80:0.6;0:0."))
        values["params"] = params
        values["evidence_required"] = row.text("evidence_required") in (
            "是",
            "1",
            "true",
            "True",
            "yes",
        )
        values["unit"] = row.text("unit")
        try:
            values["target"] = _number(row.text("target")) if row.text("target") else None
        except InvalidOperation:
            row.add("target", _("Enter a number."))
        values["guidance"] = row.text("guidance")
        if not row.problems and values.get("rule"):
            probe = Indicator(key=key, label=label, weight=values["weight"], rule=values["rule"],
                              params=params, source=values["source"], measure=values["measure"])  # fmt: skip
            for field, message in scoring.rule_problems(probe).items():
                row.add(field if field in row.headers else "key", message, name_column=False)
        if row.problems:
            rejected.append(row.rejected(label=key))
        if key:
            seen.add(key)
        rows.append(values)
    problems = [str(r) for r in rejected]
    if not problems:
        probes: list[Indicator] = []
        by_key: dict[str, Indicator] = {}
        for n, values in enumerate(rows, start=1):
            probe = Indicator(pk=n, key=values["key"], label=values["label"], weight=values["weight"],
                              rule=values["rule"], params=values["params"], source=values["source"],
                              measure=values["measure"])  # fmt: skip
            above = by_key.get(values["parent"])
            probe.parent_id = above.pk if above else None
            by_key[probe.key] = probe
            probes.append(probe)
        problems = scoring.tree_problems(system.total, probes)
    return (rows if not problems else []), problems


__all__ = ["COLUMNS", "StructureError", "export", "read"]
