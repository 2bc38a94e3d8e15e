"""One search interface, two backends chosen by the database (stack evaluation §3).

SQLite: an FTS5 table over the bigram terms, queried with quoted phrases and ranked by
bm25 with the title weighted ten times the text. PostgreSQL: a stored tsvector (title
weight A, text weight B) with a GIN index, queried with phraseto_tsquery and ranked by
ts_rank. The queries are built from `tokens.Query` only, so visitor input never reaches
FTS syntax; every value travels as a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import OperationalError, connection, transaction

from gongkai.search.tokens import Phrase, Query

# Past this many hits the page says "more than N"; counting every hit of a common word
# over a large catalog costs more than the rest of the page (bench/search.py).
COUNT_CAP = 1_000
# Relevance is ranked among this many newest hits of a query with more hits than that;
# the pages after them go on newest first (Backend.search). A multiple of the page size.
RANK_WINDOW = 200
# PostgreSQL: how long the newest hits may be looked for along the date index.
NEWEST_TIMEOUT_MS = 150


@dataclass
class Filters:
    agency_ids: list[int] | None = None
    category_ids: list[int] | None = None
    topic: str = ""
    year: int | None = None
    validity: str = ""

    def sql(self, alias: str) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if self.agency_ids is not None:
            where.append(_in(f"{alias}.agency_id", self.agency_ids, params))
        if self.category_ids is not None:
            where.append(_in(f"{alias}.category_id", self.category_ids, params))
        if self.topic:
            where.append(f"{alias}.topic = %s")
            params.append(self.topic)
        if self.year is not None:
            where.append(f"{alias}.year = %s")
            params.append(self.year)
        if self.validity:
            where.append(f"{alias}.validity = %s")
            params.append(self.validity)
        return where, params


def _in(column: str, values: list[int], params: list[Any]) -> str:
    if not values:
        return "1 = 0"
    params.extend(values)
    return f"{column} IN ({', '.join(['%s'] * len(values))})"


@dataclass
class Hits:
    ids: list[int]
    total: int
    capped: bool = False
    ranked: bool = field(default=False)


class Backend:
    vendor = ""

    def search(
        self, query: Query, filters: Filters, *, order: str, offset: int, limit: int
    ) -> Hits:
        match, match_params = self.match(query) if query else ("", [])
        where, params = filters.sql("e")
        if match:
            where.insert(0, match)
            params = match_params + params
        condition = " AND ".join(where) or "1 = 1"
        source = self.source(query)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {condition} LIMIT %s) c",  # noqa: S608
                [*params, COUNT_CAP + 1],
            )
            total = cursor.fetchone()[0]
        many = total > RANK_WINDOW
        ranked = bool(query) and order == "relevance"
        ids: list[int] = []
        if ranked and offset < RANK_WINDOW:
            rank, rank_params = self.rank(query)
            inner = (
                f"SELECT e.item_id, e.formed_on, {rank} AS score FROM {source} WHERE {condition}"  # noqa: S608
            )
            if many:
                # Ranking reads every hit; over a common word that is most of the catalog.
                # Then the newest RANK_WINDOW hits are ranked, and later pages are by date.
                inner += f" ORDER BY e.formed_on DESC, e.item_id DESC LIMIT {RANK_WINDOW}"
            sql = (
                f"SELECT item_id FROM ({inner}) r "  # noqa: S608
                f"ORDER BY score {self.rank_direction}, formed_on DESC, item_id DESC "
                "LIMIT %s OFFSET %s"
            )
            ids = self.fetch(sql, [*rank_params, *params, limit, offset], newest=total > COUNT_CAP)
        if not ranked or (many and offset + limit > RANK_WINDOW):
            start = max(offset, RANK_WINDOW) if ranked else offset
            ids += self.fetch(
                f"SELECT e.item_id FROM {source} WHERE {condition} "  # noqa: S608
                "ORDER BY e.formed_on DESC, e.item_id DESC LIMIT %s OFFSET %s",
                [*params, offset + limit - start, start],
                newest=total > COUNT_CAP,
            )
        return Hits(ids=ids, total=min(total, COUNT_CAP), capped=total > COUNT_CAP, ranked=ranked)

    def fetch(self, sql: str, params: list[Any], *, newest: bool) -> list[int]:
        """The ids of a query; `newest`: it reads the newest of very many hits."""
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    # Per database -----------------------------------------------------------------------
    def source(self, query: Query) -> str:
        return "search_searchentry e"

    def match(self, query: Query) -> tuple[str, list[Any]]:
        raise NotImplementedError

    rank_direction = "DESC"

    def rank(self, query: Query) -> tuple[str, list[Any]]:
        """The SQL expression of a hit's relevance and its parameters."""
        raise NotImplementedError


class SqliteBackend(Backend):
    vendor = "sqlite"

    def search(
        self, query: Query, filters: Filters, *, order: str, offset: int, limit: int
    ) -> Hits:
        if not query or order != "relevance" or filters.sql("e")[0]:
            return super().search(query, filters, order=order, offset=offset, limit=limit)
        # No filters, by relevance: the FTS table alone (rowid = item id) answers. The
        # newest are the highest ids here, which FTS5 reads backwards from its index.
        expression = self.expression(query)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH %s "
                "LIMIT %s) c",
                [expression, COUNT_CAP + 1],
            )
            total = cursor.fetchone()[0]
            many = total > RANK_WINDOW
            ids: list[int] = []
            if offset < RANK_WINDOW:
                inner = "SELECT rowid, bm25(search_fts, 10.0, 1.0) AS score FROM search_fts WHERE search_fts MATCH %s"
                if many:
                    inner += f" ORDER BY rowid DESC LIMIT {RANK_WINDOW}"
                cursor.execute(
                    f"SELECT rowid FROM ({inner}) ORDER BY score, rowid DESC LIMIT %s OFFSET %s",  # noqa: S608
                    [expression, limit, offset],
                )
                ids = [row[0] for row in cursor.fetchall()]
            if many and offset + limit > RANK_WINDOW:
                start = max(offset, RANK_WINDOW)
                cursor.execute(
                    "SELECT rowid FROM search_fts WHERE search_fts MATCH %s "
                    "ORDER BY rowid DESC LIMIT %s OFFSET %s",
                    [expression, offset + limit - start, start],
                )
                ids += [row[0] for row in cursor.fetchall()]
        return Hits(ids=ids, total=min(total, COUNT_CAP), capped=total > COUNT_CAP, ranked=True)

    def source(self, query: Query) -> str:
        if query:
            return "search_fts JOIN search_searchentry e ON e.item_id = search_fts.rowid"
        return "search_searchentry e"

    @staticmethod
    def expression(query: Query) -> str:
        def phrase(p: Phrase) -> str:
            return f'"{p.text}"*' if p.single else '"' + " ".join(p.pairs) + '"'

        return " AND ".join(phrase(p) for p in query.phrases)

    def match(self, query: Query) -> tuple[str, list[Any]]:
        return "search_fts MATCH %s", [self.expression(query)]

    rank_direction = "ASC"  # bm25: lower is better

    def rank(self, query: Query) -> tuple[str, list[Any]]:
        return "bm25(search_fts, 10.0, 1.0)", []


class PostgresBackend(Backend):
    vendor = "postgresql"

    def fetch(self, sql: str, params: list[Any], *, newest: bool) -> list[int]:
        """The newest of very many hits are read along the date index, the planner told so:
        it cannot estimate how many items a phrase matches (bigram phrases are far more
        common than their pairs' frequencies suggest) and would otherwise recheck every hit
        and sort them. If the hits are old after all, the walk would be long: it is given
        NEWEST_TIMEOUT_MS, then the query runs as the planner likes."""
        if newest:
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SET LOCAL enable_bitmapscan = off")
                    cursor.execute("SET LOCAL enable_seqscan = off")
                    cursor.execute(f"SET LOCAL statement_timeout = {NEWEST_TIMEOUT_MS}")
                    cursor.execute(sql, params)
                    ids = [row[0] for row in cursor.fetchall()]
                    cursor.execute(
                        "SET LOCAL enable_bitmapscan = DEFAULT; SET LOCAL enable_seqscan = "
                        "DEFAULT; SET LOCAL statement_timeout = DEFAULT"
                    )
                    return ids
            except OperationalError:  # cancelled by the timeout; the savepoint undoes the SETs
                pass
        return super().fetch(sql, params, newest=False)

    def match(self, query: Query) -> tuple[str, list[Any]]:
        parts: list[str] = []
        params: list[Any] = []
        for p in query.phrases:
            if p.single:
                parts.append("e.tsv @@ to_tsquery('simple', %s)")
                params.append(f"{p.text}:*")
                continue
            # PostgreSQL keeps 16,383 positions and 256 per term: in a long text a phrase
            # may lose its positions, so there the pairs must all occur and the terms
            # string must contain the phrase.
            pattern = "%" + " ".join(p.pairs) + "%"
            parts.append(
                "(e.tsv @@ phraseto_tsquery('simple', %s) OR (e.is_long "
                "AND e.tsv @@ plainto_tsquery('simple', %s) "
                "AND (e.title_tokens LIKE %s OR e.body_tokens LIKE %s)))"
            )
            params.extend([" ".join(p.pairs), " ".join(p.pairs), pattern, pattern])
        return " AND ".join(parts), params

    def rank(self, query: Query) -> tuple[str, list[Any]]:
        parts, params = [], []
        for p in query.phrases:
            if p.single:
                parts.append("to_tsquery('simple', %s)")
                params.append(f"{p.text}:*")
            else:
                parts.append("plainto_tsquery('simple', %s)")
                params.append(" ".join(p.pairs))
        return f"ts_rank(e.tsv, {' && '.join(parts)})", params


def backend() -> Backend:
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()
