"""Importing catalog items and the figures of table 二 from XLSX workbooks.

The messages are English msgids translated in the catalogue, so these tests compare line
numbers, field names and the data values the messages quote, not the wording.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.chart import BarChart

from gongkai.audit.models import Action, AuditEntry
from gongkai.lib.errors import ActionError
from gongkai.orgs.models import Agency, Sequence
from gongkai.publishing import actions, importer, register
from gongkai.publishing.importer import (
    MAX_ROWS,
    ROW,
    ImportResult,
    StructureError,
    import_figures,
    import_items,
)
from gongkai.publishing.models import (
    Category,
    DecisionFigures,
    Disclosure,
    Genre,
    InfoItem,
    ItemStatus,
    Validity,
    WithheldReason,
)

HEADER = ["名称", "类别", "生成日期", "文号", "体裁", "公开属性", "不予公开理由", "有效性", "正文"]


def xlsx(*rows: list[Any] | None) -> bytes:
    """A workbook whose first sheet has these rows (None: a blank line)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row or [])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rejected_fields(result: ImportResult[Any]) -> dict[int, list[str]]:
    return {r.line: r.fields for r in result.rejected}


def rejected_text(result: ImportResult[Any]) -> dict[int, str]:
    return {r.line: str(r) for r in result.rejected}


def load(cast, *rows: list[Any] | None, **options: Any) -> ImportResult[InfoItem]:
    return import_items(xlsx(*rows), "items.xlsx", agency=cast.a, actor=cast.officer_a, **options)


def test_valid_rows_are_imported_and_every_problem_of_the_others_is_listed(cast):
    before = actions.create_item(
        cast.a,
        actor=cast.officer_a,
        category=Category.objects.get(agency=None, code="20-07"),
        formed_on=date(2026, 1, 5),
        title="已录入的信息",
        doc_no="测甲〔2026〕9号",
    )
    result = load(
        cast,
        HEADER,  # 1
        ["2026年部门预算", "20-07", datetime(2026, 3, 2), "测甲〔2026〕1号", "通知", "主动公开"],  # noqa: DTZ001
        ["关于某事项的公告", "财政预算、决算信息", "2026年3月5日", None, "announcement",
         "依申请公开", None, "有效"],  # 3: category by its name, Chinese date
        None,  # 4: blank
        ["", "99-99", "2026-13-40"],  # 5: three problems
        ["2026年部门预算", "20-07", "2026/3/2", "测甲〔2026〕1号"],  # 6: duplicate of 2
        ["内部会议纪要", "20-07", "2026-03-03", None, None, "不予公开"],  # 7: no reason
        ["内部工作方案", "20-07", "2026.3.4", None, "方案", "不予公开", "属于内部事务信息"],
        ["宅基地审核结果", "21-t01", "2026-03-04"],  # 9: a township category
        ["部门预算公开说明", "20-07-01", "20260306", None, "办法", None, None, "废止",
         "第一段\n\n第二段 & 第三"],  # 10: county sub-category; plain-text body
        [None, None, None, None, None, None, None, None, None],  # 11: blank cells
        ["已录入的信息", "20-07", "2026-01-05", "测甲〔2026〕9号"],  # 12: already in the catalog
        ["公开的信息", "20-07", "2026-03-07", None, "诗歌", "公开", "国家秘密", "永久"],
        ["主动公开的信息", "20-07", "2026-03-08", None, None, "主动公开", "国家秘密"],
    )  # fmt: skip

    assert [r.line for r in result.imported] == [2, 3, 8, 10]
    assert rejected_fields(result) == {
        5: ["title", "category", "formed_on"],
        6: [ROW],
        7: ["withheld_reason"],
        9: ["category"],
        12: [ROW],
        13: ["genre", "disclosure", "validity"],
        14: ["withheld_reason"],
    }
    text = rejected_text(result)
    assert "99-99" in text[5] and "2026-13-40" in text[5]
    assert re.findall(r"\d+", text[6].split("：", 1)[1]) == ["2"]  # names the earlier line
    assert "21-t01" in text[9]
    assert before.index_no in text[12]
    assert "诗歌" in text[13] and "永久" in text[13]
    assert len(result.rejected[0].problems) == 3
    assert result.rejected[0].problems[1].column == "类别"
    assert not result.dry_run and result.ignored_columns == []

    items = {row.line: row.obj for row in result.imported}
    assert {line: item.title for line, item in items.items()} == {
        2: "2026年部门预算",
        3: "关于某事项的公告",
        8: "内部工作方案",
        10: "部门预算公开说明",
    }
    assert [items[line].formed_on for line in (2, 3, 8, 10)] == [
        date(2026, 3, 2),
        date(2026, 3, 5),
        date(2026, 3, 4),
        date(2026, 3, 6),
    ]
    assert [items[line].category.code for line in (2, 3, 8, 10)] == [
        "20-07",
        "20-07",
        "20-07",
        "20-07-01",
    ]
    # Consecutive numbers: rejected rows took none.
    assert [items[line].index_no for line in (2, 3, 8, 10)] == [
        f"A/2026-{n:05d}" for n in (2, 3, 4, 5)
    ]
    first = InfoItem.objects.get(pk=items[2].pk)
    assert (first.doc_no, first.genre, first.disclosure, first.status) == (
        "测甲〔2026〕1号",
        Genre.NOTICE,
        Disclosure.PROACTIVE,
        ItemStatus.DRAFT,
    )
    # 20 working days after 2 March (第二十六条).
    assert first.created_by == cast.officer_a and first.publish_due_on == date(2026, 3, 30)
    second = InfoItem.objects.get(pk=items[3].pk)
    assert (second.genre, second.disclosure, second.validity) == (
        Genre.ANNOUNCEMENT,
        Disclosure.ON_REQUEST,
        Validity.VALID,
    )
    withheld = InfoItem.objects.get(pk=items[8].pk)
    assert (withheld.disclosure, withheld.withheld_reason, withheld.genre) == (
        Disclosure.WITHHELD,
        WithheldReason.INTERNAL_AFFAIRS,
        Genre.PLAN,
    )
    assert withheld.rereview_due_on == date(2027, 3, 4)  # a year after it was formed
    last = InfoItem.objects.get(pk=items[10].pk)
    assert (last.genre, last.validity) == (Genre.MEASURES, Validity.REPEALED)
    assert last.body == "<p>第一段</p><p>第二段 &amp; 第三</p>"

    assert InfoItem.objects.filter(agency=cast.a).count() == 5
    created = AuditEntry.objects.filter(
        action=Action.PUBLISHING_STEP, detail__step="created", actor=cast.officer_a
    )
    assert created.count() == 5  # the item made before, and one per imported row


def test_english_headers_keys_and_ignored_columns(cast):
    result = load(
        cast,
        ["Title", "category", "FORMED_ON", "doc_no", "Genre", "disclosure", "withheld_reason",
         "validity", "topic", "summary", "keywords", "备注"],
        ["A", "20-01", "2026-02-01", "X1", "report", "withheld", "state_secret", "expired",
         "财政", "概述", "预算"],
        ["B", "20-01", "2026-02-01", "X2", "Service guide", "Not disclosed",
         "涉及商业秘密和个人隐私"],
        ["C", "20-01", "2026-02-01", "X3", None, "withheld", "第十四条"],  # names no one reason
    )  # fmt: skip

    assert result.ignored_columns == ["备注"]
    assert [r.line for r in result.imported] == [2, 3]
    assert rejected_fields(result) == {4: ["withheld_reason"]}
    a, b = (row.obj for row in result.imported)
    assert (a.genre, a.disclosure, a.withheld_reason, a.validity) == (
        Genre.REPORT,
        Disclosure.WITHHELD,
        WithheldReason.STATE_SECRET,
        Validity.EXPIRED,
    )
    assert (a.topic, a.summary, a.keywords) == ("财政", "概述", "预算")
    assert (b.genre, b.withheld_reason) == (Genre.GUIDE, WithheldReason.THIRD_PARTY)


def test_categories_are_those_the_item_form_offers(cast):
    Category.objects.create(agency=cast.a, code="a-01", name="本局专项")
    Category.objects.create(agency=cast.a, code="a-02", name="财政预算、决算信息")
    Category.objects.create(agency=cast.b, code="b-01", name="乙局专项")
    Category.objects.filter(agency=None, code="20-14").update(is_active=False)

    result = load(
        cast,
        ["名称", "目录类别", "生成日期"],
        ["本局专项信息", "a-01", "2026-03-02"],
        ["按名称", "本局专项", "2026-03-02"],
        ["县级第二十一条", "21-c01", "2026-03-02"],
        ["同名类别", "财政预算、决算信息", "2026-03-02"],  # standard and own: ambiguous
        ["乙局的类别", "b-01", "2026-03-02"],
        ["停用的类别", "20-14", "2026-03-02"],
        ["乡镇类别", "贯彻落实农业农村政策", "2026-03-02"],
    )

    assert {r.line: r.obj.category.code for r in result.imported} == {
        2: "a-01",
        3: "a-01",
        4: "21-c01",
    }
    assert rejected_fields(result) == {
        5: ["category"],
        6: ["category"],
        7: ["category"],
        8: ["category"],
    }
    text = rejected_text(result)
    assert "20-07" in text[5] and "a-02" in text[5]
    assert "b-01" in text[6]
    assert "20-14" in text[7]
    assert "贯彻落实农业农村政策" in text[8]


def test_a_row_that_fails_inside_the_step_is_rolled_back_alone(cast, monkeypatch):
    create_item = actions.create_item

    def failing(agency, **kwargs):
        item = create_item(agency, **kwargs)
        if item.title == "坏行":
            raise ActionError({"title": "refused"})
        return item

    monkeypatch.setattr(actions, "create_item", failing)  # the module the importer calls

    result = load(
        cast,
        ["名称", "类别", "生成日期"],
        ["好行一", "20-07", "2026-03-02"],
        ["坏行", "20-07", "2026-03-02"],
        ["好行二", "20-07", "2026-03-02"],
    )

    assert [r.line for r in result.imported] == [2, 4]
    assert rejected_fields(result) == {3: ["title"]}
    assert "refused" in str(result.rejected[0])
    assert sorted(InfoItem.objects.values_list("title", flat=True)) == ["好行一", "好行二"]
    assert sorted(InfoItem.objects.values_list("index_no", flat=True)) == [
        "A/2026-00001",
        "A/2026-00002",
    ]


def test_too_long_values_are_row_problems(cast):
    result = load(
        cast,
        ["名称", "类别", "生成日期", "文号"],
        ["长" * 301, "20-07", "2026-03-02", "号" * 101],
    )

    assert rejected_fields(result) == {2: ["title", "doc_no"]}
    assert "301" in str(result.rejected[0]) and "101" in str(result.rejected[0])
    assert not InfoItem.objects.exists()


def test_a_dry_run_saves_nothing(cast):
    result = load(
        cast, ["名称", "类别", "生成日期"], ["试运行", "20-07", "2026-03-02"], dry_run=True
    )

    assert result.dry_run and [r.obj.title for r in result.imported] == ["试运行"]
    assert not InfoItem.objects.exists()
    assert not Sequence.objects.exists()  # no 索引号 taken


def test_only_the_agencys_staff_may_import(cast):
    with pytest.raises(ActionError):
        import_items(
            xlsx(["名称", "类别", "生成日期"], ["乙局的人", "20-07", "2026-03-02"]),
            "items.xlsx",
            agency=cast.a,
            actor=cast.officer_b,
        )
    assert not InfoItem.objects.exists()


def not_a_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


def only_a_chartsheet() -> bytes:
    workbook = Workbook()
    workbook.create_chartsheet().add_chart(BarChart())
    workbook.remove(workbook.worksheets[0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


STRUCTURE_ERRORS = [
    ("random bytes", lambda: bytes(range(7, 250)) * 3, "bad.xlsx"),
    ("csv renamed", lambda: "名称,类别,生成日期\n标题,20-07,2026-03-02\n".encode(), "csv.xlsx"),
    ("zip, not a workbook", not_a_workbook, "zip.xlsx"),
    ("old xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "old.xls"),
    ("empty", lambda: b"", ""),
    ("no worksheet", only_a_chartsheet, "no-sheet.xlsx"),
    ("blank first row", lambda: xlsx(None, ["名称", "类别", "生成日期"], ["x", "20-07", "2026-03-02"]), ""),
    ("missing header", lambda: xlsx(["名称", "生成日期"], ["x", "2026-03-02"]), "类别"),
    ("header only", lambda: xlsx(["名称", "类别", "生成日期"], None, None), ""),
    ("column twice", lambda: xlsx(["名称", "标题", "类别", "生成日期"], ["x", "y", "20-07", "2026-03-02"]), "名称/标题"),
    ("too many rows", lambda: xlsx(["名称", "类别", "生成日期"], *[[f"第{i}条", "20-07", "2026-03-02"] for i in range(MAX_ROWS + 1)]), str(MAX_ROWS)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "quoted"),
    [case[1:] for case in STRUCTURE_ERRORS],
    ids=[c[0] for c in STRUCTURE_ERRORS],
)
def test_a_malformed_file_imports_nothing(cast, content, quoted):
    name = quoted if quoted.endswith((".xlsx", ".xls")) else "items.xlsx"

    with pytest.raises(StructureError) as raised:
        import_items(content(), name, agency=cast.a, actor=cast.officer_a)

    assert quoted in str(raised.value)
    assert not InfoItem.objects.exists()


def test_exactly_the_row_limit_is_accepted(cast, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    header = ["名称", "类别", "生成日期"]
    rows = [[f"第{i}条", "20-07", "2026-03-02"] for i in range(3)]

    assert len(load(cast, header, *rows, None, None).imported) == 3
    with pytest.raises(StructureError):
        load(cast, header, *rows, ["第四条", "20-07", "2026-03-02"])


# --- the command ------------------------------------------------------------------------


def command(path: Path, *args: str, **options: Any) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_items", str(path), *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def write(tmp_path: Path, *rows: list[Any] | None, name: str = "items.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(xlsx(*rows))
    return path


def test_the_command_imports_and_lists_the_rejected_rows(cast, tmp_path):
    path = write(
        tmp_path,
        ["名称", "类别", "生成日期", "附注"],
        ["命令导入", "20-07", "2026-03-02"],
        ["坏类别", "77-77", "2026-03-02"],
    )

    with pytest.raises(CommandError) as raised:
        command(path, "--agency", "a", "--user", "officer_a", verbosity=2)

    assert "1" in str(raised.value)
    item = InfoItem.objects.get()
    assert (item.title, item.created_by, item.agency) == ("命令导入", cast.officer_a, cast.a)


def test_the_command_reports_on_stdout_and_stderr(cast, tmp_path):
    path = write(
        tmp_path,
        ["名称", "类别", "生成日期", "附注"],
        ["命令导入", "20-07", "2026-03-02"],
        ["坏类别", "77-77", "2026-03-02"],
    )
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_items", str(path), agency="a", verbosity=2, stdout=out, stderr=err)

    assert InfoItem.objects.get().index_no in out.getvalue()
    assert re.findall(r"\d+", out.getvalue().splitlines()[-1]) == ["1", "1"]  # imported, rejected
    lines = err.getvalue().splitlines()
    assert "附注" in lines[0]  # the ignored column
    assert "3" in lines[1] and "77-77" in lines[1]
    assert InfoItem.objects.get().created_by is None  # no --user: the system


def test_the_command_saves_nothing_in_a_dry_run(cast, tmp_path):
    path = write(tmp_path, ["名称", "类别", "生成日期"], ["试运行", "20-07", "2026-03-02"])

    out, err = command(path, "--agency", "a", "--dry-run")

    assert err == "" and re.findall(r"\d+", out) == ["1", "0"]
    assert not InfoItem.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.PUBLISHING_STEP).exists()

    out, err = command(path, "--agency", "a")
    assert InfoItem.objects.get().title == "试运行"


@pytest.mark.parametrize(
    ("content", "args", "quoted"),
    [
        (b"not a workbook", ["--agency", "a"], "items.xlsx"),
        (xlsx(["名称", "生成日期"], ["x", "2026-03-02"]), ["--agency", "a"], "类别"),
        (None, ["--agency", "nowhere"], "nowhere"),
        (None, ["--agency", "a", "--user", "nobody"], "nobody"),
        (None, ["--agency", "a", "--user", "officer_b"], ""),
    ],
)
def test_the_command_fails_when_nothing_can_be_imported(cast, tmp_path, content, args, quoted):
    path = tmp_path / "items.xlsx"
    path.write_bytes(content or xlsx(["名称", "类别", "生成日期"], ["x", "20-07", "2026-03-02"]))

    with pytest.raises(CommandError) as raised:
        command(path, *args)

    assert quoted in str(raised.value)
    assert not InfoItem.objects.exists()


def test_the_command_names_a_missing_file(cast, tmp_path):
    with pytest.raises(CommandError) as raised:
        command(tmp_path / "missing.xlsx", "--agency", "a")
    assert "missing.xlsx" in str(raised.value)


# --- figures of table 二 ----------------------------------------------------------------


def figures(cast, *rows: list[Any] | None, agencies=None, actor=None) -> ImportResult[Any]:
    return import_figures(
        xlsx(*rows),
        "figures.xlsx",
        actor=actor or cast.officer_a,
        agencies=agencies if agencies is not None else Agency.objects.filter(pk=cast.a.pk),
        dry_run=False,
    )


def saved(agency, year) -> tuple[Any, ...]:
    f = DecisionFigures.objects.get(agency=agency, year=year)
    return (f.licensing_decisions, f.penalty_decisions, f.coercion_decisions, f.fee_amount)


def test_figures_are_saved_with_labels_from_the_format(cast):
    labels = register.figure_labels()
    result = figures(
        cast,
        ["机关代码", "年度", labels["licensing_decisions"], "行政处罚", "coercion_decisions",
         "行政事业性收费"],
        ["a", 2025, 12, "3", 0, "1.25"],
        ["a", "2024年", 1.0, "1,234", None, 0.5],
    )  # fmt: skip

    assert [r.line for r in result.imported] == [2, 3] and result.rejected == []
    assert saved(cast.a, 2025) == (12, 3, 0, Decimal("1.25"))
    assert saved(cast.a, 2024) == (1, 1234, None, Decimal("0.5"))
    assert AuditEntry.objects.filter(detail__step="figures", actor=cast.officer_a).count() == 2


def test_blank_cells_leave_figures_unchanged(cast):
    register.save_figures(
        cast.a, 2025, actor=None, licensing_decisions=5, penalty_decisions=6, fee_amount=Decimal(2)
    )

    result = figures(
        cast,
        ["机关代码", "年度", "行政许可", "行政处罚", "行政强制", "行政事业性收费"],
        ["a", 2025, None, 7, "", "  "],
    )

    assert result.rejected == []
    assert saved(cast.a, 2025) == (5, 7, None, Decimal(2))


def test_bad_figures_are_listed_by_line_and_field(cast):
    this_year = timezone.localdate().year
    result = figures(
        cast,
        ["机关代码", "年度", "行政许可", "行政处罚", "行政强制", "fee_amount"],
        ["a", 2020, -1, 2.5, "很多", "1.23456"],  # 2
        ["b", 2025, 1],  # 3: not among the actor's agencies
        ["nowhere", 2025, 1],  # 4
        ["a", 2007, 1],  # 5
        ["a", this_year + 1, 1],  # 6
        ["a", "去年", 1],  # 7
        ["a", 2024, None, None, None, "-1"],  # 8
        ["a", 2023],  # 9: no figure
        ["a", this_year, 1, None, None, "1.2300"],  # 10
        ["a", this_year, 2],  # 11: duplicate of 10
        [None, None, 3],  # 12
    )

    assert [r.line for r in result.imported] == [10]
    assert rejected_fields(result) == {
        2: ["licensing_decisions", "penalty_decisions", "coercion_decisions", "fee_amount"],
        3: ["agency"],
        4: ["agency"],
        5: ["year"],
        6: ["year"],
        7: ["year"],
        8: ["fee_amount"],
        9: [ROW],
        11: [ROW],
        12: ["agency", "year"],
    }
    text = rejected_text(result)
    assert "很多" in text[2] and "2.5" in text[2]
    assert "b" in text[3].split("：", 1)[1] and "nowhere" in text[4]
    assert str(this_year) in text[5] and str(this_year) in text[6] and "去年" in text[7]
    assert "10" in text[11]
    assert saved(cast.a, this_year) == (1, None, None, Decimal("1.23"))
    assert list(DecisionFigures.objects.values_list("year", flat=True)) == [this_year]


def test_a_refused_save_rejects_only_its_row(cast):
    # Both agencies are offered, but officer_a is staff of a only: save_figures refuses b.
    result = figures(
        cast,
        ["机关代码", "年度", "行政许可"],
        ["b", 2025, 1],
        ["a", 2025, 2],
        agencies=Agency.objects.all(),
    )

    assert [r.line for r in result.imported] == [3]
    assert rejected_fields(result) == {2: [ROW]}
    assert list(DecisionFigures.objects.values_list("agency__code", flat=True)) == ["a"]


@pytest.mark.parametrize(
    ("header", "quoted"),
    [
        (["机关代码", "年度", "备注"], "行政许可（"),
        (["机关代码", "行政许可"], "年度"),
        (["年度", "行政许可"], "机关代码"),
    ],
)
def test_a_figures_file_without_its_columns_imports_nothing(cast, header, quoted):
    with pytest.raises(StructureError) as raised:
        figures(cast, header, ["a", 2025, 1])
    assert quoted in str(raised.value)
    assert not DecisionFigures.objects.exists()


# --- the reader shared with the agency import (gongkai.lib.spreadsheets) ------------------


def test_items_and_figures_are_read_from_csv_as_the_agency_import_reads_it(cast):
    items = "名称,类别,生成日期\r\n从CSV导入,20-07,2026年3月2日\r\n\r\n坏类别,77-77,2026-03-02\r\n"

    result = import_items(items.encode("gb18030"), "items.csv", agency=cast.a, actor=cast.officer_a)

    assert [(r.line, r.obj.title) for r in result.imported] == [(2, "从CSV导入")]
    assert rejected_fields(result) == {4: ["category"]}
    assert result.imported[0].obj.formed_on == date(2026, 3, 2)

    figures_csv = "\ufeff机关代码,年度,行政许可,fee_amount\r\na,2025,12,1.25\r\n"
    figures = import_figures(
        figures_csv.encode(),
        "figures.csv",
        actor=cast.officer_a,
        agencies=Agency.objects.filter(pk=cast.a.pk),
    )
    assert [r.line for r in figures.imported] == [2]
    assert saved(cast.a, 2025) == (12, None, None, Decimal("1.25"))


def test_an_xls_workbook_gets_the_same_message_from_every_import(cast, tmp_path):
    from gongkai.orgs.importer import read_file

    old = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    path = tmp_path / "old.xls"
    path.write_bytes(old)
    messages = []
    for read in (
        lambda: import_items(old, "old.xls", agency=cast.a, actor=cast.officer_a),
        lambda: import_figures(old, "old.xls", actor=None, agencies=Agency.objects.all()),
        lambda: read_file(path),
    ):
        with pytest.raises(StructureError) as raised:
            read()
        messages.append(str(raised.value))

    assert len(set(messages)) == 1
    assert "old.xls" in messages[0] and "不支持旧版 .xls 工作簿" in messages[0]
    assert ".xlsx" in messages[0]


def test_english_headers_are_read_alike_by_both_importers(cast):
    result = load(
        cast, ["Title", "Category", "Formed on", "Doc no"], ["甲", "20-07", "2026-03-02", "X"]
    )

    assert [r.obj.doc_no for r in result.imported] == ["X"]
