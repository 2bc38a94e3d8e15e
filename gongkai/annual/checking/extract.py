"""Every figure of a published report, by the keys of its format: Document → Extracted.

Tables come as `Table` blocks (HTML, DOCX and PDF grids, merged cells repeated into every
position they cover) or as lines of text: cells separated by `|` or tabs, by runs of
spaces, one cell per line (HTML pasted as text), or digits run together without any
separator ("（一）予以公开713000074"). A line of text is first cut before the format's
labels (segment.py: a report on one line, rows glued together). Both go through one
reader, line by line:

- a line is label cells then value cells (`_split`); the row is found by its label
  (labels.py), under the last group label seen (（三）不予公开 …) and in the table of the
  last section heading, block caption (第二十条第（一）项) or column header seen; a row
  label that belongs to another table moves the reader there;
- values may follow their label on the next lines; they are gathered until the row has
  as many as the table has columns;
- a row with fewer cells than columns is decoded when its digits run together: every
  split into the columns, without leading zeros, in which each total of the format's
  identities (table 三: 总计 = the six applicant columns; table 四: each 总计 = the four
  before it) adds up. One split: read, with an INFO finding; several: the cells they
  disagree on are AMBIGUOUS, with a WARNING listing them; none: all AMBIGUOUS, WARNING.
  Table 二 has no totals: its digits decode only where no other split exists ("006" for
  three columns). Rows left with several splits are then settled by the whole table
  (`_Reader.settle`): a split that breaks an identity across rows (column sums, group
  totals, table 三's balance) is dropped.

Cells keep what was printed (`parse_value`): a number (int, or Decimal when it has
decimals: 万元 amounts; signed for 本年增/减, "增加3"/"减少8" too), BLANK for an empty cell,
SLASH for "/", DASH for "-", "—", "——", "－" and for "无" (a mark that says "none", like a
dash, unlike a cell left empty). None of them is 0. A row the report does not print is
absent from `tables`.

Sections 一, 五 and 六 are the text under their headings (title or a title variant of the
JSON); pre-2019 and unrecognised reports have the whole text under "overview". The
narrative figures (figures.py) are read from every line that is not part of a table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from functools import cache, partial
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gongkai.annual.checking.cells import TO_ASCII, Line, document_lines, parse_value
from gongkai.annual.checking.detect import cited_documents, detection
from gongkai.annual.checking.digits import decode, splittable
from gongkai.annual.checking.document import (
    AMBIGUOUS,
    BLANK,
    FORMAT_2019,
    FORMAT_2021,
    FORMAT_PRE2019,
    INFO,
    WARNING,
    Document,
    Extracted,
    Finding,
    LabelEdit,
    Severity,
    Value,
)
from gongkai.annual.checking.figures import narrative_figures
from gongkai.annual.checking.formats import (
    TEXT_CELLS_BY_FORMAT,
    ReaderFormat,
    ReaderTable,
    reader_format,
    section_words,
)
from gongkai.annual.checking.labels import (
    PRE2019,
    Match,
    core,
    normalize,
    pre2019_statistics,
)
from gongkai.annual.checking.segment import segment
from gongkai.lib.report_format import Identity, format_spec, identities

CANDIDATES_SHOWN = 5  # splits listed in a finding
FRAGMENT = 60  # longest unmatched label line kept as the start of a wrapped label
HEADING = 40  # longest line taken for a section heading, caption or header
LONGEST_LABEL = 160  # a longer line is text (the longest labels carry Hubei's notes)

_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(r"^(?:[-—－]\s*\d{1,3}\s*[-—－]|第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?)$")
# Numbering inside a label run together with another: "三、本年度办理结果（三）不予公开1.…".
_INNER_NUMBERING = re.compile(
    r"(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）]|(?<![\d.])\d{1,2}[.．、](?!\d))"
)
_LONE_BARS = ("|", "｜")
_SENTENCE_END = ("。", "；", ";", "！", "？", "!", "?")
_TOP_NUMBERING = re.compile(r"^\s*([一二三四五六七八九十]{1,2})\s*[、.．]")


# ---- the reader ------------------------------------------------------------------------


@dataclass
class _Pending:
    """A row whose label is read and whose figures are being gathered."""

    table: ReaderTable
    key: str
    values: list[str]
    cells: bool
    quote: str
    lines: list[int]
    edits: list[LabelEdit] = field(default_factory=list)


class _Reader:
    def __init__(self, fmt: ReaderFormat, extracted: Extracted) -> None:
        self.fmt = fmt
        self.out = extracted
        self.table: ReaderTable | None = None
        self.scope: str | None = None
        self.mode = False  # in a table: a table section, after a caption or a header
        self.section: str | None = None
        self.pending: _Pending | None = None
        self.fragment = ""
        self.block = -1
        self.consumed: set[int] = set()
        self.headings: dict[int, str] = {}
        self.edits: dict[tuple[str, str, str, str], LabelEdit] = {}
        self.row_words = set(fmt.rows.exact)
        # Rows whose digits split several ways: (table, row, the splits, their finding).
        self.ambiguous: list[tuple[str, str, list[tuple[Value, ...]], str, int]] = []

    # -- driving ------------------------------------------------------------------------

    def run(self, lines: list[Line]) -> None:
        table_block = False
        for n, line in enumerate(lines):
            if not line.raw:
                self.blank(lines, n)
                continue
            if line.block != self.block:
                if table_block or line.table_block:
                    self.finish()  # a table block's rows do not go on outside it
                self.block, table_block = line.block, line.table_block
            self.feed(line)
        self.finish()
        for edit in self.edits.values():
            self.out.label_edits.append(edit)

    def feed(self, line: Line) -> None:
        if _PAGE_NUMBER.match(line.raw):
            return
        pending = self.pending
        if line.raw in _LONE_BARS and pending is not None and not pending.cells:
            # One cell per line, each ending in "|": a bar alone is an empty cell.
            if 0 < len(pending.values) < len(pending.table.columns):
                pending.values.append(BLANK)
                if len(pending.values) == len(pending.table.columns):
                    self.finish()
            return
        values = [v for v in line.values if v.strip()] if not line.cells else line.values
        if values and any(v.strip() for v in values):
            if line.labels:
                self.labelled(line, values)
            else:
                self.values_only(line, values)
        elif line.labels:
            self.label_only(line)

    def blank(self, lines: list[Line], n: int) -> None:
        """A blank line: a blank cell of a row printed one cell per line (the next line
        of text is a single figure), else nothing."""
        pending = self.pending
        if pending is None or pending.cells or len(pending.values) >= len(pending.table.columns):
            return
        after = next((line for line in lines[n + 1 :] if line.raw), None)
        if after is None or after.labels or len(after.values) != 1:
            return
        pending.values.append(BLANK)

    def use(self, table: ReaderTable) -> None:
        if self.table is not table:
            self.table = table
            self.scope = None

    # -- lines --------------------------------------------------------------------------

    def values_only(self, line: Line, values: list[str]) -> None:
        pending = self.pending
        if pending is not None and not pending.cells:
            pending.values.extend(values)
            pending.lines.append(line.index)
            if len(pending.values) >= len(pending.table.columns):
                self.finish()
            return
        self.finish()
        table = self.table
        if (self.mode or line.table_block) and table is not None and table.unlabelled:
            if table.unlabelled in self.out.tables.get(table.id, {}):
                return
            if not any(_DIGITS.search(v) for v in values):
                return
            self.pending = _Pending(
                table, table.unlabelled, list(values), line.cells, line.raw, [line.index]
            )
            if line.cells or len(values) >= len(table.columns):
                self.finish()

    def labelled(self, line: Line, values: list[str]) -> None:
        # A label wrapped onto this line from the one before goes in front of it.
        labels = [self.fragment, *line.labels] if self.fragment else line.labels
        found = self.resolve(labels, loose=True)
        self.fragment = ""
        pending = self.pending
        waiting = pending is not None and not pending.values and not pending.cells
        if (
            pending is not None
            and waiting
            and (found is None or (found[0] is pending.table and found[1].key == pending.key))
        ):
            # The end of the label of the row before, then its figures.
            pending.values.extend(values)
            pending.lines.append(line.index)
            if line.cells or len(values) >= len(pending.table.columns):
                self.finish()
            return
        self.finish()
        if found is None:
            table = self.table
            if (
                (self.mode or line.table_block)
                and table is not None
                and table.unlabelled
                and table.unlabelled not in self.out.tables.get(table.id, {})
                and len(core("".join(line.labels))) <= 6
                and any(_DIGITS.search(v) for v in values)
            ):
                self.pending = _Pending(
                    table, table.unlabelled, list(values), line.cells, line.raw, [line.index]
                )
                if line.cells or len(values) >= len(table.columns):
                    self.finish()
            return
        table, match, edits = found
        self.use(table)
        self.mode = True
        label = match.label
        if label.kind == "group":
            self.scope = label.key
            self.consumed.add(line.index)
            self.record(edits)
            if any(_DIGITS.search(v) for v in values):
                # （六）其他处理 as one row, as the 2019 table has it, in a 2021 report.
                group = _Pending(table, label.key, [], line.cells, line.raw, [line.index])
                self.finding(
                    "GROUP-ROW-FIGURES",
                    WARNING,
                    _(
                        "%(row)s heads a group of rows in this format, but figures are "
                        "printed on its own row (“%(figures)s”); they were not read."
                    )
                    % {"row": _where(table, label.key), "figures": " ".join(values)},
                    group,
                )
            return
        self.scope = label.key if table.rows.children.get(label.key) else label.parent
        self.pending = _Pending(table, label.key, list(values), line.cells, line.raw, [line.index])
        self.pending.edits = edits
        if line.cells or len(values) >= len(table.columns):
            self.finish()

    def label_only(self, line: Line) -> None:
        text = " ".join(line.labels)
        if len(text) > LONGEST_LABEL:
            self.fragment = ""
            return
        words = core(text)
        short = len(words) <= HEADING
        if short and not line.table_block and self.fmt.sections is not None:
            key = self.heading(text, words)
            if key is not None:
                self.finish()
                self.fragment = ""
                self.headings[line.index] = key
                self.section = key
                tables = self.fmt.section_tables.get(key)
                self.mode = tables is not None
                if tables:
                    self.use(self.fmt.tables[tables[0]])
                return
        if self.fmt.title and words == self.fmt.title:  # 政府信息公开情况统计表
            self.mode = True
            self.use(self.fmt.tables[PRE2019])
            self.consumed.add(line.index)
            return
        if not (self.mode or line.table_block or short):
            self.fragment = ""
            return
        if short and self.caption(text):
            self.consumed.add(line.index)
            return
        table = self.table
        if table is not None and not self.out.tables.get(table.id) and self.header(line.labels):
            self.consumed.add(line.index)
            return
        if self.mode or line.table_block:
            labels = [self.fragment, *line.labels] if self.fragment else line.labels
            found = self.resolve(labels, loose=False)
            if found is not None:
                self.finish()
                self.fragment = ""
                table, match, edits = found
                self.use(table)
                self.consumed.add(line.index)
                label = match.label
                if label.kind == "group":
                    self.scope = label.key
                    self.record(edits)
                else:
                    self.scope = label.key if table.rows.children.get(label.key) else label.parent
                    # A row of blank cells is complete; a label alone waits for its figures.
                    blanks = list(line.values) if line.cells else []
                    self.pending = _Pending(
                        table, label.key, blanks, bool(blanks), line.raw, [line.index]
                    )
                    self.pending.edits = edits
                    if blanks:
                        self.finish()
                return
        if short and self.header(line.labels):
            self.consumed.add(line.index)
            return
        if self.mode or line.table_block:
            self.fragment = text if len(words) <= FRAGMENT else ""

    # -- what a line is -----------------------------------------------------------------

    def heading(self, text: str, words: str) -> str | None:
        """The section a heading line starts ("五、存在的主要问题及改进情况"), if it is one."""
        sections = self.fmt.sections
        if sections is None or not words or words in self.row_words:
            return None
        if text.rstrip().endswith(_SENTENCE_END):
            return None
        match = sections.match(text)
        if match is not None and (not match.edited or len(core(match.label.official)) >= 8):
            return match.key
        for key, titles in section_words(self.fmt.id).items():
            for title in titles:
                where = words.find(title)
                if 0 <= where <= 6 and len(words) - len(title) <= 10:
                    return key
        numbered = _TOP_NUMBERING.match(text)
        if numbered and len(words) <= 30:
            numbered_key = self.fmt.numbered_sections.get(numbered.group(1))
            if numbered_key is not None:
                rest = core(text[numbered.end() :])
                for title in section_words(self.fmt.id)[numbered_key]:
                    if SequenceMatcher(None, rest, title).ratio() >= 0.6:
                        return numbered_key
        return None

    def caption(self, text: str) -> bool:
        """A block caption of section 二 (第二十条第（一）项): the reader moves to its table."""
        if self.fmt.captions is None:
            return False
        match = self.fmt.captions.match(text)
        if match is None:
            # A caption too garbled to read ("第二十条第()"): the next block.
            order = [label.key for label in self.fmt.captions.labels]
            stem = _common_prefix([core(label.official) for label in self.fmt.captions.labels])
            words = core(text)
            if not stem or not words.startswith(stem) or len(words) > len(stem) + 3:
                return False
            current = self.table.id if self.table is not None else ""
            if current in order and not self.out.tables.get(current):
                later = [current]  # the block the section starts with, still empty
            else:
                later = order[order.index(current) + 1 :] if current in order else order
            if not later:
                return False
            self.finish()
            self.use(self.fmt.tables[later[0]])
            self.mode = True
            return True
        self.finish()
        self.use(self.fmt.tables[match.key])
        self.mode = True
        self.record_edit(match, match.key, "", "")
        return True

    def header(self, labels: list[str]) -> bool:
        """A line of column headers: their edits are kept, and the table they belong to
        becomes the reader's (the next one in order where several tables share them)."""
        segments: list[str] = []
        for label in labels:
            for part in label.split():
                if segments and normalize(part).startswith("("):
                    segments[-1] = f"{segments[-1]} {part}"  # a note: "现行有效件数 (历史累计)"
                else:
                    segments.append(part)
        hits = 0
        tables: set[str] | None = None
        edits: list[tuple[Match, str]] = []
        i = 0
        while i < len(segments):
            step, match, owners = self.header_at(segments, i)
            if match is not None:
                hits += 1
                tables = owners if tables is None else (tables & owners) or tables
                if match.edited and match.key:
                    edits.append((match, match.label.table))
            i += step
        if not hits or hits * 2 < len(segments) or tables is None:
            return False
        self.finish()
        order = list(self.fmt.tables)
        current = self.table
        if current is None or current.id not in tables or self.out.tables.get(current.id):
            start = order.index(current.id) + 1 if current is not None else 0
            later = [t for t in order[start:] if t in tables]
            chosen = later[0] if later else current.id if current and current.id in tables else None
            if chosen is None:
                chosen = next(t for t in order if t in tables)
            self.use(self.fmt.tables[chosen])
        self.mode = True
        for match, table in edits:
            self.record_edit(match, table, "", match.key)
        return True

    def header_at(self, segments: list[str], i: int) -> tuple[int, Match | None, set[str]]:
        for j in range(min(len(segments), i + 4), i + 1, -1):
            words = core("".join(segments[i:j]))
            found = self.fmt.headers.exact.get(words)
            if found:
                text = "".join(segments[i:j])
                return j - i, Match(found[0], text, False), {label.table for label in found}
        segment = segments[i]
        if self.table is not None:
            match = self.table.headers.match(segment)
            if match is not None:
                return 1, match, {self.table.id}
        match = self.fmt.headers.match(segment)
        if match is None:
            return 1, None, set()
        if not match.edited:
            owners = {label.table for label in self.fmt.headers.exact.get(core(segment), [])}
            return 1, match, owners or {match.label.table}
        return 1, match, {match.label.table}

    def resolve(
        self, labels: list[str], *, loose: bool
    ) -> tuple[ReaderTable, Match, list[LabelEdit]] | None:
        """The row a line's label cells name, the group cells before it setting the scope."""
        while len(labels) > 1 and labels[-1] in self.fmt.units:
            labels = labels[:-1]  # the unit column of the pre-2019 table
        attempts: list[tuple[list[str], list[str]]] = [
            (labels[:i], labels[i:]) for i in range(len(labels))
        ]
        if len(labels) == 1:
            text = labels[0]
            cuts = [m.start() for m in _INNER_NUMBERING.finditer(text) if m.start() > 0]
            pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
            if len(pieces) > 1:
                attempts += [(pieces[:i], pieces[i:]) for i in range(1, len(pieces))]
        # The same words first, the longest label first; then variants, likewise.
        for exact in (True, False):
            for prefix, rest in attempts:
                scope, table, edits = self.scope, self.table, []
                for cell in prefix:
                    found = self.find(cell, scope, table, exact=True)
                    if found is None:
                        found = self.find(cell, scope, table, exact=False)
                    if found is not None:
                        table, match = found
                        if table.rows.children.get(match.key):
                            scope = match.key
                        if match.edited:
                            edits.append(self.edit(match, table.id, match.key, ""))
                text = " ".join(rest)
                found = self.find(text, scope, table, exact=exact, loose=loose)
                if found is None:
                    continue
                table, match = found
                if match.edited:
                    edits.append(self.edit(match, table.id, match.key, ""))
                return table, match, edits
        return None

    def find(
        self,
        text: str,
        scope: str | None,
        table: ReaderTable | None,
        *,
        exact: bool,
        loose: bool = False,
    ) -> tuple[ReaderTable, Match] | None:
        if table is not None:
            match = table.rows.match(text, scope, exact=exact, loose=loose and not exact)
            if match is not None:
                return table, match
        # Another table's row moves the reader there; by a loose match only when the
        # reader is in no table yet.
        match = self.fmt.rows.match(text, None, exact=exact, loose=loose and table is None)
        if match is None:
            return None
        other = self.fmt.tables[match.label.table]
        if other is not table:
            again = other.rows.match(text, None, exact=True)  # under its own groups
            return other, again or match
        return other, match

    # -- rows ---------------------------------------------------------------------------

    def edit(self, match: Match, table: str, row: str, col: str) -> LabelEdit:
        return LabelEdit(
            table=table, row=row, col=col, official=match.label.official, printed=match.printed
        )

    def record(self, edits: list[LabelEdit]) -> None:
        for edit in edits:
            self.edits.setdefault((edit.table, edit.row, edit.col, edit.printed), edit)

    def record_edit(self, match: Match, table: str, row: str, col: str) -> None:
        if match.edited:
            self.record([self.edit(match, table, row, col)])

    def finish(self) -> None:
        pending, self.pending = self.pending, None
        if pending is None or not pending.values:
            return
        table = pending.table
        columns = len(table.columns)
        cells = [(raw, parse_value(raw)) for raw in pending.values]
        if len(cells) > columns:
            while len(cells) > columns and cells[-1][1] == BLANK:
                cells.pop()
            while len(cells) > columns and cells[0][1] == BLANK:
                cells.pop(0)
        where = _where(table, pending.key)
        if len(cells) > columns:
            if len({str(value) for _, value in cells}) == 1:  # one merged cell, repeated
                cells = cells[:columns]
            else:
                self.finding(
                    "ROW-CELLS",
                    WARNING,
                    ngettext(
                        "%(row)s has %(found)d cell where the format has %(expected)d "
                        "columns; the first %(expected)d were read.",
                        "%(row)s has %(found)d cells where the format has %(expected)d "
                        "columns; the first %(expected)d were read.",
                        len(cells),
                    )
                    % {"row": where, "found": len(cells), "expected": columns},
                    pending,
                )
                cells = cells[:columns]
        if len(cells) == columns:
            values: list[Value] = [value if value is not None else BLANK for _, value in cells]
        else:
            values = self.run_together(pending, [raw for raw, _ in cells], where)
        self.consumed.update(pending.lines)
        row = dict(zip(table.columns, values, strict=True))
        rows = self.out.tables.setdefault(table.id, {})
        if pending.key in rows:
            if rows[pending.key] != row:
                self.finding(
                    "ROW-REPEATED",
                    WARNING,
                    _("%(row)s is printed twice with different figures; the first was kept.")
                    % {"row": where},
                    pending,
                )
            return
        rows[pending.key] = row
        self.record(pending.edits)

    def run_together(self, pending: _Pending, raws: list[str], where: str) -> list[Value]:
        table = pending.table
        columns = len(table.columns)
        atoms: list[str | Value] = []
        for raw in raws:
            plain = raw.translate(TO_ASCII).strip()
            if plain.isdigit() and len(plain) > 1:
                atoms.append(plain)
            else:
                value = parse_value(raw)
                atoms.append(BLANK if value is None else value)
        printed = " ".join(r.strip() for r in raws)
        if not any(splittable(a) for a in atoms):
            self.finding(
                "ROW-CELLS",
                WARNING,
                ngettext(
                    "%(row)s has %(found)d cell where the format has %(expected)d columns; "
                    "cells may have been lost. Its cells are marked “?”.",
                    "%(row)s has %(found)d cells where the format has %(expected)d columns; "
                    "cells may have been lost. Its cells are marked “?”.",
                    len(raws),
                )
                % {"row": where, "found": len(raws), "expected": columns},
                pending,
            )
            return [AMBIGUOUS] * columns
        splits, complete = decode(atoms, columns, table.sums)
        if len(splits) == 1 and complete:
            self.finding(
                "RUN-TOGETHER",
                INFO,
                _(
                    "The figures of %(row)s are printed without separators (“%(digits)s”); "
                    "they were read as %(cells)s, the only split that fits the columns "
                    "and their totals."
                )
                % {"row": where, "digits": printed, "cells": _cells_text(splits[0])},
                pending,
            )
            return list(splits[0])
        if not splits:
            self.finding(
                "RUN-TOGETHER-UNREADABLE",
                WARNING,
                _(
                    "The figures of %(row)s are printed without separators (“%(digits)s”) "
                    "and cannot be split into %(count)d cells whose totals add up. Its "
                    "cells are marked “?”."
                )
                % {"row": where, "digits": printed, "count": columns},
                pending,
            )
            return [AMBIGUOUS] * columns
        shown = "; ".join(_cells_text(s) for s in splits[:CANDIDATES_SHOWN])
        if len(splits) > CANDIDATES_SHOWN or not complete:
            shown += "; …"
        if complete:
            self.ambiguous.append((table.id, pending.key, splits, printed, len(self.out.findings)))
        self.finding(
            "RUN-TOGETHER-AMBIGUOUS",
            WARNING,
            _(
                "The figures of %(row)s are printed without separators (“%(digits)s”) and "
                "can be split in more than one way: %(splits)s. The cells the splits "
                "disagree on are marked “?”."
            )
            % {"row": where, "digits": printed, "splits": shown},
            pending,
        )
        if not complete:
            return [AMBIGUOUS] * columns
        return [
            column[0] if all(v == column[0] for v in column) else AMBIGUOUS
            for column in zip(*splits, strict=True)
        ]

    def settle(self) -> None:
        """Rows run together that split several ways, settled by the whole table: the
        format's identities across rows (column sums, group totals, table 三's balance)
        leave one split only. Repeated while a settled row settles another."""
        if not self.ambiguous:
            return
        sums = [i for i in identities(self.fmt.id) if i.table in self.out.tables]
        settled: dict[int, str] = {}
        progress = True
        while progress:
            progress = False
            for n, (table_id, key, splits, printed, finding) in enumerate(self.ambiguous):
                if n in settled:
                    continue
                row = self.out.tables[table_id][key]
                columns = list(row)
                fitting = []
                for split in splits:
                    trial = dict(zip(columns, split, strict=True))
                    if all(
                        _holds(self.out.tables, identity, (table_id, key), trial) is not False
                        for identity in sums
                    ):
                        fitting.append(trial)
                if len(fitting) == 1:
                    row.update(fitting[0])
                    settled[n] = key
                    old = self.out.findings[finding]
                    self.out.findings[finding] = Finding(
                        id="RUN-TOGETHER",
                        severity=INFO,
                        message=_(
                            "The figures of %(row)s are printed without separators "
                            "(“%(digits)s”); of the splits that fit the row, only %(cells)s "
                            "also fits the totals of the rest of the table."
                        )
                        % {
                            "row": _where(self.fmt.tables[table_id], key),
                            "digits": printed,
                            "cells": _cells_text(list(fitting[0].values())),
                        },
                        table=old.table,
                        row=old.row,
                        quote=old.quote,
                    )
                    progress = True

    def settle_by_text(self, narrative: dict[str, dict[str, Any]]) -> None:
        """Rows of table 二 (no totals) still split several ways, settled by the counts the
        text states ("制发行政规范性文件2件"); otherwise they stay "?" with the splits listed."""
        stated: dict[tuple[str, str], dict[str, Value]] = {}
        for key, cells in TEXT_CELLS_BY_FORMAT.get(self.fmt.id, {}).items():
            value = narrative.get(key, {}).get("value")
            if isinstance(value, int) and not isinstance(value, bool):
                for table_id, row_key, col in cells:
                    stated.setdefault((table_id, row_key), {})[col] = value
        for table_id, key, splits, printed, finding in self.ambiguous:
            row = self.out.tables[table_id][key]
            if AMBIGUOUS not in row.values() or (table_id, key) not in stated:
                continue
            wanted = stated[(table_id, key)]
            fitting = [
                dict(zip(list(row), split, strict=True))
                for split in splits
                if all(
                    dict(zip(list(row), split, strict=True)).get(c) == v for c, v in wanted.items()
                )
            ]
            if len(fitting) != 1:
                continue
            row.update(fitting[0])
            old = self.out.findings[finding]
            self.out.findings[finding] = Finding(
                id="RUN-TOGETHER",
                severity=INFO,
                message=_(
                    "The figures of %(row)s are printed without separators (“%(digits)s”); "
                    "of the splits that fit the row, only %(cells)s agrees with the figures "
                    "the text states."
                )
                % {
                    "row": _where(self.fmt.tables[table_id], key),
                    "digits": printed,
                    "cells": _cells_text(list(fitting[0].values())),
                },
                table=old.table,
                row=old.row,
                quote=old.quote,
            )

    def finding(self, id_: str, severity: Severity, message: str, pending: _Pending) -> None:
        self.out.findings.append(
            Finding(
                id=id_,
                severity=severity,
                message=message,
                table=pending.table.id,
                row=pending.key,
                quote=pending.quote,
            )
        )


def _holds(
    tables: dict[str, dict[str, dict[str, Value]]],
    identity: Identity,
    where: tuple[str, str],
    trial: dict[str, Value],
) -> bool | None:
    """Whether `identity` holds with the row `where` read as `trial`: None when it does not
    involve that row or a cell it needs is absent or unknown ("?"). Blanks, "/" and "-"
    count as 0."""
    cells = (identity.total, *(cell for cell, _sign in identity.addends))
    if not any((t, r) == where for t, r, _c in cells):
        return None

    def value(cell: tuple[str, str, str]) -> int | Decimal | None:
        t, r, c = cell
        row = trial if (t, r) == where else tables.get(t, {}).get(r)
        if row is None or c not in row:
            return None
        v = row[c]
        if v == AMBIGUOUS:
            return None
        return v if isinstance(v, int | Decimal) and not isinstance(v, bool) else 0

    total = value(identity.total)
    parts = [(value(cell), sign) for cell, sign in identity.addends]
    if total is None or any(v is None for v, _sign in parts):
        return None
    return total == sum(v * sign for v, sign in parts if v is not None)


@cache
def _format_name(format_id: str) -> str:
    """国办公开办函〔2021〕30号, 国办公开办函〔2019〕60号, or 政府信息公开情况统计表."""
    if format_id == FORMAT_PRE2019:
        return str(pre2019_statistics()["title"])
    document = format_spec(format_id)["document"]
    numbers = cited_documents(document)
    return numbers[0] if numbers else str(document)


def _common_prefix(words: list[str]) -> str:
    prefix = words[0] if words else ""
    for word in words[1:]:
        while not word.startswith(prefix):
            prefix = prefix[:-1]
    return prefix


def _where(table: ReaderTable, key: str) -> str:
    """“table title” › “row label”, as the format has them."""
    label = table.labels.get(key, "")
    return f"“{table.title}” › “{label}”" if label else f"“{table.title}”"


def _cells_text(cells: Sequence[Value]) -> str:
    return " | ".join(str(c) for c in cells)


# ---- sections ----------------------------------------------------------------------------


def _sections(
    lines: list[Line], headings: dict[int, str], consumed: set[int], fmt: ReaderFormat | None
) -> dict[str, str]:
    text_lines = [line for line in lines if not line.table_block and line.raw]
    if fmt is None or fmt.sections is None or not headings:
        return {"overview": "\n".join(line.raw for line in text_lines)}
    text_keys = {s["key"] for s in format_spec(fmt.id)["sections"] if s["form"] == "text"}
    parts: dict[str, list[str]] = {}
    intro: list[str] = []
    current: str | None = None
    for line in text_lines:
        if line.index in headings:
            current = headings[line.index]
            if current in text_keys:
                parts.setdefault(current, [])
            continue
        if line.index in consumed:
            continue
        if current is None:
            intro.append(line.raw)
        elif current in text_keys:
            parts[current].append(line.raw)
    if "overview" not in parts:
        parts["overview"] = intro
    return {key: "\n".join(parts[key]) for key in sorted(parts, key=_section_order(fmt.id))}


def _section_order(format_id: str) -> Any:
    order = {s["key"]: n for n, s in enumerate(format_spec(format_id)["sections"])}
    return lambda key: order.get(key, len(order))


# ---- the report ----------------------------------------------------------------------------


def extract(document: Document) -> Extracted:
    """Every table figure, the text sections and the narrative figures of a report."""
    found = detection(document)
    out = Extracted(
        file=document.name,
        format=found.format,
        agency=found.agency,
        year=found.year,
        period=found.period,
        cited_documents=found.cited_documents,
    )
    if found.inferred and found.year is not None:
        out.findings.append(
            Finding(
                id="FORMAT-FROM-YEAR",
                severity=INFO,
                message=_(
                    "No table of a known format was found; the format of %(format)s was "
                    "assumed from the report year %(year)d."
                )
                % {"format": _format_name(found.format), "year": found.year},
            )
        )
    fmt = (
        reader_format(found.format)
        if found.format in (FORMAT_2021, FORMAT_2019, FORMAT_PRE2019)
        else None
    )
    lines = document_lines(document, partial(segment, fmt=fmt) if fmt is not None else None)
    reader = None
    if fmt is not None:
        reader = _Reader(fmt, out)
        reader.run(lines)
        reader.settle()
    consumed = reader.consumed if reader is not None else set()
    headings = reader.headings if reader is not None else {}
    out.sections = _sections(lines, headings, consumed, fmt)
    narrative = "\n".join(
        line.raw
        for line in lines
        if line.raw and not line.table_block and line.index not in consumed
    )
    out.narrative = narrative_figures(narrative)
    if reader is not None:
        reader.settle_by_text(out.narrative)
        out.splits = [
            entry
            for entry in reader.ambiguous
            if AMBIGUOUS in out.tables[entry[0]][entry[1]].values()
        ]
    return out


# ---- the years before and after ------------------------------------------------------------

_CARRY = "t3_applications"
_IN_FORCE = "t2_art20_1"


def _number(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _fits_series(
    table_id: str,
    key: str,
    cells: dict[str, Value],
    before: Extracted | None,
    after: Extracted | None,
) -> bool | None:
    """Whether a split of a row agrees with the reports of the year before and after (None:
    they say nothing about it). Table 三's 上年结转 is last year's 结转下年度继续办理 and the
    other way round; table 二's 现行有效件数 is last year's, plus 本年制发, less 本年废止."""
    checks: list[bool] = []
    if table_id == _CARRY and key in ("carried_over", "carried_forward"):
        other, row = (
            (before, "carried_forward") if key == "carried_over" else (after, "carried_over")
        )
        theirs = other.tables.get(_CARRY, {}).get(row, {}) if other is not None else {}
        for col, value in cells.items():
            if _number(value) and _number(theirs.get(col)):
                checks.append(value == theirs[col])
    elif table_id == _IN_FORCE and before is not None:
        last = before.tables.get(_IN_FORCE, {}).get(key, {}).get("in_force")
        issued, repealed, in_force = (cells.get(c) for c in ("issued", "repealed", "in_force"))
        if all(map(_number, (last, issued, repealed, in_force))):
            checks.append(in_force == last + issued - repealed)  # type: ignore[operator]
    return all(checks) if checks else None


def settle_series(reports: list[Extracted]) -> set[int]:
    """Rows run together that split several ways, settled by the same agency's reports of
    the year before and after (`reports`, any order): the split that agrees with them, when
    only one does; the rest of its table is then settled again by its identities. The
    indexes of the reports changed."""
    by_year: dict[int, Extracted] = {}
    for report in reports:
        if isinstance(report.year, int) and report.year not in by_year:
            by_year[report.year] = report
    changed: set[int] = set()
    for index, report in enumerate(reports):
        if not report.splits or report.year is None or by_year.get(report.year) is not report:
            continue
        if report.format not in (FORMAT_2021, FORMAT_2019):
            continue
        before, after = by_year.get(report.year - 1), by_year.get(report.year + 1)
        if before is None and after is None:
            continue
        fmt = reader_format(report.format)
        left = []
        for entry in report.splits:
            table_id, key, splits, printed, finding = entry
            row = report.tables[table_id][key]
            trials = [dict(zip(list(row), split, strict=True)) for split in splits]
            verdicts = [_fits_series(table_id, key, t, before, after) for t in trials]
            fitting = [t for t, v in zip(trials, verdicts, strict=True) if v]
            if len(fitting) != 1 or None in verdicts:
                left.append(entry)
                continue
            row.update(fitting[0])
            old = report.findings[finding]
            year = (
                report.year - 1
                if key != "carried_forward" or table_id != _CARRY
                else report.year + 1
            )
            report.findings[finding] = Finding(
                id="RUN-TOGETHER",
                severity=INFO,
                message=_(
                    "The figures of %(row)s are printed without separators (“%(digits)s”); "
                    "of the splits that fit the row, only %(cells)s agrees with the report "
                    "of %(year)d."
                )
                % {
                    "row": _where(fmt.tables[table_id], key),
                    "digits": printed,
                    "cells": _cells_text(list(fitting[0].values())),
                    "year": year,
                },
                table=old.table,
                row=old.row,
                quote=old.quote,
            )
            changed.add(index)
        if index in changed:
            reader = _Reader(fmt, report)
            reader.ambiguous = left
            reader.settle()
            report.splits = [
                entry for entry in left if AMBIGUOUS in report.tables[entry[0]][entry[1]].values()
            ]
    return changed


__all__ = ["decode", "extract", "parse_value", "settle_series"]
