"""The text sections of a report (一 总体情况, 五 问题及改进, 六 其他事项).

- `drafts()` writes a first draft of sections 一 and 六 from the records of the year: the
  totals of the tables, items published, interpretations, channels, reviews and lawsuits,
  fees collected, and the records of gongkai.records (consultations, responses, hotline,
  press events, training, staff and budget, NPC/CPPCC proposals); a kind without records
  is stated as such, so no 「（请填写：…）」 placeholder is left. `placeholders()` finds any
  that a text still holds (approval refuses them). The office edits it; the numbers in it are phrased so that
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
from gongkai.orgs.models import Agency, Level
from gongkai.publishing.models import Channel, InfoItem, Interpretation, ItemChannel
from gongkai.records.counts import YearFigures, year_figures

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


def year_activity(scope: Scope) -> dict[str, Any]:
    """What the year's records say besides the tables: items, interpretations, channels, fees."""

    start, end = _year_bounds(scope.year)
    ids = list(scope.agency_ids)
    items = InfoItem.objects.filter(
        agency_id__in=ids, published_at__gte=start, published_at__lt=end
    ).count()
    interpretations = Interpretation.objects.filter(
        document__agency_id__in=ids, published_on__year=scope.year
    ).order_by("published_on", "id")
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
        "interpretations": interpretations.count(),
        "interpretation_titles": list(interpretations.values_list("title", flat=True)[:3]),
        "channels": channels,
        "fees_count": fees["n"],
        "fees_total": fees["total"] or 0,
    }


# Template text left to be filled in: 「（请填写：…）」 (the drafts of earlier versions wrote
# them; an imported report or a typed text may still hold one), "XX局", "20××年",
# "【单位名称】". The one rule: approval refuses a report holding one (actions), the checker
# warns of one in a report it reads (checking.checks.text).
PLACEHOLDER = re.compile(
    r"[（(【\[〔]\s*请\s*(?:填写|输入|补充|选择|填报|根据)[^）)】\]〕\n]{0,40}[）)】\]〕]"
    r"|请在此(?:处)?(?:填写|输入)"
    r"|(?<![A-Za-z])(?:XX|ＸＸ|xx|××|ｘｘ)+(?![A-Za-z])"
    r"|【[^】\n]{0,10}(?:名称|单位|机关|日期|年份|数量|数据|内容)】"
)


def placeholders(text: str) -> list[str]:
    """The placeholders a text still holds, in order (each as it is written)."""
    return [m.group(0) for m in PLACEHOLDER.finditer(text or "")]


def subject(agency: Agency | None, rollup: bool) -> str:
    """Who the text speaks for: 本机关, or for a rollup the whole area (全县, 全市 …)."""
    if not rollup or agency is None:
        return _("this agency")
    areas: dict[str, str] = {
        Level.PROVINCE: _("the whole province"),
        Level.CITY: _("the whole city"),
        Level.COUNTY: _("the whole county"),
        Level.TOWNSHIP: _("the whole township"),
    }
    return areas.get(str(agency.level), _("the whole area"))


def _quoted(titles: list[str]) -> str:
    return "、".join(f"《{t.strip('《》')}》" for t in titles)


def _sentences(parts: list[str]) -> str:
    """Clauses joined as one Chinese sentence: 「甲；乙。」"""
    return "；".join(p.rstrip("。；") for p in parts if p) + "。"


def _proactive(figures: dict[str, Any], activity: dict[str, Any], r: YearFigures) -> str:
    lines = [
        _(
            "In %(year)d %(subject)s proactively published %(items)d items of government "
            "information, issued %(issued)d regulations and normative documents (%(in_force)d "
            "in force at the end of the year) and published %(interpretations)d policy "
            "interpretations."
        )
        % figures
    ]
    if activity["interpretation_titles"]:
        lines.append(
            _("The interpretations included %(titles)s.")
            % {"titles": _quoted(activity["interpretation_titles"])}
        )
    press = [
        _("%(n)d press conferences were held") % {"n": r.press_conferences}
        if r.press_conferences
        else _("No press conference was held this year"),
        _("%(n)d online interviews were given") % {"n": r.interviews}
        if r.interviews
        else _("no online interview was given"),
    ]
    if r.principal_leader:
        press.append(
            _("the principal leader interpreted policies in person %(n)d times")
            % {"n": r.principal_leader}
        )
    if r.press_topics:
        press.append(
            _("policies were interpreted at %(topics)s") % {"topics": _quoted(r.press_topics)}
        )
    lines.append(_sentences(press))
    if r.consultations:
        lines.append(
            _(
                "Drafts were put to public comment %(n)d times; %(comments)d comments were "
                "received and %(adopted)d adopted, and the feedback on the comments was "
                "published %(feedback)d times."
            )
            % {
                "n": r.consultations,
                "comments": r.comments,
                "adopted": r.adopted,
                "feedback": r.feedback_published,
            }
        )
    else:
        lines.append(_("No draft was put to public comment this year."))
    if r.concerns:
        lines.append(
            _(
                "It responded to public concern %(n)d times (%(topics)s and others), %(late)d "
                "times after the time limit."
            )
            % {"n": r.concerns, "topics": "、".join(r.concern_topics), "late": r.concerns_late}
            if r.concerns_late
            else _(
                "It responded to public concern %(n)d times (%(topics)s and others), each "
                "within the time limit."
            )
            % {"n": r.concerns, "topics": "、".join(r.concern_topics)}
        )
    else:
        lines.append(_("No public concern called for a response this year."))
    return "".join(lines)


def _management(figures: dict[str, Any]) -> str:
    return (
        _(
            "%(issued)d regulations and normative documents were registered this year, "
            "%(in_force)d in force at the end of the year. Items of the catalog are published "
            "after their disclosure attribute is decided and after the review stages, "
            "confidentiality review included; personal data is checked before publication."
        )
        % figures
    )


def _platforms(activity: dict[str, Any], r: YearFigures) -> str:
    channels = "、".join(
        _("%(channel)s %(count)d items") % {"channel": name, "count": n}
        for name, n in activity["channels"]
    )
    lines = [
        _("Items were published through: %(channels)s.") % {"channels": channels}
        if channels
        else _("No publication channel of the catalog items was recorded this year.")
    ]
    if r.messages:
        lines.append(
            _(
                "%(n)d enquiries and complaints were received through %(channels)s; "
                "%(answered)d were answered, %(on_time)d of them within the time limit."
            )
            % {
                "n": r.messages,
                "channels": "、".join(r.messages_by_channel),
                "answered": r.messages_answered,
                "on_time": r.messages_on_time,
            }
        )
    else:
        lines.append(_("No enquiry or complaint was received through the hotline or mailboxes."))
    return "".join(lines)


def _supervision(figures: dict[str, Any], r: YearFigures, who: str, rollup: bool) -> str:
    lines = [
        _(
            "Applicants filed %(reviews)d administrative reviews and %(lawsuits)d "
            "administrative lawsuits about disclosure; %(corrected)d decisions were corrected."
        )
        % figures
    ]
    if r.trainings or r.meetings:
        lines.append(
            _(
                "%(trainings)d training sessions (%(titles)s) and %(meetings)d meetings on "
                "disclosure work were held, with %(participants)d participants."
            )
            % {
                "trainings": r.trainings,
                "titles": _quoted(r.training_titles) or "—",
                "meetings": r.meetings,
                "participants": r.participants,
            }
        )
    else:
        lines.append(_("No training or meeting on disclosure work was held this year."))
    if r.staffing_years:
        lines.append(
            _(
                "For the disclosure work %(subject)s had %(full)d full-time and %(part)d "
                "part-time staff and a budget of %(budget)s ten thousand yuan."
            )
            % {
                "subject": who,
                "full": r.full_time,
                "part": r.part_time,
                "budget": f"{r.budget.normalize():f}",
            }
        )
    else:
        lines.append(_("The staff and budget of the disclosure work were not recorded this year."))
    return "".join(lines)


def _proposals(r: YearFigures) -> str:
    if not (r.npc or r.cppcc):
        return _("No NPC deputy's suggestion or CPPCC member's proposal was handled this year.")
    return _(
        "%(npc)d suggestions of NPC deputies and %(cppcc)d proposals of CPPCC members were "
        "handled (%(lead)d as lead handler, %(co)d as co-handler); %(answered)d were answered "
        "and the results of %(published)d were published."
    ) % {
        "npc": r.npc,
        "cppcc": r.cppcc,
        "lead": r.proposals_lead,
        "co": r.proposals_co,
        "answered": r.proposals_answered,
        "published": r.proposals_published,
    }


def drafts(
    scope: Scope, tables: Tables, *, agency: Agency | None = None, rollup: bool = False
) -> dict[str, str]:
    """First drafts of sections 一 and 六 (and an empty 五) from the year's records: the
    catalog, requests, reviews, and the records of gongkai.records. A kind without records
    is said so (「本年度未召开新闻发布会」); no placeholder is left to fill in.
    `tables` are 2021-shaped (compute())."""
    activity = year_activity(scope)
    records = year_figures(scope.agency_ids, scope.year)
    who = subject(agency, rollup)
    subtopics = next(
        s["expected_subtopics"] for s in report_format()["sections"] if s["key"] == "overview"
    )
    figures = {
        "year": scope.year,
        "subject": who,
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
    paragraphs = [
        _proactive(figures, activity, records),
        _(
            "It newly received %(new)d disclosure requests, with %(carried)d carried over from "
            "last year, and concluded %(processed)d: %(granted)d granted, %(partial)d partially "
            "granted, %(denied)d denied, %(unable)d could not be provided, %(not_processed)d "
            "not processed, %(other)d handled otherwise. %(forward)d are carried forward to "
            "next year."
        )
        % figures,
        _management(figures),
        _platforms(activity, records),
        _supervision(figures, records, who, rollup),
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
    other = "\n\n".join([f"（一）{fees}", f"（二）{_proposals(records)}"])
    return {"overview": overview, "problems": "", "other": other}
