"""The hotline platform's export: bad rows by line, nothing from a file that does not fit."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

import pytest
from openpyxl import Workbook

from gongkai.lib.spreadsheets import StructureError
from gongkai.records.importer import import_messages, sample_header, sample_row
from gongkai.records.models import Message, MessageCategory, MessageChannel, MessageStatus


def workbook(
    rows: Sequence[Sequence[object]], title: str | None = "青山县12345热线工单导出"
) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_the_documented_layout_imports(cast):
    data = workbook(
        [
            sample_header(),
            sample_row(),
            ["2025030200001", "2025/03/02 14:05", "网站信箱", "投诉", "校门口交通拥堵", "", "办理中",
             "", ""],
        ]
    )  # fmt: skip
    result = import_messages(data, "工单.xlsx", agency=cast.a, actor=cast.officer_a)
    assert not result.rejected
    assert [i.line for i in result.imported] == [3, 4]
    first, second = Message.objects.order_by("number")
    assert first.channel == MessageChannel.HOTLINE and first.status == MessageStatus.CLOSED
    assert first.category == MessageCategory.CONSULTATION and first.answered_at is not None
    assert second.channel == MessageChannel.MAILBOX and second.status == MessageStatus.OPEN
    assert second.created_by == cast.officer_a


@pytest.mark.django_db
def test_bad_rows_are_reported_by_line_and_the_good_ones_imported(cast):
    data = workbook(
        [
            sample_header(),
            sample_row(),
            ["A2", "昨天下午", "12345热线", "咨询", "标题", "", "", "", ""],
            ["A3", "2025-03-05 10:00", "微博", "闲聊", "标题", "", "", "", ""],
            ["A4", "2025-03-05 10:00", "12345热线", "咨询", "标题", "", "已办结",
             "2025-03-04 10:00", ""],
            sample_row(),  # the same work order twice
            ["", "2025-03-05 10:00", "12345热线", "咨询", "", "", "", "", ""],
        ]
    )  # fmt: skip
    result = import_messages(data, "工单.xlsx", agency=cast.a, actor=cast.officer_a)
    assert [i.line for i in result.imported] == [3]
    rejected = {r.line: " ".join(r.messages) for r in result.rejected}
    assert set(rejected) == {4, 5, 6, 7, 8}
    assert "受理时间" in rejected[4] and "昨天下午" in rejected[4]
    assert "诉求渠道" in rejected[5] and "微博" in rejected[5] and "闲聊" in rejected[5]
    assert "办结时间" in rejected[6] and "早于" in rejected[6]
    assert "第 3 行" in rejected[7]
    assert "工单编号" in rejected[8] and "诉求标题" in rejected[8]
    assert Message.objects.count() == 1
    again = import_messages(data, "工单.xlsx", agency=cast.a, actor=cast.officer_a)
    assert not again.imported and "已登记" in " ".join(again.rejected[0].messages)


@pytest.mark.django_db
def test_a_file_whose_columns_do_not_fit_imports_nothing(cast):
    data = workbook([["编号", "时间", "内容"], ["1", "2025-03-01 09:00", "咨询"]], title=None)
    with pytest.raises(StructureError, match="工单编号"):
        import_messages(data, "工单.xlsx", agency=cast.a, actor=cast.officer_a)
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_a_dry_run_saves_nothing(cast):
    data = workbook([sample_header(), sample_row()])
    result = import_messages(data, "工单.xlsx", agency=cast.a, actor=cast.officer_a, dry_run=True)
    assert len(result.imported) == 1 and not Message.objects.exists()
