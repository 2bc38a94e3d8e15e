"""The text sections of a report (一 总体情况, 五 问题及改进, 六 其他事项).

- `drafts()` writes a first draft of sections 一 and 六 from the records of the year: the
  totals of the tables, items published, interpretations, channels, reviews and lawsuits,
  fees collected. The office edits it; the numbers in it are phrased so that
  `check_quoted_figures()` can find them again.
- `check_quoted_figures()` compares the figures a text quotes (新收申请N件, 行政复议N件 …)
  with the tables: a soft check, since the office may phrase things its own way.
- `similarity()` compares this year's section 五 with last year's: evaluators criticise
  reports whose problems and improvements are copied from the year before.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from django.db.models import Count, IntegerField, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.annual.compute import Scope
from gongkai.foi.models import Event, EventKind
from gongkai.lib.report_format import report_format, table
from gongkai.lib.report_keys import Outcome
from gongkai.publishing.models import Channel, InfoItem, Interpretation, ItemChannel

WARNING = "warning"
REPEAT_THRESHOLD = 0.85
NUMERALS = "一二三四五六七八九十"

Tables = Mapping[str, Mapping[str, Mapping[str, Any]]]


def _t3(tables: Tables, row: str) -> int:
    return int(tables["t3_applications"][row]["total"])


def _group(tables: Tables, group: str) -> int:

    rows = [r["key"] for r in table("t3_applications")["rows"] if r.get("parent") == group]
    return sum(_t3(tables, row) for row in rows)


def _t4(tables: Tables, *columns: str) -> int:
    return sum(int(tables["t4_review_litigation"]["cases"][c]) for c in columns)


# Figures a text may quote: (pattern, what the figure is, its value in the tables). The
# patterns are Chinese report phrases; each captures one number of 件.
QUOTED: list[tuple[re.Pattern[str], str, Callable[[Tables], int]]] = [
    (
        re.compile(r"新收[^，。；\d]{0,14}?(\d+)\s*件"),
        "t3.new_received",
        lambda t: _t3(t, "new_received"),
    ),
    (
        re.compile(r"上年结转[^，。；\d]{0,8}?(\d+)\s*件"),
        "t3.carried_over",
        lambda t: _t3(t, "carried_over"),
    ),
    (
        re.compile(r"办结[^，。；\d]{0,8}?(\d+)\s*件"),
        "t3.total_processed",
        lambda t: _t3(t, "total_processed"),
    ),
    (re.compile(r"予以公开\s*(\d+)\s*件"), "t3.granted", lambda t: _t3(t, Outcome.GRANTED)),
    (
        re.compile(r"部分公开\s*(\d+)\s*件"),
        "t3.partially_granted",
        lambda t: _t3(t, Outcome.PARTIALLY_GRANTED),
    ),
    (re.compile(r"不予公开\s*(\d+)\s*件"), "t3.denied", lambda t: _group(t, "denied")),
    (
        re.compile(r"结转下年度[^，。；\d]{0,8}?(\d+)\s*件"),
        "t3.carried_forward",
        lambda t: _t3(t, "carried_forward"),
    ),
    (
        re.compile(r"行政复议\s*(\d+)\s*件"),
        "t4.review_total",
        lambda t: _t4(t, "review_total"),
    ),
    (
        re.compile(r"行政诉讼\s*(\d+)\s*件"),
        "t4.litigation_total",
        lambda t: _t4(t, "lit_direct_total", "lit_after_review_total"),
    ),
]


def quoted_figures(text: str) -> list[tuple[str, int, str]]:
    """(what, number, the sentence) of every figure the text quotes."""
    found = []
    for sentence in re.split(r"(?<=[。；！？\n])", text):
        for pattern, what, _value in QUOTED:
            for match in pattern.finditer(sentence):
                found.append((what, int(match.group(1)), sentence.strip()))
    return found


def section_titles() -> dict[str, str]:
    """Section key → 「一、总体情况」 as printed."""
    return {s["key"]: f"{s['no']}、{s['title']}" for s in report_format()["sections"]}


def check_quoted_figures(narrative: Mapping[str, str], tables: Tables) -> list[dict[str, Any]]:
    values = {what: value for _p, what, value in QUOTED}
    titles = section_titles()
    findings = []
    for key, text in narrative.items():
        for what, number, sentence in quoted_figures(text or ""):
            expected = values[what](tables)
            if number != expected:
                findings.append(
                    {
                        "id": "TEXT-VS-TABLE",
                        "severity": WARNING,
                        "section": key,
                        "table": "",
                        "row": "",
                        "col": "",
                        "message": _(
                            "%(section)s says “%(sentence)s”, but the tables give %(expected)d."
                        )
                        % {
                            "section": titles.get(key, key),
                            "sentence": sentence,
                            "expected": expected,
                        },
                    }
                )
    return findings


# ---- copied text ------------------------------------------------------------------------


def _bigrams(text: str) -> Counter[str]:
    # Years and counts change from one year to the next; copied text keeps the rest.
    plain = re.sub(r"\d+", "0", re.sub(r"\s+", "", text))
    return Counter(plain[i : i + 2] for i in range(len(plain) - 1))


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the two texts' character pairs (1.0 = the same text)."""
    first, second = _bigrams(a), _bigrams(b)
    total = sum(first.values()) + sum(second.values())
    if not total:
        return 0.0
    return 2 * sum((first & second).values()) / total


def check_repeated(problems: str, last_year_problems: str, year: int) -> list[dict[str, Any]]:
    if len(problems.strip()) < 20 or not last_year_problems.strip():
        return []
    ratio = similarity(problems, last_year_problems)
    if ratio < REPEAT_THRESHOLD:
        return []
    return [
        {
            "id": "TEXT-REPEATED",
            "severity": WARNING,
            "section": "problems",
            "table": "",
            "row": "",
            "col": "",
            "message": _(
                "Section 五 is %(percent)d%% the same as in the %(year)d report. Evaluators "
                "criticise problems and improvements copied from the year before."
            )
            % {"percent": round(ratio * 100), "year": year - 1},
        }
    ]


# ---- first drafts ------------------------------------------------------------------------


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)


def _activity(scope: Scope) -> dict[str, Any]:
    """What the year's records say besides the tables: items, interpretations, channels, fees."""

    start, end = _year_bounds(scope.year)
    ids = list(scope.agency_ids)
    items = InfoItem.objects.filter(
        agency_id__in=ids, published_at__gte=start, published_at__lt=end
    ).count()
    interpretations = Interpretation.objects.filter(
        document__agency_id__in=ids, published_on__year=scope.year
    ).count()
    labels = dict(Channel.choices)
    channels = [
        (str(labels.get(row["channel"], row["channel"])), row["n"])
        for row in ItemChannel.objects.filter(
            item__agency_id__in=ids, published_on__year=scope.year
        )
        .values("channel")
        .annotate(n=Count("id"))
        .order_by("-n")
    ]
    fees = Event.objects.filter(
        application__agency_id__in=ids, kind=EventKind.FEE_PAID, on__year=scope.year
    ).aggregate(
        n=Count("id"),
        total=Sum(Cast(KeyTextTransform("amount", "data"), IntegerField())),
    )
    return {
        "items": items,
        "interpretations": interpretations,
        "channels": channels,
        "fees_count": fees["n"],
        "fees_total": fees["total"] or 0,
    }


def drafts(scope: Scope, tables: Tables) -> dict[str, str]:
    """First drafts of sections 一 and 六 (and an empty 五) from the year's records."""
    activity = _activity(scope)
    subtopics = next(
        s["expected_subtopics"] for s in report_format()["sections"] if s["key"] == "overview"
    )
    figures = {
        "year": scope.year,
        "items": activity["items"],
        "interpretations": activity["interpretations"],
        "issued": sum(int(v["issued"]) for v in tables["t2_art20_1"].values()),
        "in_force": sum(int(v["in_force"]) for v in tables["t2_art20_1"].values()),
        "new": _t3(tables, "new_received"),
        "carried": _t3(tables, "carried_over"),
        "processed": _t3(tables, "total_processed"),
        "granted": _t3(tables, Outcome.GRANTED),
        "partial": _t3(tables, Outcome.PARTIALLY_GRANTED),
        "denied": _group(tables, "denied"),
        "unable": _group(tables, "unable"),
        "not_processed": _group(tables, "not_processed"),
        "other": _group(tables, "other_handling"),
        "forward": _t3(tables, "carried_forward"),
        "reviews": _t4(tables, "review_total"),
        "lawsuits": _t4(tables, "lit_direct_total", "lit_after_review_total"),
        "corrected": _t4(
            tables, "review_corrected", "lit_direct_corrected", "lit_after_review_corrected"
        ),
    }
    channels = "、".join(
        _("%(channel)s %(count)d items") % {"channel": name, "count": n}
        for name, n in activity["channels"]
    )
    paragraphs = [
        _(
            "In %(year)d this agency proactively published %(items)d items of government "
            "information, issued %(issued)d regulations and normative documents (%(in_force)d "
            "in force at the end of the year) and published %(interpretations)d policy "
            "interpretations."
        )
        % figures,
        _(
            "It newly received %(new)d disclosure requests, with %(carried)d carried over from "
            "last year, and concluded %(processed)d: %(granted)d granted, %(partial)d partially "
            "granted, %(denied)d denied, %(unable)d could not be provided, %(not_processed)d "
            "not processed, %(other)d handled otherwise. %(forward)d are carried forward to "
            "next year."
        )
        % figures,
        _(
            "(Describe the management of government information: disclosure attributes, "
            "confidentiality review, policy interpretation.)"
        ),
        (
            _("Items were published through: %(channels)s.") % {"channels": channels}
            if channels
            else _("(Describe the disclosure platforms: website, gazette, new media.)")
        ),
        _(
            "Applicants filed %(reviews)d administrative reviews and %(lawsuits)d "
            "administrative lawsuits about disclosure; %(corrected)d decisions were corrected."
        )
        % figures,
    ]
    overview = "\n\n".join(
        f"（{NUMERALS[i]}）{topic}\n{text}"
        for i, (topic, text) in enumerate(zip(subtopics, paragraphs, strict=False))
    )
    if activity["fees_count"]:
        fees = _(
            "Under the Measures on Information Processing Fees, %(count)d fees totalling "
            "%(total)d yuan were collected in %(year)d."
        ) % {"count": activity["fees_count"], "total": activity["fees_total"], "year": scope.year}
    else:
        fees = _(
            "Under the Measures on Information Processing Fees, no fee was collected in %(year)d."
        ) % {"year": scope.year}
    return {"overview": overview, "problems": "", "other": fees}
