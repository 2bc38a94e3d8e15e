"""What changed between two states of a catalog item, for the office: a change in review
against the published item, or one version against the one before it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from gongkai.lib.html import plain_text
from gongkai.publishing.models import InfoItem

DIFF_FIELDS = (
    "title", "summary", "doc_no", "topic", "body", "keywords", "validity", "effective_on",
    "ended_on", "formed_on", "genre",
)  # fmt: skip


@dataclass(frozen=True)
class FieldDiff:
    label: str
    before: str
    after: str
    marked: SafeString  # the text with deletions and insertions marked


def _text(name: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if name == "body":
        return plain_text(str(value)).strip()
    if name == "validity":
        from gongkai.publishing.models import Validity

        return str(dict(Validity.choices).get(value, value))
    return str(value)


def mark_diff(before: str, after: str) -> SafeString:
    """`after` with what `before` had and it lost in <del>, and what it added in <ins>."""
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(before[a1:a2]))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(before[a1:a2])}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(after[b1:b2])}</ins>")
    return mark_safe("".join(parts).replace("\n", "<br>"))  # noqa: S308 - every part escaped


def _label(name: str) -> str:
    return str(getattr(InfoItem._meta.get_field(name), "verbose_name", name))


def snapshot_diffs(before: dict[str, Any], after: dict[str, Any]) -> list[FieldDiff]:
    """The fields that differ between two snapshots (dicts of field → value)."""
    result = []
    for name in DIFF_FIELDS:
        if name not in after:
            continue
        old, new = _text(name, before.get(name)), _text(name, after.get(name))
        if old != new:
            result.append(FieldDiff(_label(name), old, new, mark_diff(old, new)))
    return result


def field_diffs(item: InfoItem, fields: dict[str, Any]) -> list[FieldDiff]:
    """A proposed change (`fields`, as stored) against the published item."""
    current = {name: getattr(item, name) for name in fields if name in DIFF_FIELDS}
    return snapshot_diffs(current, fields)
