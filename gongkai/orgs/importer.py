"""Load or update the agency tree from a CSV or XLSX file.

Required columns: code, name, parent_code, level, kind, credit_code (Chinese headers
代码、名称、上级代码、层级、类型、统一社会信用代码 are accepted too). Optional columns
fill the disclosure office's contact details, the supervising flag and the 机关代字 of
the agency's letters (`abbr`, header 机关代字).

A file whose structure is wrong (unreadable, missing columns, no rows) imports nothing.
Otherwise each row is checked on its own; valid rows are imported, and every rejected
row is reported with its line number and the reason. A row below a rejected row is
rejected too, since its parent does not exist. The file is read by
gongkai.lib.spreadsheets, as the catalog import reads its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from gongkai.audit.log import record
from gongkai.audit.models import Action
from gongkai.lib.spreadsheets import (
    Columns,
    RejectedRow,
    Row,
    RowProblem,
    Source,
    StructureError,
    read_table,
)
from gongkai.orgs.models import Agency, Kind, Level

__all__ = ["ImportReport", "RejectedRow", "StructureError", "import_agencies", "read_file"]

REQUIRED_COLUMNS = ("code", "name", "parent_code", "level", "kind", "credit_code")
OPTIONAL_COLUMNS = (
    "is_supervising",
    "office_name",
    "office_address",
    "office_hours",
    "office_phone",
    "office_fax",
    "office_email",
    "office_postcode",
    "abbr",
)
# Optional columns named otherwise than their field.
COLUMN_FIELDS = {"abbr": "doc_abbr"}
HEADER_ALIASES = {
    "代码": "code",
    "机关代码": "code",
    "名称": "name",
    "机关名称": "name",
    "上级代码": "parent_code",
    "上级机关代码": "parent_code",
    "层级": "level",
    "类型": "kind",
    "统一社会信用代码": "credit_code",
    "监督机构": "is_supervising",
    "公开工作机构": "office_name",
    "办公地址": "office_address",
    "办公时间": "office_hours",
    "联系电话": "office_phone",
    "传真": "office_fax",
    "电子邮箱": "office_email",
    "邮政编码": "office_postcode",
    "机关代字": "abbr",
    "代字": "abbr",
}
LEVEL_WORDS = {
    Level.PROVINCE: ("省", "省级", "自治区", "直辖市"),
    Level.CITY: ("市", "市级", "地级市", "设区的市", "州", "盟"),
    Level.COUNTY: ("县", "县级", "区", "县级市", "旗"),
    Level.TOWNSHIP: ("乡", "镇", "乡镇", "街道", "乡镇街道", "苏木"),
}
KIND_WORDS = {
    Kind.GOVERNMENT: ("人民政府", "政府", "街道办事处"),
    Kind.DEPARTMENT: ("政府部门", "部门", "工作部门"),
    Kind.DISPATCHED: ("派出机构", "内设机构", "派出机构或内设机构"),
}
TRUE_WORDS = ("1", "true", "yes", "y", "是", "√")


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[RejectedRow] = field(default_factory=list)
    dry_run: bool = False

    @property
    def imported(self) -> int:
        return len(self.created) + len(self.updated)


COLUMNS = Columns(
    aliases=HEADER_ALIASES,
    # A missing column is named by its field name, as the command's help lists them.
    required={column: column for column in REQUIRED_COLUMNS},
)


def read_file(source: Source, filename: str | None = None) -> list[Row]:
    """The rows of a CSV or XLSX file, an upload or a path (see gongkai.lib.spreadsheets)."""
    return read_table(
        source, filename, columns=COLUMNS, no_rows=_("The file has a header row but no agencies.")
    ).rows


def _choice(
    value: str, choices: type[Level] | type[Kind], words: Mapping[Any, tuple[str, ...]]
) -> str | None:
    if value in choices.values:
        return value
    for member in choices:
        if value == str(member.label):
            return str(member.value)
    for member, aliases in words.items():
        if value in aliases:
            return str(member.value)
    return None


def _check_fields(row: Row, existing: Agency | None) -> Agency | None:
    values = {key: row.text(key) for key in row.cells}
    level = _choice(values["level"], Level, LEVEL_WORDS)
    kind = _choice(values["kind"], Kind, KIND_WORDS)
    if not values["code"]:
        row.add("code", _("The code is empty."), name_column=False)
    if not values["name"]:
        row.add("name", _("The name is empty."), name_column=False)
    if level is None:
        row.add(
            "level",
            _("Unknown level “%(value)s”; use one of %(choices)s.")
            % {"value": values["level"], "choices": "、".join(str(c.label) for c in Level)},
            name_column=False,
        )
    if kind is None:
        row.add(
            "kind",
            _("Unknown kind “%(value)s”; use one of %(choices)s.")
            % {"value": values["kind"], "choices": "、".join(str(c.label) for c in Kind)},
            name_column=False,
        )
    agency = existing or Agency()
    agency.code = values["code"]
    agency.name = values["name"]
    agency.level = level or ""
    agency.kind = kind or ""
    agency.credit_code = values["credit_code"].upper()
    for column in OPTIONAL_COLUMNS:
        if column in values:
            if column == "is_supervising":
                agency.is_supervising = values[column].lower() in TRUE_WORDS
            else:
                setattr(agency, COLUMN_FIELDS.get(column, column), values[column])
    try:
        agency.full_clean(exclude=["parent", "level", "kind"], validate_unique=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            label = (
                getattr(Agency._meta.get_field(name), "verbose_name", name)
                if name != "__all__"
                else ""
            )
            row.problems.extend(
                RowProblem(row.line, m, field=name, column=str(label)) for m in messages
            )
    return agency if not row.problems else None


def import_agencies(
    rows: list[Row],
    *,
    dry_run: bool = False,
    actor: Any = None,
    actor_name: str = "",
    source: str = "",
    request: HttpRequest | None = None,
) -> ImportReport:
    """Create or update agencies from checked rows; see the module docstring.

    A real import that changed something writes one audit entry (by `actor`, or under
    `actor_name` for the command line) in the same transaction.
    """
    report = ImportReport(dry_run=dry_run)
    existing = {a.code: a for a in Agency.objects.select_related("parent")}
    db_parent = {code: (a.parent.code if a.parent else "") for code, a in existing.items()}
    before = {code: _snapshot(a) for code, a in existing.items()}

    by_code: dict[str, Row] = {}
    prepared: dict[str, Agency] = {}
    for row in rows:
        if row.text("code") and row.text("code") in by_code:
            row.add(
                "code",
                _("The code %(code)s already appears on line %(line)d.")
                % {"code": row.text("code"), "line": by_code[row.text("code")].line},
                name_column=False,
            )
            continue
        if row.text("code"):
            by_code[row.text("code")] = row
        agency = _check_fields(row, existing.get(row.text("code")))
        if agency is not None:
            prepared[row.text("code")] = agency

    # The tree after the import: the database's parents, overridden by the file's for
    # the rows that will be saved. A rejected row keeps its database parent (see below).
    final_parent = dict(db_parent)
    for code in prepared:
        final_parent[code] = by_code[code].text("parent_code")

    def check_parent(row: Row) -> None:
        parent = row.text("parent_code")
        if not parent:
            return
        if parent == row.text("code"):
            row.add("parent_code", _("An agency cannot be its own parent."), name_column=False)
        elif parent in by_code and by_code[parent].problems:
            row.add(
                "parent_code",
                _("Its parent %(code)s (line %(line)d) was rejected.")
                % {"code": parent, "line": by_code[parent].line},
                name_column=False,
            )
        elif parent not in by_code and parent not in existing:
            row.add(
                "parent_code",
                _("The parent code %(code)s is neither in the file nor in the system.")
                % {"code": parent},
                name_column=False,
            )
        else:
            seen = {row.text("code")}
            current = parent
            while current:
                if current in seen:
                    row.add(
                        "parent_code",
                        _("Its parent chain loops back to itself (%(code)s).") % {"code": current},
                        name_column=False,
                    )
                    break
                seen.add(current)
                current = final_parent.get(current, "")

    # Rejections travel down the tree: repeat until no new row is rejected.
    changed = True
    while changed:
        changed = False
        for code in list(prepared):
            row = by_code[code]
            check_parent(row)
            if row.problems:
                del prepared[code]
                if code in db_parent:
                    final_parent[code] = db_parent[code]
                else:
                    final_parent.pop(code, None)
                changed = True

    def depth(code: str) -> int:
        n, current = 0, final_parent.get(code, "")
        while current:
            n, current = n + 1, final_parent.get(current, "")
        return n

    report.errors = [row.rejected(label=row.text("code")) for row in rows if row.problems]
    with transaction.atomic():
        saved: dict[str, Agency] = {}
        for code in sorted(prepared, key=depth):
            agency = prepared[code]
            row = by_code[code]
            parent_code = row.text("parent_code")
            parent = (saved.get(parent_code) or existing.get(parent_code)) if parent_code else None
            agency.parent = parent
            is_new = agency.pk is None
            if is_new or _snapshot(agency) != before[code]:
                agency.save()
                (report.created if is_new else report.updated).append(code)
            else:
                report.unchanged.append(code)
            saved[code] = agency
        if dry_run:
            transaction.set_rollback(True)
        elif report.imported:
            record(
                Action.AGENCIES_IMPORTED,
                actor=actor,
                actor_name=actor_name,
                request=request,
                detail={
                    "file": source,
                    "created": report.created,
                    "updated": report.updated,
                    "rejected_lines": [e.line for e in report.errors],
                },
            )
    return report


def _snapshot(agency: Agency) -> tuple[Any, ...]:
    fields = [
        "parent_id",
        "name",
        "level",
        "kind",
        "credit_code",
        *(COLUMN_FIELDS.get(c, c) for c in OPTIONAL_COLUMNS),
    ]
    return tuple(getattr(agency, f) for f in fields)
