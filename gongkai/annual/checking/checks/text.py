"""The checks on a report as a whole and on its text: the format for the year, the legal
basis cited, the period, and the figures the text states against the tables."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from django.utils.translation import gettext as _

from gongkai.annual import narrative
from gongkai.annual.checking.checks.grid import (
    BRACKETS,
    KNOWN_RATES,
    MONEY_KEYS,
    PARTS_SUFFIX,
    PRE2019_COLUMN,
    PRE2019_TABLE,
    TEXT_CELLS,
    TEXT_CELLS_BY_FORMAT,
    TEXT_ITEMS_PRE2019,
    TRIAL_TITLE,
    UNIT_IN_YUAN,
    Cell,
    Grid,
    Number,
    _circular,
    _circular_name,
    _format_circulars,
    _number,
    _pre2019_items,
    _show,
    cell_name,
)
from gongkai.annual.checking.document import (
    FORMAT_2019,
    FORMAT_2021,
    FORMAT_PRE2019,
    INFO,
    WARNING,
    Extracted,
    Finding,
)
from gongkai.annual.checking.labels import short_words
from gongkai.lib.report_format import (
    APPLICATIONS_TABLE,
    REVIEW_TABLE,
    format_id_for_year,
    format_spec,
)


def check_whole_report(report: Extracted) -> list[Finding]:
    findings: list[Finding] = []
    if report.format not in (FORMAT_2021, FORMAT_2019, FORMAT_PRE2019):
        findings.append(
            Finding(
                "FORMAT-UNKNOWN",
                INFO,
                _(
                    "The report's tables do not follow a format this system knows, so they "
                    "were not checked."
                ),
            )
        )
    year = report.year
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9998:
        year = None
    if year is not None and report.format in (FORMAT_2021, FORMAT_2019, FORMAT_PRE2019):
        expected = format_id_for_year(year) or FORMAT_PRE2019
        if report.format != expected:
            findings.append(
                Finding(
                    "FORMAT-YEAR",
                    WARNING,
                    _(
                        "A report for %(year)d uses the tables of %(expected)s, but these "
                        "tables follow %(found)s."
                    )
                    % {
                        "year": year,
                        "expected": _circular_name(expected),
                        "found": _circular_name(report.format),
                    },
                )
            )
    if year is not None:
        findings += _legal_basis(report, year)
    findings += _period(report, year)
    findings += _placeholders(report)
    return findings


def _placeholders(report: Extracted) -> list[Finding]:
    """Template placeholders left in the text (narrative.placeholders, the rule approval
    applies too): one warning, quoting the first."""
    texts = [report.agency if isinstance(report.agency, str) else ""]
    sections = report.sections if isinstance(report.sections, Mapping) else {}
    texts += [text for text in sections.values() if isinstance(text, str)]
    found: list[str] = []
    for text in texts:
        start = 0
        for placeholder in narrative.placeholders(text):
            at = text.index(placeholder, start)
            start = at + len(placeholder)
            line = text[text.rfind("\n", 0, at) + 1 :].split("\n", 1)[0]
            found.append(line.strip()[:120] or placeholder)
    if not found:
        return []
    return [
        Finding(
            "PLACEHOLDER",
            WARNING,
            _(
                "The report still contains template text to be filled in (“%(text)s”); "
                "it was published unfinished."
            )
            % {"text": found[0]},
            quote=found[0],
        )
    ]


def _legal_basis(report: Extracted, year: int) -> list[Finding]:
    expected = format_id_for_year(year)
    if expected is None:
        return []
    circulars = _format_circulars()
    cited: dict[str, str] = {}  # format -> the citation as printed
    documents = report.cited_documents if isinstance(report.cited_documents, list | tuple) else []
    for text in documents:
        if not isinstance(text, str):
            continue
        number = _circular(text)
        plain = re.sub(r"\s+", "", text).translate(BRACKETS)
        for format_id, circular in circulars.items():
            if number == circular or (format_id == FORMAT_2019 and TRIAL_TITLE.search(plain)):
                cited.setdefault(format_id, text.strip())
    if expected in cited or not cited:
        return []  # citing the right one beside the other is history, not the basis
    other = next(iter(cited))
    return [
        Finding(
            "LEGAL-BASIS",
            WARNING,
            _(
                "This report for %(year)d cites %(cited)s as the basis of its format, but "
                "reports for %(year)d follow %(document)s."
            )
            % {"year": year, "cited": cited[other], "document": format_spec(expected)["document"]},
            quote=cited[other],
        )
    ]


def _period(report: Extracted, year: int | None) -> list[Finding]:
    period = report.period
    if not isinstance(period, list | tuple) or len(period) != 2:
        return []
    try:
        start, end = date.fromisoformat(str(period[0])), date.fromisoformat(str(period[1]))
    except ValueError:
        return []
    year = year if year is not None else start.year
    if (start, end) == (date(year, 1, 1), date(year, 12, 31)):
        return []
    return [
        Finding(
            "PERIOD",
            WARNING,
            _(
                "The report covers %(start)s to %(end)s; a report for %(year)d covers "
                "%(year)d-01-01 to %(year)d-12-31."
            )
            % {"start": start.isoformat(), "end": end.isoformat(), "year": year},
        )
    ]


# ---- the text --------------------------------------------------------------------------------


def check_text(report: Extracted, grid: Grid) -> list[Finding]:
    entries = report.narrative if isinstance(report.narrative, Mapping) else {}
    findings: list[Finding] = []
    quotes: list[str] = []
    for key, entry in entries.items():
        if not isinstance(entry, Mapping) or not isinstance(key, str):
            continue
        if key.endswith(PARTS_SUFFIX):
            found = _breakdown(entries, key, entry)
            shares = _shares(entry)
            if shares is not None:
                findings.append(shares)
        elif key == "all_upheld":
            found = _all_upheld(grid, entry)
        elif key.endswith("_rate") or entry.get("percent") is True:
            found = _percent(report, grid, key, entry)
        else:
            found = _text_vs_table(grid, key, entry)
        if found is not None:
            findings.append(found)
            quotes.append(found.quote)
    combined, handled = _combined(report, grid)
    findings += combined
    findings += _quoted_figures(report, grid, quotes + [f.quote for f in combined], handled)
    return findings


@cache
def _outcomes(format_id: str) -> dict[str, tuple[Cell, ...]]:
    """Table 三's outcomes by their words (予以公开, 不予公开 …): the 总计 cells of the row,
    or of a group's rows."""
    table = next(t for t in format_spec(format_id)["tables"] if t["id"] == APPLICATIONS_TABLE)
    rows = table["rows"]
    results = next(
        (r["key"] for r in rows if r["kind"] == "group" and r.get("parent") is None), None
    )
    found: dict[str, tuple[Cell, ...]] = {}
    for row in rows:
        if row.get("parent") != results or results is None:
            continue
        keys = (
            [row["key"]]
            if row["kind"] == "data"
            else [r["key"] for r in rows if r.get("parent") == row["key"]]
        )
        found[short_words(row["label"])] = tuple((APPLICATIONS_TABLE, k, "total") for k in keys)
    return found


@cache
def _combined_pattern(format_id: str) -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in sorted(_outcomes(format_id), key=len, reverse=True))
    return re.compile(
        rf"(?P<a>{words})(?:(?:及|和|与|、|以及)(?P<b>{words}))+\s*(?P<num>\d+)\s*(?:件|个|条)"
    )


def _combined(report: Extracted, grid: Grid) -> tuple[list[Finding], list[str]]:
    """ "予以公开及部分公开7件": compared with the sum of both rows. Returns the findings and
    the sentences with such a figure (not to be read as one outcome's figure)."""
    if grid.format not in (FORMAT_2021, FORMAT_2019):
        return [], []
    outcomes = _outcomes(grid.format)
    pattern = _combined_pattern(grid.format)
    sections = report.sections if isinstance(report.sections, Mapping) else {}
    findings: list[Finding] = []
    handled: list[str] = []
    for text in sections.values():
        if not isinstance(text, str):
            continue
        for sentence in re.findall(r"[^。！？\n]+[。！？]?", text):
            for match in pattern.finditer(sentence):
                handled.append(plain_text(sentence))
                named = re.findall("|".join(map(re.escape, outcomes)), match.group(0))
                cells = tuple(c for word in dict.fromkeys(named) for c in outcomes[word])
                if not grid.readable(cells):
                    continue
                expected = sum(grid.value(c) for c in cells)
                stated = int(match.group("num"))
                if stated == expected:
                    continue
                quote = sentence.strip()
                findings.append(
                    Finding(
                        "TEXT-TABLE",
                        WARNING,
                        _(
                            "The text gives %(value)s (“%(quote)s”), but the table gives "
                            "%(expected)s (%(cells)s)."
                        )
                        % {
                            "value": _show(stated),
                            "quote": quote,
                            "expected": _show(expected),
                            "cells": " + ".join(cell_name(grid.format, *c) for c in cells),
                        },
                        *cells[0],
                        quote=quote,
                    )
                )
    return findings, handled


def _cells_for(grid: Grid, key: str) -> tuple[Cell, ...]:
    if grid.format == FORMAT_PRE2019:
        item = TEXT_ITEMS_PRE2019.get(key)
        return ((PRE2019_TABLE, item, PRE2019_COLUMN),) if item else ()
    if grid.format in (FORMAT_2021, FORMAT_2019):
        return TEXT_CELLS.get(key) or TEXT_CELLS_BY_FORMAT[grid.format].get(key, ())
    return ()


def _table_value(grid: Grid, key: str) -> tuple[Number, Number] | None:
    """The table's figure for a narrative key in the text's unit, and the tolerance."""
    cells = _cells_for(grid, key)
    if not cells or not grid.readable(cells):
        return None
    total: Number = sum(grid.value(c) for c in cells)
    tolerance: Number = 0
    if key in MONEY_KEYS and grid.format == FORMAT_PRE2019:
        unit = _pre2019_items().get(cells[0][1], {}).get("unit", "")
        scale = UNIT_IN_YUAN.get(unit, 1)
        exponent = Decimal(total).as_tuple().exponent
        digits = exponent if isinstance(exponent, int) else 0
        tolerance = Decimal(5).scaleb(digits - 1) * scale
        total = total * scale
    return total, tolerance


def _text_vs_table(grid: Grid, key: str, entry: Mapping[str, Any]) -> Finding | None:
    stated = _number(entry.get("value"))
    table = _table_value(grid, key)
    if stated is None or table is None:
        return None
    expected, tolerance = table
    if abs(Decimal(stated) - Decimal(expected)) <= tolerance:
        return None
    cells = _cells_for(grid, key)
    quote = str(entry.get("quote") or "")
    if key == "applications_received" and "结转" in quote:
        # "受理50件（含上年结转5件）", "(其中本年度新收45件,上年结转5件)": new and carried over.
        carried = _table_value(grid, "carried_over")
        if carried is not None and stated == expected + carried[0]:
            return None
    return Finding(
        "TEXT-TABLE",
        WARNING,
        _("The text gives %(value)s (“%(quote)s”), but the table gives %(expected)s (%(cells)s).")
        % {
            "value": _show(stated),
            "quote": quote,
            "expected": _show(expected),
            "cells": " + ".join(cell_name(grid.format, *c) for c in cells),
        },
        *cells[0],
        quote=quote,
    )


def _resolve(report: Extracted, grid: Grid, ref: Any) -> Number | None:
    """A number from a percentage's numerator or denominator (see the module docstring)."""
    number = _number(ref)
    if number is not None:
        return number
    if isinstance(ref, list | tuple):
        parts = [_resolve(report, grid, r) for r in ref]
        known = [p for p in parts if p is not None]
        return sum(known) if len(known) == len(parts) and parts else None
    if not isinstance(ref, str) or not ref:
        return None
    if ref.startswith("-"):
        value = _resolve(report, grid, ref[1:])
        return None if value is None else -value
    entry = report.narrative.get(ref) if isinstance(report.narrative, Mapping) else None
    if isinstance(entry, Mapping) and _number(entry.get("value")) is not None:
        return _number(entry.get("value"))
    if "." in ref:
        table_id, _dot, rest = ref.partition(".")
        row, _dot, col = rest.partition(".")
        cell = (table_id, row, col or PRE2019_COLUMN)
        return grid.value(cell) if grid.readable([cell]) else None
    table = _table_value(grid, ref)
    return table[0] if table is not None else None


def _percent(report: Extracted, grid: Grid, key: str, entry: Mapping[str, Any]) -> Finding | None:
    printed = _number(entry.get("value"))
    if printed is None:
        return None
    pairs: tuple[tuple[Any, Any], ...] = KNOWN_RATES.get(key, ())
    if "numerator" in entry and "denominator" in entry:
        pairs = ((entry["numerator"], entry["denominator"]),)
    for numerator_ref, denominator_ref in pairs:
        numerator = _resolve(report, grid, numerator_ref)
        denominator = _resolve(report, grid, denominator_ref)
        if numerator is None or denominator is None:
            continue
        if not denominator:
            return None
        try:
            computed = Decimal(numerator) * 100 / Decimal(denominator)
            exponent = Decimal(printed).as_tuple().exponent
            digits = exponent if isinstance(exponent, int) else 0
            if abs(Decimal(printed) - computed) <= Decimal(5).scaleb(digits - 1):
                return None
        except ArithmeticError:  # figures no report prints (1E-999999): nothing to compare
            return None
        quote = str(entry.get("quote") or "")
        return Finding(
            "PERCENT",
            WARNING,
            _(
                "The text gives %(percent)s%% (“%(quote)s”), but %(numerator)s of "
                "%(denominator)s is %(computed)s%%."
            )
            % {
                "percent": _show(printed),
                "quote": quote,
                "numerator": _show(numerator),
                "denominator": _show(denominator),
                "computed": f"{computed:.2f}" if abs(computed) < 10**6 else f"{computed:.4g}",
            },
            quote=quote,
        )
    return None


def _breakdown(entries: Mapping[str, Any], key: str, entry: Mapping[str, Any]) -> Finding | None:
    total_entry = entries.get(key.removesuffix(PARTS_SUFFIX))
    total = _number(total_entry.get("value")) if isinstance(total_entry, Mapping) else None
    if _number(entry.get("total")) is not None:  # the figure the sentence breaks down
        total = _number(entry.get("total"))
    parts = entry.get("value")
    if isinstance(parts, Mapping):
        parts = list(parts.items())
    if total is None or not isinstance(parts, list | tuple) or not parts:
        return None
    numbers = [
        _number(p[1]) if isinstance(p, list | tuple) and len(p) == 2 else _number(p) for p in parts
    ]
    known = [n for n in numbers if n is not None]
    if len(known) != len(numbers):
        return None
    added: Number = sum(known)
    partial = entry.get("partial") is True
    if added == total or (partial and added < total):
        return None
    quote = str(entry.get("quote") or "")
    values = {"sum": _show(added), "total": _show(total), "quote": quote}
    message = (
        _(
            "The parts listed add up to %(sum)s, more than the stated total of %(total)s (“%(quote)s”)."
        )
        if added > total
        else _(
            "The parts listed add up to %(sum)s, not to the stated total of %(total)s (“%(quote)s”)."
        )
    )
    # A list after 其中 may name only some parts: less than the total is a note, more is
    # a real disagreement; so is less when the list ends in a catch-all (其他…).
    severity = WARNING if added > total or entry.get("complete") is True else INFO
    return Finding("BREAKDOWN-SUM", severity, message % values, quote=quote)


def _shares(entry: Mapping[str, Any]) -> Finding | None:
    """ "A n件，占x%": the share checked against the count and the total broken down."""
    total = _number(entry.get("total"))
    shares = entry.get("shares")
    if not total or not isinstance(shares, list | tuple):
        return None
    for share in shares:
        if not isinstance(share, list | tuple) or len(share) != 3:
            continue
        count, printed = _number(share[1]), _number(share[2])
        if count is None or printed is None:
            continue
        computed = Decimal(count) * 100 / Decimal(total)
        exponent = Decimal(printed).as_tuple().exponent
        digits = exponent if isinstance(exponent, int) else 0
        if abs(Decimal(printed) - computed) <= Decimal(5).scaleb(digits - 1):
            continue
        quote = str(entry.get("quote") or "")
        return Finding(
            "PERCENT",
            WARNING,
            _(
                "The text gives %(percent)s%% (“%(quote)s”), but %(numerator)s of "
                "%(denominator)s is %(computed)s%%."
            )
            % {
                "percent": _show(printed),
                "quote": quote,
                "numerator": _show(count),
                "denominator": _show(total),
                "computed": f"{computed:.2f}",
            },
            quote=quote,
        )
    return None


_NOT_UPHELD = ("corrected", "other", "pending")


def _all_upheld(grid: Grid, entry: Mapping[str, Any]) -> Finding | None:
    """ "均获维持" while table 四 shows cases corrected, otherwise decided or pending."""
    if grid.format not in (FORMAT_2021, FORMAT_2019) or REVIEW_TABLE not in grid.present:
        return None
    cells = [
        (REVIEW_TABLE, "cases", f"{group}_{what}")
        for group in ("review", "lit_direct", "lit_after_review")
        for what in _NOT_UPHELD
    ]
    cells = [c for c in cells if grid.kind(c) != "missing"]
    if not cells or not grid.readable(cells):
        return None
    others = [c for c in cells if grid.value(c)]
    if not others:
        return None
    quote = str(entry.get("quote") or "")
    return Finding(
        "TEXT-TABLE",
        WARNING,
        _("The text says every case was upheld (“%(quote)s”), but the table gives %(cells)s.")
        % {
            "quote": quote,
            "cells": "、".join(
                f"{cell_name(grid.format, *c)} {_show(grid.value(c))}" for c in others
            ),
        },
        *others[0],
        quote=quote,
    )


def plain_text(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _quoted_figures(
    report: Extracted, grid: Grid, quotes: list[str], handled: list[str] | None = None
) -> list[Finding]:
    """narrative.check_quoted_figures over the sections, for the 2021 and 2019 tables, less
    the sentences the extractor's figures were already found wrong in."""
    if grid.format not in (FORMAT_2021, FORMAT_2019):
        return []
    # The figures it knows are totals: table 三's 总计 column and table 四.
    needed = [
        (table_id, row, col)
        for table_id, row, col in grid.kinds
        if table_id == REVIEW_TABLE or (table_id == APPLICATIONS_TABLE and col == "total")
    ]
    if not grid.readable(needed):
        return []
    sections = report.sections if isinstance(report.sections, Mapping) else {}
    reported = [plain_text(q) for q in quotes if q] + (handled or [])
    findings = []
    for key, text in sections.items():
        if not isinstance(text, str):
            continue
        sentences = [s for _w, _n, s in narrative.quoted_figures(text)]
        for found in narrative.check_quoted_figures({key: text}, grid.numeric):
            message = str(found["message"])
            quote = next((s for s in sentences if s and s in message), "")
            plain = plain_text(quote)
            if plain and any(plain in q or q in plain for q in reported):
                continue
            findings.append(Finding("TEXT-TABLE", WARNING, message, quote=quote))
    return findings
