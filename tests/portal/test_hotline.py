"""The portal's monthly summary of hotline and mailbox messages (portal/hotline.py), the
office page that makes a message public (office/hotline.py) and its actions."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.audit.models import Action, AuditEntry
from gongkai.portal import cache as portal_cache
from gongkai.records import actions
from gongkai.records.counts import message_summary
from gongkai.records.models import Message, MessageStatus, RecordSettings

TZ = ZoneInfo("Asia/Shanghai")
ID_NUMBER = "110101199003078515"  # a valid check character


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to("2026-04-20 10:00 +0800", tick=False)


def at(day: str, hour: int = 9) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=TZ)


def message(agency, number, received, *, days=None, category="consultation",
            channel="hotline", content="", answer="已答复") -> Message:  # fmt: skip
    answered = received + timedelta(days=days) if days is not None else None
    return actions.save_record(
        Message(
            agency=agency,
            number=number,
            received_at=received,
            answered_at=answered,
            status=MessageStatus.CLOSED if answered else MessageStatus.OPEN,
            category=category,
            channel=channel,
            subject=f"诉求{number}",
            content=content,
            answer=answer if answered else "",
        ),
        actor=None,
    )


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def figure(html: str, name: str) -> str:
    marker = f'data-figure="{name}">'
    return html.split(marker, 1)[1].split("<", 1)[0]


# ---- the counts ---------------------------------------------------------------------


@pytest.mark.django_db
def test_counts_per_month_by_category_and_channel(cast, client):
    message(cast.a, "1", at("2026-03-01"), days=2, category="complaint")
    message(cast.a, "2", at("2026-03-15"), days=3, category="complaint", channel="mailbox")
    message(cast.a, "3", at("2026-03-31", 23), days=1, category="suggestion")
    message(cast.a, "4", at("2026-04-01", 0), days=1)  # April in local time
    message(cast.a, "5", at("2026-02-28", 23), days=1)
    html = page(client, reverse("portal:agency_hotline", args=["a"]), month="2026-03")
    assert figure(html, "received") == "3"
    category = html.split('data-by="category"', 1)[1].split("</table>", 1)[0]
    assert "投诉</th><td>2" in category and "建议</th><td>1" in category
    assert "咨询" not in category
    channel = html.split('data-by="channel"', 1)[1].split("</table>", 1)[0]
    assert "12345热线</th><td>2" in channel and "网站信箱</th><td>1" in channel
    months = html.split("data-year-months", 1)[1].split("</table>", 1)[0]
    cells = [c.split("</td>")[0] for c in months.split("<td>")[1:]]
    counts = [c.rsplit(">", 2)[-2].split("<")[0] if "<" in c else c for c in cells]
    assert counts[1:4] == ["1", "3", "1"] and counts[0] == "0"
    april = page(client, reverse("portal:agency_hotline", args=["a"]), month="2026-04")
    assert "咨询</th><td>1" in april.split('data-by="category"', 1)[1]


@pytest.mark.django_db
def test_the_on_time_rate_follows_each_agencys_limit(cast, client):
    RecordSettings.objects.create(agency=cast.b, message_reply_days=5)
    message(cast.a, "a1", at("2026-03-02"), days=10)  # default 15 days: on time
    message(cast.a, "a2", at("2026-03-02"), days=16)  # late
    message(cast.a, "a3", at("2026-03-03"))  # unanswered, long past its limit: late
    message(cast.b, "b1", at("2026-03-02"), days=4)  # on time
    message(cast.b, "b2", at("2026-03-02"), days=6)  # late under b's 5 days
    message(cast.b, "b3", at("2026-04-18"))  # still within its limit: not counted
    start, end = at("2026-03-01", 0), at("2026-04-01", 0)
    march = message_summary([cast.a.pk, cast.b.pk], start, end, now=at("2026-04-20", 10))
    assert (march.received, march.answered, march.on_time, march.late) == (5, 4, 2, 3)
    assert march.on_time_rate == 40.0
    # The same as Message.is_late, one by one.
    rules = {r.agency_id: r for r in RecordSettings.objects.all()}
    late = [
        m for m in Message.objects.filter(received_at__lt=end) if m.is_late(rules.get(m.agency_id))
    ]
    assert len(late) == march.late
    april = message_summary([cast.b.pk], end, at("2026-05-01", 0), now=at("2026-04-20", 10))
    assert april.received == 1 and april.on_time_rate is None
    html = page(client, reverse("portal:agency_hotline", args=["b"]), month="2026-04")
    assert "暂无到期诉求" in html


@pytest.mark.django_db
def test_the_counts_are_grouped_in_sql(cast, client):
    for i in range(30):
        message(cast.a, f"n{i}", at("2026-03-02") + timedelta(hours=i), days=i % 20)
    url = reverse("portal:agency_hotline", args=["a"])
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"month": "2026-03"})
    for i in range(30, 90):
        message(cast.a, f"n{i}", at("2026-03-05") + timedelta(hours=i), days=i % 20)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url, {"month": "2026-03"}).content.decode()
    assert len(many) == len(few)
    assert figure(html, "received") == "90"


@pytest.mark.django_db
def test_an_agency_counts_its_subtree_unless_asked_for_its_own(cast, client):
    message(cast.county, "c1", at("2026-03-02"), days=1)
    message(cast.a, "a1", at("2026-03-02"), days=1)
    message(cast.a_unit, "u1", at("2026-03-03"), days=1)
    message(cast.b, "b1", at("2026-03-04"), days=1)
    url = reverse("portal:agency_hotline", args=["a"])
    assert figure(page(client, url, month="2026-03"), "received") == "2"
    own = page(client, url, month="2026-03", scope="own")
    assert figure(own, "received") == "1"
    county = reverse("portal:agency_hotline", args=["county"])
    assert figure(page(client, county, month="2026-03"), "received") == "4"
    assert figure(page(client, county, month="2026-03", scope="own"), "received") == "1"
    assert figure(page(client, reverse("portal:hotline"), month="2026-03"), "received") == "4"


@pytest.mark.django_db
def test_an_empty_month_says_so_and_a_bad_month_is_refused_in_chinese(cast, client):
    message(cast.a, "1", at("2026-03-02"), days=1)
    url = reverse("portal:agency_hotline", args=["a"])
    html = page(client, url, month="2026-01")
    assert "本月未受理咨询投诉" in html and 'data-figure="received"' not in html
    # Without a month: the latest month with messages.
    assert figure(page(client, url), "received") == "1"
    response = client.get(url, {"month": "2026-13"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "不是有效的月份" in html and 'value="2026-13"' in html


@pytest.mark.django_db
def test_the_page_is_linked_from_the_agency_column(cast, client):
    html = page(client, reverse("portal:agency", args=["a"]))
    assert reverse("portal:agency_hotline", args=["a"]) in html
    assert reverse("portal:hotline") in page(client, reverse("portal:home"))


# ---- messages made public ---------------------------------------------------------------


PERSONAL = f"来电人：王小明，手机13912345678，身份证号{ID_NUMBER}，家庭住址：测试县城关镇幸福路8号。反映小区噪音。"


@pytest.mark.django_db
def test_personal_data_is_never_shown(cast, client):
    m = message(cast.a, "p1", at("2026-03-02"), days=2, content=PERSONAL,
                answer="已联系王小明（13912345678）说明情况。")  # fmt: skip
    client.force_login(cast.officer_a)
    url = reverse("office:message_publish", args=[m.pk])
    form = client.get(url).content.decode()
    assert "发现个人信息" in form
    proposed = form.split('name="public_summary"', 1)[1].split("</textarea>", 1)[0]
    assert "13912345678" not in proposed and ID_NUMBER not in proposed
    assert "王小明" not in proposed and "幸福路8号" not in proposed
    # The sender named with a label in the message is masked also where no label stands.
    proposed = form.split('name="public_answer"', 1)[1].split("</textarea>", 1)[0]
    assert "王小明" not in proposed and "13912345678" not in proposed and "已联系" in proposed
    # Whatever staff type is checked again when saved.
    response = client.post(
        url, {"public_summary": PERSONAL, "public_answer": "请联系姓名：李四，电话0571-88886666。"}
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.published_at is not None
    for stored in (m.public_summary, m.public_answer):
        for secret in ("13912345678", ID_NUMBER, "王小明", "幸福路8号", "李四", "88886666"):
            assert secret not in stored
    # Even a text that reached the database unmasked is masked on the portal.
    Message.objects.filter(pk=m.pk).update(
        public_answer=f"联系人：赵六，手机13800001111，{ID_NUMBER}，已告知王小明"
    )
    client.logout()
    html = page(client, reverse("portal:agency_hotline", args=["a"]), month="2026-03")
    assert "data-shown-message" in html and "反映小区噪音" in html
    for secret in ("13912345678", ID_NUMBER, "王小明", "幸福路8号", "赵六", "13800001111"):
        assert secret not in html
    assert "139****5678" in html or "138****1111" in html


@pytest.mark.django_db
def test_only_answered_messages_are_made_public_and_can_be_withdrawn(
    cast, client, django_capture_on_commit_callbacks
):
    open_message = message(cast.a, "o1", at("2026-03-02"))
    with pytest.raises(ValidationError, match="已答复"):
        actions.publish_message(open_message, actor=cast.officer_a, summary="x", answer="y")
    done = message(cast.a, "d1", at("2026-03-02"), days=1)
    with pytest.raises(ValidationError) as refused:
        actions.publish_message(done, actor=cast.officer_a, summary=" ", answer="")
    assert set(refused.value.message_dict) == {"public_summary", "public_answer"}
    url = reverse("portal:agency_hotline", args=["a"])
    assert "本月暂无公开的答复" in page(client, url, month="2026-03")
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_message(done, actor=cast.officer_a, summary="咨询入学", answer="按学区入学")
    assert "按学区入学" in page(client, url, month="2026-03")
    with django_capture_on_commit_callbacks(execute=True):
        actions.withdraw_message(done, actor=cast.officer_a)
    assert "按学区入学" not in page(client, url, month="2026-03")
    steps = list(
        AuditEntry.objects.filter(action=Action.RECORDS_STEP).values_list("detail__step", flat=True)
    )
    assert "message_published" in steps and "message_withdrawn" in steps


@pytest.mark.django_db
def test_publishing_a_message_refreshes_the_cached_page(
    cast, client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.PORTAL_CACHE_SECONDS = 300
    monkeypatch.setattr(portal_cache, "CLOCK_SECONDS", 0)
    done = message(cast.a, "d1", at("2026-03-02"), days=1)
    url = reverse("portal:agency_hotline", args=["a"])
    first = page(client, url, month="2026-03")
    with CaptureQueriesContext(connection) as cached:
        assert page(client, url, month="2026-03") == first
    assert len(cached) == 1  # the change clock
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_message(done, actor=cast.officer_a, summary="咨询入学", answer="按学区入学")
    assert "按学区入学" in page(client, url, month="2026-03")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("officer_a", 200),
        ("head_a", 200),
        ("reviewer_a", 403),
        ("supervisor", 403),
        ("officer_b", 404),
        (None, 302),
    ],
)
def test_access_to_the_office_page_with_the_fixed_cast(cast, client, who, status):
    m = message(cast.a, "d1", at("2026-03-02"), days=1)
    if who:
        client.force_login(getattr(cast, who))
    url = reverse("office:message_publish", args=[m.pk])
    assert client.get(url).status_code == status
    posted = client.post(url, {"public_summary": "咨询入学", "public_answer": "按学区入学"})
    assert posted.status_code == (302 if status == 200 else status)
    m.refresh_from_db()
    assert (m.published_at is not None) == (status == 200)
    withdraw = client.post(reverse("office:message_withdraw", args=[m.pk]))
    assert withdraw.status_code == (302 if status == 200 else status)


@pytest.mark.django_db
def test_the_records_list_links_answered_messages_to_the_office_page(cast, client):
    done = message(cast.a, "d1", at("2026-03-02"), days=1)
    waiting = message(cast.a, "o1", at("2026-03-03"))
    client.force_login(cast.officer_a)
    html = page(client, reverse("records:messages_list"))
    assert reverse("office:message_publish", args=[done.pk]) in html
    assert reverse("office:message_publish", args=[waiting.pk]) not in html
