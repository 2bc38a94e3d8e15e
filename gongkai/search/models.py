"""The search index of published catalog items: one row per item, kept by gongkai.publishing.catalog_search through gongkai.search.index.

The full-text part lives beside this table and is made by migration 0002 for the database
in use: an external-content FTS5 table kept by triggers on SQLite, a stored tsvector
column with a GIN index on PostgreSQL.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    item = models.OneToOneField(
        "publishing.InfoItem",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_entry",
    )
    agency = models.ForeignKey("orgs.Agency", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("publishing.Category", on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(max_length=100, blank=True)
    validity = models.CharField(max_length=16)
    formed_on = models.DateField()
    year = models.PositiveSmallIntegerField()
    # Index terms (gongkai.search.tokens): title and 文号; summary, keywords, text, attachments.
    title_tokens = models.TextField()
    body_tokens = models.TextField()
    # More terms than PostgreSQL keeps positions for (16,383): phrases are checked by LIKE.
    is_long = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")
        indexes = [
            models.Index(fields=["-formed_on", "-item"], name="search_entry_date_idx"),
            models.Index(fields=["agency", "-formed_on"], name="search_entry_agency_idx"),
        ]

    def __str__(self) -> str:
        return str(self.item_id)
