"""Character bigrams: the index terms of the catalog search (stack evaluation §3d).

Text is normalised first (full-width letters and digits to half-width, lower case,
Traditional characters to Simplified, brackets dropped so that 国办发〔2018〕12号 and
国办发[2018]12号 read alike), then cut into runs of letters and digits. Each run of
two or more characters becomes its overlapping character pairs followed by its last
character alone; a one-character run becomes that character:

    "政府信息公开" -> "政府 府信 信息 息公 公开 开"

A query term becomes, per run, the phrase of its pairs, so that the search has exact
"contains" semantics for any term of two or more characters, with no dictionary. The
trailing single character makes a one-character term a prefix query that cannot miss.
Nothing of what a visitor types reaches the database's query syntax: only runs of
letters and digits survive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import opencc

# Brackets that vary in 文号 (〔2018〕, [2018], （2018）, 【2018】) are dropped, not split on.
BRACKETS = "〔〕[]［］（）()【】〖〗{}｛｝<>＜＞《》〈〉"
_DROP = re.compile("[" + re.escape(BRACKETS) + "]")
_RUN = re.compile(r"[^\W_]+")
# At every letter or digit: it and the next one, or it alone at the end of its run.
_TOKEN = re.compile(r"(?=([^\W_](?:[^\W_]|(?![^\W_]))))")
# Full-width ASCII and the ideographic space, the width variants that matter in search;
# cheaper than NFKC over the whole text, which costs more than everything else together.
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")


def _half_width(match: re.Match[str]) -> str:
    ch = match.group()
    return " " if ch == "\u3000" else chr(ord(ch) - 0xFEE0)


# What a visitor may type: longer input is cut (the page says so).
MAX_QUERY_CHARS = 100
MAX_TERMS = 8


@lru_cache(maxsize=1)
def to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s.json")


def normalize(text: str) -> str:
    """The text as it is indexed and searched: half width, lower case, Simplified, no
    brackets."""
    text = _FULL_WIDTH.sub(_half_width, text).lower()
    return _DROP.sub("", to_simplified().convert(text))


def runs(text: str) -> list[str]:
    """Runs of letters and digits of already normalised text."""
    return _RUN.findall(text)


def index_tokens(text: str) -> str:
    """The space-separated index terms of a text."""
    return " ".join(_TOKEN.findall(normalize(text)))


@dataclass(frozen=True)
class Phrase:
    """One run of a query term: its pairs in order, or a single character (a prefix)."""

    text: str

    @property
    def pairs(self) -> list[str]:
        return [self.text[i : i + 2] for i in range(len(self.text) - 1)]

    @property
    def single(self) -> bool:
        return len(self.text) == 1


@dataclass
class Query:
    """A visitor's query: every phrase must match (AND)."""

    raw: str
    phrases: list[Phrase] = field(default_factory=list)
    truncated: bool = False

    def __bool__(self) -> bool:
        return bool(self.phrases)

    @property
    def words(self) -> list[str]:
        """The normalised runs, for highlighting."""
        return [p.text for p in self.phrases]


def parse(raw: str) -> Query:
    """Split what a visitor typed into phrases; anything but letters and digits is ignored."""
    raw = (raw or "").strip()
    truncated = len(raw) > MAX_QUERY_CHARS
    raw = raw[:MAX_QUERY_CHARS]
    phrases: list[Phrase] = []
    seen: set[str] = set()
    for term in normalize(raw).split():
        for run in runs(term):
            if run not in seen:
                seen.add(run)
                phrases.append(Phrase(run))
    if len(phrases) > MAX_TERMS:
        phrases, truncated = phrases[:MAX_TERMS], True
    return Query(raw=raw, phrases=phrases, truncated=truncated)
