"""PostgreSQL's search plans (gongkai.search.backends.PostgresBackend): the choice made
from ANALYZE's statistics, and the same hits, in the same order, whichever plan runs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.publishing.catalog_search import search
from gongkai.search import backends
from gongkai.search.backends import Filters, Plan, PostgresBackend, Statistics
from gongkai.search.tokens import Phrase, parse

# Ten equal parts of a catalog of 1,000,000 rows from 2021 to 2025.
DATES = [date(2021, 1, 1) + timedelta(days=183 * n) for n in range(11)]
STATS = Statistics(
    rows=1_000_000,
    shares={
        "公开": 0.6,
        "信息": 0.5,
        "息公": 0.05,
        "环境": 0.16,
        "森林": 0.04,
        "林防": 0.04,
        "防火": 0.06,
    },
    floor=0.01,
    dates=DATES,
)


def test_a_words_share_is_its_rarest_pair_and_unlisted_pairs_make_it_rarer():
    assert STATS.phrase_share(Phrase("信息公开")) == 0.05
    assert STATS.phrase_share(Phrase("森林防火")) == 0.04
    assert STATS.phrase_share(Phrase("湿地")) == 0.01  # not listed: under the floor
    # 湿地保护: three pairs ANALYZE does not list, each after the first a tenth as common.
    assert STATS.phrase_share(Phrase("湿地保护")) == pytest.approx(0.01 * 0.1**2)
    # One character: every listed pair it begins, and the floor.
    assert STATS.phrase_share(Phrase("信")) == pytest.approx(0.51)


def test_the_index_looks_up_a_words_rarest_pairs():
    assert STATS.lookup_pairs(Phrase("信息公开"), exact_estimate=False) == ["息公"]
    assert STATS.lookup_pairs(Phrase("森林防火"), exact_estimate=False) == ["森林", "林防", "防火"]
    assert STATS.lookup_pairs(Phrase("政府信息"), exact_estimate=False) == ["政府", "府信"]
    # Beside the date index the planner must estimate the lookup: one pair, not a product.
    assert STATS.lookup_pairs(Phrase("森林防火"), exact_estimate=True) == ["森林"]


def test_the_newest_date_holding_about_so_many_rows():
    assert STATS.newest_date(100_000) == DATES[9]
    assert STATS.newest_date(250_000) == DATES[7]
    assert STATS.newest_date(1_000_000) is None
    assert STATS.newest_date(950_000) is None  # the first part: every row


@pytest.fixture
def stats(monkeypatch):
    monkeypatch.setattr(backends, "statistics", lambda: STATS)


def test_the_cheapest_plan_is_chosen(stats):
    plan = PostgresBackend().plan
    # Most items say 公开: the newest thousand are found by walking the date index.
    assert plan(parse("公开")).kind == "walk"
    # One item in twenty: the GIN index within the newest days that hold enough.
    chosen = plan(parse("信息公开"))
    assert (chosen.kind, chosen.cutoff) == ("index", DATES[9])
    # Rare: every hit from the GIN index.
    rare = plan(parse("湿地保护"))
    assert (rare.kind, rare.cutoff, rare.share) == ("index", None, pytest.approx(1e-4))
    # Two words: the product of their shares.
    assert plan(parse("环境 信息公开")).share == pytest.approx(0.16 * 0.05)


def test_without_statistics_the_planner_decides(monkeypatch):
    monkeypatch.setattr(backends, "statistics", lambda: None)
    assert PostgresBackend().plan(parse("公开")) == Plan("planner")


@pytest.fixture
def postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's plans")


@pytest.fixture
def catalog(postgresql, cast, publish):
    """36 items over 2024-2026: 公开 in every one, 信息公开 in a third, 湿地 in two."""
    for n in range(36):
        words = "政府信息公开" if n % 3 == 0 else "政务公开"
        title = f"第{n}号{words}通知" + ("（湿地）" if n in (5, 30) else "")
        publish(
            title=title,
            body=f"<p>{words}工作。</p>",
            formed_on=date(2024, 1, 1) + timedelta(days=30 * n),
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchentry")
    backends.forget_statistics()
    yield
    backends.forget_statistics()


PLANS = [
    Plan("walk"),
    Plan("index"),
    Plan("index", cutoff=date(2025, 6, 1)),  # too few hits after it: all of them next
    Plan("index", cutoff=date(2023, 1, 1)),
    Plan("planner"),
]


@pytest.mark.parametrize("raw", ["公开", "信息公开", "湿地", "公开 湿地", "信", "没有的词"])
def test_every_plan_finds_the_same_hits_in_the_same_order(catalog, monkeypatch, raw):
    pages = {}
    for plan in PLANS:
        monkeypatch.setattr(PostgresBackend, "plan", lambda self, query, plan=plan: plan)
        for order in ("relevance", "date"):
            page = search(raw, order=order, per_page=50)
            pages[plan, order] = (page.total, tuple(r.item.title for r in page.results))
    for order in ("relevance", "date"):
        found = {pages[plan, order] for plan in PLANS}
        assert len(found) == 1, (order, found)
    total, newest_first = pages[PLANS[0], "date"]
    by_date = list(newest_first)
    expected = {"公开": 36, "信息公开": 12, "湿地": 2, "公开 湿地": 2, "信": 12, "没有的词": 0}
    assert total == len(by_date) == expected[raw]
    assert by_date == sorted(by_date, key=lambda t: -int(t[1 : t.index("号")]))


def test_a_walk_that_runs_too_long_gives_way_to_the_index(catalog, monkeypatch):
    original = PostgresBackend.match

    def slow(self, query):
        sql, params = original(self, query)
        return f"{sql} AND pg_sleep(0.01) IS NOT NULL", params

    monkeypatch.setattr(PostgresBackend, "match", slow)
    monkeypatch.setattr(backends, "WALK_TIMEOUT_MS", 50)
    monkeypatch.setattr(PostgresBackend, "plan", lambda self, query: Plan("walk"))
    with CaptureQueriesContext(connection) as queries:
        assert search("公开", order="date", per_page=50).total == 36
    settings = [q["sql"] for q in queries if q["sql"].startswith("SET LOCAL enable_")]
    assert settings[0] == "SET LOCAL enable_bitmapscan = off"  # the walk, cancelled
    assert "SET LOCAL enable_indexscan = off" in settings  # then the index


def test_statistics_come_from_analyze_and_settings_do_not_outlast_a_search(catalog):
    stats = backends.statistics()
    assert stats is not None and stats.rows == 36
    assert stats.shares["公开"] == 1.0
    assert stats.dates[0] == date(2024, 1, 1)
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    search("公开")  # inside the test's transaction, as in a request's
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == jit


def test_filtered_searches_are_planned_by_the_planner(catalog):
    in_2025 = [
        n for n in range(0, 36, 3) if (date(2024, 1, 1) + timedelta(days=30 * n)).year == 2025
    ]
    page = search("信息公开", filters=Filters(year=2025), order="date")
    assert [r.item.title for r in page.results] == [
        f"第{n}号政府信息公开通知" for n in reversed(in_2025)
    ]
