"""Hand-made records for the measures' tests."""

from __future__ import annotations

from datetime import date, datetime
from itertools import count

import pytest
from django.utils import timezone

from gongkai.foi.models import Application, Event, EventKind
from gongkai.publishing.models import Category, InfoItem, ItemStatus

_seq = count(1)
TZ = timezone.get_default_timezone()


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def category(agency, name="测试栏目") -> Category:
    return Category.objects.create(agency=agency, code=f"c{next(_seq)}", name=name)


def item(agency, *, published: date | None = None, late=False, status=None, cat=None, **fields):
    n = next(_seq)
    fields.setdefault("summary", "概述")
    fields.setdefault("topic", "综合政务")
    return InfoItem.objects.create(
        agency=agency,
        index_no=f"IDX-{n}",
        title=f"信息{n}",
        formed_on=fields.pop("formed_on", published or date(2025, 1, 2)),
        category=cat or category(agency),
        status=status or (ItemStatus.PUBLISHED if published else ItemStatus.DRAFT),
        published_at=at(published) if published else None,
        published_late=late,
        **fields,
    )


def application(agency, received: date, **fields) -> Application:
    n = next(_seq)
    app = Application.objects.create(
        agency=agency,
        number=f"E-{n}",
        year=received.year,
        seq=n,
        channel="online",
        submitted_on=received,
        received_on=received,
        applicant_type="natural_person",
        applicant_name="测试",
        description="测试",
        provision_form="electronic",
        delivery="email",
        **fields,
    )
    Event.objects.create(application=app, kind=EventKind.RECEIVED, on=received)
    return app


@pytest.fixture
def year_2025(time_machine):
    time_machine.move_to(datetime(2026, 2, 10, 9, tzinfo=TZ))


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def submitted_evaluation(cast, year=2025):
    """Agency A's evaluation of `year`, completed, approved and submitted (2 late items
    of 3: proactive timeliness is weak)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.evaluation import actions

    for n in range(2):
        item(cast.a, published=date(year, 3, 1 + n), late=True)
    item(cast.a, published=date(year, 4, 1))
    evaluation = actions.open_evaluation(cast.a, year, actor=cast.officer_a)
    for key in ("leading_group", "rules", "bulletin"):
        indicator = evaluation.system.indicators.get(key=key)
        upload = SimpleUploadedFile(f"{key}.pdf", PDF, content_type="application/pdf")
        actions.add_evidence(evaluation, indicator, actor=cast.officer_a, upload=upload,
                             note="文件")  # fmt: skip
        actions.save_result(evaluation, indicator, actor=cast.officer_a, manual_score="2",
                            note="已落实。")  # fmt: skip
    text = evaluation.text.replace("（请填写：", "（").replace("（", "").replace("）", "")
    actions.save_report(evaluation, actor=cast.officer_a,
                        data={"recipient": evaluation.recipient, "title": evaluation.title,
                              "text": text})  # fmt: skip
    actions.approve(evaluation, actor=cast.head_a)
    return actions.submit(evaluation, actor=cast.officer_a)
