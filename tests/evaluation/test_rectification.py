"""Rectification tasks (整改): issue, answer with evidence, accept or return; overdue on the
home pages; the pages against the fixed cast."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.audit.models import Action, AuditEntry
from gongkai.evaluation import rectification
from gongkai.evaluation.models import Rectification, RectificationFile, RectificationStatus
from gongkai.lib.errors import ActionError
from gongkai.office import queues
from tests.evaluation.conftest import PDF, submitted_evaluation

pytestmark = pytest.mark.usefixtures("year_2025")
TODAY = date(2026, 2, 10)  # year_2025 moves the clock here


def pdf(name="整改报告.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def task(cast):
    return rectification.issue(cast.a, actor=cast.supervisor, finding="主动公开超期2条。",
                               deadline=TODAY + timedelta(days=20), year=2025)  # fmt: skip


def test_a_supervisor_issues_from_an_evaluation_indicator(cast):
    evaluation = submitted_evaluation(cast)
    weak = evaluation.system.indicators.get(key="proactive_timeliness")
    task = rectification.issue(cast.a, actor=cast.supervisor, finding="超期公开。",
                               deadline=TODAY, evaluation=evaluation, indicator=weak)  # fmt: skip
    assert task.status == RectificationStatus.ISSUED and task.year == 2025
    assert task.issued_by == cast.supervisor
    assert rectification.for_indicators(evaluation) == {weak.pk: [task]}
    entry = AuditEntry.objects.get(action=Action.RECTIFICATION_STEP)
    assert entry.detail["step"] == "issued" and entry.agency == cast.a


def test_bad_input_is_refused_with_chinese_messages(cast):
    with pytest.raises(ActionError) as refused:
        rectification.issue(cast.a, actor=cast.supervisor, finding="  ",
                            deadline=TODAY - timedelta(days=1))  # fmt: skip
    errors = refused.value.message_dict
    assert "问题" in errors["finding"][0]
    assert "2026-02-09" in errors["deadline"][0] and "已过" in errors["deadline"][0]
    with pytest.raises(ActionError) as refused:
        rectification.issue(None, actor=cast.supervisor, finding="x", deadline=None)
    assert "机关" in refused.value.message_dict["agency"][0]
    assert "期限" in refused.value.message_dict["deadline"][0]
    assert not Rectification.objects.exists()


@pytest.mark.parametrize("who", ["officer_a", "head_a", "officer_b", "admin_county"])
def test_only_a_supervisor_above_issues(cast, who):
    with pytest.raises(ActionError) as refused:
        rectification.issue(cast.a, actor=getattr(cast, who), finding="问题",
                            deadline=TODAY)  # fmt: skip
    assert "上级主管部门" in refused.value.message_dict["agency"][0]


def test_the_county_itself_has_no_supervisor_here(cast):
    with pytest.raises(ActionError):
        rectification.issue(cast.county, actor=cast.supervisor, finding="问题", deadline=TODAY)


def test_the_agency_answers_with_files_and_the_supervisor_returns_then_accepts(task, cast):
    with pytest.raises(ActionError):
        rectification.answer(task, actor=cast.supervisor, text="做了")  # not the agency's staff
    with pytest.raises(ActionError):
        rectification.answer(task, actor=cast.officer_b, text="做了")
    answered = rectification.answer(task, actor=cast.officer_a, text="已补充公开。",
                                    uploads=[pdf(), pdf("公开截图.pdf")])  # fmt: skip
    assert answered.status == RectificationStatus.ANSWERED and not answered.answered_late
    assert sorted(f.original_name for f in answered.files.all()) == ["公开截图.pdf", "整改报告.pdf"]
    with pytest.raises(ActionError):
        rectification.answer(answered, actor=cast.officer_a, text="再答一次")
    with pytest.raises(ActionError):
        rectification.accept(answered, actor=cast.officer_a)
    with pytest.raises(ActionError) as refused:
        rectification.return_answer(answered, actor=cast.supervisor, reason=" ")
    assert "理由" in refused.value.message_dict["reason"][0]
    returned = rectification.return_answer(answered, actor=cast.supervisor, reason="缺少截图。",
                                           deadline=TODAY + timedelta(days=30))  # fmt: skip
    assert returned.status == RectificationStatus.RETURNED
    assert returned.deadline == TODAY + timedelta(days=30)
    again = rectification.answer(returned, actor=cast.head_a, text="补充了截图。")
    accepted = rectification.accept(again, actor=cast.supervisor, note="同意。")
    assert accepted.status == RectificationStatus.ACCEPTED
    assert [h["step"] for h in accepted.history] == [
        "issued", "answered", "returned", "answered", "accepted",
    ]  # fmt: skip
    steps = AuditEntry.objects.filter(action=Action.RECTIFICATION_STEP).order_by("id")
    assert [e.detail["step"] for e in steps] == [h["step"] for h in accepted.history]


def test_an_answer_without_text_or_with_a_bad_file_stores_nothing(task, cast, settings):
    with pytest.raises(ActionError) as refused:
        rectification.answer(task, actor=cast.officer_a, text="", uploads=[pdf()])
    assert "整改情况" in refused.value.message_dict["answer"][0]
    fake = SimpleUploadedFile("截图.png", b"not an image", content_type="image/png")
    with pytest.raises(ActionError) as refused:
        rectification.answer(task, actor=cast.officer_a, text="已整改", uploads=[pdf(), fake])
    assert "截图.png" in refused.value.message_dict["files"][0]
    settings.EVALUATION_EVIDENCE_MAX_MB = 0
    with pytest.raises(ActionError) as refused:
        rectification.answer(task, actor=cast.officer_a, text="已整改", uploads=[pdf("大.pdf")])
    assert "大.pdf" in refused.value.message_dict["files"][0]
    assert not RectificationFile.objects.exists()
    task.refresh_from_db()
    assert task.status == RectificationStatus.ISSUED


def test_overdue_is_past_the_deadline_and_unanswered(cast, time_machine):
    late = rectification.issue(cast.a, actor=cast.supervisor, finding="超期。",
                               deadline=TODAY, on=TODAY - timedelta(days=5))  # fmt: skip
    on_time = rectification.issue(cast.b, actor=cast.supervisor, finding="空白栏目。",
                                  deadline=TODAY + timedelta(days=10))  # fmt: skip
    assert list(Rectification.objects.overdue(TODAY)) == []
    tomorrow = TODAY + timedelta(days=1)
    assert list(Rectification.objects.overdue(tomorrow)) == [late]
    assert late.is_overdue(tomorrow) and not on_time.is_overdue(tomorrow)
    # Home page queues: the agency's tasks to answer, the supervisor's overdue below.
    assert list(queues.rectifications_to_answer(cast.officer_a)) == [late]
    assert list(queues.rectifications_to_answer(cast.officer_b)) == [on_time]
    assert list(queues.rectifications_to_answer(cast.supervisor)) == []
    assert list(queues.rectifications_overdue_below(cast.supervisor, tomorrow)) == [late]
    assert list(queues.rectifications_overdue_below(cast.officer_a, tomorrow)) == []
    time_machine.move_to("2026-02-12 10:00 +0800")
    answered = rectification.answer(late, actor=cast.officer_a, text="已整改。")
    assert answered.answered_late
    assert list(Rectification.objects.overdue(tomorrow)) == []
    assert list(queues.rectifications_to_accept(cast.supervisor)) == [answered]
    assert list(queues.rectifications_to_accept(cast.head_a)) == []


def test_both_home_pages_show_an_overdue_task(cast, client, time_machine):
    rectification.issue(cast.a, actor=cast.supervisor, finding="年报未按时公开。",
                        deadline=TODAY, on=TODAY - timedelta(days=5))  # fmt: skip
    time_machine.move_to("2026-02-11 10:00 +0800")
    client.force_login(cast.officer_a)
    page = client.get(reverse("office:home")).content.decode()
    assert 'data-queue="rectifications"' in page and "data-overdue" in page
    assert "年报未按时公开" in page
    client.force_login(cast.supervisor)
    page = client.get(reverse("office:home")).content.decode()
    assert 'data-queue="rectifications-overdue"' in page and "测试县甲局" in page
    client.force_login(cast.officer_b)
    page = client.get(reverse("office:home")).content.decode()
    assert "年报未按时公开" not in page


# ---- pages against the fixed cast ------------------------------------------------------------

CAST = ["officer_a", "head_a", "supervisor", "officer_b", "admin_county", "anonymous"]


def login(client, cast, who):
    if who != "anonymous":
        client.force_login(getattr(cast, who))


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer_a", 200), ("head_a", 200), ("supervisor", 200), ("officer_b", 404),
     ("admin_county", 200), ("anonymous", 302)],
)  # fmt: skip
def test_the_detail_page_against_the_cast(task, cast, client, who, status):
    login(client, cast, who)
    response = client.get(reverse("evaluation:rectification", args=[task.pk]))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "主动公开超期2条" in page
        assert ('id="answer"' in page) == (who in ("officer_a", "head_a"))


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer_a", 302), ("head_a", 302), ("supervisor", 403), ("officer_b", 404),
     ("admin_county", 403), ("anonymous", 302)],
)  # fmt: skip
def test_answering_against_the_cast(task, cast, client, who, status):
    login(client, cast, who)
    url = reverse("evaluation:rectification_answer", args=[task.pk])
    response = client.post(url, {"answer": "已整改。", "files": [pdf()]})
    assert response.status_code == status
    task.refresh_from_db()
    answered = who in ("officer_a", "head_a")
    assert (task.status == RectificationStatus.ANSWERED) == answered
    assert RectificationFile.objects.count() == (1 if answered else 0)


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer_a", 403), ("head_a", 403), ("supervisor", 302), ("officer_b", 404),
     ("admin_county", 403)],
)  # fmt: skip
def test_accepting_against_the_cast(task, cast, client, who, status):
    rectification.answer(task, actor=cast.officer_a, text="已整改。", uploads=[pdf()])
    login(client, cast, who)
    url = reverse("evaluation:rectification_decide", args=[task.pk, "accept"])
    assert client.post(url).status_code == status
    task.refresh_from_db()
    assert (task.status == RectificationStatus.ACCEPTED) == (who == "supervisor")


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer_a", 403), ("head_a", 403), ("supervisor", 200), ("officer_b", 403),
     ("admin_county", 403), ("anonymous", 302)],
)  # fmt: skip
def test_the_issue_form_against_the_cast(cast, client, who, status):
    login(client, cast, who)
    url = reverse("evaluation:rectification_create")
    response = client.get(url, {"agency": cast.a.pk, "indicator": "proactive_timeliness",
                                "year": 2025})  # fmt: skip
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert f'value="{cast.a.pk}" selected' in page
        assert "主动公开及时性" in page


def test_the_issue_form_prefills_from_the_evaluation_and_keeps_what_was_typed(cast, client):
    evaluation = submitted_evaluation(cast)
    client.force_login(cast.supervisor)
    url = reverse("evaluation:rectification_create")
    query = {"agency": cast.a.pk, "indicator": "proactive_timeliness", "year": 2025}
    page = client.get(url, query).content.decode()
    assert "2025年度自查自评“主动公开及时性" in page and "得分6（满分10）" in page
    typed = {**query, "finding": "请补充公开超期的2条信息。", "deadline": "2026-01-01"}
    refused = client.post(url, typed)
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "已过" in page and "请补充公开超期的2条信息。" in page and 'value="2026-01-01"' in page
    refused = client.post(url, {**typed, "deadline": "明天"})
    assert refused.status_code == 400 and "请输入日期" in refused.content.decode()
    done = client.post(url, {**typed, "deadline": "2026-03-10"})
    assert done.status_code == 302
    task = Rectification.objects.get()
    assert task.evaluation == evaluation and task.indicator is not None
    assert task.indicator.key == "proactive_timeliness"
    page = client.get(reverse("evaluation:detail", args=[evaluation.pk])).content.decode()
    assert f'data-task="{task.pk}"' in page and 'data-issue="proactive_timeliness"' in page


def test_the_list_shows_each_user_their_tasks(task, cast, client):
    other = rectification.issue(cast.b, actor=cast.supervisor, finding="乙局的问题。",
                                deadline=TODAY)  # fmt: skip
    url = reverse("evaluation:rectifications")
    client.force_login(cast.officer_a)
    page = client.get(url).content.decode()
    assert f'data-rectification="{task.pk}"' in page
    assert f'data-rectification="{other.pk}"' not in page
    client.force_login(cast.supervisor)
    page = client.get(url).content.decode()
    assert f'data-rectification="{task.pk}"' in page and f'data-rectification="{other.pk}"' in page
    assert 'data-list="issued"' in page and 'data-list="addressed"' not in page


def test_a_file_is_downloaded_only_by_who_sees_the_task(task, cast, client):
    rectification.answer(task, actor=cast.officer_a, text="已整改。", uploads=[pdf()])
    stored = RectificationFile.objects.get()
    url = reverse("evaluation:rectification_file", args=[task.pk, stored.pk])
    client.force_login(cast.supervisor)
    response = client.get(url)
    assert response.status_code == 200 and response.content == PDF
    client.force_login(cast.officer_b)
    assert client.get(url).status_code == 404
