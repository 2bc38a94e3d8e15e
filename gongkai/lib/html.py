"""Sanitising the rich text staff paste into catalog items (nh3, the Ammonia sanitizer)."""

from __future__ import annotations

import re
from html import unescape

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
