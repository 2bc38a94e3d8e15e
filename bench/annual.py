"""The annual report on PostgreSQL, for a province: 5,000 agencies, 1,000,000 requests.

Creates a throwaway PostgreSQL database (DATABASE_URL's server, or postgres@127.0.0.1),
migrates it, loads a province with COPY, measures, and drops it. The province: a
government with its departments, 15 cities, 150 counties, their departments and
townships (5,000 agencies in a tree); 1,000,000 disclosure requests received in
2023-2025, spread very unevenly over the agencies, with their timelines (about 90 %
closed by a reply, a withdrawal or a closure for an overdue correction or fee; a few
closed twice); reviews and lawsuits about 2 % of them; 100,000 normative documents
issued since 2010; the entered decision figures. Prints, for the report of 2025:
- the time of one agency's report (gongkai.annual.report.build: the year and the year
  before, tables 二, 三, 四 and the checks), for the busiest agency (the target: p50 <
  200 ms) and, for information, a typical one and a city's rollup;
- the whole-province rollup: its table 三 (scope_for + compute.table_three), and the bare
  SQL a competent person would write by hand for the same numbers (the closing event per
  request with DISTINCT ON, or with a LATERAL join; one GROUP BY with count(*) FILTER),
  after checking that both give exactly the same table (MATCH); their ratio (the target:
  table 三 ≤ 1.5 × the faster bare query); and the whole build() of the rollup;
- one PASS/FAIL line per target.

    .venv/bin/python bench/annual.py                          # 1,000,000 requests
    .venv/bin/python bench/annual.py --applications 50000     # a quick try
    .venv/bin/python bench/annual.py --explain                # EXPLAIN ANALYZE the SQL
    .venv/bin/python bench/annual.py --try-sql "CREATE INDEX ..."   # before/after
    .venv/bin/python bench/annual.py --keep                   # leave the database

The targets are for the full size. With a quick try the rollup's ratio says little: its
fixed costs (the 5,000 agency ids of the scope compiled into the SQL and planned, some
20-40 ms) weigh on a bare query of a few dozen milliseconds.

`--try-sql` (repeatable) runs the statements after the first round of measurements
(then ANALYZE) and measures again. `--keep` leaves the database for psql (its name is
printed; drop it by hand).
"""

from __future__ import annotations

import argparse
import bisect
import enum
import functools
import json
import os
import random
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._db import throwaway_database  # noqa: E402

NAME = f"gongkai_bench_annual_{os.getpid()}"
APPLICATIONS = 1_000_000
AGENCIES = 5_000
NORMATIVE = 100_000
REPEAT = 7
YEAR = 2025  # the report measured (and, in it, 2024 for the cross-year check)
FIRST_DAY = date(2023, 1, 1)  # requests are received from this day ...
LAST_DAY = date(2025, 12, 31)  # ... to this one
HORIZON = date(2026, 2, 28)  # the data's "today": nothing happens after it
AGENCY_TARGET_MS = 200.0
ROLLUP_RATIO = 1.5
SKEW = 0.65  # Zipf exponent of the requests per agency (the busiest get ~2 % of all)
OPEN_SHARE = 0.08  # requests never closed (awaiting correction or fee, forgotten ...)
TWICE_CLOSED = 0.005  # requests with a second closing event after the first
REMEDY_SHARE = 0.02

# --- The province ----------------------------------------------------------------------
CITIES = ["东川", "西岭", "南屏", "北原", "青川", "白河", "临江", "安平", "长宁",
          "永丰", "石门", "金沙", "云溪", "凤台", "龙泉"]  # fmt: skip
COUNTIES_PER_CITY = 10
DEPARTMENTS = [
    ("fgw", "发展和改革委员会"), ("jyt", "教育局"), ("kjj", "科学技术局"),
    ("gxj", "工业和信息化局"), ("gaj", "公安局"), ("mzj", "民政局"), ("sfj", "司法局"),
    ("czj", "财政局"), ("rsj", "人力资源和社会保障局"), ("zrzyj", "自然资源和规划局"),
    ("sthjj", "生态环境局"), ("zjj", "住房和城乡建设局"), ("jtj", "交通运输局"),
    ("slj", "水利局"), ("nyj", "农业农村局"), ("swj", "商务局"), ("wlj", "文化和旅游局"),
    ("wjj", "卫生健康委员会"), ("tyjrj", "退役军人事务局"), ("yjj", "应急管理局"),
    ("sjj", "审计局"), ("scjgj", "市场监督管理局"), ("tjj", "统计局"), ("ybj", "医疗保障局"),
    ("lyj", "林业局"), ("cgj", "城市管理局"), ("xzspj", "行政审批服务局"),
    ("sjzyj", "数据资源局"), ("xfj", "信访局"), ("gzw", "国有资产监督管理委员会"),
    ("mzzj", "民族宗教事务委员会"), ("rfb", "人民防空办公室"), ("ggzy", "公共资源交易中心"),
    ("xczx", "乡村振兴局"), ("daj", "档案局"), ("lsj", "粮食和物资储备局"),
    ("tyj", "体育局"), ("jgsw", "机关事务管理局"), ("zfb", "政府办公室"), ("qxj", "气象局"),
]  # fmt: skip
PROVINCE_DEPARTMENTS = len(DEPARTMENTS)
CITY_DEPARTMENTS = len(DEPARTMENTS)
TOWNSHIP_SHARE = 0.4  # of a county's agencies below its government
PLACE = "安和清平宁兴隆丰泰福康乐新华阳山河湖桥溪岭林沙石田塘坪湾口"

# --- Requests --------------------------------------------------------------------------
APPLICANT_WEIGHTS = {
    "natural_person": 82,
    "commercial_enterprise": 9,
    "research_institution": 0.5,
    "public_welfare_org": 0.5,
    "legal_service_org": 3,
    "other_org": 5,
}
OUTCOME_WEIGHTS = {  # of the replies
    "granted": 38, "partially_granted": 9, "denied_state_secret": 0.3,
    "denied_law_prohibited": 0.5, "denied_three_security_one_stability": 0.5,
    "denied_third_party_rights": 2, "denied_internal_affairs": 1, "denied_process_info": 2,
    "denied_enforcement_case_file": 1, "denied_administrative_query": 1.5,
    "unable_not_held": 22, "unable_needs_creation": 4, "unable_unclear_after_correction": 3,
    "np_petition_complaint": 3, "np_repeated": 3, "np_publication": 0.5,
    "np_massive_unreasonable": 1, "np_confirm_or_reissue": 1, "other_misc": 2,
}  # fmt: skip
BASIS = "《中华人民共和国政府信息公开条例》第三十六条"
CHANNELS = ["online"] * 6 + ["post_signed"] * 2 + ["in_person", "email", "post_plain", "fax"]
FORMS = ["electronic", "paper", "email", "inspection"]
DELIVERIES = ["online", "email", "post", "pick_up"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
TOPICS = ["征地补偿安置方案", "房屋征收决定", "建设工程规划许可证", "行政处罚决定书",
          "环境影响评价文件", "拆迁补偿协议", "财政预算执行情况", "低保审批材料",
          "不动产登记资料", "道路建设项目批复", "信访事项处理意见", "营业执照核准材料"]  # fmt: skip


@dataclass(frozen=True)
class Timing:
    p50: float
    max: float
    first: float


@dataclass(frozen=True)
class Case:
    label: str
    timing: Timing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--applications", type=int, default=APPLICATIONS, help="disclosure requests to load"
    )
    parser.add_argument(
        "--normative", type=int, default=NORMATIVE, help="normative documents to load"
    )
    parser.add_argument("--repeat", type=int, default=REPEAT, help="repetitions per case")
    parser.add_argument(
        "--explain", action="store_true", help="print EXPLAIN ANALYZE of the table-三 SQL"
    )
    parser.add_argument(
        "--try-sql",
        action="append",
        default=[],
        metavar="SQL",
        help="statement to run after the first measurements, then measure again",
    )
    parser.add_argument(
        "--keep", action="store_true", help="leave the database (drop it by hand afterwards)"
    )
    args = parser.parse_args()

    started = time.perf_counter()
    failed = False
    try:
        # Measurements run with settings.DEBUG = False (see bench._db.use_database).
        with throwaway_database(NAME, keep=args.keep):
            failed = run(args)
    finally:
        state = "kept" if args.keep else "dropped"
        print(f"whole run: {time.perf_counter() - started:.0f} s (database {NAME} {state})")
    if failed:
        sys.exit(1)


def measure(fn: Callable[[], object], repeat: int) -> Timing:
    """One cold run (reported as `first`), then `repeat` timed runs."""
    started = time.perf_counter()
    fn()
    first = (time.perf_counter() - started) * 1000
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return Timing(statistics.median(timings), max(timings), first)


def fmt(timing: Timing) -> str:
    return f"p50 {timing.p50:8.1f} ms  max {timing.max:8.1f} ms  (first run {timing.first:.1f} ms)"


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"


def run(args: argparse.Namespace) -> bool:
    """Load, measure, print; True when a check failed."""
    import django

    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    settings.DEBUG = False  # no query log while timing

    started = time.perf_counter()
    agencies = create_agencies()
    counts = load(agencies, args.applications, args.normative)
    copied = time.perf_counter() - started
    with connection.cursor() as cursor:
        # What autovacuum does after a million inserts: statistics and the visibility map.
        for table in ("foi_application", "foi_event", "foi_remedy", "publishing_normativedocument"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
        cursor.execute("ANALYZE")
        sizes = table_sizes(cursor)
    loaded_in = time.perf_counter() - started
    print(
        f"data: {len(agencies):,} agencies, {counts['applications']:,} requests "
        f"({counts['open']:,} open, {counts['twice']:,} closed twice), "
        f"{counts['events']:,} events, {counts['remedies']:,} reviews and lawsuits, "
        f"{counts['normative']:,} normative documents, {counts['figures']:,} figure rows"
    )
    print(f"tables: {sizes}")
    print(
        f"load: {loaded_in:.1f} s (generate + COPY {copied:.1f} s, "
        f"VACUUM ANALYZE {loaded_in - copied:.1f} s)"
    )
    busiest, typical, city, province = pick_agencies(agencies)
    print(
        f"report year {YEAR}; busiest agency {busiest.code} ({busiest.name}, "
        f"{counts['per_agency'][busiest.pk]:,} requests in all years), typical agency "
        f"{typical.code} ({counts['per_agency'][typical.pk]:,}), city {city.code}"
    )
    print(f"server: {server_settings()}")
    print(f"{args.repeat} repetitions per case; load average before: {load_average()}")
    print()

    cases, ok = measure_all(busiest, typical, city, province, args.repeat, args.explain)
    retried: list[Case] = []
    if args.try_sql:
        with connection.cursor() as cursor:
            for statement in args.try_sql:
                started = time.perf_counter()
                cursor.execute(statement)
                print(f"try-sql ({time.perf_counter() - started:.1f} s): {statement}")
            cursor.execute("ANALYZE")
            print(f"  now {table_sizes(cursor)}")
        print()
        retried, retried_ok = measure_all(
            busiest, typical, city, province, args.repeat, args.explain
        )
        ok = ok and retried_ok
    print(f"load average after measuring: {load_average()}")
    print("summary:")
    failed = not ok
    for label, rounds in [("", cases), (" (after try-sql)", retried)]:
        if not rounds:
            continue
        by_label = {case.label: case.timing for case in rounds}
        agency_ms = by_label["report busiest agency"].p50
        verdict = "PASS" if agency_ms < AGENCY_TARGET_MS else "FAIL"
        failed = failed or verdict == "FAIL"
        print(
            f"  {verdict}  one agency's report{label}: p50 {agency_ms:.1f} ms "
            f"(target < {AGENCY_TARGET_MS:.0f} ms)"
        )
        t3 = by_label["rollup table 三"].p50
        bare = min(by_label["bare SQL, DISTINCT ON"].p50, by_label["bare SQL, LATERAL"].p50)
        verdict = "PASS" if t3 <= ROLLUP_RATIO * bare else "FAIL"
        failed = failed or verdict == "FAIL"
        print(
            f"  {verdict}  province rollup, table 三{label}: p50 {t3:.1f} ms = "
            f"{t3 / bare:.2f} × the bare query's {bare:.1f} ms (target ≤ {ROLLUP_RATIO} ×)"
        )
        print(
            f"  info  province rollup, whole report{label}: "
            f"p50 {by_label['report province rollup'].p50:.1f} ms"
        )
    if not ok:
        print("  FAIL  the bare query and compute.table_three disagree (see above)")
    return failed


# ---- measurements ------------------------------------------------------------------------


def measure_all(
    busiest: Any, typical: Any, city: Any, province: Any, repeat: int, explain: bool
) -> tuple[list[Case], bool]:
    from gongkai.annual.compute import scope_for, table_three
    from gongkai.annual.report import build

    cases: list[Case] = []

    def case(label: str, fn: Callable[[], object], note: str = "") -> None:
        timing = measure(fn, repeat)
        print(f"  {label:<34} {fmt(timing)}{note}")
        cases.append(Case(label, timing))

    print(f"reports (gongkai.annual.report.build, {YEAR} and {YEAR - 1}, tables 二 三 四, checks):")
    case("report busiest agency", lambda: build(busiest, YEAR))
    case("report typical agency", lambda: build(typical, YEAR))
    case("report city rollup", lambda: build(city, YEAR, rollup=True))
    case("report province rollup", lambda: build(province, YEAR, rollup=True))
    print()

    print(f"province rollup, table 三 of {YEAR} alone:")
    computed = table_three(scope_for(province, YEAR, rollup=True))
    ok = True
    for variant in BARE_VARIANTS:
        bare = bare_table_three(variant, province.path, YEAR)
        if bare == computed:
            print(f"  MATCH  bare SQL ({variant}) = compute.table_three, every cell")
        else:
            ok = False
            print(f"  MISMATCH  bare SQL ({variant}) ≠ compute.table_three:")
            for row, cells in computed.items():
                for column, value in cells.items():
                    if bare[row][column] != value:
                        print(f"    {row}/{column}: compute {value}, bare {bare[row][column]}")
    case(
        "rollup table 三",
        lambda: table_three(scope_for(province, YEAR, rollup=True)),
        "  (scope_for + table_three)",
    )
    for variant in BARE_VARIANTS:
        case(f"bare SQL, {variant}", functools.partial(bare_rows, variant, province.path, YEAR))
    timings = {c.label: c.timing.p50 for c in cases}
    fastest = min(timings[f"bare SQL, {v}"] for v in BARE_VARIANTS)
    print(f"  ratio: table 三 / faster bare query = {timings['rollup table 三'] / fastest:.2f}")
    print()

    if explain:
        print("EXPLAIN ANALYZE, compute.table_three of the busiest agency:")
        print_plans(lambda: table_three(scope_for(busiest, YEAR)))
        print("EXPLAIN ANALYZE, compute.table_three of the province rollup:")
        print_plans(lambda: table_three(scope_for(province, YEAR, rollup=True)))
        for variant in BARE_VARIANTS:
            print(f"EXPLAIN ANALYZE, bare SQL ({variant}):")
            print_plans(functools.partial(bare_rows, variant, province.path, YEAR))
        print()
    return cases, ok


CLOSING_CTE = """
    SELECT DISTINCT ON (e.application_id)
           e.application_id, e."on", e.kind, e.data ->> 'outcome' AS outcome
      FROM foi_event e
     WHERE e.kind IN ('replied', 'withdrawn', 'closed_unanswered')
     ORDER BY e.application_id, e."on", e.id
"""
CLOSING_LATERAL = """
    SELECT e."on", e.kind, e.data ->> 'outcome' AS outcome
      FROM foi_event e
     WHERE e.application_id = a.id AND e.kind IN ('replied', 'withdrawn', 'closed_unanswered')
     ORDER BY e."on", e.id
     LIMIT 1
"""
BARE_SQL = """
{with_clause}
SELECT a.applicant_type,
       CASE WHEN c."on" BETWEEN %(start)s AND %(end)s THEN
            CASE WHEN c.kind = 'withdrawn' OR coalesce(c.outcome, '') = ''
                 THEN 'other_misc' ELSE c.outcome END
       END AS outcome,
       count(*) FILTER (WHERE a.received_on >= %(start)s) AS new_received,
       count(*) FILTER (WHERE a.received_on < %(start)s
                          AND (c."on" IS NULL OR c."on" >= %(start)s)) AS carried_over,
       count(*) FILTER (WHERE c."on" BETWEEN %(start)s AND %(end)s) AS total_processed,
       count(*) FILTER (WHERE c."on" IS NULL OR c."on" > %(end)s) AS carried_forward
  FROM foi_application a
  JOIN orgs_agency g ON g.id = a.agency_id
  {closing_join}
 WHERE g.path LIKE %(prefix)s AND a.received_on <= %(end)s
 GROUP BY 1, 2
"""
BARE_VARIANTS = {
    "DISTINCT ON": BARE_SQL.format(
        with_clause=f"WITH closing AS ({CLOSING_CTE})",
        closing_join="LEFT JOIN closing c ON c.application_id = a.id",
    ),
    "LATERAL": BARE_SQL.format(
        with_clause="", closing_join=f"LEFT JOIN LATERAL ({CLOSING_LATERAL}) c ON true"
    ),
}
BARE_COUNTS = ("new_received", "carried_over", "total_processed", "carried_forward")


def bare_rows(variant: str, path: str, year: int) -> list[tuple[Any, ...]]:
    """The hand-written table-三 query: one row per applicant type and outcome."""
    from django.db import connection

    params: dict[str, Any] = {
        "start": date(year, 1, 1),
        "end": date(year, 12, 31),
        "prefix": path + "%",
    }
    with connection.cursor() as cursor:
        cursor.execute(BARE_VARIANTS[variant], params)
        return list(cursor.fetchall())


def bare_table_three(variant: str, path: str, year: int) -> dict[str, dict[str, Any]]:
    """The bare query's rows laid out as compute.table_three lays out its table."""
    from gongkai.annual.compute import empty_table
    from gongkai.lib.report_format import APPLICATIONS_TABLE

    result = empty_table(APPLICATIONS_TABLE)
    for applicant_type, outcome, *counts in bare_rows(variant, path, year):
        for name, value in zip(BARE_COUNTS, counts, strict=True):
            result[name][applicant_type] += value
        if outcome is not None:
            result[outcome][applicant_type] += counts[BARE_COUNTS.index("total_processed")]
    for cells in result.values():
        cells["total"] = sum(v for k, v in cells.items() if k != "total")
    return result


def print_plans(fn: Callable[[], object]) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of every query `fn` runs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print("    " + query["sql"][:600])
            for (line,) in cursor.fetchall():
                print("      " + line)


def server_settings() -> str:
    """The settings the plans depend on most (this server's, as they are)."""
    from django.db import connection

    names = [
        "server_version",
        "shared_buffers",
        "work_mem",
        "max_parallel_workers_per_gather",
        "jit",
    ]
    with connection.cursor() as cursor:
        values = []
        for name in names:
            cursor.execute(f"SHOW {name}")
            values.append(f"{name} {cursor.fetchone()[0]}")
    return ", ".join(values)


def table_sizes(cursor: Any) -> str:
    parts = []
    for table in ("foi_application", "foi_event", "publishing_normativedocument"):
        cursor.execute(
            "SELECT pg_size_pretty(pg_relation_size(%s::regclass)), "
            "pg_size_pretty(pg_indexes_size(%s::regclass))",
            [table, table],
        )
        heap, indexes = cursor.fetchone()
        parts.append(f"{table} {heap} + indexes {indexes}")
    return "; ".join(parts)


# ---- the province ----------------------------------------------------------------------


def create_agencies() -> list[Any]:
    """AGENCIES agencies in a tree, with their paths; inserted in one bulk_create with
    explicit keys (Agency.save would compute each path with two queries)."""
    from django.db import connection

    from gongkai.orgs.models import Agency, Kind, Level

    rng = random.Random(5000)
    agencies: list[Agency] = []

    def add(code: str, name: str, parent: Agency | None, level: str, kind: str) -> Agency:
        pk = len(agencies) + 1
        path = f"{parent.path if parent else '/'}{pk}/"
        agency = Agency(
            pk=pk,
            code=code,
            name=name,
            parent=parent,
            level=level,
            kind=kind,
            is_supervising=kind == Kind.GOVERNMENT and level != Level.TOWNSHIP,
            sort_order=pk,
            path=path,
            depth=path.count("/") - 2,
        )
        agencies.append(agency)
        return agency

    province = add("p", "安和省人民政府", None, Level.PROVINCE, Kind.GOVERNMENT)
    for code, name in DEPARTMENTS[:PROVINCE_DEPARTMENTS]:
        add(f"p-{code}", f"安和省{name}", province, Level.PROVINCE, Kind.DEPARTMENT)
    counties = []
    for c, city_name in enumerate(CITIES, start=1):
        city = add(f"c{c:02d}", f"{city_name}市人民政府", province, Level.CITY, Kind.GOVERNMENT)
        for code, name in DEPARTMENTS[:CITY_DEPARTMENTS]:
            add(f"c{c:02d}-{code}", f"{city_name}市{name}", city, Level.CITY, Kind.DEPARTMENT)
        for k in range(1, COUNTIES_PER_CITY + 1):
            county_name = f"{city_name}{PLACE[(c * 7 + k) % len(PLACE)]}{PLACE[k]}县"
            counties.append(
                (
                    add(f"c{c:02d}-k{k:02d}", f"{county_name}人民政府", city, Level.COUNTY,
                        Kind.GOVERNMENT),
                    county_name,
                )
            )  # fmt: skip
    # The counties' own agencies share what is left, departments and townships.
    left = AGENCIES - len(agencies)
    for i, (county, county_name) in enumerate(counties):
        share = left // len(counties) + (1 if i < left % len(counties) else 0)
        townships = round(share * TOWNSHIP_SHARE)
        for d in range(share - townships):
            code, name = DEPARTMENTS[d % len(DEPARTMENTS)]
            suffix = "" if d < len(DEPARTMENTS) else str(d // len(DEPARTMENTS) + 1)
            add(f"{county.code}-{code}{suffix}", f"{county_name}{name}{suffix}", county,
                Level.COUNTY, Kind.DEPARTMENT)  # fmt: skip
        for t in range(townships):
            place = PLACE[t % len(PLACE)] + PLACE[(t * 5 + i) % len(PLACE)]
            add(f"{county.code}-t{t + 1:02d}", f"{county_name}{place}{rng.choice('镇乡')}人民政府",
                county, Level.TOWNSHIP, Kind.GOVERNMENT)  # fmt: skip
    Agency.objects.bulk_create(agencies, batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('orgs_agency', 'id'), max(id)) FROM orgs_agency"
        )
    return agencies


def pick_agencies(agencies: list[Any]) -> tuple[Any, Any, Any, Any]:
    """The busiest agency, a typical one (the median of those with requests), the busiest
    city, the province."""
    from django.db.models import Count

    from gongkai.foi.models import Application
    from gongkai.orgs.models import Kind, Level

    per_agency = dict(
        Application.objects.values_list("agency_id").annotate(n=Count("id")).order_by()
    )
    by_pk = {a.pk: a for a in agencies}
    ranked = sorted(per_agency, key=lambda pk: (-per_agency[pk], pk))
    busiest = by_pk[ranked[0]]
    typical = by_pk[ranked[len(ranked) // 2]]
    province = agencies[0]
    cities = [a for a in agencies if a.level == Level.CITY and a.kind == Kind.GOVERNMENT]
    city = max(
        cities,
        key=lambda c: sum(n for pk, n in per_agency.items() if by_pk[pk].path.startswith(c.path)),
    )
    return busiest, typical, city, province


# ---- the data --------------------------------------------------------------------------


def load(agencies: list[Any], applications: int, normative: int) -> dict[str, Any]:
    from gongkai.foi.models import Application, Event, Remedy
    from gongkai.publishing.models import DecisionFigures, NormativeDocument

    generated = generate_applications(agencies, applications)
    copy_rows(Application, generated.applications(), APPLICATION_COLUMNS)
    events = copy_rows(Event, generated.events(), EVENT_COLUMNS)
    remedies = copy_rows(Remedy, generated.remedies(), REMEDY_COLUMNS)
    documents, document_sample = generate_normative(agencies, normative)
    normative_loaded = copy_rows(NormativeDocument, documents, document_sample)
    figures, figure_sample = generate_figures(agencies)
    figures_loaded = copy_rows(DecisionFigures, figures, figure_sample)
    return {
        "applications": len(generated.cases),
        "open": sum(1 for c in generated.cases if c.closing is None),
        "twice": sum(1 for c in generated.cases if c.second is not None),
        "events": events,
        "remedies": remedies,
        "normative": normative_loaded,
        "figures": figures_loaded,
        "per_agency": generated.per_agency,
    }


APPLICATION_COLUMNS = dict.fromkeys(
    ["id", "agency_id", "number", "year", "seq", "channel", "submitted_on", "received_on",
     "applicant_type", "applicant_name", "phone", "description", "provision_form",
     "delivery", "query_code_hash", "created_at", "status", "outcome", "closed_on", "due_on"]
)  # fmt: skip
EVENT_COLUMNS = dict.fromkeys(["application_id", "kind", "on", "data"])
REMEDY_COLUMNS = dict.fromkeys(
    ["application_id", "kind", "body", "filed_on", "decided_on", "result"]
)


@dataclass(slots=True)
class Request:
    """One generated request: what the rows of its application and timeline need."""

    pk: int
    agency: int
    received: date
    applicant: str
    steps: list[tuple[str, date, str]]  # (kind, on, data as JSON): the events before closing
    closing: tuple[str, date, str] | None  # (kind, on, outcome), None while open
    second: tuple[str, date, str] | None  # a later closing event, rarely


class Generated:
    """Requests generated once, in memory (compact), then COPYed as applications, events
    and remedies in turn."""

    def __init__(self, agencies: list[Any], count: int) -> None:
        from gongkai.foi.models import EventKind

        self.agencies = agencies
        rng = random.Random(20251231)
        self.rng = rng
        # Skewed: Zipf over the agencies in a random order; governments' offices and
        # the provincial and city departments receive more, townships fewer.
        order = list(range(len(agencies)))
        rng.shuffle(order)
        factor = {
            ("province", "government"): 3.0,
            ("province", "department"): 3.0,
            ("city", "government"): 2.0,
            ("city", "department"): 2.0,
            ("county", "government"): 1.5,
            ("county", "department"): 1.0,
            ("township", "government"): 0.4,
        }
        weights = [0.0] * len(agencies)
        for rank, index in enumerate(order, start=1):
            a = agencies[index]
            weights[index] = factor[str(a.level), str(a.kind)] / rank**SKEW
        chosen = rng.choices(range(len(agencies)), weights=weights, k=count)
        span = (LAST_DAY - FIRST_DAY).days
        # A little more each year, as everywhere.
        days = sorted(int(span * rng.random() ** 0.85) for _ in range(count))
        applicant_types = list(APPLICANT_WEIGHTS)
        applicant_cum = list(_accumulate(APPLICANT_WEIGHTS.values()))
        outcomes = list(OUTCOME_WEIGHTS)
        outcome_cum = list(_accumulate(OUTCOME_WEIGHTS.values()))
        self.cases: list[Request] = []
        self.per_agency: dict[int, int] = {}
        for pk, (index, day) in enumerate(zip(chosen, days, strict=True), start=1):
            agency = agencies[index].pk
            self.per_agency[agency] = self.per_agency.get(agency, 0) + 1
            received = FIRST_DAY + timedelta(days=day)
            applicant = applicant_types[
                bisect.bisect_left(applicant_cum, rng.random() * applicant_cum[-1])
            ]
            on = received
            steps: list[tuple[str, date, str]] = []
            if rng.random() < 0.7:
                on += timedelta(days=rng.randrange(0, 3))
                steps.append((EventKind.ASSIGNED, on, "{}"))
            if rng.random() < 0.08:  # correction asked (and mostly received)
                on += timedelta(days=rng.randrange(1, 8))
                steps.append((EventKind.CORRECTION_REQUESTED, on, '{"until": "15 days"}'))
                if rng.random() < 0.75:
                    on += timedelta(days=rng.randrange(1, 15))
                    steps.append((EventKind.CORRECTION_RECEIVED, on, "{}"))
                else:
                    on += timedelta(days=16)
                    closing = (EventKind.CLOSED_UNANSWERED, on, "other_overdue_correction")
                    self._add(pk, agency, received, applicant, steps, closing)
                    continue
            if rng.random() < 0.05:
                on += timedelta(days=rng.randrange(1, 10))
                steps.append((EventKind.CONSULTATION_SENT, on, '{"party": "第三方"}'))
                on += timedelta(days=rng.randrange(5, 16))
                steps.append((EventKind.CONSULTATION_CLOSED, on, "{}"))
            if rng.random() < 0.1:
                on += timedelta(days=rng.randrange(10, 20))
                steps.append((EventKind.EXTENSION_APPROVED, on, '{"days": 20}'))
            if rng.random() < OPEN_SHARE:
                self._add(pk, agency, received, applicant, steps, None)
                continue
            on += timedelta(days=rng.randrange(1, 28))
            draw = rng.random()
            if draw < 0.04:
                closing = (EventKind.WITHDRAWN, on, "")
            elif draw < 0.05:
                closing = (EventKind.CLOSED_UNANSWERED, on, "other_overdue_fee")
            else:
                outcome = outcomes[bisect.bisect_left(outcome_cum, rng.random() * outcome_cum[-1])]
                closing = (EventKind.REPLIED, on, outcome)
            self._add(pk, agency, received, applicant, steps, closing)

    def _add(
        self,
        pk: int,
        agency: int,
        received: date,
        applicant: str,
        steps: list[tuple[str, date, str]],
        closing: tuple[str, date, str] | None,
    ) -> None:
        from gongkai.foi.models import EventKind

        if closing is not None and closing[1] > HORIZON:
            closing = None  # not closed yet
        second = None
        if closing is not None and self.rng.random() < TWICE_CLOSED:
            # e.g. a reply reissued after a withdrawal was recorded by mistake; the first
            # closing event decides.
            on = min(closing[1] + timedelta(days=self.rng.randrange(0, 30)), HORIZON)
            second = (EventKind.REPLIED, on, "granted")
        self.cases.append(Request(pk, agency, received, applicant, steps, closing, second))

    # -- rows

    def applications(self) -> Iterator[dict[str, object]]:
        from django.utils import timezone

        from gongkai.foi.models import EventKind, Status

        zone = timezone.get_current_timezone()
        codes = {a.pk: a.code for a in self.agencies}
        seq: dict[tuple[int, int], int] = {}
        rng = random.Random(7)
        for case in self.cases:
            year = case.received.year
            seq[case.agency, year] = n = seq.get((case.agency, year), 0) + 1
            closing = case.closing
            status, outcome, closed_on = Status.OPEN, "", None
            if closing is not None:
                kind, closed_on, outcome = closing
                status = Status.WITHDRAWN if kind == EventKind.WITHDRAWN else Status.CLOSED
            channel = rng.choice(CHANNELS)
            yield {
                "id": case.pk,
                "agency_id": case.agency,
                "number": f"{codes[case.agency]}-{year}-{n:06d}",
                "year": year,
                "seq": n,
                "channel": channel,
                "submitted_on": case.received,
                "received_on": case.received,
                "applicant_type": case.applicant,
                "applicant_name": rng.choice(SURNAMES) + rng.choice("伟芳娜敏静丽强磊军洋"),
                "phone": "13800000000",
                "description": f"申请公开{rng.choice(TOPICS)}",
                "provision_form": rng.choice(FORMS),
                "delivery": rng.choice(DELIVERIES),
                "query_code_hash": "bench",
                "created_at": datetime.combine(case.received, dtime(10, 0)).replace(tzinfo=zone),
                "status": status,
                "outcome": outcome,
                "closed_on": closed_on,
                "due_on": case.received + timedelta(days=28),
            }

    def events(self) -> Iterator[dict[str, object]]:
        from gongkai.foi.models import EventKind

        for case in self.cases:
            yield {
                "application_id": case.pk,
                "kind": EventKind.RECEIVED,
                "on": case.received,
                "data": "{}",
            }
            for kind, on, data in case.steps:
                yield {"application_id": case.pk, "kind": kind, "on": on, "data": data}
            for closing in (case.closing, case.second):
                if closing is not None:
                    kind, on, outcome = closing
                    data = "{}"
                    if kind == EventKind.REPLIED:  # as gongkai.foi.actions.reply records it
                        data = json.dumps(
                            {
                                "outcome": outcome,
                                "basis": BASIS,
                                "documents": f"《{TOPICS[case.pk % len(TOPICS)]}》",
                            },
                            ensure_ascii=False,
                        )
                    elif outcome:
                        data = json.dumps({"outcome": outcome})
                    yield {"application_id": case.pk, "kind": kind, "on": on, "data": data}

    def remedies(self) -> Iterator[dict[str, object]]:
        rng = random.Random(11)
        kinds = ["administrative_review"] * 7 + ["litigation_direct"] * 2
        kinds += ["litigation_after_review"]
        results = ["upheld"] * 7 + ["corrected"] * 2 + ["other"]
        for case in self.cases:
            if case.closing is None or rng.random() >= REMEDY_SHARE:
                continue
            filed = case.closing[1] + timedelta(days=rng.randrange(5, 60))
            if filed > HORIZON:
                continue
            decided: date | None = filed + timedelta(days=rng.randrange(30, 120))
            result = rng.choice(results)
            if decided is not None and decided > HORIZON:
                decided, result = None, "pending"
            yield {
                "application_id": case.pk,
                "kind": rng.choice(kinds),
                "body": "复议机关或人民法院",
                "filed_on": filed,
                "decided_on": decided,
                "result": result,
            }


def generate_applications(agencies: list[Any], count: int) -> Generated:
    return Generated(agencies, count)


def generate_normative(
    agencies: list[Any], count: int
) -> tuple[Iterator[dict[str, object]], dict[str, object]]:
    """Normative documents issued 2010-2025 by governments and departments (规章 only by the
    province's and the cities' governments), some repealed or expired since; a few drafts."""
    from gongkai.orgs.models import Level

    rng = random.Random(2010)
    issuers = [a for a in agencies if a.level != Level.TOWNSHIP]
    weights = [3 if a.kind == "government" else 1 for a in issuers]
    chosen = rng.choices(issuers, weights=weights, k=count)
    first = date(2010, 1, 1)
    span = (LAST_DAY - first).days
    seq: dict[tuple[int, int], int] = {}

    def rows() -> Iterator[dict[str, object]]:
        for agency in chosen:
            regulation = (
                agency.kind == "government"
                and agency.level in ("province", "city")
                and rng.random() < 0.1
            )
            issued: date | None = first + timedelta(days=rng.randrange(span + 1))
            drafted = issued - timedelta(days=rng.randrange(30, 200)) if issued else None
            if rng.random() < 0.03:
                issued = None  # still being drafted
            effective = repealed = expired = None
            doc_no = ""
            if issued is not None:
                seq[agency.pk, issued.year] = n = seq.get((agency.pk, issued.year), 0) + 1
                doc_no = f"{agency.code}规〔{issued.year}〕{n}号"
                if rng.random() < 0.8:
                    effective = issued + timedelta(days=rng.randrange(0, 31))
                if rng.random() < 0.12:
                    repealed = issued + timedelta(days=rng.randrange(180, 3650))
                if rng.random() < 0.3:
                    expired = (effective or issued) + timedelta(days=365 * rng.choice([2, 3, 5]))
                repealed = repealed if repealed and repealed <= HORIZON else None
                expired = expired if expired and expired <= HORIZON else None
            yield {
                "agency_id": agency.pk,
                "kind": "regulation" if regulation else "normative_document",
                "title": f"{agency.name}关于{rng.choice(TOPICS)}管理的规定",
                "doc_no": doc_no,
                "drafted_on": drafted,
                "issued_on": issued,
                "effective_on": effective,
                "repealed_on": repealed,
                "expired_on": expired,
            }

    sample = dict.fromkeys(
        ["agency_id", "kind", "title", "doc_no", "drafted_on", "issued_on", "effective_on",
         "repealed_on", "expired_on"]
    )  # fmt: skip
    return rows(), sample


def generate_figures(
    agencies: list[Any],
) -> tuple[Iterator[dict[str, object]], dict[str, object]]:
    """The decision figures most agencies entered for 2023-2025."""
    rng = random.Random(3)

    def rows() -> Iterator[dict[str, object]]:
        for agency in agencies:
            for year in range(FIRST_DAY.year, LAST_DAY.year + 1):
                if rng.random() < 0.8:
                    yield {
                        "agency_id": agency.pk,
                        "year": year,
                        "licensing_decisions": rng.randrange(0, 5000),
                        "penalty_decisions": rng.randrange(0, 800),
                        "coercion_decisions": rng.randrange(0, 50),
                        "fee_amount": f"{rng.randrange(0, 10_000_000) / 10_000:.4f}",
                    }

    sample = dict.fromkeys(
        ["agency_id", "year", "licensing_decisions", "penalty_decisions",
         "coercion_decisions", "fee_amount"]
    )  # fmt: skip
    return rows(), sample


def _accumulate(values: Iterable[float]) -> Iterator[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


# ---- COPY ------------------------------------------------------------------------------


def plain(value: object) -> object:
    """A value psycopg's COPY takes as is (choices enums become their value)."""
    return value.value if isinstance(value, enum.Enum) else value


def copy_rows(model: Any, rows: Iterable[dict[str, object]], sample: dict[str, object]) -> int:
    """COPY rows (dicts keyed by column) into the model's table. The column list comes from
    the model, so that a NOT NULL column a colleague adds later with a default still gets
    one: each column the rows do not set gets its field's default. Rows may set the
    primary key ("id"); the sequence is moved past them afterwards."""
    from django.db import connection
    from django.utils import timezone

    explicit_pk = "id" in sample
    fields = [f for f in model._meta.concrete_fields if explicit_pk or not f.primary_key]
    constant: dict[str, object] = {}
    per_row: dict[str, Any] = {}  # column -> field whose default is computed for every row
    now = timezone.now()
    for field in fields:
        if field.column in sample:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            constant[field.column] = now
        elif field.has_default() and callable(field.default) and field.unique:
            per_row[field.column] = field
        else:
            default = field.get_default()
            if field.get_internal_type() == "JSONField":
                constant[field.column] = json.dumps(default)
                continue
            value = field.get_db_prep_save(default, connection)
            if value is None and not field.null:
                raise SystemExit(
                    f"bench/annual.py: {model.__name__}.{field.name} is NOT NULL without "
                    "a default; give it a value in the generated rows"
                )
            constant[field.column] = value
    columns = [f.column for f in fields]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    table = model._meta.db_table
    sql = f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"

    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None  # noqa: S101 - narrows the type for mypy
    loaded = 0
    with raw.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            values = []
            for column in columns:
                if column in row:
                    values.append(plain(row[column]))
                elif column in per_row:
                    field = per_row[column]
                    values.append(field.get_db_prep_save(field.get_default(), connection))
                else:
                    values.append(constant[column])
            copy.write_row(values)
            loaded += 1
    if explicit_pk:
        with raw.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"coalesce(max(id), 1)) FROM {table}"
            )
    raw.commit()
    return loaded


if __name__ == "__main__":
    main()
