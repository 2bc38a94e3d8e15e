"""Sanitising the rich text staff paste into catalog items (nh3, the Ammonia sanitizer)."""

from __future__ import annotations

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
