"""Back-office agency and staff pages against the fixed cast."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.audit.models import Action, AuditEntry


def get_as(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize(
    ("who", "code", "status"),
    [
        ("officer_a", "a", 200),
        ("reviewer_a", "a", 200),
        ("supervisor", "a", 200),
        ("supervisor", "b", 200),
        ("supervisor", "a-unit", 200),
        ("officer_b", "a", 404),
        ("officer_a", "b", 404),
        ("reviewer_a", "county", 404),
        ("officer_a", "no-such-code", 404),
        (None, "a", 302),
    ],
)
def test_agency_detail_is_scoped(client, cast, who, code, status):
    user = getattr(cast, who) if who else None
    response = get_as(client, user, reverse("office:agency_detail", args=[code]))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "code", "status"),
    [
        ("head_a", "a", 200),
        ("admin_county", "a", 200),
        ("admin_county", "b", 200),
        ("superuser", "b", 200),
        ("officer_a", "a", 403),
        ("reviewer_a", "a", 403),
        ("supervisor", "a", 403),
        ("head_a", "b", 404),
        ("officer_b", "a", 404),
        (None, "a", 302),
    ],
)
def test_agency_edit_needs_the_office_head_or_an_administrator(client, cast, who, code, status):
    user = getattr(cast, who) if who else None
    response = get_as(client, user, reverse("office:agency_edit", args=[code]))
    assert response.status_code == status


def test_the_office_head_saves_contact_details_and_it_is_audited(client, cast):
    client.force_login(cast.head_a)
    response = client.post(
        reverse("office:agency_edit", args=["a"]),
        {
            "office_name": "甲局办公室",
            "office_address": "测试县人民路 2 号",
            "office_hours": "工作日 8:30—17:30",
            "office_phone": "0000-1234",
            "office_fax": "",
            "office_email": "gk@a.example",
            "office_postcode": "339900",
        },
    )
    assert response.status_code == 302
    cast.a.refresh_from_db()
    assert cast.a.office_address == "测试县人民路 2 号"
    assert cast.a.contact_complete()
    entry = AuditEntry.objects.get(action=Action.AGENCY_UPDATED)
    assert entry.actor == cast.head_a and entry.agency == cast.a
    assert "office_address" in entry.detail["changed"]


def test_bad_contact_details_get_chinese_messages_and_keep_what_was_typed(client, cast):
    client.force_login(cast.head_a)
    response = client.post(
        reverse("office:agency_edit", args=["a"]),
        {
            "office_name": "甲局办公室",
            "office_address": "测试县人民路 2 号",
            "office_email": "not-an-email",
            "office_postcode": "12345",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "邮政编码应为 6 位数字。" in text
    assert "输入一个有效的 Email 地址。" in text
    assert 'value="测试县人民路 2 号"' in text
    assert 'value="not-an-email"' in text
    cast.a.refresh_from_db()
    assert cast.a.office_address == ""


def test_the_agency_list_shows_only_visible_agencies(client, cast):
    text = get_as(client, cast.officer_a, reverse("office:agency_list")).content.decode()
    assert "测试县甲局" in text and "测试县乙局" not in text
    text = get_as(client, cast.supervisor, reverse("office:agency_list")).content.decode()
    assert "测试县甲局" in text and "测试县乙局" in text
    text = client.get(reverse("office:agency_list"), {"q": "乙"}).content.decode()
    assert "测试县乙局" in text and "测试县甲局" not in text


def test_the_home_page_lists_the_users_roles_in_chinese(client, cast):
    text = get_as(client, cast.reviewer_a, reverse("office:home")).content.decode()
    assert "初审人" in text and "测试县甲局" in text
    assert "依申请公开" in text  # the navigation skeleton


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer_a", 403), ("supervisor", 403), ("admin_county", 200), ("superuser", 200)],
)
def test_the_staff_list_is_for_administrators(client, cast, who, status):
    response = get_as(client, getattr(cast, who), reverse("office:user_list"))
    assert response.status_code == status
    if status == 200:
        assert "officer_b" in response.content.decode()
        assert "经办人" in response.content.decode()


def test_only_the_installation_administrator_imports_agencies(client, cast):
    assert get_as(client, cast.admin_county, reverse("office:agency_import")).status_code == 403
    assert get_as(client, cast.superuser, reverse("office:agency_import")).status_code == 200


def test_the_portal_shows_agencies_without_login(client, cast):
    text = client.get("/").content.decode()
    assert "测试县甲局" in text and "工作人员登录" in text
    response = client.get(reverse("portal:agency", args=["a"]))
    assert response.status_code == 200
    assert "政府信息公开工作机构" in response.content.decode()
    cast.b.is_active = False
    cast.b.save()
    assert client.get(reverse("portal:agency", args=["b"])).status_code == 404
    assert "页面不存在" in client.get("/no-such-page/").content.decode()


def test_the_agency_search_answers_htmx_with_just_the_rows(client, cast):
    client.force_login(cast.supervisor)
    response = client.get(reverse("office:agency_list"), {"q": "乙"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "<html" not in text and "<tr>" in text
    assert "测试县乙局" in text and "测试县甲局" not in text
    # htmx's history restore gets the whole page.
    response = client.get(
        reverse("office:agency_list"),
        {"q": "乙"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in response.content.decode()


def test_the_office_head_sets_the_letter_settings_on_the_same_page(client, cast):
    client.force_login(cast.head_a)
    url = reverse("office:agency_edit", args=["a"])
    page = client.get(url).content.decode()
    assert "文书与救济途径" in page and "机关代字" in page
    response = client.post(
        url,
        {
            "section": "letters",
            "letters-doc_abbr": "测甲办",
            "letters-letter_series": "shared",
            "letters-review_online_url": "fuyi.example.gov.cn",
            "letters-court_name": "",
            "letters-review_body": "",
        },
    )
    assert response.status_code == 302
    cast.a.refresh_from_db()
    assert (cast.a.doc_abbr, cast.a.letter_series) == ("测甲办", "shared")
    assert cast.a.review_online_url == "https://fuyi.example.gov.cn"
    assert cast.a.office_name == ""  # the contact form was not touched
    entry = AuditEntry.objects.get(action=Action.AGENCY_UPDATED)
    assert {"doc_abbr", "letter_series"} <= set(entry.detail["changed"])


def test_bad_letter_settings_are_refused_in_chinese(client, cast):
    client.force_login(cast.head_a)
    response = client.post(
        reverse("office:agency_edit", args=["a"]),
        {
            "section": "letters",
            "letters-doc_abbr": "测甲-1",
            "letters-letter_series": "per_kind",
            "letters-vertical": "on",
            "letters-review_body": "",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "机关代字只能由汉字或字母组成" in text
    assert "实行垂直领导的机关由上一级主管部门负责行政复议" in text
    assert 'value="测甲-1"' in text
    cast.a.refresh_from_db()
    assert cast.a.doc_abbr == "测甲"


def test_an_officer_cannot_change_the_letter_settings(client, cast):
    client.force_login(cast.officer_a)
    response = client.post(
        reverse("office:agency_edit", args=["a"]),
        {"section": "letters", "letters-doc_abbr": "改", "letters-letter_series": "per_kind"},
    )
    assert response.status_code == 403
