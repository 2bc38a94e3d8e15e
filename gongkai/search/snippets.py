"""Highlighted snippets: where the query's words occur in an item's text, marked up.

The index matches normalised text (gongkai.search.tokens); here each normalised word is
found again in the original text, letting full/half width, case, Traditional characters
and brackets differ, so that the mark falls on what the reader sees.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from gongkai.search.tokens import BRACKETS, to_simplified

WINDOW = 60  # characters shown before and after the first match
# A snippet is looked for in the first this many characters of each text.
SCAN_CHARS = 20_000
_GAP = "[" + re.escape(BRACKETS) + r"\s]*"


def _comparable(text: str) -> str:
    """`text` made comparable with normalised words, keeping its length (so that a match's
    position is the position in `text`); brackets stay and the pattern skips them."""
    chars = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch).lower()
        chars.append(n if len(n) == 1 else ch)
    flat = "".join(chars)
    simple = to_simplified().convert(flat)
    return simple if len(simple) == len(flat) else flat


def _pattern(words: list[str]) -> re.Pattern[str] | None:
    parts = [_GAP.join(re.escape(ch) for ch in w) for w in sorted(words, key=len, reverse=True)]
    return re.compile("|".join(parts)) if parts else None


def spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    pattern = _pattern(words)
    if pattern is None or not text:
        return []
    return [m.span() for m in pattern.finditer(_comparable(text))]


def highlight(text: str, words: list[str], *, window: int | None = None) -> SafeString:
    """`text` escaped, its matches in <mark>; cut to a window around the first match."""
    found = spans(text, words)
    start, end = 0, len(text)
    if window is not None:
        first = found[0][0] if found else 0
        start = max(0, first - window)
        end = min(len(text), first + window * 2)
    out: list[str] = ["…" if start > 0 else ""]
    pos = start
    for a, b in found:
        if b <= start or a >= end:
            continue
        a, b = max(a, start), min(b, end)
        out.append(escape(text[pos:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        pos = b
    out.append(escape(text[pos:end]))
    out.append("…" if end < len(text) else "")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped above


def snippet(texts: list[str], words: list[str]) -> SafeString:
    """The first of `texts` that contains a word, cut around it; else the first text cut."""
    texts = [" ".join(t[:SCAN_CHARS].split()) for t in texts if t and t.strip()]
    for text in texts:
        if spans(text, words):
            return highlight(text, words, window=WINDOW)
    return highlight(texts[0][: WINDOW * 3], []) if texts else mark_safe("")
