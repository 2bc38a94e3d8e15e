"""The self-evaluation report's first draft, in the structure of seed 003 (notes §12.5).

主送 (the supervising agency), the title, then the text: 引言; 一、政务公开工作开展情况 with
one （一）… per first-level indicator of the system and one numbered paragraph per
indicator below it, the computed facts written in; 二、the year's 12345 hotline and mailbox
messages; 三、存在的问题和努力方向, started from the indicators that lost the largest share
of their points. What only the agency can say is left as 「（请填写：…）」, which approval
refuses (`placeholders`), as the annual report does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from gongkai.evaluation.measures import MEASURES
from gongkai.evaluation.models import SelfEvaluation
from gongkai.evaluation.results import Row

NUMERALS = "一二三四五六七八九十"
PLACEHOLDER = re.compile(r"（请填写：[^）]*）")


@dataclass
class Draft:
    recipient: str
    title: str
    text: str


def placeholders(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def numeral(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    return "十" + NUMERALS[n - 11] if n < 20 else str(n)


def we(agency_name: str) -> str:
    """我局 / 我委 / 我办 … as the seed says; 我单位 otherwise."""
    last = agency_name[-1:] if agency_name else ""
    return f"我{last}" if last in "局委办院厅署" else "我单位"


def _number(value: float | int | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def fact(row: Row, notes: dict[str, str], files: dict[str, list[str]]) -> str:
    """The sentence of one indicator: its computed facts, or what the agency wrote."""
    if row.source != "computed" or not row.measure:
        note = notes.get(row.key, "")
        if note:
            return note
        if row.evidence:
            return _("Evidence attached: %(files)s.") % {"files": "、".join(map(str, row.evidence))}
        return _("(To fill in: what was done for %(label)s)") % {"label": row.label}
    total, bad = row.total or 0, row.occurrences or 0
    if MEASURES[row.measure].value_kind == "count":
        return _("%(total)d this year.") % {"total": total}
    if not total:
        return _("There was nothing to count this year.")
    return _(
        "%(total)d counted this year, %(good)d meeting the requirement and %(bad)d not; "
        "%(score)s of %(max)s points."
    ) % {
        "total": total,
        "good": total - bad,
        "bad": bad,
        "score": _number(row.score),
        "max": _number(row.max),
    }


def draft(evaluation: SelfEvaluation, rows: list[Row]) -> Draft:
    agency = evaluation.agency
    year = evaluation.year
    parent = agency.parent
    notes: dict[str, str] = {}
    if evaluation.pk is not None:
        notes = dict(evaluation.results.exclude(note="").values_list("indicator__key", "note"))
    files: dict[str, list[str]] = {}
    lines = [
        _(
            "As required, here is %(we)s's self-evaluation of its %(year)d government disclosure work:"
        )
        % {"we": we(agency.name), "year": year},
        _("1. The disclosure work carried out"),
    ]
    first = [r for r in rows if r.depth == 0]
    for i, top in enumerate(first, start=1):
        lines.append(f"（{numeral(i)}）{top.label}")
        start = rows.index(top)
        n = 0
        for row in rows[start + 1 :]:
            if row.depth == 0:
                break
            if not row.is_leaf:
                continue
            n += 1
            lines.append(f"{n}.{row.label}。{fact(row, notes, files)}")
    hotline = next((r for r in rows if r.measure == "hotline_on_time"), None)
    lines.append(_("2. The 12345 hotline messages of %(year)d") % {"year": year})
    if hotline is None or not hotline.total:
        lines.append(_("No hotline or mailbox message was received this year."))
    else:
        lines.append(
            _(
                "%(total)d hotline and mailbox messages were received this year; %(good)d were "
                "answered on time and %(bad)d late or not yet answered."
            )
            % {
                "total": hotline.total,
                "good": hotline.total - (hotline.occurrences or 0),
                "bad": hotline.occurrences or 0,
            }
        )
    lines.append(_("3. Problems and the way forward"))
    lines.append(_("(1) Problems"))
    weak = sorted(
        (r for r in rows if r.is_leaf and r.max and r.share < 1),
        key=lambda r: (r.share, -(r.max or 0)),
    )[:3]
    if weak:
        for n, row in enumerate(weak, start=1):
            lines.append(
                _("%(n)d. %(label)s falls short. %(fact)s")
                % {"n": n, "label": row.label, "fact": fact(row, notes, files)}
            )
    else:
        lines.append(_("(To fill in: the problems)"))
    lines.append(_("(2) Next steps"))
    if weak:
        for n, row in enumerate(weak, start=1):
            lines.append(
                _("%(n)d. Strengthen %(label)s and correct each shortcoming.")
                % {"n": n, "label": row.label}
            )
    else:
        lines.append(_("(To fill in: the next steps)"))
    return Draft(
        recipient=f"{parent.name}：" if parent else "",
        title=_("%(agency)s: self-evaluation of its %(year)d government disclosure work")
        % {"agency": agency.name, "year": year},
        text="\n".join(lines),
    )
