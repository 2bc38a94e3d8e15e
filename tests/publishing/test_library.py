"""The normative-document library: register ↔ catalog, validity by the register's dates,
the public library, 有效期 reminders and the 清理 record."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from gongkai.lib.errors import ActionError
from gongkai.lib.reminders import ReminderKind
from gongkai.publishing import actions, cleanup, library, register, reminders
from gongkai.publishing.models import (
    Category,
    CleanupResult,
    InfoItem,
    InterpretationForm,
    ItemStatus,
    NormativeCleanupEntry,
    NormativeDocument,
    NormativeKind,
)


@pytest.fixture
def published(cast, django_capture_on_commit_callbacks):
    category = Category.objects.get(agency=None, code="20-01")

    def make(title="关于规范校外培训的通知", formed_on=date(2026, 3, 2)):
        item = actions.create_item(
            cast.a, actor=cast.officer_a, category=category, formed_on=formed_on, title=title
        )
        InfoItem.objects.filter(pk=item.pk).update(status=ItemStatus.APPROVED)
        with django_capture_on_commit_callbacks(execute=True):
            actions.publish_item(item, actor=cast.officer_a)
        item.refresh_from_db()
        return item

    return make


def entry(cast, item=None, **fields):
    values = {
        "kind": NormativeKind.NORMATIVE_DOCUMENT,
        "title": "关于规范校外培训的通知",
        "doc_no": "测甲发〔2026〕3号",
        "issued_on": date(2026, 3, 2),
        "effective_on": date(2026, 4, 1),
        **fields,
    }
    return NormativeDocument(agency=cast.a, item=item, **values)


@time_machine.travel(date(2026, 6, 1), tick=False)
def test_a_repeal_in_the_register_updates_the_catalog_item_with_a_public_note(
    client, cast, published
):
    item = published()
    doc = register.save_document(entry(cast, item), actor=cast.officer_a)
    item.refresh_from_db()
    assert (item.doc_no, item.effective_on) == ("测甲发〔2026〕3号", date(2026, 4, 1))
    assert item.versions.last().reason == "根据规范性文件登记更新相关信息。"
    doc.repealed_on = date(2026, 5, 20)
    register.save_document(doc, actor=cast.officer_a)
    item.refresh_from_db()
    assert (item.validity, item.ended_on) == ("repealed", date(2026, 5, 20))
    page = client.get(reverse("portal:item", args=[item.pk])).content.decode()
    assert "自2026-05-20起废止" in page and "废止" in page


def test_a_future_repeal_or_the_end_of_the_period_of_validity_takes_effect_on_its_day(
    cast, published
):
    with time_machine.travel(date(2026, 6, 1), tick=False):
        item = published()
        doc = register.save_document(
            entry(cast, item, valid_until=date(2026, 12, 31)), actor=cast.officer_a
        )
        item.refresh_from_db()
        assert item.validity == "valid"
        due = [
            r for r in reminders.due(date(2026, 11, 15)) if r.kind == ReminderKind.NORMATIVE_EXPIRY
        ]
        assert due == []  # nobody of agency A has an e-mail address yet
        cast.officer_a.email = "officer@a.test"
        cast.officer_a.save()
        [reminder] = [
            r for r in reminders.due(date(2026, 11, 15)) if r.kind == ReminderKind.NORMATIVE_EXPIRY
        ]
        assert reminder.recipients == ("officer@a.test",) and "2026-12-31" in reminder.subject
        assert not [
            r for r in reminders.due(date(2026, 6, 1)) if r.kind == ReminderKind.NORMATIVE_EXPIRY
        ]
    with time_machine.travel(date(2027, 1, 1), tick=False):
        call_command("sync_normative_validity", stdout=__import__("io").StringIO())
        item.refresh_from_db()
        assert (item.validity, item.ended_on) == ("expired", date(2027, 1, 1))
        assert "自2027-01-01起失效" in item.versions.last().reason
    assert doc.pk


@time_machine.travel(date(2026, 6, 1), tick=False)
def test_the_public_library_lists_documents_by_validity_with_interpretations(
    client, cast, published
):
    valid, repealed = published("现行有效的通知"), published("已废止的办法")
    register.save_document(entry(cast, valid, title="现行有效的通知"), actor=cast.officer_a)
    register.save_document(
        entry(cast, repealed, title="已废止的办法", doc_no="测甲发〔2025〕9号",
              issued_on=date(2025, 1, 2), effective_on=None, repealed_on=date(2026, 5, 1)),
        actor=cast.officer_a,
    )  # fmt: skip
    register.save_document(entry(cast, None, title="未公开的登记"), actor=cast.officer_a)
    actions.add_interpretation(
        valid,
        actor=cast.officer_a,
        form=InterpretationForm.GRAPHIC,
        title="一图读懂",
        published_on=date(2026, 6, 1),
        address="https://example.gov.cn/jd/1.html",
    )
    page = client.get(reverse("portal:agency_normative", args=["a"])).content.decode()
    assert "现行有效的通知" in page and "一图读懂" in page and "未公开的登记" not in page
    assert page.index("有效（1）") < page.index("现行有效的通知") < page.index("废止（1）")
    assert page.index("废止（1）") < page.index("已废止的办法")
    whole = client.get(reverse("portal:normative")).content.decode()
    assert "测试县甲局" in whole and "已废止的办法" in whole


@time_machine.travel(date(2026, 6, 1), tick=False)
def test_the_register_and_the_catalog_are_linked_from_either_side(client, cast, published):
    client.force_login(cast.officer_a)
    item = published()
    form = client.get(
        reverse("publishing:normative_new") + f"?agency=a&item={item.pk}"
    ).content.decode()
    assert f'value="{item.index_no}"' in form and 'value="关于规范校外培训的通知"' in form
    other = NormativeDocument.objects.create(
        agency=cast.a, kind="normative_document", title="另一件", item=item
    )
    with pytest.raises(ActionError):
        library.create_item_from(other, actor=cast.officer_a)
    standalone = register.save_document(
        entry(cast, None, title="先登记后起草"), actor=cast.officer_a
    )
    response = client.post(
        reverse("publishing:normative_edit", args=[standalone.pk]), {"form": "create_item"}
    )
    standalone.refresh_from_db()
    assert standalone.item is not None and response.url.endswith(f"/{standalone.item.pk}/")
    drafted = standalone.item
    assert (drafted.title, drafted.doc_no, drafted.formed_on, drafted.category.code) == (
        "先登记后起草", "测甲发〔2026〕3号", date(2026, 3, 2), "20-01",
    )  # fmt: skip
    assert drafted.needs_interpretation


@time_machine.travel(date(2026, 6, 1), tick=False)
def test_a_cleanup_gives_every_document_in_force_a_result(cast, published):
    kept = register.save_document(entry(cast, None, title="继续有效的"), actor=cast.officer_a)
    item = published("清理中废止的")
    dropped = register.save_document(entry(cast, item, title="清理中废止的"), actor=cast.officer_a)
    with pytest.raises(ActionError, match="继续有效的"):
        cleanup.record_cleanup(
            cast.a, actor=cast.officer_a, title="2026年规范性文件清理", held_on=date(2026, 5, 30),
            basis="", results={dropped.pk: (CleanupResult.REPEAL, "")},
        )  # fmt: skip
    cleanup.record_cleanup(
        cast.a,
        actor=cast.officer_a,
        title="2026年规范性文件清理",
        held_on=date(2026, 5, 30),
        basis="县政府办通知",
        results={
            kept.pk: (CleanupResult.CONTINUE, ""),
            dropped.pk: (CleanupResult.REPEAL, "上位法已修改"),
        },
    )
    dropped.refresh_from_db()
    item.refresh_from_db()
    assert dropped.repealed_on == date(2026, 5, 30) and item.validity == "repealed"
    assert NormativeCleanupEntry.objects.count() == 2
    assert cleanup.cleanup_counts([cast.a.pk], 2026) == {
        "cleanups": 1, "continue": 1, "amend": 0, "repeal": 1, "declare_expired": 0,
    }  # fmt: skip


@time_machine.travel(date(2026, 6, 1), tick=False)
def test_the_cleanup_page_keeps_the_input_and_names_what_is_missing(client, cast):
    doc = register.save_document(entry(cast, None, title="待清理的"), actor=cast.officer_a)
    client.force_login(cast.officer_a)
    url = reverse("publishing:cleanup_new") + "?agency=a"
    assert "待清理的" in client.get(url).content.decode()
    response = client.post(
        url, {"title": "年度清理", "held_on": "2026-05-30", f"note-{doc.pk}": "备注"}
    )
    text = response.content.decode()
    assert response.status_code == 400 and "待清理的" in text and 'value="备注"' in text
    response = client.post(
        url, {"title": "年度清理", "held_on": "2026-05-30", f"result-{doc.pk}": "continue"}
    )
    assert response.status_code == 302
    listing = client.get(reverse("publishing:normative_list") + "?agency=a").content.decode()
    assert "data-cleanups" in listing and "继续有效" in listing
