"""Sanitising the rich text staff paste into catalog items (nh3, the Ammonia sanitizer)."""

from __future__ import annotations

import re
from html import escape, unescape

import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "span", "div", "h2", "h3", "h4", "ul", "ol", "li",
    "table", "thead", "tbody", "tr", "th", "td", "a", "img", "blockquote", "sub", "sup",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}


def sanitize_html(html: str) -> str:
    """Keep document structure; drop scripts, styles, event handlers and foreign markup."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


_TAG = re.compile(r"<[^>]*>")
_ATTRIBUTE_TEXT = re.compile(
    r"""\b(?:href|title|alt)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE
)


def text_for_checks(html: str) -> str:
    """The text a reader can see or hover in `html`, for the personal-data checks.

    Every tag becomes a line break (so table cells and <br> lines stay apart), entities
    are decoded (&nbsp; in text pasted from Word), and link targets, titles and image
    descriptions are added at the end.
    """
    visible = unescape(_TAG.sub("\n", html)).replace("\xa0", " ")
    attributes = [unescape(a or b) for a, b in _ATTRIBUTE_TEXT.findall(html)]
    return "\n".join([visible, *attributes])


_BLOCK_TAG = re.compile(
    r"</?(?:p|br|div|li|ul|ol|tr|td|th|table|h[1-6]|blockquote|section|article)\b[^>]*>",
    re.IGNORECASE,
)


def plain_text(html: str) -> str:
    """The readable text of `html`: block tags end a line, inline tags vanish (so that a
    word with a bold character in the middle stays one word)."""
    text = _TAG.sub("", _BLOCK_TAG.sub("\n", html))
    return unescape(text).replace("\xa0", " ")


_ANY_TAG = re.compile(r"<\s*/?\s*[A-Za-z][^>]*>")
_BLANK_LINES = re.compile(r"\n[ \t\u3000]*\n+")


def text_to_html(text: str) -> str:
    """Plain text typed into the body: paragraphs at blank lines, line breaks inside them.
    Text that already contains markup is left to the sanitiser."""
    if _ANY_TAG.search(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    paragraphs = [p.strip("\n") for p in _BLANK_LINES.split(text) if p.strip()]
    return "".join(
        "<p>" + "<br>".join(escape(line) for line in p.split("\n")) + "</p>" for p in paragraphs
    )


def clean_body(html: str) -> str:
    """The stored body: plain text made into paragraphs, then sanitised."""
    return sanitize_html(text_to_html(html))


_OPEN_TAG = re.compile(r"<\s*([A-Za-z][A-Za-z0-9:-]*)([^>]*)>")
_ATTRIBUTE_NAME = re.compile(
    r"""([A-Za-z_:][-A-Za-z0-9_:.]*)\s*(?:=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?"""
)


def removed_markup(html: str) -> list[str]:
    """What the sanitiser drops from `html`: the tags it does not keep and the attributes
    (styles, classes, event handlers …), each named once, in the order first seen."""
    removed: list[str] = []

    def note(what: str) -> None:
        if what not in removed:
            removed.append(what)

    for match in _OPEN_TAG.finditer(html):
        tag = match.group(1).lower()
        if tag not in ALLOWED_TAGS:
            note(f"<{tag}>")
            continue
        allowed = ALLOWED_ATTRIBUTES.get(tag, set())
        for attribute in _ATTRIBUTE_NAME.findall(match.group(2)):
            name = attribute.lower()
            if name and name not in allowed and name != "/":
                note(name)
    return removed
