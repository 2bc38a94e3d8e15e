"""What the open data API returns and accepts. Field names are the models' own; links are
absolute addresses of the public portal."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Schema

from gongkai.annual.models import AnnualReport
from gongkai.orgs.models import Agency, Kind, Level
from gongkai.publishing.models import (
    Category,
    Genre,
    InfoItem,
    ItemAttachment,
    PublicationAction,
    Validity,
)

# Query limits: beyond them the database would be asked for impossible dates or offsets.
FIRST_YEAR, LAST_YEAR = 1, 9999


def absolute(context: dict[str, Any], url: str) -> str:
    request: HttpRequest = context["request"]
    return request.build_absolute_uri(url)


class Error(Schema):
    detail: str


class Withdrawn(Schema):
    detail: str
    withdrawn_at: datetime | None
    reason: str


class AgencyRef(Schema):
    code: str
    name: str


class AgencyOut(Schema):
    code: str
    name: str
    parent: str | None = Field(description="Code of the agency above it.")
    level: Level
    kind: Kind

    @staticmethod
    def resolve_parent(obj: Agency) -> str | None:
        return obj.parent.code if obj.parent is not None else None


class CategoryRef(Schema):
    code: str
    name: str


class CategoryOut(Schema):
    code: str
    name: str
    article: str = Field(description="Legal basis, e.g. 条例第二十条第（七）项.")
    parent: str | None = Field(description="Code of the standard category it belongs to.")
    agency: str | None = Field(description="Code of the agency for its own; null if standard.")

    @staticmethod
    def resolve_parent(obj: Category) -> str | None:
        return obj.parent.code if obj.parent is not None else None

    @staticmethod
    def resolve_agency(obj: Category) -> str | None:
        return obj.agency.code if obj.agency is not None else None


class CategoryFilters(Schema):
    agency: str | None = Field(
        None,
        max_length=32,
        description="Agency code: the standard categories for its level, and its own.",
    )


class ItemFilters(Schema):
    agency: str | None = Field(
        None, max_length=32, description="Agency code; includes the agencies below it."
    )
    category: str | None = Field(
        None, max_length=32, description="Category code; includes its sub-categories."
    )
    year: int | None = Field(None, ge=FIRST_YEAR, le=LAST_YEAR, description="Year formed.")
    validity: Validity | None = None


class ItemOut(Schema):
    id: int
    index_no: str = Field(description="索引号")
    title: str
    doc_no: str = Field(description="文号")
    agency: AgencyRef
    category: CategoryRef
    topic: str
    formed_on: date
    published_at: datetime | None
    validity: Validity
    summary: str
    url: str = Field(description="The item's page on the portal.")

    @staticmethod
    def resolve_url(obj: InfoItem, context: dict[str, Any]) -> str:
        return absolute(context, reverse("portal:item", args=[obj.pk]))


class AttachmentOut(Schema):
    name: str
    size: int
    content_type: str
    url: str

    @staticmethod
    def resolve_name(obj: ItemAttachment) -> str:
        return obj.original_name

    @staticmethod
    def resolve_url(obj: ItemAttachment, context: dict[str, Any]) -> str:
        return absolute(context, reverse("portal:item_attachment", args=[obj.item_id, obj.pk]))


class VersionOut(Schema):
    number: int
    action: PublicationAction
    reason: str
    at: datetime


class ItemDetail(ItemOut):
    genre: Genre
    effective_on: date | None
    ended_on: date | None
    keywords: str
    body: str = Field(description="The text, as sanitised HTML.")
    attachments: list[AttachmentOut]
    versions: list[VersionOut] = Field(
        description="Each publication, change and withdrawal, with its reason."
    )


class ReportFilters(Schema):
    agency: str | None = Field(None, max_length=32, description="Agency code.")
    year: int | None = Field(None, ge=FIRST_YEAR, le=LAST_YEAR)


class AnnualReportOut(Schema):
    agency: AgencyRef
    year: int
    rollup: bool = Field(description="Covers the agencies below the agency.")
    revision: int = Field(description="Number of the latest published revision.")
    published_at: datetime = Field(description="When that revision was published.")
    url: str

    @staticmethod
    def resolve_revision(obj: Any) -> int:
        number: int = obj.latest_revision  # annotated by published_reports()
        return number

    @staticmethod
    def resolve_published_at(obj: Any) -> datetime:
        published_at: datetime = obj.latest_published_at
        return published_at

    @staticmethod
    def resolve_url(obj: AnnualReport, context: dict[str, Any]) -> str:
        return absolute(context, reverse("portal:annual_report", args=[obj.agency.code, obj.year]))


class RevisionOut(Schema):
    number: int
    reason: str = Field(description="Why it was amended; empty for the first revision.")
    published_at: datetime
    files: dict[str, str] = Field(description="Download address by format.")


class AnnualReportDetail(Schema):
    agency: AgencyRef
    year: int
    rollup: bool
    title: str
    format: str = Field(description="Format of the tables: 2019 or 2021.")
    revision: int
    published_at: datetime
    reason: str
    url: str
    files: dict[str, str]
    overview: str
    problems: str
    other: str
    tables: dict[str, dict[str, dict[str, Any]]] = Field(
        description="The frozen tables: {table: {row: {column: value}}}."
    )
    revisions: list[RevisionOut] = Field(description="Every published revision, newest first.")
