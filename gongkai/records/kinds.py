"""The record kinds as the back office lists, edits and exports them: one description
per kind, read by the generic views (records/views.py) and the XLSX export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.records.models import (
    Concern,
    Consultation,
    Message,
    PressEvent,
    Proposal,
    Record,
    Staffing,
    Training,
)


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type[Record]
    fields: tuple[str, ...]  # edited in the form, in order
    columns: tuple[str, ...]  # shown in the list and exported
    date_field: str  # ordering, the year filter
    filters: tuple[str, ...] = ()  # choice fields the list filters on
    search: tuple[str, ...] = ()  # text fields the list searches
    export_extra: tuple[str, ...] = ()  # exported, not shown in the list

    @property
    def title(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def singular(self) -> str:
        return str(self.model._meta.verbose_name)

    def label(self, name: str) -> str:
        if name == "agency":
            return _("Agency")
        if name == "late":
            return _("Late")
        return str(getattr(self.model._meta.get_field(name), "verbose_name", name))

    def year_lookup(self, year: int) -> dict[str, Any]:
        if self.date_field == "year":
            return {"year": year}
        return {f"{self.date_field}__year": year}


KINDS: dict[str, Kind] = {
    k.slug: k
    for k in (
        Kind(
            "consultations",
            Consultation,
            fields=(
                "kind", "title", "explanation", "draft", "how_to_comment", "opens_on",
                "closes_on", "short_period_reason", "offline_comments",
            ),
            columns=("title", "kind", "agency", "opens_on", "closes_on", "published_at",
                     "feedback_published_at"),
            date_field="opens_on",
            filters=("kind",),
            search=("title",),
            export_extra=("offline_comments", "adopted_comments"),
        ),
        Kind(
            "concerns",
            Concern,
            fields=("topic", "severity", "noticed_at", "responded_at", "response_form",
                    "response", "link"),
            columns=("topic", "severity", "agency", "noticed_at", "responded_at",
                     "response_form", "late"),
            date_field="noticed_at",
            filters=("severity", "response_form"),
            search=("topic",),
        ),
        Kind(
            "messages",
            Message,
            fields=("channel", "number", "category", "subject", "content", "received_at",
                    "answered_at", "status", "answer"),
            columns=("number", "subject", "channel", "category", "agency", "received_at",
                     "answered_at", "status", "late"),
            date_field="received_at",
            filters=("channel", "category", "status"),
            search=("number", "subject"),
        ),
        Kind(
            "press",
            PressEvent,
            fields=("kind", "held_on", "topic", "speakers", "principal_leader", "link"),
            columns=("topic", "kind", "agency", "held_on", "speakers", "principal_leader"),
            date_field="held_on",
            filters=("kind",),
            search=("topic", "speakers"),
        ),
        Kind(
            "proposals",
            Proposal,
            fields=("kind", "number", "title", "handling", "received_on", "answered_on",
                    "result", "disclosure", "published_on", "not_public_reason"),
            columns=("number", "title", "kind", "handling", "agency", "received_on",
                     "answered_on", "result", "disclosure", "published_on"),
            date_field="received_on",
            filters=("kind", "handling", "result", "disclosure"),
            search=("number", "title"),
        ),
        Kind(
            "training",
            Training,
            fields=("kind", "held_on", "title", "participants", "note"),
            columns=("title", "kind", "agency", "held_on", "participants"),
            date_field="held_on",
            filters=("kind",),
            search=("title",),
        ),
        Kind(
            "staffing",
            Staffing,
            fields=("year", "office", "full_time", "part_time", "budget", "note"),
            columns=("year", "agency", "office", "full_time", "part_time", "budget"),
            date_field="year",
        ),
    )
}  # fmt: skip


def cell(obj: Record, name: str) -> Any:
    """The value of a column as shown and exported: choices by label, times local."""
    if name == "agency":
        return obj.agency.name
    if name == "late":
        is_late = getattr(obj, "is_late", None)
        return _("Yes") if is_late is not None and is_late() else ""
    field = obj._meta.get_field(name)
    value = getattr(obj, name)
    if getattr(field, "choices", None):
        display = getattr(obj, f"get_{name}_display")()
        return str(display) if value else ""
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return "" if value is None else value
