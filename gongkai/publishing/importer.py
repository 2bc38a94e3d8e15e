"""Bulk import of catalog items, and of the entered figures of table 二, from XLSX workbooks
or CSV files.

Both read the first sheet of the workbook (gongkai.lib.spreadsheets, as the agency import
does); row 1 names the columns (Chinese headers or the English field names), every later
row is one record, and blank lines are skipped.

A file whose structure is wrong (not an XLSX workbook or a CSV file, no sheet, a required
column missing, no data rows, more than MAX_ROWS rows) imports nothing. Otherwise each row is
checked on its own: valid rows are imported, each in its own savepoint through the same
step as the pages use (so each item gets its 索引号 and its audit entry), and every
rejected row is listed with its spreadsheet line number and all of its problems.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import override

from gongkai.lib.errors import ActionError
from gongkai.lib.spreadsheets import (
    ROW,
    Columns,
    RejectedRow,
    Row,
    RowProblem,
    StructureError,
    Table,
    cell_text,
    read_table,
)
from gongkai.orgs.access import has_role
from gongkai.orgs.models import Agency, Role, User
from gongkai.publishing import actions, register
from gongkai.publishing.models import (
    Category,
    DecisionFigures,
    Disclosure,
    Genre,
    InfoItem,
    Validity,
    WithheldReason,
)

MAX_ROWS = 5000
FIRST_FIGURES_YEAR = 2008  # the Regulations took effect on 1 May 2008
__all__ = [
    "MAX_ROWS",
    "ROW",
    "ImportResult",
    "ImportedRow",
    "RejectedRow",
    "RowProblem",
    "StructureError",
    "import_figures",
    "import_items",
]

T = TypeVar("T")


@dataclass
class ImportedRow(Generic[T]):
    line: int
    obj: T


@dataclass
class ImportResult(Generic[T]):
    imported: list[ImportedRow[T]] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False


def _read(data: bytes, name: str, columns: Columns, no_rows: str) -> Table:
    """The rows of the file: row 1 names the columns, at most MAX_ROWS rows."""
    return read_table(
        data, name, columns=columns, no_rows=no_rows, header_on_line_1=True, max_rows=MAX_ROWS
    )


def _run(
    rows: list[Row],
    save: Callable[[Row], T],
    *,
    dry_run: bool,
    ignored: list[str],
) -> ImportResult[T]:
    """Save each row without problems in its own savepoint; list the others."""
    result: ImportResult[T] = ImportResult(dry_run=dry_run, ignored_columns=ignored)
    with transaction.atomic():
        for row in rows:
            if not row.problems:
                try:
                    with transaction.atomic():
                        obj = save(row)
                except ValidationError as exc:
                    row.add_error(exc)
                else:
                    result.imported.append(ImportedRow(line=row.line, obj=obj))
            if row.problems:
                result.rejected.append(row.rejected())
        if dry_run:
            transaction.set_rollback(True)
    return result


# ---------------------------------------------------------------------------------------
# Values


DATE_PATTERNS = [
    re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"),
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
]


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool | time):
        return None
    text = cell_text(value)
    for pattern in DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None


def _choice(
    value: str, choices: type[models.TextChoices], words: Mapping[str, str] | None = None
) -> str | None:
    """The key of `value`: a key, a label (in the current language, a part of it between
    、, or in English), or one of `words`."""
    text = value.strip()
    lowered = text.lower()
    keys = [str(v) for v in choices.values]
    if lowered in keys:
        return lowered
    for member in choices:
        label = str(member.label)
        if text == label or text in label.split("、"):
            return str(member.value)
    with override("en"):
        for member in choices:
            if lowered == str(member.label).lower():
                return str(member.value)
    return (words or {}).get(text)


def _choices_list(choices: type[models.TextChoices]) -> str:
    return "、".join(str(member.label) for member in choices)


# ---------------------------------------------------------------------------------------
# Catalog items


ITEM_HEADERS = {
    "title": ("名称", "标题", "信息名称"),
    "category": ("类别", "目录类别", "类别代码", "目录类别代码"),
    "formed_on": ("生成日期", "成文日期"),
    "doc_no": ("文号", "发文字号"),
    "topic": ("主题分类",),
    "genre": ("体裁",),
    "summary": ("内容概述", "摘要"),
    "body": ("正文",),
    "keywords": ("关键词",),
    "disclosure": ("公开属性", "公开方式"),
    "withheld_reason": ("不予公开理由",),
    "validity": ("有效性",),
}
ITEM_COLUMNS = Columns(
    aliases={alias: key for key, aliases in ITEM_HEADERS.items() for alias in (key, *aliases)},
    required={key: ITEM_HEADERS[key][0] for key in ("title", "category", "formed_on")},
)
TEXT_FIELDS = ("title", "doc_no", "topic", "summary", "keywords")

GENRE_WORDS = {
    "通知": Genre.NOTICE,
    "公告": Genre.ANNOUNCEMENT,
    "通告": Genre.ANNOUNCEMENT,
    "公示": Genre.ANNOUNCEMENT,
    "决定": Genre.DECISION,
    "意见": Genre.OPINION,
    "实施意见": Genre.OPINION,
    "办法": Genre.MEASURES,
    "规定": Genre.MEASURES,
    "规则": Genre.MEASURES,
    "细则": Genre.MEASURES,
    "规划": Genre.PLAN,
    "计划": Genre.PLAN,
    "方案": Genre.PLAN,
    "报告": Genre.REPORT,
    "办事指南": Genre.GUIDE,
    "服务指南": Genre.GUIDE,
    "指南": Genre.GUIDE,
    "其他": Genre.OTHER,
}
DISCLOSURE_WORDS = {
    "主动公开": Disclosure.PROACTIVE,
    "依申请公开": Disclosure.ON_REQUEST,
    "不予公开": Disclosure.WITHHELD,
    "不公开": Disclosure.WITHHELD,
}
VALIDITY_WORDS = {
    "有效": Validity.VALID,
    "现行有效": Validity.VALID,
    "失效": Validity.EXPIRED,
    "废止": Validity.REPEALED,
    "已废止": Validity.REPEALED,
}
# Words of 第十四至十六条 found in a typed reason → the reason.
WITHHELD_WORDS = {
    "国家秘密": WithheldReason.STATE_SECRET,
    "法律法规禁止": WithheldReason.LAW_PROHIBITED,
    "法律、行政法规禁止": WithheldReason.LAW_PROHIBITED,
    "三安全一稳定": WithheldReason.SECURITY_STABILITY,
    "安全稳定": WithheldReason.SECURITY_STABILITY,
    "社会稳定": WithheldReason.SECURITY_STABILITY,
    "商业秘密": WithheldReason.THIRD_PARTY,
    "个人隐私": WithheldReason.THIRD_PARTY,
    "内部事务": WithheldReason.INTERNAL_AFFAIRS,
    "过程性": WithheldReason.PROCESS_INFORMATION,
    "执法案卷": WithheldReason.PROCESS_INFORMATION,
}


def _withheld_reason(value: str) -> str | None:
    key = _choice(value, WithheldReason)
    if key is not None:
        return key
    found = {str(reason) for word, reason in WITHHELD_WORDS.items() if word in value}
    return found.pop() if len(found) == 1 else None


class _Categories:
    """The categories an agency may file items under, as ItemForm offers them: active
    standard categories of its level, and its own."""

    def __init__(self, agency: Agency) -> None:
        levels = Q(levels="") | Q(levels__contains=agency.level)
        allowed = Category.objects.filter(
            Q(agency=None) & levels | Q(agency=agency), is_active=True
        )
        self.by_code: dict[str, list[Category]] = {}
        self.by_name: dict[str, list[Category]] = {}
        for category in allowed.order_by("sort_order", "code"):
            self.by_code.setdefault(category.code, []).append(category)
            self.by_name.setdefault(category.name, []).append(category)
        self.elsewhere = {
            text
            for code, name in Category.objects.filter(Q(agency=None) | Q(agency=agency))
            .exclude(pk__in=allowed)
            .values_list("code", "name")
            for text in (code, name)
        }

    def resolve(self, value: str, row: Row) -> Category | None:
        found = self.by_code.get(value) or self.by_name.get(value) or []
        if len(found) == 1:
            return found[0]
        if found:
            row.add(
                "category",
                _("The category “%(value)s” is ambiguous; give one of the codes %(codes)s.")
                % {"value": value, "codes": "、".join(c.code for c in found)},
            )
        elif value in self.elsewhere:
            row.add(
                "category",
                _(
                    "The category “%(value)s” is not open to this agency: it belongs to "
                    "another administrative level or is no longer in use."
                )
                % {"value": value},
            )
        else:
            row.add(
                "category",
                _("Unknown category “%(value)s”; give its code (such as 20-07) or its exact name.")
                % {"value": value},
            )
        return None


def _body_html(text: str) -> str:
    """Plain text becomes paragraphs; HTML is kept (create_item sanitises it)."""
    if "<" in text:
        return text
    return "".join(f"<p>{escape(line.strip())}</p>" for line in text.splitlines() if line.strip())


def _check_item(row: Row, categories: _Categories) -> dict[str, Any]:
    """The fields for create_item; every problem of the row is added to it."""
    fields: dict[str, Any] = {}
    for key in TEXT_FIELDS:
        if key in row.cells:
            value = row.text(key)
            limit = getattr(InfoItem._meta.get_field(key), "max_length", None)
            if limit and len(value) > limit:
                row.add(
                    key,
                    _("Too long: %(length)d characters, at most %(limit)d.")
                    % {"length": len(value), "limit": limit},
                )
            fields[key] = value
    if not fields.get("title"):
        row.add("title", _("The title is empty."))

    code = row.text("category")
    if not code:
        row.add("category", _("The category is empty."))
    else:
        fields["category"] = categories.resolve(code, row)

    formed_on = row.raw("formed_on")
    if formed_on is None:
        row.add("formed_on", _("The date formed is empty."))
    else:
        fields["formed_on"] = _date(formed_on)
        if fields["formed_on"] is None:
            row.add(
                "formed_on",
                _("“%(value)s” is not a date; write it as 2026-03-02, 2026/3/2 or 2026年3月2日.")
                % {"value": cell_text(formed_on)},
            )

    if row.text("body"):
        fields["body"] = _body_html(row.text("body"))

    for key, choices, words in (
        ("genre", Genre, GENRE_WORDS),
        ("disclosure", Disclosure, DISCLOSURE_WORDS),
        ("validity", Validity, VALIDITY_WORDS),
    ):
        value = row.text(key)
        if not value:
            continue
        fields[key] = _choice(value, choices, words)
        if fields[key] is None:
            row.add(
                key,
                _("Unknown value “%(value)s”; use one of %(choices)s.")
                % {"value": value, "choices": _choices_list(choices)},
            )

    disclosure = fields.get("disclosure", Disclosure.PROACTIVE)
    reason = row.text("withheld_reason")
    if reason:
        fields["withheld_reason"] = _withheld_reason(reason)
        if fields["withheld_reason"] is None:
            row.add(
                "withheld_reason",
                _("Unknown reason for not disclosing “%(value)s”; use one of %(choices)s.")
                % {"value": reason, "choices": _choices_list(WithheldReason)},
            )
        elif disclosure is not None and disclosure != Disclosure.WITHHELD:
            row.add(
                "withheld_reason",
                _("A reason for not disclosing is given, but the item is to be disclosed."),
            )
    elif disclosure == Disclosure.WITHHELD:
        row.add("withheld_reason", _("Give the legal reason for not disclosing (Articles 14–16)."))
    return fields


def _existing_items(agency: Agency, titles: set[str]) -> dict[tuple[str, str, date], str]:
    """(title, doc_no, formed_on) → index number of the agency's items with these titles."""
    found: dict[tuple[str, str, date], str] = {}
    ordered = sorted(titles)
    for start in range(0, len(ordered), 500):
        for title, doc_no, formed_on, index_no in InfoItem.objects.filter(
            agency=agency, title__in=ordered[start : start + 500]
        ).values_list("title", "doc_no", "formed_on", "index_no"):
            found[(title, doc_no, formed_on)] = index_no
    return found


def import_items(
    data: bytes,
    name: str,
    *,
    agency: Agency,
    actor: User | None,
    dry_run: bool = False,
) -> ImportResult[InfoItem]:
    """Create draft catalog items of `agency` from the rows of an XLSX workbook or a CSV file.

    Raises StructureError when the file cannot be imported at all, and ActionError when
    `actor` may not create the agency's items; see the module docstring.
    """
    if actor is not None and not has_role(actor, agency, Role.OFFICER, Role.OFFICE_HEAD):
        raise ActionError(_("Only the agency's disclosure staff may do this."))
    table = _read(data, name, ITEM_COLUMNS, _("The file has a header row but no catalog items."))
    categories = _Categories(agency)
    rows = table.rows
    for row in rows:
        row.checked = _check_item(row, categories)

    existing = _existing_items(agency, {r.checked["title"] for r in rows if r.checked.get("title")})
    seen: dict[tuple[str, str, date], int] = {}
    for row in rows:
        fields = row.checked
        if not fields.get("title") or not isinstance(fields.get("formed_on"), date):
            continue
        key = (fields["title"], fields.get("doc_no", ""), fields["formed_on"])
        if key in seen:
            row.add(
                ROW,
                _("Duplicate of line %(line)d: the same title, document number and date formed.")
                % {"line": seen[key]},
            )
        elif key in existing:
            row.add(
                ROW,
                _(
                    "Already in the catalog as %(index_no)s: the same title, document number "
                    "and date formed."
                )
                % {"index_no": existing[key]},
            )
        seen.setdefault(key, row.line)

    def save(row: Row) -> InfoItem:
        fields = dict(row.checked)
        return actions.create_item(
            agency,
            actor=actor,
            category=fields.pop("category"),
            formed_on=fields.pop("formed_on"),
            title=fields.pop("title"),
            **fields,
        )

    return _run(rows, save, dry_run=dry_run, ignored=table.ignored)


# ---------------------------------------------------------------------------------------
# Figures of table 二


FIGURE_KEY_HEADERS = {
    "agency": ("机关代码", "代码", "agency_code", "code"),
    "year": ("年度", "年份"),
}


def _figure_aliases() -> dict[str, str]:
    aliases = {
        alias: key for key, headers in FIGURE_KEY_HEADERS.items() for alias in (key, *headers)
    }
    for key, label in register.figure_labels().items():
        aliases[key] = key
        aliases[label] = key
        aliases[label.split("（")[0]] = key  # the row label alone: 行政许可 …
    return aliases


def _count(value: Any) -> tuple[int | None, str]:
    """A count, or None and why not."""
    number: int | None = None
    if isinstance(value, bool):
        pass  # TRUE/FALSE cells are not counts
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float):
        number = int(value) if value.is_integer() else None
    else:
        text = cell_text(value).replace(",", "").replace("，", "")
        number = int(text) if re.fullmatch(r"[+-]?\d+", text) else None
    if number is None:
        return None, _("“%(value)s” is not a whole number.") % {"value": cell_text(value)}
    if number < 0:
        return None, _("Figures cannot be negative.")
    if number > 2_147_483_647:
        return None, _("%(value)s is too large.") % {"value": number}
    return number, ""


def _amount(value: Any) -> tuple[Decimal | None, str]:
    """An amount in 万元 with at most four decimals, or None and why not."""
    amount: Decimal | None = None
    if isinstance(value, bool):
        pass  # TRUE/FALSE cells are not amounts
    elif isinstance(value, int | float):
        amount = Decimal(repr(value))
    else:
        try:
            amount = Decimal(cell_text(value).replace(",", "").replace("，", ""))
        except InvalidOperation:
            amount = None
    if amount is None or not amount.is_finite():
        return None, _("“%(value)s” is not an amount.") % {"value": cell_text(value)}
    if amount < 0:
        return None, _("Figures cannot be negative.")
    if amount >= Decimal(10) ** 10:
        return None, _("%(value)s is too large.") % {"value": cell_text(value)}
    if amount != amount.quantize(Decimal("0.0001")):
        return None, _("Give the amount in ten thousand yuan with at most four decimals.")
    return amount, ""


def _year(value: Any) -> tuple[int | None, str]:
    text = cell_text(value).removesuffix("年度").removesuffix("年").strip()
    last = timezone.localdate().year
    if isinstance(value, bool) or not re.fullmatch(r"\d{4}", text):
        return None, _("“%(value)s” is not a year.") % {"value": cell_text(value)}
    if not FIRST_FIGURES_YEAR <= int(text) <= last:
        return None, _("The year must be between %(first)d and %(last)d.") % {
            "first": FIRST_FIGURES_YEAR,
            "last": last,
        }
    return int(text), ""


def import_figures(
    data: bytes,
    name: str,
    *,
    actor: User | None,
    agencies: QuerySet[Agency],
    dry_run: bool = False,
) -> ImportResult[DecisionFigures]:
    """Save the figures of table 二 (行政许可、行政处罚、行政强制 decisions, 行政事业性收费
    amount) from an XLSX workbook or a CSV file with one row per agency and year.

    `agencies` are those the actor may enter figures for; rows of other agencies are
    rejected. An empty cell leaves that figure as it is.
    """
    figure_fields = list(register.figure_labels())
    required = {"agency": FIGURE_KEY_HEADERS["agency"][0], "year": FIGURE_KEY_HEADERS["year"][0]}
    columns = Columns(aliases=_figure_aliases(), required=required)
    table = _read(data, name, columns, _("The file has a header row but no figures."))
    present = [key for key in figure_fields if key in table.columns]
    if not present:
        raise StructureError(
            _("The file has no figure column; name at least one of %(labels)s.")
            % {"labels": "、".join(register.figure_labels().values())}
        )
    rows = table.rows
    codes = {row.text("agency") for row in rows} - {""}
    allowed = {a.code: a for a in agencies.filter(code__in=codes)}
    targets: dict[int, tuple[Agency, int, dict[str, Any]]] = {}
    seen: dict[tuple[str, int], int] = {}
    for row in rows:
        code = row.text("agency")
        agency = allowed.get(code)
        if not code:
            row.add("agency", _("The agency code is empty."))
        elif agency is None:
            # The same words for an unknown agency and one the actor may not enter figures
            # for, so that the message does not reveal which codes exist.
            row.add(
                "agency",
                _("You may not enter figures for the agency %(code)s.") % {"code": code},
            )

        year: int | None = None
        if row.raw("year") is None:
            row.add("year", _("The year is empty."))
        else:
            year, message = _year(row.raw("year"))
            if year is None:
                row.add("year", message)

        values: dict[str, Any] = {}
        for key in present:
            raw = row.raw(key)
            if raw is None:
                continue
            value, message = _amount(raw) if key == "fee_amount" else _count(raw)
            if value is None:
                row.add(key, message)
            else:
                values[key] = value
        if not values and not any(p.field in present for p in row.problems):
            row.add(ROW, _("The row gives no figure."))

        if code and year is not None:
            if (code, year) in seen:
                row.add(
                    ROW,
                    _("Duplicate of line %(line)d: the same agency and year.")
                    % {"line": seen[(code, year)]},
                )
            seen.setdefault((code, year), row.line)
        if agency is not None and year is not None:
            targets[row.line] = (agency, year, values)

    def save(row: Row) -> DecisionFigures:
        agency, year, values = targets[row.line]
        return register.save_figures(agency, year, actor=actor, **values)

    return _run(rows, save, dry_run=dry_run, ignored=table.ignored)
