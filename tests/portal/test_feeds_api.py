"""The portal's feeds and sitemap, and the open data API (/api/v1/): published things only."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from gongkai.annual import actions as annual_actions
from gongkai.api import api as open_api
from gongkai.orgs.models import Agency, Kind, Level, User
from gongkai.portal.sitemaps import ItemSitemap
from gongkai.publishing import actions, review
from gongkai.publishing.models import Category, InfoItem, PublicationAction, Validity
from tests.annual.conftest import confirm_figures
from tests.annual.test_actions import PROBLEMS
from tests.conftest import Cast
from tests.publishing.test_catalog_steps import docx_upload

SHANGHAI = ZoneInfo("Asia/Shanghai")
ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    # The API's rate limit counts each address's requests in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


def xml(response) -> ElementTree.Element:
    assert response.status_code == 200, response.content[:300]
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own response


def reviewer(agency: Agency, role: str) -> User:
    found = User.objects.filter(memberships__agency=agency, memberships__role=role).first()
    return found or Cast.user(f"{role}_{agency.code}", agency, role)


def draft(agency, category, title, *, formed_on=date(2025, 3, 2), attach=False, **fields):
    item = actions.create_item(
        agency, actor=None, category=category, formed_on=formed_on, title=title, **fields
    )
    if attach:
        actions.add_attachment(item, actor=None, upload=docx_upload("预算说明", "说明.docx"))
    return item


def publish(agency, category, title, *, at: datetime, **fields) -> InfoItem:
    """Draft, the three review stages, and publication at `at`."""
    item = draft(agency, category, title, **fields)
    actions.submit_for_review(item, actor=None)
    for stage in review.stages(item):
        actions.review(item, actor=reviewer(agency, stage.role), decision="approve")
    with time_machine.travel(at, tick=False):
        actions.publish_item(item, actor=None)
    item.refresh_from_db()
    return item


def at(day: int) -> datetime:
    return datetime(2026, 1, day, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def catalog(cast):
    budget = Category.objects.get(agency=None, code="20-07")
    rules = Category.objects.get(agency=None, code="20-01")
    own = Category.objects.create(agency=cast.a_unit, parent=budget, code="unit-1", name="所务")
    found = SimpleNamespace(
        budget=budget,
        own=own,
        withdrawn=publish(cast.a, budget, "有误的预算", at=at(1)),
        old=publish(
            cast.a, budget, "甲局2024年预算", at=at(2), formed_on=date(2024, 5, 6), summary="摘要"
        ),
        rules=publish(
            cast.a,
            rules,
            "甲局行政规范性文件",
            at=at(3),
            body="<p>第一条&nbsp;为了<b>规范</b></p>\n<p>管理。</p>",
            validity=Validity.EXPIRED,
            attach=True,
        ),
        b=publish(cast.b, budget, "乙局预算", at=at(4), formed_on=date(2025, 4, 1)),
        unit=publish(cast.a_unit, own, "派出所经费", at=at(5), formed_on=date(2025, 5, 1)),
        draft=draft(cast.a, budget, "尚未发布的草稿"),
    )
    actions.withdraw_item(found.withdrawn, actor=None, reason="数据有误，重新发布")
    actions.change_item(found.rules, actor=None, reason="补充文号", doc_no="甲发〔2025〕2号")
    found.rules.refresh_from_db()
    return found


# --- Feeds -------------------------------------------------------------------------------


def test_the_rss_feed_lists_published_items_newest_first(client, catalog):
    channel = xml(client.get(reverse("portal:feed_rss"))).find("channel")
    assert channel is not None
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == [
        "派出所经费",
        "乙局预算",
        "甲局行政规范性文件",
        "甲局2024年预算",
    ]
    rules = items[2]
    assert rules.findtext("link") == f"http://testserver/items/{catalog.rules.pk}/"
    guid = rules.find("guid")
    assert guid is not None and guid.text == catalog.rules.index_no
    assert guid.get("isPermaLink") == "false"
    assert rules.findtext("description") == "第一条 为了规范 管理。"
    assert items[3].findtext("description") == "摘要"
    assert rules.findtext(f"{DC}creator") == "测试县甲局"
    assert rules.findtext("category") == catalog.rules.category.name
    assert rules.findtext("pubDate") == "Sat, 03 Jan 2026 01:00:00 +0000"  # 09:00 in Shanghai


def test_the_atom_feed_identifies_items_by_their_index_number(client, catalog):
    feed = xml(client.get(reverse("portal:feed_atom")))
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries][:2] == ["派出所经费", "乙局预算"]
    ids = [e.findtext(f"{ATOM}id", "") for e in entries]
    assert all(i.startswith("urn:uuid:") for i in ids) and len(set(ids)) == 4
    again = xml(client.get(reverse("portal:feed_atom"))).findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in again] == ids  # stable between requests
    unit = entries[0]
    assert unit.findtext(f"{ATOM}author/{ATOM}name") == "测试县甲局派出所"
    category = unit.find(f"{ATOM}category")
    assert category is not None and category.get("term") == "所务"


def test_an_agency_feed_lists_only_that_agency(client, cast, catalog):
    rss = xml(client.get(reverse("portal:agency_feed_rss", args=["a"])))
    assert [i.findtext("title") for i in rss.iter("item")] == [
        "甲局行政规范性文件",
        "甲局2024年预算",
    ]
    assert "测试县甲局" in (rss.findtext("channel/title") or "")
    atom = xml(client.get(reverse("portal:agency_feed_atom", args=["b"])))
    assert [e.findtext(f"{ATOM}title") for e in atom.findall(f"{ATOM}entry")] == ["乙局预算"]


def test_an_unknown_or_inactive_agency_has_no_feed(client, cast, catalog):
    assert client.get(reverse("portal:agency_feed_rss", args=["nope"])).status_code == 404
    Agency.objects.filter(pk=cast.b.pk).update(is_active=False)
    assert client.get(reverse("portal:agency_feed_atom", args=["b"])).status_code == 404


# --- Sitemap -----------------------------------------------------------------------------


def _report(cast):
    confirm_figures(cast.a, year=2025)
    report = annual_actions.open_report(cast.a, 2025, actor=cast.officer_a)
    annual_actions.save_text(
        report, actor=cast.officer_a, overview=report.overview, problems=PROBLEMS, other="其他"
    )
    annual_actions.approve(report, actor=cast.head_a)
    with time_machine.travel(at(20), tick=False):
        annual_actions.publish(report, actor=cast.head_a)
    report.refresh_from_db()
    return report


def test_the_sitemap_lists_published_items_and_reports_but_no_drafts(client, cast, catalog):
    _report(cast)
    annual_actions.open_report(cast.a, 2024, actor=cast.officer_a)  # a draft: not public
    index = xml(client.get(reverse("sitemap")))
    sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert sections == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-agencies.xml",
        "http://testserver/sitemap-items.xml",
        "http://testserver/sitemap-annual-reports.xml",
    ]
    urls = []
    for section in sections:
        assert section is not None
        urls += [loc.text for loc in xml(client.get(section)).iter(f"{SITEMAP}loc")]
    assert f"http://testserver/items/{catalog.rules.pk}/" in urls
    assert f"http://testserver/items/{catalog.draft.pk}/" not in urls
    assert f"http://testserver/items/{catalog.withdrawn.pk}/" not in urls
    assert "http://testserver/agencies/a-unit/" in urls and "http://testserver/track/" in urls
    assert "http://testserver/annual-reports/a/2025/" in urls
    assert "http://testserver/annual-reports/a/2024/" not in urls


def test_the_sitemap_index_points_at_every_page_of_a_large_catalog(client, catalog, monkeypatch):
    monkeypatch.setattr(ItemSitemap, "limit", 3)
    sections = [loc.text for loc in xml(client.get(reverse("sitemap"))).iter(f"{SITEMAP}loc")]
    assert "http://testserver/sitemap-items.xml?p=2" in sections
    second = xml(client.get("/sitemap-items.xml?p=2"))
    assert len(list(second.iter(f"{SITEMAP}url"))) == 1
    assert client.get("/sitemap-items.xml?p=3").status_code == 404


# --- The open data API -------------------------------------------------------------------


def api_get(client, name: str, *args, **params):
    response = client.get(reverse(f"api:{name}", args=args), params)
    assert response["Content-Type"].startswith("application/json")
    return response


def test_agencies_are_the_active_ones_in_tree_order(client, cast):
    Agency.objects.create(
        code="gone",
        name="已撤销局",
        parent=cast.county,
        level=Level.COUNTY,
        kind=Kind.DEPARTMENT,
        is_active=False,
    )
    response = api_get(client, "agencies")
    assert "测试县甲局".encode() in response.content  # UTF-8, not \u escapes
    body = response.json()
    assert body["count"] == 4
    assert body["items"][:2] == [
        {"code": "county", "name": "测试县人民政府", "parent": None, "level": "county", "kind": "government"},
        {"code": "a", "name": "测试县甲局", "parent": "county", "level": "county", "kind": "department"},
    ]  # fmt: skip
    assert [a["code"] for a in body["items"]] == ["county", "a", "a-unit", "b"]


def test_categories_are_the_standard_ones_or_an_agencys(client, cast, catalog):
    standard = api_get(client, "categories", page_size=100).json()
    assert standard["count"] == Category.objects.filter(agency=None, is_active=True).count()
    codes = {c["code"]: c for c in standard["items"]}
    assert codes["20-07"]["article"] == "条例第二十条第（七）项"
    assert codes["20-07"]["parent"] is None and codes["20-07"]["agency"] is None
    assert "unit-1" not in codes
    own = api_get(client, "categories", agency="a-unit", page_size=100).json()
    unit = next(c for c in own["items"] if c["code"] == "unit-1")
    assert unit == {
        "code": "unit-1",
        "name": "所务",
        "article": "",
        "parent": "20-07",
        "agency": "a-unit",
    }
    assert api_get(client, "categories", agency="nope").status_code == 422


def test_items_are_published_ones_newest_formed_first(client, catalog):
    body = api_get(client, "items").json()
    assert body["count"] == 4
    assert [i["title"] for i in body["items"]] == [
        "派出所经费",
        "乙局预算",
        "甲局行政规范性文件",
        "甲局2024年预算",
    ]
    rules = body["items"][2]
    assert rules == {
        "id": catalog.rules.pk,
        "index_no": catalog.rules.index_no,
        "title": "甲局行政规范性文件",
        "doc_no": "甲发〔2025〕2号",
        "agency": {"code": "a", "name": "测试县甲局"},
        "category": {"code": "20-01", "name": catalog.rules.category.name},
        "topic": "",
        "formed_on": "2025-03-02",
        "published_at": "2026-01-03T01:00:00Z",
        "validity": "expired",
        "summary": "",
        "url": f"http://testserver/items/{catalog.rules.pk}/",
    }


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"agency": "a"}, ["派出所经费", "甲局行政规范性文件", "甲局2024年预算"]),  # with a-unit
        ({"agency": "b"}, ["乙局预算"]),
        ({"category": "20-07"}, ["派出所经费", "乙局预算", "甲局2024年预算"]),  # and below it
        ({"category": "unit-1"}, ["派出所经费"]),
        ({"year": 2024}, ["甲局2024年预算"]),
        ({"validity": "expired"}, ["甲局行政规范性文件"]),
        ({"agency": "a", "year": 2025, "validity": "valid"}, ["派出所经费"]),
    ],
)
def test_items_are_filtered(client, catalog, params, titles):
    assert [i["title"] for i in api_get(client, "items", **params).json()["items"]] == titles


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": "99999"},
        {"year": "0"},
        {"page": "-1"},
        {"page": "0"},
        {"page": "x"},
        {"page": str(10**30)},
        {"page_size": "0"},
        {"validity": "forever"},
        {"agency": "nope"},
        {"agency": "x" * 100},
        {"category": "nope"},
    ],
)
def test_bad_filters_are_a_422_not_a_500(client, catalog, params):
    response = api_get(client, "items", **params)
    assert response.status_code == 422
    # Each problem names the parameter, in Chinese.
    detail = response.json()["detail"]
    assert [problem["loc"][-1] for problem in detail] == list(params)
    assert all(not problem["msg"].isascii() for problem in detail)


def test_items_come_in_pages(client, catalog):
    first = api_get(client, "items", page_size=3).json()
    second = api_get(client, "items", page=2, page_size=3).json()
    assert (first["count"], second["count"]) == (4, 4)
    assert [i["title"] for i in second["items"]] == ["甲局2024年预算"]
    assert api_get(client, "items", page=3, page_size=3).json() == {"items": [], "count": 4}
    assert len(api_get(client, "items", page_size=1000).json()["items"]) == 4  # at most 100


def test_a_page_of_twenty_items_takes_two_queries_whatever_it_shows(
    client, cast, django_assert_max_num_queries
):
    budget = Category.objects.get(agency=None, code="20-07")
    for n in range(21):
        publish(cast.a if n % 2 else cast.a_unit, budget, f"第{n}号", at=at(1 + n))
    with django_assert_max_num_queries(2):  # the count and the page
        body = api_get(client, "items").json()
    assert body["count"] == 21 and len(body["items"]) == 20
    with django_assert_max_num_queries(4):  # and the agency's and the category's look-ups
        body = api_get(client, "items", agency="a", category="20-07", year=2025).json()
    assert body["count"] == 21 and len(body["items"]) == 20


def test_an_item_has_its_text_attachments_and_versions(
    client, catalog, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = api_get(client, "item", catalog.rules.pk)
    body = response.json()
    assert response.status_code == 200
    assert body["body"].startswith("<p>第一条")
    assert body["genre"] == "notice" and body["validity"] == "expired"
    attachment = catalog.rules.attachments.get()
    assert body["attachments"] == [
        {
            "name": "说明.docx",
            "size": attachment.size,
            "content_type": attachment.content_type,
            "url": f"http://testserver/items/{catalog.rules.pk}/attachments/{attachment.pk}/",
        }
    ]
    assert client.get(body["attachments"][0]["url"]).status_code == 200
    assert [(v["number"], v["action"], v["reason"]) for v in body["versions"]] == [
        (1, "published", ""),
        (2, "changed", "补充文号"),
    ]


def test_a_withdrawn_item_is_gone_with_the_reason(client, catalog):
    response = api_get(client, "item", catalog.withdrawn.pk)
    assert response.status_code == 410
    body = response.json()
    assert body["reason"] == "数据有误，重新发布"
    assert body["detail"] == "该政府信息已撤回。"
    withdrawal = catalog.withdrawn.versions.get(action=PublicationAction.WITHDRAWN)
    # JSON carries milliseconds.
    withdrawn_at = datetime.fromisoformat(body["withdrawn_at"].replace("Z", "+00:00"))
    assert abs(withdrawn_at - withdrawal.at) < timedelta(milliseconds=1)


def test_a_draft_or_unknown_item_is_not_found(client, catalog):
    for pk in (catalog.draft.pk, 999_999, 10**30):
        response = api_get(client, "item", pk)
        assert response.status_code == 404, pk
        assert response.json() == {"detail": "未找到。"}
    assert client.get("/api/v1/items/abc").status_code == 422


def test_published_annual_reports_are_listed_with_their_latest_revision(client, cast):
    _report(cast)
    annual_actions.open_report(cast.b, 2025, actor=cast.officer_b)  # a draft: not listed
    body = api_get(client, "annual_reports").json()
    assert body == {
        "items": [
            {
                "agency": {"code": "a", "name": "测试县甲局"},
                "year": 2025,
                "rollup": False,
                "revision": 1,
                "published_at": "2026-01-20T01:00:00Z",
                "url": "http://testserver/annual-reports/a/2025/",
            }
        ],
        "count": 1,
    }
    assert api_get(client, "annual_reports", agency="a", year=2025).json()["count"] == 1
    assert api_get(client, "annual_reports", year=2024).json()["count"] == 0
    assert api_get(client, "annual_reports", agency="b").json()["count"] == 0
    assert api_get(client, "annual_reports", agency="nope").status_code == 422
    assert api_get(client, "annual_reports", year="abc").status_code == 422


def test_an_annual_report_gives_its_frozen_tables_text_and_files(client, cast):
    report = _report(cast)
    body = api_get(client, "annual_report", "a", 2025).json()
    assert body["revision"] == 1 and body["format"] == "2021"
    assert body["title"] == "测试县甲局2025年政府信息公开工作年度报告"
    assert body["problems"] == PROBLEMS and body["other"] == "其他" and body["overview"]
    assert body["tables"] == report.revisions.get().tables
    assert body["files"] == {
        fmt: f"http://testserver/annual-reports/a/2025/r1.{fmt}" for fmt in ("docx", "pdf", "xlsx")
    }
    assert body["url"] == "http://testserver/annual-reports/a/2025/"

    annual_actions.start_amendment(report, actor=cast.head_a, reason="更正概述")
    annual_actions.save_text(
        report, actor=cast.officer_a, overview="新的概述", problems=PROBLEMS, other="其他"
    )
    assert api_get(client, "annual_report", "a", 2025).json()["revision"] == 1  # until published
    annual_actions.approve(report, actor=cast.head_a)
    annual_actions.publish(report, actor=cast.head_a)
    body = api_get(client, "annual_report", "a", 2025).json()
    assert (body["revision"], body["reason"], body["overview"]) == (2, "更正概述", "新的概述")
    assert [(r["number"], r["reason"]) for r in body["revisions"]] == [(2, "更正概述"), (1, "")]
    assert body["revisions"][1]["files"]["pdf"].endswith("/annual-reports/a/2025/r1.pdf")


def test_an_unpublished_or_unknown_annual_report_is_not_found(client, cast):
    annual_actions.open_report(cast.a, 2025, actor=cast.officer_a)
    assert api_get(client, "annual_report", "a", 2025).status_code == 404
    assert api_get(client, "annual_report", "nope", 2025).status_code == 404
    assert api_get(client, "annual_report", "a", 99999).status_code == 404
    assert client.get("/api/v1/annual-reports/a/abc").status_code == 422


def test_each_address_is_rate_limited(client, db, monkeypatch):
    monkeypatch.setattr(open_api.THROTTLE, "num_requests", 2)
    assert api_get(client, "agencies").status_code == 200
    assert api_get(client, "categories").status_code == 200
    refused = api_get(client, "agencies")
    assert refused.status_code == 429 and refused.json()["detail"]
    assert int(refused["Retry-After"]) > 0
    # Behind no trusted proxy, a forged X-Forwarded-For is not a new address.
    outside = {"REMOTE_ADDR": "203.0.113.7"}
    for n in range(2):
        forged = {**outside, "HTTP_X_FORWARDED_FOR": f"198.51.100.{n}"}
        assert client.get("/api/v1/agencies", **forged).status_code == 200
    assert (
        client.get("/api/v1/agencies", HTTP_X_FORWARDED_FOR="198.51.100.9", **outside).status_code
        == 429
    )


def test_the_openapi_description_lists_the_endpoints_and_there_is_no_cdn_docs_page(client, db):
    response = client.get(reverse("api:openapi-json"))
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"] == {
        "title": "gongkai open data API",
        "version": "1",
        "description": schema["info"]["description"],
    }
    assert set(schema["paths"]) == {
        "/api/v1/agencies",
        "/api/v1/categories",
        "/api/v1/items",
        "/api/v1/items/{item_id}",
        "/api/v1/annual-reports",
        "/api/v1/annual-reports/{code}/{year}",
    }
    assert all(set(path) == {"get"} for path in schema["paths"].values())
    assert client.get("/api/v1/docs").status_code == 404


def test_validation_errors_are_explained_in_chinese(client, catalog):
    detail = api_get(client, "items", page="x").json()["detail"]
    assert detail[0]["loc"][-1] == "page" and detail[0]["msg"] == "应为整数。"
    detail = api_get(client, "items", page="0").json()["detail"]
    assert detail[0]["msg"] == "不得小于 1。"
    detail = api_get(client, "items", validity="forever").json()["detail"]
    assert detail[0]["msg"] and "valid" not in detail[0]["msg"]
