"""The supervising office's review of a submitted self-evaluation, per indicator."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from gongkai.audit.models import AuditEntry
from gongkai.evaluation import actions, results
from gongkai.evaluation.models import IndicatorResult
from gongkai.lib.errors import ActionError
from tests.evaluation.conftest import submitted_evaluation

pytestmark = pytest.mark.usefixtures("year_2025")


@pytest.fixture
def submitted(cast):
    return submitted_evaluation(cast)


def indicator(evaluation, key):
    return evaluation.system.indicators.get(key=key)


def test_the_supervisor_reviews_a_score_and_the_total_after_review_follows(submitted, cast):
    bulletin = indicator(submitted, "bulletin")
    before = results.total(results.rows(submitted))
    assert results.reviewed_total(results.rows(submitted), {}) is None
    actions.review_result(submitted, bulletin, actor=cast.supervisor, reviewed_score="0.5",
                          review_note="照片未体现按季度更新。")  # fmt: skip
    stored = IndicatorResult.objects.get(evaluation=submitted, indicator=bulletin)
    assert stored.reviewed_score == Decimal("0.5")
    assert stored.manual_score == Decimal("2")  # the agency's own score stays
    assert stored.reviewed_by == cast.supervisor and stored.reviewed_at is not None
    reviewed = results.reviewed_scores(submitted)
    assert reviewed == {"bulletin": Decimal("0.5")}
    assert results.reviewed_total(results.rows(submitted), reviewed) == round(before - 1.5, 2)
    entry = AuditEntry.objects.filter(detail__step="reviewed").get()
    assert entry.detail["indicator"] == "bulletin" and entry.actor == cast.supervisor


def test_a_score_outside_zero_to_the_points_is_refused_in_chinese(submitted, cast):
    bulletin = indicator(submitted, "bulletin")
    for bad in ("-1", str(bulletin.weight + 1)):
        with pytest.raises(ActionError) as refused:
            actions.review_result(submitted, bulletin, actor=cast.supervisor, reviewed_score=bad)
        message = refused.value.message_dict["reviewed_score"][0]
        assert "得分须在0至" in message and bulletin.label in message
    with pytest.raises(ActionError) as refused:
        actions.review_result(submitted, bulletin, actor=cast.supervisor, reviewed_score="两分")
    assert "数字" in refused.value.message_dict["reviewed_score"][0]
    assert not IndicatorResult.objects.filter(reviewed_score__isnull=False).exists()


@pytest.mark.parametrize("who", ["officer_a", "head_a", "officer_b", "admin_county"])
def test_only_a_supervisor_above_reviews(submitted, cast, who):
    with pytest.raises(ActionError):
        actions.review_result(submitted, indicator(submitted, "bulletin"),
                              actor=getattr(cast, who), reviewed_score="1")  # fmt: skip


def test_a_draft_is_not_reviewed(cast):
    draft = actions.open_evaluation(cast.b, 2025, actor=cast.officer_b)
    with pytest.raises(ActionError) as refused:
        actions.review_result(draft, indicator(draft, "bulletin"), actor=cast.supervisor,
                              reviewed_score="1")  # fmt: skip
    assert "已报送" in refused.value.messages[0]


def test_the_review_form_keeps_what_was_typed_and_the_page_shows_both_scores(
    submitted, cast, client
):
    bulletin = indicator(submitted, "bulletin")
    url = reverse("evaluation:review_result", args=[submitted.pk, bulletin.pk])
    client.force_login(cast.supervisor)
    refused = client.post(url, {"reviewed_score": "99", "review_note": "证据不足"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "得分须在0至" in page and "证据不足" in page and 'value="99"' in page
    done = client.post(url, {"reviewed_score": "1", "review_note": "证据不足"})
    assert done.status_code == 302
    page = client.get(reverse("evaluation:detail", args=[submitted.pk])).content.decode()
    assert "复核得分" in page and "data-reviewed-total" in page
    assert "1 / " in page and "证据不足" in page


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer_a", 403), ("head_a", 403), ("officer_b", 404), ("anonymous", 302)],
)
def test_the_review_view_against_the_cast(submitted, cast, client, who, status):
    if who != "anonymous":
        client.force_login(getattr(cast, who))
    url = reverse("evaluation:review_result",
                  args=[submitted.pk, indicator(submitted, "bulletin").pk])  # fmt: skip
    assert client.post(url, {"reviewed_score": "1"}).status_code == status
    assert not IndicatorResult.objects.filter(reviewed_score__isnull=False).exists()
