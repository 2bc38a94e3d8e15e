"""Load or update the agency tree from a CSV or XLSX file.

Required columns: code, name, parent_code, level, kind, credit_code (Chinese headers
代码、名称、上级代码、层级、类型、统一社会信用代码 are accepted too). Optional columns
fill the disclosure office's contact details and the supervising flag.

A file whose structure is wrong (unreadable, missing columns, no rows) imports nothing.
Otherwise each row is checked on its own; valid rows are imported, and every rejected
row is reported with its line number and the reason. A row below a rejected row is
rejected too, since its parent does not exist.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from gongkai.audit.log import record
from gongkai.audit.models import Action
from gongkai.orgs.models import Agency, Kind, Level

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
)
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


class StructureError(Exception):
    """The file as a whole cannot be imported; nothing was changed."""


@dataclass
class RowError:
    line: int
    code: str
    messages: list[str]

    def __str__(self) -> str:
        where = _("line %(line)d") % {"line": self.line}
        if self.code:
            where += f"（{self.code}）"
        return f"{where}：{'；'.join(self.messages)}"


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def imported(self) -> int:
        return len(self.created) + len(self.updated)


@dataclass
class _Row:
    line: int
    values: dict[str, str]
    messages: list[str] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.values.get("code", "")

    @property
    def parent_code(self) -> str:
        return self.values.get("parent_code", "")


def _normalise_header(cell: Any) -> str:
    text = str(cell or "").strip().lstrip("\ufeff").strip()
    return HEADER_ALIASES.get(text, text.lower())


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _table_rows(header: list[str], rows: Iterable[tuple[int, list[Any]]]) -> list[_Row]:
    columns = [_normalise_header(h) for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise StructureError(
            _(
                "The file lacks the column(s) %(missing)s. The first row must name the columns %(required)s."
            )
            % {"missing": "、".join(missing), "required": ",".join(REQUIRED_COLUMNS)}
        )
    duplicated = sorted({c for c in columns if c and columns.count(c) > 1})
    if duplicated:
        raise StructureError(
            _("The column(s) %(columns)s appear more than once.")
            % {"columns": "、".join(duplicated)}
        )
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    result = []
    for line, cells in rows:
        texts = [_cell(c) for c in cells]
        if not any(texts):
            continue
        values = {
            column: (texts[i] if i < len(texts) else "")
            for i, column in enumerate(columns)
            if column in known
        }
        result.append(_Row(line=line, values=values))
    if not result:
        raise StructureError(_("The file has a header row but no agencies."))
    return result


def read_csv(data: bytes) -> list[_Row]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise StructureError(_("The file is neither UTF-8 nor GB18030 text."))
    if "\x00" in text:
        raise StructureError(_("The file is not a CSV text file."))
    reader = csv.reader(io.StringIO(text))
    try:
        lines = list(reader)
    except csv.Error as exc:
        raise StructureError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc
    if not lines:
        raise StructureError(_("The file is empty."))
    return _table_rows(lines[0], ((i, cells) for i, cells in enumerate(lines[1:], start=2)))


def read_xlsx(data: bytes) -> list[_Row]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise StructureError(_("The file is not a valid XLSX workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = [(i, list(r)) for i, r in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()
    rows = [(i, r) for i, r in rows if any(_cell(c) for c in r)]
    if not rows:
        raise StructureError(_("The file is empty."))
    header_line, header = rows[0]
    del header_line
    return _table_rows([_cell(c) for c in header], rows[1:])


def read_file(source: Path | str | IO[bytes], filename: str | None = None) -> list[_Row]:
    """Read the rows of a CSV or XLSX file (by extension, or by content when unknown)."""
    if isinstance(source, str | Path):
        path = Path(source)
        filename = filename or path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise StructureError(
                _("The file %(name)s cannot be opened: %(error)s")
                % {"name": path, "error": exc.strerror}
            ) from exc
    else:
        data = source.read()
    name = (filename or "").lower()
    if name.endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        return read_xlsx(data)
    if name.endswith(".xls"):
        raise StructureError(
            _("Old .xls workbooks are not supported; save the file as .xlsx or CSV.")
        )
    return read_csv(data)


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


def _check_fields(row: _Row, existing: Agency | None) -> Agency | None:
    values = row.values
    level = _choice(values["level"], Level, LEVEL_WORDS)
    kind = _choice(values["kind"], Kind, KIND_WORDS)
    if not values["code"]:
        row.messages.append(_("The code is empty."))
    if not values["name"]:
        row.messages.append(_("The name is empty."))
    if level is None:
        row.messages.append(
            _("Unknown level “%(value)s”; use one of %(choices)s.")
            % {"value": values["level"], "choices": "、".join(str(c.label) for c in Level)}
        )
    if kind is None:
        row.messages.append(
            _("Unknown kind “%(value)s”; use one of %(choices)s.")
            % {"value": values["kind"], "choices": "、".join(str(c.label) for c in Kind)}
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
                setattr(agency, column, values[column])
    try:
        agency.full_clean(exclude=["parent", "level", "kind"], validate_unique=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            label = (
                getattr(Agency._meta.get_field(name), "verbose_name", name)
                if name != "__all__"
                else ""
            )
            row.messages.extend(f"{label}：{m}" if label else m for m in messages)
    return agency if not row.messages else None


def import_agencies(
    rows: list[_Row],
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

    by_code: dict[str, _Row] = {}
    prepared: dict[str, Agency] = {}
    for row in rows:
        if row.code and row.code in by_code:
            row.messages.append(
                _("The code %(code)s already appears on line %(line)d.")
                % {"code": row.code, "line": by_code[row.code].line}
            )
            continue
        if row.code:
            by_code[row.code] = row
        agency = _check_fields(row, existing.get(row.code))
        if agency is not None:
            prepared[row.code] = agency

    # The tree after the import: the database's parents, overridden by the file's for
    # the rows that will be saved. A rejected row keeps its database parent (see below).
    final_parent = dict(db_parent)
    for code in prepared:
        final_parent[code] = by_code[code].parent_code

    def check_parent(row: _Row) -> None:
        parent = row.parent_code
        if not parent:
            return
        if parent == row.code:
            row.messages.append(_("An agency cannot be its own parent."))
        elif parent in by_code and by_code[parent].messages:
            row.messages.append(
                _("Its parent %(code)s (line %(line)d) was rejected.")
                % {"code": parent, "line": by_code[parent].line}
            )
        elif parent not in by_code and parent not in existing:
            row.messages.append(
                _("The parent code %(code)s is neither in the file nor in the system.")
                % {"code": parent}
            )
        else:
            seen = {row.code}
            current = parent
            while current:
                if current in seen:
                    row.messages.append(
                        _("Its parent chain loops back to itself (%(code)s).") % {"code": current}
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
            if row.messages:
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

    report.errors = [
        RowError(line=row.line, code=row.code, messages=row.messages)
        for row in rows
        if row.messages
    ]
    with transaction.atomic():
        saved: dict[str, Agency] = {}
        for code in sorted(prepared, key=depth):
            agency = prepared[code]
            row = by_code[code]
            parent_code = row.parent_code
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
    fields = ["parent_id", "name", "level", "kind", "credit_code", *OPTIONAL_COLUMNS]
    return tuple(getattr(agency, f) for f in fields)
