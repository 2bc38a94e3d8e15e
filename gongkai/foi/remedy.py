"""The remedy clause (救济途径告知) of a decision letter, after the 2023 行政复议法.

行政复议法第二十条第三款 makes the notice decisive: without the right to apply for review,
the named 复议机关 and the period, the review period runs for up to a year. So the clause
is generated here from the agency tree and checked again before a letter is issued
(`clause_problems`). regulation-notes-2 §9 is the source of every rule below.

- Who reviews (`review_body`): 第二十四条 — an agency's own level of people's government
  reviews its departments (no longer the 上一级主管部门), the next higher government
  reviews a government, the provincial government reviews itself; 第二十七条 — agencies
  under vertical leadership (海关、金融、外汇管理、税务、国家安全) go to the next higher
  authority, which the tree cannot know, so it is the agency's `review_body` setting.
  Any agency's `review_body` overrides the tree.
- Which court (`court_level`): 行政诉讼法第十四、十五条 — a county-or-higher government or
  海关 → 中级人民法院, anything else → 基层人民法院. The clause names a court only when the
  agency's `court_name` is set (jurisdiction also depends on 第十八条 and on designations
  by the 高级人民法院, which the system does not know); otherwise it says 人民法院.
- Which wording (`mode`): ordinary (60 days review, or six months litigation), 复议前置
  (第二十三条第一款第（四）项: apply for review first, no offer of direct litigation) for
  the outcomes of settings.FOI_PRIOR_REVIEW_OUTCOMES, or none (a withdrawal).
- Online delivery (第二十二条第二款): the online channel for applying, when configured.

The sentence models (A)–(E) of §9.4 are drafted from the statutory elements: no official
post-2024 model text was found [unconfirmed wording]. Change the sentences here, and
`clause_problems` keeps checking the legal elements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils.translation import gettext as _

from gongkai.lib.report_keys import Outcome
from gongkai.orgs.models import Agency, Kind, Level

REVIEW_LAW = "《中华人民共和国行政复议法》"


class Mode(StrEnum):
    ORDINARY = "ordinary"
    PRIOR_REVIEW = "prior_review"
    NONE = "none"


# The government that reviews, by the replying agency's level (第二十四条).
_HIGHER = {
    Level.TOWNSHIP: Level.COUNTY,
    Level.COUNTY: Level.CITY,
    Level.CITY: Level.PROVINCE,
}


@dataclass(frozen=True)
class ReviewBody:
    name: str
    article: str
    agency: Agency | None = None  # the reviewing agency when the tree gave it


def _government_above(agency: Agency, level: str) -> Agency | None:
    """The nearest people's government of `level` among the agency and its ancestors."""
    candidates = [agency, *reversed(list(agency.ancestors()))]
    for candidate in candidates:
        if candidate.kind == Kind.GOVERNMENT and candidate.level == level:
            return candidate
    return None


def review_body(agency: Agency) -> ReviewBody | None:
    """The 复议机关 of a decision by `agency`; None when neither the tree nor the agency's
    settings give one (a vertical agency without its higher authority, or a tree that
    stops below the reviewing government)."""
    if agency.review_body.strip():
        article = "第二十七条" if agency.vertical else "第二十四条"
        return ReviewBody(agency.review_body.strip(), article)
    if agency.vertical:
        return None
    if agency.kind == Kind.GOVERNMENT:
        if agency.level == Level.PROVINCE:
            # 第二十四条第二款: the provincial government reviews its own acts.
            return ReviewBody(agency.name, "第二十四条第二款", agency)
        target, article = _HIGHER[Level(agency.level)], "第二十四条第一款第（二）项"
    elif agency.level == Level.TOWNSHIP:
        # A 街道办事处 is the 派出机关 of the district government (第二十四条第一款第（三）项);
        # anything else at township level is reviewed by the county government too.
        target, article = Level.COUNTY, "第二十四条第一款第（三）项"
    else:
        # A department (第二十四条第一款第（一）项), or a 派出机构 acting in its own name
        # (第二十四条第四款): the government of its own level.
        target, article = Level(agency.level), "第二十四条第一款第（一）项"
    government = _government_above(agency, target)
    if government is None:
        return None
    return ReviewBody(government.name, article, government)


def is_customs(agency: Agency) -> bool:
    return "海关" in agency.name


def court_level(agency: Agency) -> str:
    """中级人民法院 or 基层人民法院 for a first-instance suit against `agency`'s decision."""
    if (agency.kind == Kind.GOVERNMENT and agency.level != Level.TOWNSHIP) or is_customs(agency):
        return "中级人民法院"
    return "基层人民法院"


def court(agency: Agency) -> str:
    return agency.court_name.strip() or "人民法院"


def mode(outcome: str, *, withdrawn: bool = False) -> Mode:
    """Which clause a decision letter with `outcome` carries.

    A withdrawal ends the case at the applicant's wish; there is no decision to
    challenge, so its notice has no clause. Whether the notices of （六）1 and （六）2
    (视为放弃申请) carry one is unconfirmed (§8.3); they get the ordinary clause, since
    the finding that the applicant let the period lapse without good reason can be
    disputed.
    """
    if withdrawn:
        return Mode.NONE
    if outcome in settings.FOI_PRIOR_REVIEW_OUTCOMES:
        return Mode.PRIOR_REVIEW
    return Mode.ORDINARY


def online_sentence(agency: Agency, *, online: bool) -> str:
    """(E) of §9.4: the online channel for applying for review, for letters delivered
    online (第二十二条第二款), when the agency has one configured."""
    if online and agency.review_online_url.strip():
        return f"行政复议申请可以通过{agency.review_online_url.strip()}在线提交。"
    return ""


def clause(
    agency: Agency,
    outcome: str,
    *,
    online: bool = False,
    withdrawn: bool = False,
    document: str = "本答复书",
    subject: str = "本答复",
) -> str:
    """The remedy clause of a decision letter; empty when it carries none.

    `document` and `subject` name the letter and the act challenged: the notice to a
    third party of 第三十二条 says "如对本机关决定公开的决定不服，可以自收到本告知书之日起…".

    With no resolvable 复议机关 the clause names "____", which `clause_problems` then
    refuses to issue — the officer sees the gap in the draft.
    """
    which = mode(outcome, withdrawn=withdrawn)
    if which == Mode.NONE:
        return ""
    body = review_body(agency)
    reviewer = body.name if body else "____"
    if which == Mode.PRIOR_REVIEW:
        subject = (
            "本答复中不予公开的部分"
            if outcome == Outcome.PARTIALLY_GRANTED
            else "本答复中不予公开的决定"
        )
        # (B) 复议前置: 第二十三条第二款 obliges the agency to say "先申请行政复议";
        # litigation only after the review decision (行政诉讼法第四十五条: fifteen days).
        text = (
            f"如对{subject}不服，应当依照{REVIEW_LAW}第二十三条第一款第（四）项的规定，"
            f"先自收到{document}之日起六十日内向{reviewer}申请行政复议；"
            "对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼。"
        )
    else:
        # (A)/(C)/(D): review within sixty days (第二十条) or direct litigation within six
        # months (行政诉讼法第四十六条).
        text = (
            f"如对{subject}不服，可以自收到{document}之日起六十日内向{reviewer}申请行政复议，"
            f"也可以自收到{document}之日起六个月内依法向{court(agency)}提起行政诉讼。"
        )
    return text + online_sentence(agency, online=online)


# Phrases that offer litigation without review first.
_DIRECT_LITIGATION = re.compile(
    r"六个月|直接(?:向[^。；]*)?(?:起诉|提起行政诉讼)|(?:也可以|或者)[^。；]*提起行政诉讼"
)
_REVIEW_FIRST = re.compile(r"先[^。]*申请行政复议")


def clause_problems(
    text: str, agency: Agency, outcome: str, *, withdrawn: bool = False
) -> list[str]:
    """What a decision letter's text lacks of the remedy notice the law requires.

    The three elements of 行政复议法第二十条第三款 (the right to review, the named
    复议机关 equal to the resolver's, 六十日), and for 复议前置 the "先…申请行政复议"
    of 第二十三条第二款 without any offer of direct litigation. Each problem is a sentence
    for the officer, in the user's language (Chinese).
    """
    if mode(outcome, withdrawn=withdrawn) == Mode.NONE:
        return []
    problems = []
    body = review_body(agency)
    if body is None:
        problems.append(
            _(
                "The reconsideration body of %(agency)s cannot be determined from the agency "
                "tree: enter it under “Letters and remedies” on the agency's page."
            )
            % {"agency": agency.name}
        )
    if "申请行政复议" not in text:
        problems.append(
            _("The letter does not tell the applicant of the right to apply for reconsideration.")
        )
    if body is not None and body.name not in text:
        problems.append(
            _("The letter does not name the reconsideration body %(body)s.") % {"body": body.name}
        )
    if "六十日" not in text:
        problems.append(_("The letter does not state the sixty-day period for reconsideration."))
    if mode(outcome) == Mode.PRIOR_REVIEW:
        if not _REVIEW_FIRST.search(text):
            problems.append(
                _(
                    "A refusal to disclose must tell the applicant to apply for reconsideration "
                    "first (Article 23 of the Administrative Reconsideration Law)."
                )
            )
        if _DIRECT_LITIGATION.search(text):
            problems.append(
                _(
                    "A refusal to disclose must not offer a lawsuit without reconsideration "
                    "first (Article 23 of the Administrative Reconsideration Law)."
                )
            )
    return problems
