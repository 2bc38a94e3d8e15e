"""The indicator tree's XLSX export and import: a round trip, and bad files refused whole."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from gongkai.evaluation import actions, xlsx
from gongkai.evaluation.defaults import load_default
from gongkai.evaluation.models import IndicatorSystem

FIELDS = ("key", "label", "weight", "rule", "params", "source", "measure",
          "evidence_required", "unit", "target", "guidance", "sort_order")  # fmt: skip


def tree(system):
    keys = {i.pk: i.key for i in system.indicators.all()}
    return [
        (*(getattr(i, f) for f in FIELDS), keys.get(i.parent_id or 0))
        for i in system.indicators.order_by("sort_order")
    ]


def test_export_then_import_gives_the_same_tree(cast):
    system = load_default()
    copy = actions.copy_system(system, actor=cast.superuser, name="省指标", year=2025, owner=None)
    data = xlsx.export(system)
    rows, problems = xlsx.read(copy, data, "tree.xlsx")
    assert problems == []
    actions.replace_tree(copy, rows, actor=cast.superuser)
    assert tree(copy) == tree(system)
    assert copy.copy_of == system


def _edited(system, change):
    workbook = load_workbook(BytesIO(xlsx.export(system)))
    sheet = workbook.active
    change(sheet)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_bad_rows_are_refused_by_line_and_nothing_is_imported(cast):
    system = load_default()
    copy = actions.copy_system(system, actor=cast.superuser, name="省", year=2025, owner=None)
    before = tree(copy)

    def spoil(sheet):
        sheet["H5"] = "1:0.5;2:1"  # thresholds out of order, line 5
        sheet["D9"] = "很多"  # not a number, line 9
        sheet["C10"] = "nowhere"  # unknown parent, line 10

    rows, problems = xlsx.read(copy, _edited(system, spoil), "bad.xlsx")
    assert rows == []
    text = "\n".join(problems)
    assert "第 5 行" in text and "第 9 行" in text and "第 10 行" in text
    assert tree(copy) == before


def test_points_that_do_not_add_up_are_refused(cast):
    system = load_default()

    def spoil(sheet):
        sheet["D3"] = 9  # leading_group 4 → 9: 保障运维 no longer adds up

    rows, problems = xlsx.read(system, _edited(system, spoil), "sum.xlsx")
    assert rows == []
    assert any("保障运维方面" in p for p in problems)


def test_a_system_only_its_administrators_may_change(cast):
    system = load_default()
    own = actions.copy_system(
        system, actor=cast.admin_county, name="县", year=2025, owner=cast.county
    )
    assert actions.can_edit_system(cast.admin_county, own)
    assert not actions.can_edit_system(cast.officer_a, own)
    assert not actions.can_edit_system(cast.admin_county, system)
    assert IndicatorSystem.objects.count() == 2
