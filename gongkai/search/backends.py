"""One search interface, two backends chosen by the database (stack evaluation §3).

SQLite: an FTS5 table over the bigram terms, queried with quoted phrases and ranked by
bm25 with the title weighted ten times the text. PostgreSQL: a stored tsvector (title
weight A, text weight B) with a GIN index, queried with phraseto_tsquery and ranked by
ts_rank. The queries are built from `tokens.Query` only, so visitor input never reaches
FTS syntax; every value travels as a parameter.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import OperationalError, connection, connections, transaction

from gongkai.lib.replicas import read_alias
from gongkai.search.tokens import Phrase, Query

# Past this many hits the page says "more than N"; counting every hit of a common word
# over a large catalog costs more than the rest of the page (bench/search.py).
COUNT_CAP = 1_000
# Relevance is ranked among this many newest hits of a query with more hits than that;
# the pages after them go on newest first (Backend.search). A multiple of the page size.
RANK_WINDOW = 200


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


def reading() -> Any:
    """The connection searches read: the request's replica, if it has one (docs/scaling.md)."""
    return connections[read_alias()]


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
        with reading().cursor() as cursor:
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
            ids = self.fetch(sql, [*rank_params, *params, limit, offset])
        if not ranked or (many and offset + limit > RANK_WINDOW):
            start = max(offset, RANK_WINDOW) if ranked else offset
            ids += self.fetch(
                f"SELECT e.item_id FROM {source} WHERE {condition} "  # noqa: S608
                "ORDER BY e.formed_on DESC, e.item_id DESC LIMIT %s OFFSET %s",
                [*params, offset + limit - start, start],
            )
        return Hits(ids=ids, total=min(total, COUNT_CAP), capped=total > COUNT_CAP, ranked=ranked)

    def fetch(self, sql: str, params: list[Any]) -> list[int]:
        with reading().cursor() as cursor:
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
        with reading().cursor() as cursor:
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
    """The newest hits of a query (up to COUNT_CAP + 1) come from one query whose plan is
    chosen here, not by the planner (PostgresBackend.plan); the newest RANK_WINDOW of them
    are then ranked by ts_rank.

    Why: checking a phrase means reading an item's tsvector (several KB), and the planner cannot estimate how many items a phrase of bigrams matches (it multiplies
    the pairs' frequencies; the pairs of a word nearly always occur together). With the
    lexeme frequencies ANALYZE keeps (pg_stats.most_common_elems) a query's share of the
    catalog is estimated as the product, over its words, of each word's rarest pair; from
    that, the newest hits are read along the date index (a very common word), or from the
    GIN index within the newest days that should hold enough of them, or from the GIN index
    alone (a rare word). Every plan returns the same rows; only the cost differs.
    """

    vendor = "postgresql"

    def search(
        self, query: Query, filters: Filters, *, order: str, offset: int, limit: int
    ) -> Hits:
        if not query:
            return super().search(query, filters, order=order, offset=offset, limit=limit)
        where, params = filters.sql("e")
        plan = self.plan(query) if not where else Plan("planner")
        ids = self.newest(query, where, params, plan)
        total = len(ids)
        ranked = order == "relevance"
        window = ids[:RANK_WINDOW] if total > RANK_WINDOW else ids
        found: list[int] = []
        if ranked and offset < len(window):
            found = self.ranked(query, window, offset=offset, limit=limit)
        start = max(offset, len(window)) if ranked else offset
        found += ids[start : min(offset + limit, COUNT_CAP)]
        return Hits(ids=found, total=min(total, COUNT_CAP), capped=total > COUNT_CAP, ranked=ranked)

    def plan(self, query: Query) -> Plan:
        """The cheapest way to the newest COUNT_CAP + 1 hits, by the estimated share of
        the catalog the query matches (Statistics) and the costs measured per row."""
        stats = statistics()
        if stats is None:
            return Plan("planner")
        share = 1.0
        for p in query.phrases:
            share *= stats.phrase_share(p)
        rows, hits, wanted = stats.rows, share * stats.rows, COUNT_CAP + 1
        costs = {
            # Along the date index until enough hits are found.
            Plan("walk", share): min(rows, wanted / share) * WALK_ROW_US,
            # Every hit from the GIN index, then the newest.
            Plan("index", share): hits * (POSTING_US + CANDIDATE_US),
        }
        within = wanted * CUTOFF_MARGIN / share
        cutoff = stats.newest_date(within)
        if cutoff is not None:
            # The GIN index and the date index together: the hits of the newest days.
            costs[Plan("index", share, cutoff)] = (
                hits * POSTING_US + within * DATE_ROW_US + wanted * CUTOFF_MARGIN * CANDIDATE_US
            )
        return min(costs, key=lambda plan: costs[plan])

    def newest(self, query: Query, where: list[str], params: list[Any], plan: Plan) -> list[int]:
        """The ids of up to COUNT_CAP + 1 newest hits, newest first, by `plan`."""
        index, index_params = self.index_condition(query, exact_estimate=plan.cutoff is not None)
        check, check_params = self.match(query)
        conditions = [index, check, *where]
        all_params = [*index_params, *check_params, *params]

        def run(
            settings: list[str], extra: str = "", extra_params: tuple[Any, ...] = ()
        ) -> list[int]:
            sql = (
                f"SELECT e.item_id FROM search_searchentry e WHERE {' AND '.join(conditions)}"  # noqa: S608
                f"{extra} ORDER BY e.formed_on DESC, e.item_id DESC LIMIT %s"
            )
            settings = ["jit = off", *settings]
            with transaction.atomic(using=read_alias()), reading().cursor() as cursor:
                for setting in settings:
                    cursor.execute(f"SET LOCAL {setting}")
                cursor.execute(sql, [*all_params, *extra_params, COUNT_CAP + 1])
                ids = [row[0] for row in cursor.fetchall()]
                # Within an outer transaction SET LOCAL would outlast the savepoint.
                for setting in settings:
                    cursor.execute(f"SET LOCAL {setting.split(' = ')[0]} = DEFAULT")
                return ids

        if plan.kind == "walk":
            # Along the date index; if the hits are rarer among the newest items than
            # overall, the walk would be long: it is given WALK_TIMEOUT_MS.
            try:
                return run(
                    [
                        "enable_bitmapscan = off",
                        "enable_seqscan = off",
                        f"statement_timeout = {WALK_TIMEOUT_MS}",
                    ]
                )
            except OperationalError:  # cancelled; the savepoint undid the settings
                plan = Plan("index", share=plan.share)
        if plan.kind == "index":
            bitmap = ["enable_indexscan = off", "enable_seqscan = off"]
            if plan.cutoff is not None:
                ids = run(bitmap, " AND e.formed_on >= %s", (plan.cutoff,))
                if len(ids) > COUNT_CAP:
                    return ids
                # Fewer hits in those days than expected: all of them, as for a rare word.
                index, index_params = self.index_condition(query, exact_estimate=False)
                conditions[0], all_params[: len(index_params)] = index, index_params
            return run(bitmap)
        return run([])

    def index_condition(self, query: Query, *, exact_estimate: bool) -> tuple[str, list[Any]]:
        """What the GIN index looks up: per word, its rarest pairs (all pairs when there
        are no statistics). The phrase itself is checked by `match`."""
        stats = statistics()
        terms: list[str] = []
        for p in query.phrases:
            if p.single:
                terms.append(f"{p.text}:*")
            else:
                terms.extend(
                    stats.lookup_pairs(p, exact_estimate=exact_estimate) if stats else p.pairs
                )
        return "e.tsv @@ to_tsquery('simple', %s)", [" & ".join(terms)]

    def match(self, query: Query) -> tuple[str, list[Any]]:
        """The exact check of every phrase, written as function calls so that the planner
        keeps it out of the index lookup."""
        parts: list[str] = []
        params: list[Any] = []
        for p in query.phrases:
            if p.single:
                continue  # the index lookup of c:* is exact
            # PostgreSQL keeps 16,383 positions and 256 per term: in a long text a phrase
            # may lose its positions, so there all its pairs must occur and the terms
            # string must contain the phrase.
            pattern = "%" + " ".join(p.pairs) + "%"
            parts.append(
                "(ts_match_vq(e.tsv, phraseto_tsquery('simple', %s)) OR (e.is_long "
                "AND ts_match_vq(e.tsv, plainto_tsquery('simple', %s)) "
                "AND (e.title_tokens LIKE %s OR e.body_tokens LIKE %s)))"
            )
            params.extend([" ".join(p.pairs), " ".join(p.pairs), pattern, pattern])
        return " AND ".join(parts) or "TRUE", params

    def ranked(self, query: Query, ids: list[int], *, offset: int, limit: int) -> list[int]:
        rank, params = self.rank(query)
        with reading().cursor() as cursor:
            cursor.execute(
                f"SELECT e.item_id FROM search_searchentry e WHERE e.item_id = ANY(%s) "  # noqa: S608
                f"ORDER BY {rank} DESC, e.formed_on DESC, e.item_id DESC LIMIT %s OFFSET %s",
                [ids, *params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]

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


# PostgreSQL plans (PostgresBackend.plan): what each step costs, in microseconds, as
# measured by bench/search.py at 1,000,000 items on a server with 128 MB of shared buffers:
# a row read along the date index and its tsvector checked; a row of a date range put in a
# bitmap; an entry found in the GIN index; a candidate fetched from a bitmap and checked.
WALK_ROW_US = 2.3
DATE_ROW_US = 0.14
POSTING_US = 0.2
CANDIDATE_US = 7.0
# A date cutoff is placed where this many times the hits wanted should be newer.
CUTOFF_MARGIN = 1.5
# A walk that outlasts this (the hits were rarer among the newest items than overall)
# gives way to the GIN index.
WALK_TIMEOUT_MS = 100
# Statistics are read again after this long.
STATISTICS_SECONDS = 600
# A pair this common is looked up only when it is its word's rarest (Statistics.lookup_pairs).
COMMON_PAIR = 0.1
# Each unlisted pair of a word after the first is taken to divide its share by this.
UNLISTED_FACTOR = 0.1


@dataclass(frozen=True)
class Plan:
    kind: str  # "walk" | "index" | "planner"
    share: float = 1.0
    cutoff: date | None = None


@dataclass(frozen=True)
class Statistics:
    """What ANALYZE knows of the search index: its rows, the share of rows holding each
    of its most common pairs (rarer ones are under `floor`), and the bounds of formed_on
    that cut it into equal parts, oldest first."""

    rows: float
    shares: dict[str, float]
    floor: float
    dates: list[date]

    def pair_share(self, pair: str) -> float:
        return self.shares.get(pair, self.floor)

    def phrase_share(self, phrase: Phrase) -> float:
        if phrase.single:
            return min(1.0, self.floor + sum(
                share for lexeme, share in self.shares.items() if lexeme.startswith(phrase.text)
            ))  # fmt: skip
        # A word's pairs nearly always occur together: its share is its rarest pair's. A
        # pair ANALYZE does not list is rarer than `floor`, by how much is unknown; each
        # further unlisted pair makes the word rarer still.
        unlisted = sum(pair not in self.shares for pair in phrase.pairs)
        share = min(self.pair_share(pair) for pair in phrase.pairs)
        return share * UNLISTED_FACTOR ** max(0, unlisted - 1)

    def lookup_pairs(self, phrase: Phrase, *, exact_estimate: bool) -> list[str]:
        """The phrase's pairs the GIN index looks up. The rarest always; with it the others
        under COMMON_PAIR, which narrow the lookup for little cost, unless the planner must
        estimate the lookup well (`exact_estimate`: to combine it with the date index):
        it multiplies the pairs' shares, and the pairs of a word occur together."""
        pairs = sorted(phrase.pairs, key=self.pair_share)
        if exact_estimate:
            return pairs[:1]
        return [pairs[0], *(p for p in pairs[1:] if self.pair_share(p) < COMMON_PAIR)]

    def newest_date(self, rows: float) -> date | None:
        """A date such that about `rows` rows are on or after it (None: all of them)."""
        if len(self.dates) < 2 or rows >= self.rows:
            return None
        parts = len(self.dates) - 1
        index = int((1 - rows / self.rows) * parts)
        return self.dates[index] if index > 0 else None


_statistics: tuple[float, Statistics | None] = (-1.0, None)


def statistics() -> Statistics | None:
    """The search index's statistics, read at most every STATISTICS_SECONDS per process;
    None before ANALYZE has seen enough rows to keep lexeme frequencies."""
    global _statistics
    read_at, stats = _statistics
    now = time.monotonic()
    if read_at >= 0 and now - read_at < STATISTICS_SECONDS:
        return stats
    with reading().cursor() as cursor:
        cursor.execute(
            "SELECT c.reltuples, t.most_common_elems::text::text[], t.most_common_elem_freqs, "
            "d.histogram_bounds::text::date[] FROM pg_class c "
            "LEFT JOIN pg_stats t ON t.schemaname = current_schema() "
            "AND t.tablename = c.relname AND t.attname = 'tsv' "
            "LEFT JOIN pg_stats d ON d.schemaname = current_schema() "
            "AND d.tablename = c.relname AND d.attname = 'formed_on' "
            "WHERE c.oid = 'search_searchentry'::regclass"
        )
        rows, lexemes, shares, dates = cursor.fetchone()
    stats = None
    if lexemes and shares and rows and rows > 0:
        # The last three numbers are the least and greatest share and the share of nulls.
        stats = Statistics(
            rows=float(rows),
            shares=dict(zip(lexemes, shares[: len(lexemes)], strict=True)),
            floor=float(shares[len(lexemes)]),
            dates=list(dates or []),
        )
    _statistics = (now, stats)
    return stats


def forget_statistics() -> None:
    """Read the statistics again at the next search (after ANALYZE)."""
    global _statistics
    _statistics = (-1.0, None)


def backend() -> Backend:
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()
