"""The supervisor's board with the fixed cast: scope, ranking, the agencies that have not
submitted, the XLSX and the drill-down of a cell."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.evaluation import board, scoring
from gongkai.evaluation.defaults import load_default
from gongkai.evaluation.measures import Period
from gongkai.evaluation.models import EvaluationStatus, SelfEvaluation
from gongkai.orgs.models import Agency
from tests.evaluation.conftest import application, item

pytestmark = pytest.mark.usefixtures("year_2025")
URL = reverse("evaluation:board")


@pytest.fixture
def records(cast):
    # A: three late publications out of four (a weak timeliness), B: all on time.
    for n in range(4):
        item(cast.a, published=date(2025, 3, 1 + n), late=n < 3)
    item(cast.a_unit, published=date(2025, 5, 1), late=True)
    for n in range(3):
        item(cast.b, published=date(2025, 4, 1 + n))
    application(cast.b, date(2025, 2, 3), due_on=date(2025, 3, 3))  # open past its period: late
    return cast


def rows(page: str) -> list[tuple[str, int]]:
    return [(code, int(rank)) for code, rank in re.findall(r'data-agency="([^"]+)" data-rank="(\d+)"', page)]  # fmt: skip


def test_the_supervisor_sees_the_agencies_below_ranked(records, client):
    client.force_login(records.supervisor)
    response = client.get(URL, {"year": "2025"})
    assert response.status_code == 200
    page = response.content.decode()
    ranked = rows(page)
    assert {code for code, _r in ranked} == {"a", "a-unit", "b"}  # not the county itself
    system = load_default()
    results = scoring.evaluate(
        system, [records.a.pk, records.a_unit.pk, records.b.pk], Period.year(2025)
    )
    totals = {a.code: scoring.total(results[a.pk]) for a in (records.a, records.a_unit, records.b)}
    expected = sorted(totals, key=lambda code: -totals[code])
    assert [code for code, _r in ranked] == expected
    ranks = dict(ranked)
    for x in totals:  # a higher total ranks before, an equal one shares the rank
        for y in totals:
            assert (ranks[x] < ranks[y]) == (totals[x] > totals[y])
            assert (ranks[x] == ranks[y]) == (totals[x] == totals[y])
    assert totals["a"] < totals["a-unit"]  # three late publications cost more than one
    assert 'data-board-chart="scores"' in page and 'id="board-data"' in page
    assert "<script>" not in page.replace('<script id="board-data" type="application/json">', "")
    assert "统计" in page and 'href="/office/evaluation/board/"' in page


def test_an_officer_sees_only_the_own_agency(records, client):
    client.force_login(records.officer_a)
    page = client.get(URL, {"year": "2025"}).content.decode()
    assert [code for code, _r in rows(page)] == ["a"]
    assert "测试县乙局" not in page
    drill = reverse("evaluation:board_drill", args=["b", "proactive_timeliness"])
    assert client.get(drill, {"year": "2025"}).status_code == 404
    assert not board.supervises(records.officer_a)


def test_equal_totals_share_a_rank(cast):
    system = load_default()
    data = board.compute(
        system, Agency.objects.filter(pk__in=[cast.a.pk, cast.b.pk]), Period.year(2025)
    )
    assert [line.rank for line in data.lines] == [1, 1]  # no records: the same score


def test_the_agencies_that_have_not_submitted(records, client):
    system = load_default()
    SelfEvaluation.objects.create(agency=records.b, year=2025, system=system,
                                  status=EvaluationStatus.SUBMITTED, score=Decimal("88.5"))  # fmt: skip
    SelfEvaluation.objects.create(agency=records.a, year=2025, system=system)
    data = board.compute(system, board.scope(records.supervisor), Period.year(2025))
    missing = {agency.code: status for agency, status in data.not_submitted}
    assert missing == {"a": EvaluationStatus.DRAFT, "a-unit": ""}
    client.force_login(records.supervisor)
    page = client.get(URL, {"year": "2025"}).content.decode()
    block = page.split("data-not-submitted", 1)[1].split("</ul>", 1)[0]
    assert 'data-agency="a"' in block and 'data-agency="a-unit"' in block
    assert 'data-agency="b"' not in block
    assert "草稿" in block and "未开始" in block
    assert "88.5" in page  # the submitted score beside the live one


def test_the_xlsx_holds_the_ranked_table(records, client):
    Agency.objects.create(code="c", name="=HYPERLINK(1)", parent=records.county,
                          level=records.a.level, kind=records.a.kind)  # fmt: skip
    client.force_login(records.supervisor)
    response = client.get(reverse("evaluation:board_xlsx"), {"year": "2025"})
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    sheet = book.worksheets[0]
    table = list(sheet.iter_rows(values_only=True))
    header, body = table[0], table[1:]
    assert header[:4] == ("名次", "机关", "代码", "总分")
    data = board.compute(load_default(), board.scope(records.supervisor), Period.year(2025))
    assert [r[2] for r in body] == [line.agency.code for line in data.lines]
    assert [r[3] for r in body] == [float(line.total) for line in data.lines]
    assert [r[0] for r in body] == [line.rank for line in data.lines]
    column = header.index("主动公开及时性（条例第二十六条，20个工作日）（值，条）")
    a_row = next(r for r in body if r[2] == "a")
    assert a_row[column] == 3  # three late publications
    assert "'=HYPERLINK(1)" in [r[1] for r in body]  # never a formula
    missing = [r[0] for r in book.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert set(missing) == {"测试县甲局", "测试县甲局派出所", "测试县乙局", "'=HYPERLINK(1)"}


def test_a_cell_drills_down_to_the_rows_that_made_it(records, client):
    client.force_login(records.supervisor)
    data = board.compute(load_default(), board.scope(records.supervisor), Period.year(2025))
    keys = [c.indicator.key for c in data.columns]
    checked = 0
    for line in data.lines:
        for key in ("proactive_timeliness", "request_timeliness"):
            result = line.cells[keys.index(key)]
            assert result.count is not None
            drill = reverse("evaluation:board_drill", args=[line.agency.code, key])
            bad = client.get(drill, {"year": "2025"}).content.decode()
            assert bad.count("data-row=") == result.count.bad
            every = client.get(drill, {"year": "2025", "all": "1"}).content.decode()
            assert every.count("data-row=") == result.count.total
            checked += result.count.bad
    assert checked == 5  # 3 late for A, 1 for its unit, B's open request
    page = client.get(URL, {"year": "2025"}).content.decode()
    a_row = page.split('data-agency="a" data-rank', 1)[1].split("</tr>", 1)[0]
    assert 'data-cell="proactive_timeliness" data-weak' in a_row
    assert "/office/evaluation/board/drill/a/proactive_timeliness/?year=2025" in a_row


def test_the_month_range_and_a_bad_one(records, client):
    client.force_login(records.supervisor)
    page = client.get(URL, {"year": "2025", "from": "4", "to": "4"}).content.decode()
    assert "2025-04-01 — 2025-04-30" in page
    data = board.compute(load_default(), board.scope(records.supervisor),
                         Period(date(2025, 4, 1), date(2025, 4, 30)))  # fmt: skip
    a_line = next(line for line in data.lines if line.agency.code == "a")
    april = a_line.cells[[c.indicator.key for c in data.columns].index("proactive_timeliness")]
    assert april.count is not None and april.count.total == 0
    assert data.charts["late"][0]["data"] == [0]  # no late publication in April
    bad = client.get(URL, {"year": "2025", "from": "9", "to": "3"})
    assert bad.status_code == 200
    assert "起始月份不能晚于结束月份" in bad.content.decode()
    assert "2025-01-01 — 2025-12-31" in bad.content.decode()  # the whole year instead


def test_the_charts_data_by_month(records):
    data = board.compute(load_default(), board.scope(records.supervisor), Period.year(2025),
                         chart_key="proactive_timeliness")  # fmt: skip
    late = data.charts["late"][0]["data"]
    assert len(late) == 12 and late[2] == 3 and late[4] == 1 and sum(late) == 4
    assert data.charts["indicator"]["exceptions"] == late
    assert data.charts["scores"]["agencies"][0] == data.lines[0].agency.name


def test_a_queryset_of_agencies_scores_as_a_list_does(records):
    system = load_default()
    ids = [records.a.pk, records.b.pk]
    as_list = scoring.evaluate(system, ids, Period.year(2025))
    as_query = scoring.evaluate(system, Agency.objects.filter(pk__in=ids), Period.year(2025))
    assert {k: scoring.total(v) for k, v in as_list.items()} == {
        k: scoring.total(v) for k, v in as_query.items()
    }


def test_one_query_by_month_counts_as_the_month_by_month_queries(
    records, django_assert_num_queries
):
    from gongkai.foi.models import Status
    from gongkai.records.models import Message
    from tests.evaluation.conftest import at

    item(records.b, publish_due_on=date(2025, 6, 1))  # never published: late in June
    application(records.a, date(2025, 7, 1), status=Status.CLOSED, closed_on=date(2025, 8, 20),
                outcome="granted", replied_late=True)  # fmt: skip
    Message.objects.create(agency=records.a, channel="hotline", number="W1", category="consultation",
                           subject="咨询", received_at=at(date(2025, 9, 3)))  # fmt: skip
    scope = board.scope(records.supervisor).values("pk")
    for key in board.MONTH_OF:
        with django_assert_num_queries(1 if key != "hotline_on_time" else 2):
            grouped = board.monthly(key, scope, Period.year(2025))
        assert grouped == board.monthly_by_queries(key, scope, Period.year(2025)), key
    late = board.monthly("proactive_timeliness", scope, Period.year(2025))
    assert late[5].bad == 1 and late[2].bad == 3
    assert board.monthly("request_timeliness", scope, Period.year(2025))[7].bad == 1


def test_a_supervisor_with_nothing_below_reads_the_own_agency(cast):
    from gongkai.orgs.models import Role

    leaf = cast.user("leaf_supervisor", cast.a_unit, Role.SUPERVISOR)
    assert list(board.scope(leaf).values_list("code", flat=True)) == ["a-unit"]
    assert sorted(board.scope(cast.supervisor).values_list("code", flat=True)) == [
        "a",
        "a-unit",
        "b",
    ]
    assert board.scope(cast.superuser).count() == 4
