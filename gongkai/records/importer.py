"""Import of hotline work orders and mailbox messages from the hotline platform's export.

The column layout is documented in docs/records.md (工单编号, 受理时间, 诉求渠道, 诉求类型,
诉求标题, 诉求内容, 办理状态, 办结时间, 答复内容). The file is read by
gongkai.lib.spreadsheets: a file whose columns do not fit imports nothing; otherwise the
valid rows are imported in one transaction and every bad row is listed by its line.
A work-order number already recorded for the agency (or twice in the file) is a bad row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.lib.spreadsheets import Columns, RejectedRow, Row, Source, read_table
from gongkai.orgs.models import Agency, User
from gongkai.records import actions
from gongkai.records.models import Message, MessageCategory, MessageChannel, MessageStatus

MAX_ROWS = 20_000

COLUMNS = Columns(
    aliases={
        "工单编号": "number",
        "工单号": "number",
        "受理时间": "received_at",
        "来电时间": "received_at",
        "诉求渠道": "channel",
        "来源渠道": "channel",
        "诉求类型": "category",
        "诉求分类": "category",
        "诉求标题": "subject",
        "标题": "subject",
        "诉求内容": "content",
        "办理状态": "status",
        "办结时间": "answered_at",
        "答复时间": "answered_at",
        "答复内容": "answer",
        "办理结果": "answer",
    },
    required={
        "number": "工单编号",
        "received_at": "受理时间",
        "category": "诉求类型",
        "subject": "诉求标题",
    },
)

CHANNELS = {
    "12345": MessageChannel.HOTLINE,
    "12345热线": MessageChannel.HOTLINE,
    "热线": MessageChannel.HOTLINE,
    "政务服务便民热线": MessageChannel.HOTLINE,
    "网站信箱": MessageChannel.MAILBOX,
    "信箱": MessageChannel.MAILBOX,
    "网站留言": MessageChannel.MAILBOX,
    "领导信箱": MessageChannel.LEADER_MAILBOX,
    "书记信箱": MessageChannel.LEADER_MAILBOX,
    "县长信箱": MessageChannel.LEADER_MAILBOX,
    "其他": MessageChannel.OTHER,
}
CATEGORIES = {
    "咨询": MessageCategory.CONSULTATION,
    "投诉": MessageCategory.COMPLAINT,
    "建议": MessageCategory.SUGGESTION,
    "求助": MessageCategory.REQUEST,
    "举报": MessageCategory.REPORT,
    "其他": MessageCategory.OTHER,
}
STATUSES = {
    "办理中": MessageStatus.OPEN,
    "待办理": MessageStatus.OPEN,
    "已答复": MessageStatus.ANSWERED,
    "已回复": MessageStatus.ANSWERED,
    "已办结": MessageStatus.CLOSED,
    "办结": MessageStatus.CLOSED,
}
_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")


@dataclass
class Imported:
    line: int
    obj: Message


@dataclass
class MessageImport:
    imported: list[Imported] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False


def _moment(row: Row, key: str) -> datetime | None:
    value = row.raw(key)
    if value is None:
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time(0))
    else:
        text = re.sub(r"\s+", " ", str(value).strip())
        parsed = None
        for fmt in _FORMATS:
            try:
                parsed = datetime.strptime(text, fmt)  # noqa: DTZ007 - local time, made aware below
                break
            except ValueError:
                continue
        if parsed is None:
            row.add(key, _("“%(value)s” is not a time such as 2025-03-01 09:30.") % {"value": text})
            return None
        moment = parsed
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _choice(row: Row, key: str, names: Mapping[str, str], default: str | None = None) -> str | None:
    text = row.text(key)
    if not text:
        if default is None:
            row.add(key, _("This cell is empty."))
        return default
    if text in names:
        return names[text]
    row.add(
        key,
        _("“%(value)s” is not one of %(choices)s.") % {"value": text, "choices": "、".join(names)},
    )
    return None


def _message(row: Row, agency: Agency) -> Message | None:
    number = row.text("number")
    if not number:
        row.add("number", _("This cell is empty."))
    subject = row.text("subject")
    if not subject:
        row.add("subject", _("This cell is empty."))
    received_at = _moment(row, "received_at")
    if received_at is None and not any(p.field == "received_at" for p in row.problems):
        row.add("received_at", _("This cell is empty."))
    answered_at = _moment(row, "answered_at")
    channel = _choice(row, "channel", CHANNELS, MessageChannel.HOTLINE)
    category = _choice(row, "category", CATEGORIES)
    answered = MessageStatus.CLOSED if answered_at else MessageStatus.OPEN
    status = _choice(row, "status", STATUSES, answered)
    if row.problems or received_at is None or None in (channel, category, status):
        return None
    assert channel and category and status  # noqa: S101 - narrowed above
    message = Message(
        agency=agency,
        number=number[:50],
        subject=subject[:300],
        content=row.text("content"),
        answer=row.text("answer"),
        received_at=received_at,
        answered_at=answered_at,
        channel=channel,
        category=category,
        status=status,
    )
    for key, problem in actions.problems(message).items():
        row.add(key, problem)
    return None if row.problems else message


def import_messages(
    source: Source,
    name: str | None = None,
    *,
    agency: Agency,
    actor: User | None,
    dry_run: bool = False,
) -> MessageImport:
    """Raises StructureError (nothing imported) for a file whose columns do not fit."""
    table = read_table(
        source,
        name,
        columns=COLUMNS,
        no_rows=_("The file has a header row but no messages."),
        max_rows=MAX_ROWS,
    )
    result = MessageImport(ignored_columns=table.ignored, dry_run=dry_run)
    known = set(Message.objects.filter(agency=agency).values_list("number", flat=True))
    seen: dict[str, int] = {}
    good: list[tuple[int, Message]] = []
    for row in table.rows:
        message = _message(row, agency)
        if message is not None:
            if message.number in known:
                row.add("number", _("This work order is already recorded."))
            elif message.number in seen:
                row.add(
                    "number",
                    _("The same work order is on line %(line)d.") % {"line": seen[message.number]},
                )
        if row.problems or message is None:
            result.rejected.append(row.rejected(label=row.text("number")))
            continue
        seen[message.number] = row.line
        good.append((row.line, message))
    if not dry_run and good:
        actions.create_many([m for _line, m in good], actor=actor, step="messages_imported")
    result.imported = [Imported(line, m) for line, m in good]
    return result


def sample_header() -> list[str]:
    """The header of the documented layout, for the page's template download."""
    return ["工单编号", "受理时间", "诉求渠道", "诉求类型", "诉求标题", "诉求内容", "办理状态",
            "办结时间", "答复内容"]  # fmt: skip


def sample_row() -> list[Any]:
    return ["2025030100012", "2025-03-01 09:30", "12345热线", "咨询", "义务教育入学政策",
            "咨询学区划分", "已办结", "2025-03-03 16:00", "已电话答复"]  # fmt: skip
