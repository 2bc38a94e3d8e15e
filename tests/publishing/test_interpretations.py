"""Policy interpretations: only of published documents, 同步 within N working days, the
optional 解读要素 checklist, and the lists of missing and late interpretations."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.lib.errors import ActionError
from gongkai.publishing import actions
from gongkai.publishing.models import (
    Category,
    InfoItem,
    InterpretationElement,
    InterpretationForm,
    ItemStatus,
)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


def document(cast, **fields):
    category = Category.objects.get(agency=None, code="20-01")
    fields.setdefault("title", "关于规范校外培训的通知")
    return actions.create_item(
        cast.a,
        actor=cast.officer_a,
        category=category,
        formed_on=date(2026, 3, 2),
        needs_interpretation=True,
        **fields,
    )


def publish(item, cast):
    InfoItem.objects.filter(pk=item.pk).update(status=ItemStatus.APPROVED)
    actions.publish_item(item, actor=cast.officer_a)
    item.refresh_from_db()
    return item


def interpret(item, cast, day, **extra):
    return actions.add_interpretation(
        item,
        actor=cast.officer_a,
        form=InterpretationForm.TEXT,
        title="政策解读",
        published_on=day,
        address="https://gov.example.cn/jd/1",
        **extra,
    )


def test_only_a_published_document_can_be_interpreted(cast, time_machine):
    time_machine.move_to(at(date(2026, 3, 2)))
    draft = document(cast)
    with pytest.raises(ActionError, match="只有已发布的文件才能解读"):
        interpret(draft, cast, date(2026, 3, 2))
    publish(draft, cast)
    with pytest.raises(ActionError, match="不能早于其解读的文件"):
        interpret(draft, cast, date(2023, 3, 2))  # years before the document
    interpret(draft, cast, date(2026, 3, 2))


def test_an_interpretation_more_than_three_working_days_late_is_marked(
    client, cast, time_machine, settings
):
    # Published on Monday 2 March 2026; Thursday is 3 working days later, Friday 4.
    time_machine.move_to(at(date(2026, 3, 2)))
    on_time, late = publish(document(cast), cast), publish(document(cast, title="迟到"), cast)
    time_machine.move_to(at(date(2026, 3, 6)))
    assert not interpret(on_time, cast, date(2026, 3, 5)).late
    entry = interpret(late, cast, date(2026, 3, 6))
    assert entry.late and entry.late_working_days == 4
    assert list(InfoItem.objects.interpretation_late()) == [late]
    settings.INTERPRETATION_SYNC_WORKING_DAYS = 5
    assert not interpret(late, cast, date(2026, 3, 6)).late
    client.force_login(cast.officer_a)
    listing = client.get(reverse("publishing:list") + "?view=interpretation_late").content.decode()
    assert "迟到" in listing
    page = client.get(reverse("publishing:detail", args=[late.pk])).content.decode()
    assert "data-late-interpretation" in page and "4 个工作日" in page


def test_documents_in_force_without_interpretation_are_listed(cast, time_machine):
    time_machine.move_to(at(date(2026, 3, 2)))
    missing, repealed = publish(document(cast), cast), publish(document(cast, title="已废止"), cast)
    actions.apply_register_change(
        repealed, actor=None, reason="废止", validity="repealed", ended_on=date(2026, 3, 2)
    )
    assert list(InfoItem.objects.interpretation_missing()) == [missing]


def test_the_checklist_of_elements_is_optional_and_shown_on_the_form(client, cast, time_machine):
    time_machine.move_to(at(date(2026, 3, 2)))
    item = publish(document(cast), cast)
    client.force_login(cast.officer_a)
    page = client.get(reverse("publishing:detail", args=[item.pk])).content.decode()
    assert "解读要素" not in page  # empty by default: no field
    background = InterpretationElement.objects.create(name="背景依据", sort_order=1)
    InterpretationElement.objects.create(name="新旧政策差异", sort_order=2)
    page = client.get(reverse("publishing:detail", args=[item.pk])).content.decode()
    assert "解读要素" in page and "新旧政策差异" in page
    client.post(
        reverse("publishing:step", args=[item.pk, "interpretation"]),
        {
            "form": "text",
            "title": "解读",
            "published_on": "2026-03-02",
            "address": "https://gov.example.cn/jd/2",
            "elements": [background.pk],
        },
    )
    assert list(item.interpretations.get().elements.values_list("name", flat=True)) == ["背景依据"]
