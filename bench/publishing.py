"""The back office's catalog list on PostgreSQL, over 1,000,000 catalog items.

Creates a throwaway PostgreSQL database (DATABASE_URL's server, or postgres@127.0.0.1),
migrates it, loads a county's catalog with COPY, measures, and drops it. Prints:
- the load time (COPY of the InfoItem rows, then VACUUM ANALYZE, as autovacuum would);
- for a supervisor of the county (whole subtree) and an officer of one department, the
  SQL cost of each tab of gongkai.publishing.views.item_list (drafts, published, overdue,
  published late, and a text search): the same queryset through
  Paginator(..., 50).get_page(1), then the rows of the page and the count;
- the whole HTTP view (django.test.Client, logged in as the supervisor), template
  rendering included;
- one PASS/FAIL line per case against the target (p50 < 200 ms).

    .venv/bin/python bench/publishing.py                   # 1,000,000 items
    .venv/bin/python bench/publishing.py --items 50000     # a quick try
    .venv/bin/python bench/publishing.py --explain         # EXPLAIN ANALYZE every SQL case
    .venv/bin/python bench/publishing.py --try-sql "CREATE INDEX ..."   # before/after

`--try-sql` (repeatable) runs the statements after the first round of measurements
(then ANALYZE) and measures the SQL cases and the pages again, printing both figures: the
way to try an index by hand before it goes into the model.
"""

from __future__ import annotations

import argparse
import bisect
import enum
import functools
import os
import random
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._db import throwaway_database  # noqa: E402

NAME = f"gongkai_bench_pub_{os.getpid()}"
ITEMS = 1_000_000
REPEAT = 20
PAGE_SIZE = 50
TARGET_MS = 200.0
YEARS = 5
SEARCH = "林业"  # two characters, as most searches in Chinese are
DOC_NO_SEARCH = "〔2023〕12号"
BODY_SHARE = 0.65  # items with their text in the body (the others have an attachment)
BODY_CHUNK = 300  # characters; a body has 1-6 chunks (0.3k-1.8k characters)
NOT_PROACTIVE = 0.08  # items registered as disclosed on request or withheld
NEEDS_INTERPRETATION = 0.4  # of the opinions, measures and plans (policy documents)
INTERPRETED = 0.8  # of the published ones that need an interpretation have one

# --- The county: departments and townships -------------------------------------------
# (code, name, doc_no abbreviation, weight: how many items it publishes, relatively)
DEPARTMENTS = [
    ("fgw", "青山县发展和改革局", "青发改", 3),
    ("jyj", "青山县教育局", "青教", 4),
    ("kjj", "青山县科学技术局", "青科", 1),
    ("gxj", "青山县工业和信息化局", "青工信", 2),
    ("mzj", "青山县民政局", "青民", 3),
    ("sfj", "青山县司法局", "青司", 2),
    ("czj", "青山县财政局", "青财", 4),
    ("rsj", "青山县人力资源和社会保障局", "青人社", 4),
    ("zrzyj", "青山县自然资源和规划局", "青自然资规", 4),
    ("sthjj", "青山生态环境分局", "青环", 3),
    ("zjj", "青山县住房和城乡建设局", "青建", 3),
    ("jtysj", "青山县交通运输局", "青交", 2),
    ("slj", "青山县水利局", "青水", 2),
    ("nyncj", "青山县农业农村局", "青农", 4),
    ("swj", "青山县商务局", "青商", 1),
    ("wglj", "青山县文化广电和旅游局", "青文旅", 2),
    ("wjj", "青山县卫生健康局", "青卫健", 4),
    ("tyjrj", "青山县退役军人事务局", "青退役", 1),
    ("yjglj", "青山县应急管理局", "青应急", 3),
    ("sjj", "青山县审计局", "青审", 1),
    ("scjgj", "青山县市场监督管理局", "青市监", 5),
    ("tjj", "青山县统计局", "青统", 1),
    ("ybj", "青山县医疗保障局", "青医保", 2),
    ("lyj", "青山县林业局", "青林", 3),
    ("cgj", "青山县城市管理局", "青城管", 2),
    ("xzspj", "青山县行政审批局", "青审批", 5),
    ("sjzyj", "青山县数据资源局", "青数据", 1),
    ("xfj", "青山县信访局", "青信访", 1),
    ("jgswj", "青山县机关事务服务中心", "青机事", 1),
    ("gzw", "青山县国有资产监督管理办公室", "青国资", 1),
    ("mzzj", "青山县民族宗教事务局", "青民宗", 1),
    ("rfb", "青山县人民防空办公室", "青人防", 1),
    ("gsl", "青山县公共资源交易中心", "青公资", 3),
    ("xcjzj", "青山县乡村振兴局", "青乡振", 2),
    ("dazj", "青山县档案馆", "青档", 1),
    ("yqjg", "青山县气象局", "青气", 1),
    ("gaj", "青山县公安局", "青公", 3),
    ("swju", "青山县税务局", "青税", 2),
    ("kfq", "青山经济开发区管理委员会", "青开管", 2),
    ("ylbzj", "青山县粮食和物资储备局", "青粮", 1),
    ("kxj", "青山县科学技术协会", "青科协", 1),
    ("tyj", "青山县体育发展中心", "青体", 1),
]
TOWNSHIPS = [
    ("cgz", "青山县城关镇人民政府", "城政", 3),
    ("dhx", "青山县东河乡人民政府", "东政", 2),
    ("xsz", "青山县西山镇人民政府", "西政", 2),
    ("nhz", "青山县南湖镇人民政府", "南政", 2),
    ("bsz", "青山县北山镇人民政府", "北政", 2),
    ("lqz", "青山县柳桥镇人民政府", "柳政", 1),
    ("sxx", "青山县石峡乡人民政府", "石政", 1),
    ("hsz", "青山县黄沙镇人民政府", "黄政", 1),
    ("tpx", "青山县太平乡人民政府", "太政", 1),
    ("yqz", "青山县玉泉镇人民政府", "玉政", 2),
    ("sjz", "青山县三江镇人民政府", "三政", 2),
    ("mlx", "青山县梅林乡人民政府", "梅政", 1),
    ("gtx", "青山县高田乡人民政府", "高政", 1),
    ("lhz", "青山县龙湖镇人民政府", "龙政", 2),
    ("fsz", "青山县枫树镇人民政府", "枫政", 1),
    ("xkz", "青山县新开镇人民政府", "新政", 1),
    ("csx", "青山县茶山乡人民政府", "茶政", 1),
    ("bjz", "青山县白鹭镇人民政府", "白政", 1),
]
OFFICER_AGENCY = "qsx-lyj"  # the officer's department (林业局: the search term is its own)

# --- Titles --------------------------------------------------------------------------
TOPICS = [
    "森林防火",
    "林业有害生物防治",
    "林长制",
    "林权登记",
    "安全生产",
    "城乡居民基本医疗保险",
    "义务教育招生入学",
    "农村人居环境整治",
    "耕地保护",
    "食品安全",
    "最低生活保障",
    "就业创业补贴",
    "政府信息公开",
    "优化营商环境",
    "防汛抗旱",
    "老旧小区改造",
    "乡村振兴",
    "生态环境保护",
    "秸秆综合利用",
    "河长制",
    "公共资源交易",
    "预算执行",
    "政府集中采购",
    "事业单位公开招聘",
    "农业保险",
    "高标准农田建设",
    "校园安全",
    "消防安全",
    "道路交通安全",
    "残疾人两项补贴",
    "退役军人优抚",
    "城市管理",
    "殡葬改革",
    "农村供水保障",
    "文物保护",
    "全民健身",
    "统计调查",
    "双随机一公开监管",
    "行政执法公示",
    "医疗卫生服务",
    "住房保障",
    "重大建设项目",
    "地质灾害防治",
    "扫黑除恶",
    "禁毒",
    "燃气安全",
    "冬春火灾防控",
    "困难群众救助",
    "特种设备安全",
    "集中式饮用水水源地保护",
]
PATTERNS = [
    "关于印发{year}年{topic}工作要点的{genre}",
    "关于做好{year}年{topic}工作的{genre}",
    "关于开展{topic}专项检查的{genre}",
    "关于印发{topic}实施方案的{genre}",
    "关于公布{year}年度{topic}工作情况的{genre}",
    "关于调整{topic}有关标准的{genre}",
    "关于进一步加强{topic}工作的{genre}",
    "关于{topic}领域突出问题整治的{genre}",
    "关于征求《{topic}管理办法（征求意见稿）》意见的{genre}",
    "{year}年{topic}工作总结",
    "{year}年上半年{topic}工作情况",
    "关于{topic}有关事项的{genre}",
]
# genre word in the title -> gongkai.publishing.models.Genre value
GENRES = [
    ("通知", "notice"),
    ("通知", "notice"),
    ("通知", "notice"),
    ("公告", "announcement"),
    ("通告", "announcement"),
    ("决定", "decision"),
    ("意见", "opinion"),
    ("办法", "measures"),
    ("方案", "plan"),
    ("报告", "report"),
    ("批复", "other"),
    ("公示", "announcement"),
]
SENTENCES = [
    "各乡镇人民政府，县直各单位：",
    "为深入贯彻落实党中央、国务院决策部署，按照省、市有关工作要求，结合我县实际，现将有关事项通知如下。",
    "一、提高思想认识。各单位要充分认识做好此项工作的重要性和紧迫性，切实增强责任感和使命感。",
    "二、明确工作任务。要对照目标任务，细化工作措施，落实责任分工，确保各项任务按时保质完成。",
    "三、强化督促检查。县政府办公室将会同有关部门开展督导检查，对工作推进不力的单位予以通报。",
    "四、加强宣传引导。要充分利用政府网站、政务新媒体等渠道，及时回应社会关切。",
    "请各单位于每月月底前将工作进展情况报送县政府办公室，联系电话：0000-88120001。",
    "本通知自印发之日起施行，有效期五年。",
]


@dataclass(frozen=True)
class Timing:
    p50: float
    max: float
    first: float


@dataclass(frozen=True)
class Case:
    label: str
    timing: Timing
    detail: str


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=ITEMS, help="catalog items to load")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="repetitions per case")
    parser.add_argument(
        "--explain", action="store_true", help="print EXPLAIN ANALYZE of every SQL case"
    )
    parser.add_argument(
        "--try-sql",
        action="append",
        default=[],
        metavar="SQL",
        help="statement to run after the first measurements, then measure again",
    )
    args = parser.parse_args()

    started = time.perf_counter()
    # Measurements run with settings.DEBUG = False (see bench._db.use_database).
    with throwaway_database(NAME):
        run(args.items, args.repeat, args.explain, args.try_sql)
    print(f"whole run: {time.perf_counter() - started:.0f} s (database {NAME} dropped)")


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
    return f"p50 {timing.p50:7.1f} ms  max {timing.max:7.1f} ms  (first run {timing.first:.1f} ms)"


def run(items: int, repeat: int, explain: bool, try_sql: list[str]) -> None:
    import django

    # Static files are served from the source folders (DEBUG=1 at start-up); no STATIC_ROOT.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from gongkai.orgs.models import Membership, Role, User

    call_command("migrate", verbosity=0)
    settings.DEBUG = False  # no query log while timing
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    agencies = create_agencies()
    county = agencies[0]
    officer_agency = next(a for a in agencies if a.code == OFFICER_AGENCY)
    supervisor = User.objects.create_user("bench_sup", full_name="周文")
    Membership.objects.create(user=supervisor, agency=county, role=Role.SUPERVISOR)
    officer = User.objects.create_user("bench_officer", full_name="林森")
    Membership.objects.create(user=officer, agency=officer_agency, role=Role.OFFICER)

    from django.utils import timezone

    today = timezone.localdate()
    started = time.perf_counter()
    loaded = load_items(items, agencies, today)
    copied = time.perf_counter() - started
    with connection.cursor() as cursor:
        # What autovacuum does after a million inserts: statistics and the visibility map
        # (index-only scans depend on it).
        cursor.execute("VACUUM (ANALYZE) publishing_infoitem")
        cursor.execute("ANALYZE")
        size = table_size(cursor)
    loaded_in = time.perf_counter() - started
    print(
        f"data: {len(agencies)} agencies (county + {len(agencies) - 1} departments/townships), "
        f"{loaded:,} catalog items ({size})"
    )
    print(
        f"load: {loaded_in:.1f} s (generate + COPY {copied:.1f} s, "
        f"VACUUM ANALYZE {loaded_in - copied:.1f} s)"
    )
    print(f"today: {today}; target: p50 < {TARGET_MS:.0f} ms; {repeat} repetitions per case")
    print(f"load average before measuring: {load_average()}")
    print()

    users = [("supervisor", supervisor), ("officer", officer)]
    cases = sql_cases(users, repeat, explain)
    print()
    pages = http_cases(supervisor, repeat)
    print()

    retried: list[Case] = []
    if try_sql:
        with connection.cursor() as cursor:
            for statement in try_sql:
                started = time.perf_counter()
                cursor.execute(statement)
                print(f"try-sql ({time.perf_counter() - started:.1f} s): {statement}")
            cursor.execute("ANALYZE publishing_infoitem")
            print(f"  now {table_size(cursor)}")
        print()
        retried = sql_cases(users, repeat, explain)
        print()
        retried += http_cases(supervisor, repeat)
        print()
    print(f"load average after measuring: {load_average()}")

    print("summary (p50 against the target):")
    before = {case.label: case for case in cases + pages}
    for case in cases + pages:
        verdict = "PASS" if case.timing.p50 < TARGET_MS else "FAIL"
        print(f"  {verdict}  {case.label:<40} p50 {case.timing.p50:7.1f} ms")
    for case in retried:
        verdict = "PASS" if case.timing.p50 < TARGET_MS else "FAIL"
        print(
            f"  {verdict}  {case.label + ' (after try-sql)':<40} p50 {case.timing.p50:7.1f} ms"
            f"  (before {before[case.label].timing.p50:.1f} ms)"
        )


def table_size(cursor: Any) -> str:
    cursor.execute(
        "SELECT pg_size_pretty(pg_relation_size(c.oid)), "
        "pg_size_pretty(pg_relation_size(c.reltoastrelid)), "
        "pg_size_pretty(pg_indexes_size(c.oid)) "
        "FROM pg_class c WHERE c.oid = 'publishing_infoitem'::regclass"
    )
    heap, toast, indexes = cursor.fetchone()
    return f"table {heap}, TOAST {toast}, indexes {indexes}"


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"


def create_agencies() -> list[Any]:
    from gongkai.orgs.demo import credit_code
    from gongkai.orgs.models import Agency, Kind, Level

    county = Agency.objects.create(
        code="qsx",
        name="青山县人民政府",
        level=Level.COUNTY,
        kind=Kind.GOVERNMENT,
        credit_code=credit_code(1),
        is_supervising=True,
    )
    agencies = [county]
    rows = [(c, n, Kind.DEPARTMENT, Level.COUNTY) for c, n, _, _ in DEPARTMENTS] + [
        (c, n, Kind.GOVERNMENT, Level.TOWNSHIP) for c, n, _, _ in TOWNSHIPS
    ]
    for seq, (code, name, kind, level) in enumerate(rows, start=2):
        agencies.append(
            Agency.objects.create(
                code=f"qsx-{code}",
                name=name,
                parent=county,
                level=level,
                kind=kind,
                credit_code=credit_code(seq),
                sort_order=seq,
            )
        )
    return agencies


def plain(value: object) -> object:
    """A value psycopg's COPY takes as is (choices enums become their value)."""
    return value.value if isinstance(value, enum.Enum) else value


def load_items(count: int, agencies: list[Any], today: date) -> int:
    """COPY `count` catalog items, then the policy interpretations most of the documents
    that need one have."""
    from gongkai.publishing.models import Category, InfoItem, Interpretation, ItemStatus

    rows = generate(count, agencies, list(Category.objects.filter(agency=None)), today)
    loaded = copy_rows(InfoItem, rows, rows.sample)
    rng = random.Random(7)
    # Read in full first: the COPY below holds the connection.
    documents = list(
        InfoItem.objects.filter(status=ItemStatus.PUBLISHED, needs_interpretation=True)
        .order_by("pk")
        .values_list("pk", "title", "published_at")
    )
    interpretations = (
        {
            "document_id": pk,
            "form": rng.choice(["text", "text", "graphic", "online_interview"]),
            "title": f"《{title}》政策解读",
            "published_on": published_at.date() if published_at else today,
        }
        for pk, title, published_at in documents
        if rng.random() < INTERPRETED
    )
    sample = {"document_id": 0, "form": "text", "title": "", "published_on": today}
    copy_rows(Interpretation, interpretations, sample)
    return loaded


def copy_rows(model: Any, rows: Iterable[dict[str, object]], sample: dict[str, object]) -> int:
    """COPY rows (dicts keyed by column) into the model's table. The column list comes from
    the model, so that a NOT NULL column a colleague adds later with a default still gets
    one: each column the rows do not set gets its field's default."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    constant: dict[str, object] = {}
    per_row: dict[str, Any] = {}  # column -> field whose default is computed for every row
    now = timezone_now()
    for field in fields:
        if field.column in sample:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            constant[field.column] = now
        elif field.has_default() and callable(field.default) and field.unique:
            per_row[field.column] = field
        else:
            value = field.get_db_prep_save(field.get_default(), connection)
            if value is None and not field.null:
                raise SystemExit(
                    f"bench/publishing.py: {model.__name__}.{field.name} is NOT NULL without "
                    "a default; give it a value in the generated rows"
                )
            constant[field.column] = value
    columns = [f.column for f in fields]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({quoted}) FROM STDIN"

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
    raw.commit()
    return loaded


def timezone_now() -> datetime:
    from django.utils import timezone

    return timezone.now()


class Rows:
    """The generated rows (dicts keyed by column), oldest first, with one sample row."""

    def __init__(self, iterator: Iterator[dict[str, object]], sample: dict[str, object]):
        self.iterator = iterator
        self.sample = sample

    def __iter__(self) -> Iterator[dict[str, object]]:
        return self.iterator


def generate(count: int, agencies: list[Any], categories: list[Any], today: date) -> Rows:
    """Catalog items formed over the last five years, ids roughly in order of formation.

    Most are published (5 % of them late, some withdrawn); drafts, items in review, returned
    and approved items are mostly recent, with a tail of stale ones (these are the overdue).
    8 % are registered as disclosed on request or withheld (the withheld have a re-review
    date, a few of them past); 40 % of the opinions, measures and plans need a policy
    interpretation.
    """
    from django.utils import timezone

    from gongkai.publishing.models import Disclosure, ItemStatus, Validity, WithheldReason

    rng = random.Random(20260101)
    # Bodies: random text (which compresses about as badly as real prose does) in chunks,
    # so that long bodies are TOASTed out of line as real documents are.
    alphabet = sorted({c for text in [*TOPICS, *PATTERNS, *SENTENCES] for c in text} - set("{}"))
    chunks = ["".join(rng.choices(alphabet, k=BODY_CHUNK)) + "。" for _ in range(2000)]
    start = today - timedelta(days=365 * YEARS)
    span = (today - start).days
    formed = sorted(rng.randrange(span + 1) for _ in range(count))
    weights = [6] + [w for *_, w in DEPARTMENTS] + [w for *_, w in TOWNSHIPS]
    abbreviations = ["青政办"] + [a for _, _, a, _ in DEPARTMENTS] + [a for _, _, a, _ in TOWNSHIPS]
    cumulative = list(_accumulate(weights))
    leaf_categories = [c for c in categories if not any(o.parent_id == c.pk for o in categories)]
    category_weights = list(_accumulate([5 if c.parent_id else 2 for c in leaf_categories]))
    zone = timezone.get_current_timezone()
    now = timezone.now()
    status_mix = list(
        _accumulate([90, 2, 1, 0.5, 1, 0.5])
    )  # published, withdrawn, draft, returned, in review, approved
    statuses = [
        ItemStatus.PUBLISHED,
        ItemStatus.WITHDRAWN,
        ItemStatus.DRAFT,
        ItemStatus.RETURNED,
        ItemStatus.IN_REVIEW,
        ItemStatus.APPROVED,
    ]
    index_seq: dict[tuple[int, int], int] = {}
    doc_seq: dict[tuple[int, int], int] = {}

    def row(offset: int) -> dict[str, object]:
        a = bisect.bisect_left(cumulative, rng.random() * cumulative[-1])
        agency = agencies[a]
        status = statuses[bisect.bisect_left(status_mix, rng.random() * status_mix[-1])]
        disclosure = Disclosure.PROACTIVE
        if rng.random() < NOT_PROACTIVE:
            # 依申请公开 / 不予公开: reviewed and registered, never published
            disclosure = rng.choice([Disclosure.ON_REQUEST, Disclosure.WITHHELD])
            status = ItemStatus.APPROVED
        age = span - offset
        if (
            disclosure == Disclosure.PROACTIVE
            and status not in (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN)
            and (age > 60 and rng.random() < 0.8)
        ):
            # most unpublished items are recent: move this one to the last two months
            offset = span - rng.randrange(61)
        formed_on = start + timedelta(days=offset)
        year = formed_on.year
        category = leaf_categories[
            bisect.bisect_left(category_weights, rng.random() * category_weights[-1])
        ]
        genre_word, genre = rng.choice(GENRES)
        topic = rng.choice(TOPICS)
        title = rng.choice(PATTERNS).format(year=year, topic=topic, genre=genre_word)
        if rng.random() < 0.6:
            title = agency.name + title
        index_seq[a, year] = index_seq.get((a, year), 0) + 1
        doc_no = ""
        if rng.random() < 0.6:
            doc_seq[a, year] = doc_seq.get((a, year), 0) + 1
            kind = rng.choice(["发", "发", "函", "字"])
            doc_no = f"{abbreviations[a]}{kind}〔{year}〕{doc_seq[a, year]}号"
        days = category.publish_days or 20
        due = formed_on + timedelta(days=days * 7 // 5 + (2 if days % 5 else 0))
        published_at = None
        if status in (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN):
            late = rng.random() < 0.05
            published_on = due + timedelta(
                days=rng.randrange(1, 40) if late else -rng.randrange(0, days + 1)
            )
            published_on = max(published_on, formed_on)
            moment = datetime.combine(published_on, dtime(rng.randrange(8, 18), rng.randrange(60)))
            published_at = min(moment.replace(tzinfo=zone), now)
        withheld_reason = ""
        rereview_due_on = None
        if disclosure == Disclosure.WITHHELD:
            withheld_reason = rng.choice(WithheldReason.values)
            rereview_due_on = formed_on + timedelta(days=365)
            if rereview_due_on < today and rng.random() < 0.85:
                rereview_due_on = today + timedelta(days=rng.randrange(1, 366))  # re-reviewed
        needs_interpretation = (
            genre in ("opinion", "measures", "plan") and rng.random() < NEEDS_INTERPRETATION
        )
        body = ""
        if rng.random() < BODY_SHARE:
            body = "".join([*rng.sample(SENTENCES, 2), *rng.sample(chunks, rng.randrange(1, 7))])
        created = datetime.combine(formed_on, dtime(9, 0)).replace(tzinfo=zone)
        updated = published_at or created
        return {
            "agency_id": agency.pk,
            "index_no": f"{agency.credit_code}/{year}-{index_seq[a, year]:05d}",
            "title": title,
            "summary": f"{topic}相关工作安排。",
            "formed_on": formed_on,
            "doc_no": doc_no,
            "topic": topic,
            "genre": genre,
            "category_id": category.pk,
            "disclosure": disclosure,
            "withheld_reason": withheld_reason,
            "validity": Validity.VALID if age < 3 * 365 else rng.choice(Validity.values),
            "effective_on": formed_on if genre == "measures" else None,
            "body": body,
            "keywords": topic,
            "needs_interpretation": needs_interpretation,
            "rereview_due_on": rereview_due_on,
            "status": status,
            "publish_due_on": due,
            "review_round": 1 if status != ItemStatus.DRAFT else 0,
            "review_stage": 1 if status == ItemStatus.IN_REVIEW else 0,
            "published_at": published_at,
            "published_late": published_at is not None
            and published_at.astimezone(zone).date() > due,
            "created_at": created,
            "updated_at": updated,
        }

    sample = row(0)

    def rows() -> Iterator[dict[str, object]]:
        for offset in formed:
            yield row(offset)

    return Rows(rows(), sample)


def _accumulate(values: Sequence[float]) -> Iterator[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


def item_page(user: object, view: str, query: str) -> tuple[int, int]:
    """What the list page asks of the database: gongkai.publishing.views.item_list itself,
    run with its template rendering left out; then the page's rows and the count, as the
    template asks for them."""
    from unittest import mock

    from django.http import HttpResponse
    from django.test import RequestFactory

    from gongkai.publishing import views

    request = RequestFactory().get("/office/catalog/", {"view": view, "q": query})
    request.user = user  # type: ignore[assignment]
    context: dict[str, Any] = {}

    def capture(request: object, template: str, values: dict[str, Any]) -> HttpResponse:
        context.update(values)
        return HttpResponse()

    with mock.patch.object(views, "render", capture):
        views.item_list(request)  # type: ignore[arg-type]
    page = context["page"]
    rows = list(page)
    return page.paginator.count, len(rows)


def sql_cases(users: Sequence[tuple[str, object]], repeat: int, explain: bool) -> list[Case]:
    from gongkai.publishing.views import VIEWS

    print(
        "SQL of the list (item_list without its template: Paginator.get_page(1), "
        "count + first page of 50):"
    )
    tabs = [(view, "") for view in VIEWS]
    tabs += [("drafts", SEARCH), ("published", SEARCH), ("published", DOC_NO_SEARCH)]
    cases = []
    for name, user in users:
        for view, query in tabs:
            label = f"sql {name} {view}" + (f" q={query}" if query else "")
            page = functools.partial(item_page, user, view, query)
            total, shown = page()
            timing = measure(page, repeat)
            print(f"  {label:<40} {total:>9,} rows, {shown:>2} shown  {fmt(timing)}")
            cases.append(Case(label, timing, f"{total} rows"))
            if explain:
                print_plans(page)
    return cases


def print_plans(fn: Callable[[], object]) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of every query `fn` runs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print("    " + query["sql"][:400])
            for (line,) in cursor.fetchall():
                print("      " + line)


def http_cases(supervisor: Any, repeat: int) -> list[Case]:
    from django.test import Client

    print("HTTP GET of the whole page as the supervisor (middleware, view, template):")
    client = Client()
    client.force_login(supervisor)
    cases = []
    for url in [
        "/office/catalog/?view=published",
        "/office/catalog/?view=overdue",
        f"/office/catalog/?q={SEARCH}",
    ]:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url}: HTTP {response.status_code}")
        size = len(response.content)

        def get(url: str = url) -> None:
            client.get(url)

        timing = measure(get, repeat)
        label = f"http {url.removeprefix('/office/catalog/')}"
        print(f"  {label:<40} {size:>9,} bytes       {fmt(timing)}")
        cases.append(Case(label, timing, f"{size} bytes"))
    return cases


if __name__ == "__main__":
    main()
