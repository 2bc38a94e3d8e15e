"""The timeline's per-kind detail templates and the step titles defined once on EventKind."""

from __future__ import annotations

from pathlib import Path

from django.template import Context, Template
from django.utils import translation

from gongkai.foi.models import Application, Event, EventKind
from gongkai.foi.views import STEP_EVENTS, STEP_TITLES, STEPS, form_title

EVENTS = Path(__file__).resolve().parents[2] / "gongkai/templates/foi/events"


def _details(kind: EventKind, data: dict[str, object], outcome: str = "") -> str:
    event = Event(kind=kind, data=data, application=Application(outcome=outcome))
    with translation.override("zh-hans"):
        # As the timeline of templates/foi/application_detail.html includes it
        return (
            Template("{% include event.detail_templates %}")
            .render(Context({"event": event}))
            .strip()
        )


def test_every_detail_template_names_an_event_kind():
    names = {p.stem for p in EVENTS.glob("*.html") if not p.stem.startswith("_")}
    assert names <= set(EventKind.values)
    assert {"transferred", "replied", "correction_requested"} <= names


def test_each_kind_renders_its_own_details():
    assert _details(
        EventKind.TRANSFERRED, {"from_name": "甲局", "to_name": "乙局", "reason": "职责"}
    ) == ("甲局 → 乙局：职责")
    assert (
        _details(EventKind.EXTENSION_APPROVED, {"days": 20, "reason": "复杂"}) == "20个工作日：复杂"
    )
    assert _details(EventKind.FEE_PAID, {"amount": "100"}) == "100元"
    assert _details(EventKind.CLOSED_UNANSWERED, {}, outcome="other_overdue_fee") == (
        "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    )


def test_a_kind_without_details_renders_nothing():
    assert _details(EventKind.RECEIVED, {"anything": "x"}) == ""
    assert _details(EventKind.WITHDRAWN, {}) == ""


def test_every_step_has_one_title_from_its_event_kind():
    # Every step records its event, but the officer's extension request (no event yet).
    assert set(STEP_EVENTS) | set(STEP_TITLES) == set(STEPS)
    assert not set(STEP_EVENTS) & set(STEP_TITLES)
    assert len(set(STEP_EVENTS.values())) == len(STEP_EVENTS)
    with translation.override("zh-hans"):
        assert str(form_title("correction")) == "告知补正"
        assert str(EventKind.CORRECTION_REQUESTED.step_title) == "告知补正"
        assert str(form_title("transfer")) == "转交其他部门"
        # A kind without a step form keeps its label.
        assert EventKind.RECEIVED.step_title == EventKind.RECEIVED.label
