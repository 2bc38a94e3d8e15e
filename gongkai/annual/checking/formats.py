"""A format's tables as the extractor needs them: label sets, column keys, the sums within
a row that decode run-together digits, section titles and captions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from gongkai.annual.checking.document import (
    FORMAT_PRE2019,
)
from gongkai.annual.checking.labels import (
    PRE2019,
    LabelSet,
    core,
    format_headers,
    format_rows,
    pre2019_items,
    pre2019_statistics,
    section_titles,
    table_captions,
    table_headers,
    table_rows,
)
from gongkai.annual.layout import leaf_columns
from gongkai.lib.report_format import format_spec, identities

# ---- the tables of a format ----------------------------------------------------------

# Figures of the text that are cells of table 二, by format: what a report states about its
# normative documents ("制发行政规范性文件2件", "现行有效…12件"); the checks compare them,
# and the extractor settles run-together digits of table 二 with them.
TEXT_CELLS_BY_FORMAT: dict[str, dict[str, tuple[tuple[str, str, str], ...]]] = {
    "2021": {
        "normative_issued": (("t2_art20_1", "normative_documents", "issued"),),
        "normative_in_force": (("t2_art20_1", "normative_documents", "in_force"),),
    },
    "2019": {
        "normative_issued": (("t2_2019_art20_1", "normative_documents", "newly_made"),),
    },
}


@dataclass(frozen=True)
class ReaderTable:
    id: str
    title: str
    columns: tuple[str, ...]
    rows: LabelSet
    headers: LabelSet
    sums: tuple[tuple[tuple[int, ...], int], ...]  # (addend positions, total position)
    unlabelled: str  # the key of the table's one row without a label (table 四), or ""
    labels: dict[str, str]  # row key → official label


@dataclass(frozen=True)
class ReaderFormat:
    id: str
    tables: dict[str, ReaderTable]
    rows: LabelSet  # of every table
    headers: LabelSet  # of every table
    sections: LabelSet | None
    numbered_sections: dict[str, str]  # "五" → section key
    section_tables: dict[str, tuple[str, ...]]
    captions: LabelSet | None
    title: str  # pre-2019: the statistics table's title
    units: frozenset[str]


def _sums(format_id: str, table_id: str, columns: tuple[str, ...]) -> list[Any]:
    """The format's identities within one row of the table: a total and its addends, each
    (addend positions, total position) once, whichever rows it holds for."""
    found: dict[tuple[tuple[int, ...], int], None] = {}
    for identity in identities(format_id):
        cells = identity.cells
        if len(identity.lhs) != 1 or not identity.rhs or any(c[0] != table_id for c in cells):
            continue
        if len({c[1] for c in cells}) != 1 or any(c[2] not in columns for c in cells):
            continue
        addends = tuple(columns.index(c[2]) for c in identity.rhs)
        total = columns.index(identity.total[2])
        if max(addends) < total:
            found[(addends, total)] = None
    return list(found)


@cache
def reader_format(format_id: str) -> ReaderFormat:
    if format_id == FORMAT_PRE2019:
        statistics = pre2019_statistics()
        items = pre2019_items()
        table = ReaderTable(
            id=PRE2019,
            title=statistics["title"],
            columns=("value",),
            rows=items,
            headers=LabelSet([]),
            sums=(),
            unlabelled="",
            labels={label.key: label.official for label in items.labels},
        )
        return ReaderFormat(
            id=format_id,
            tables={PRE2019: table},
            rows=items,
            headers=LabelSet([]),
            sections=None,
            numbered_sections={},
            section_tables={},
            captions=None,
            title=core(statistics["title"]),
            units=frozenset(i["unit"] for i in statistics["items"] if i["unit"]) | {"元"},
        )
    spec = format_spec(format_id)
    tables = {}
    for item in spec["tables"]:
        columns = tuple(leaf_columns(item["id"], format_id))
        unlabelled = [r["key"] for r in item["rows"] if r["kind"] == "data" and not r["label"]]
        tables[item["id"]] = ReaderTable(
            id=item["id"],
            title=item["title"],
            columns=columns,
            rows=table_rows(format_id, item["id"]),
            headers=table_headers(format_id, item["id"]),
            sums=tuple(_sums(format_id, item["id"], columns)),
            unlabelled=unlabelled[0] if unlabelled else "",
            labels={r["key"]: r["label"] for r in item["rows"]},
        )
    return ReaderFormat(
        id=format_id,
        tables=tables,
        rows=format_rows(format_id),
        headers=format_headers(format_id),
        sections=section_titles(format_id),
        numbered_sections={s["no"]: s["key"] for s in spec["sections"]},
        section_tables={
            s["key"]: tuple(s.get("tables", ())) for s in spec["sections"] if s["form"] == "table"
        },
        captions=table_captions(format_id),
        title="",
        units=frozenset(),
    )


@cache
def section_words(format_id: str) -> dict[str, list[str]]:
    return {
        s["key"]: [core(t) for t in [s["title"], *s.get("title_variants", ())]]
        for s in format_spec(format_id)["sections"]
    }
