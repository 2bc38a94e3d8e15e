"""The data passed between the steps of reading and checking a published report.

A `Document` is what a reader makes of a file: blocks in reading order, each a paragraph
(one line of text) or a table (a grid of cell texts, merged cells repeated into every
position they cover). Plain text has no tables: its table rows are lines, which the
extractor splits itself (spaces, tabs, `|`, or digits run together).

An `Extracted` report holds the figures by the keys of annual_report_format.json:
tables[table_id][row_key][column_key] = a `Value`. A value keeps what was printed: a
number, or one of the non-numbers BLANK, SLASH, DASH (a blank cell, "/", "-" or "—" are
not 0), or AMBIGUOUS when digits run together can be split in more than one way.

Findings are gongkai.lib.findings.Finding, the type annual.validate makes too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# Re-exported: the checker's modules take the finding type from here, with the rest of the contract.
from gongkai.lib.findings import Finding as Finding
from gongkai.lib.findings import Severity as Severity

# Non-numeric cells, as they appear in the JSON output.
BLANK, SLASH, DASH, AMBIGUOUS = "", "/", "-", "?"
NON_NUMBERS = (BLANK, SLASH, DASH, AMBIGUOUS)

FORMAT_2021, FORMAT_2019, FORMAT_PRE2019 = "2021", "2019", "pre2019"

# Severities, by their old names (gongkai.lib.findings.Severity).
ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass
class Paragraph:
    text: str
    # Plain text: the blank lines right before this one (not part of what it is).
    blanks_before: int = field(default=0, compare=False)


@dataclass
class Table:
    rows: list[list[str]]


Block = Paragraph | Table


@dataclass
class Document:
    name: str  # the file name, or "pasted text"
    kind: str  # "text", "html", "docx", "pdf"
    blocks: list[Block] = field(default_factory=list)

    @classmethod
    def from_text(cls, text: str, name: str = "pasted text") -> Document:
        """Plain text: one paragraph per non-empty line (table rows stay lines); the
        blank lines before a line are counted in its `blanks_before` (blank cells where a
        table is printed one cell per line)."""
        blocks: list[Block] = []
        blanks = 0
        for line in text.replace("\r\n", "\n").split("\n"):
            line = line.strip()
            if not line:
                blanks += 1
                continue
            blocks.append(Paragraph(line, blanks_before=blanks if blocks else 0))
            blanks = 0
        return cls(name=name, kind="text", blocks=blocks)

    def text(self) -> str:
        """All text, tables as lines of cells joined by " | "."""
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                lines.append(block.text)
            else:
                lines.extend(" | ".join(row) for row in block.rows)
        return "\n".join(lines)


# A table figure: a number, or one of NON_NUMBERS.
Value = int | Decimal | str


@dataclass
class LabelEdit:
    """A printed label that differs from the format's (情况 for 情形, extra spaces ...)."""

    table: str
    row: str  # row key ("" for a column header)
    col: str  # column key ("" for a row label)
    official: str
    printed: str


@dataclass
class Extracted:
    file: str
    format: str  # FORMAT_2021, FORMAT_2019, FORMAT_PRE2019 or "" (not recognised)
    agency: str = ""
    year: int | None = None
    # 2021/2019: {table_id: {row_key: {col_key: Value}}}; pre2019: {"pre2019": {item_key:
    # {"value": Value}}} with the item keys of the statistics table (extract.py).
    tables: dict[str, dict[str, dict[str, Value]]] = field(default_factory=dict)
    # Text sections by the format's section keys (overview, problems, other); the whole
    # text under "overview" when there are no recognisable sections.
    sections: dict[str, str] = field(default_factory=dict)
    # Figures stated in the text: {key: {"value": int|Decimal, "quote": sentence}}.
    narrative: dict[str, dict[str, Any]] = field(default_factory=dict)
    label_edits: list[LabelEdit] = field(default_factory=list)
    # Where the legal basis, the reporting period and the like are stated (checks.py).
    period: tuple[str, str] | None = None  # ("2023-01-01", "2023-12-31") if stated
    cited_documents: list[str] = field(default_factory=list)  # 国办公开办函〔2019〕60号 ...
    # Findings made while reading (ambiguous run-together cells, unreadable rows).
    findings: list[Finding] = field(default_factory=list)
    # Rows run together still split several ways (their cells "?"): (table, row, the
    # splits, the digits as printed, the index of their finding), for the reports of
    # the years before and after to settle (extract.settle_series).
    splits: list[tuple[str, str, list[tuple[Value, ...]], str, int]] = field(default_factory=list)
