"""import_applications and show_application."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from gongkai.foi.models import Application, Status

CASES: list[dict[str, Any]] = [
    {
        "agency": "a",
        "channel": "post_signed",
        "applicant": {"type": "commercial_enterprise", "name": "测试县某某有限公司"},
        "request": "某项目环评批复",
        "events": [
            {"type": "received", "date": "2026-03-02"},
            {
                "type": "consultation_sent",
                "date": "2026-03-20",
                "party": "third_party",
                "recipient": "某公司",
            },
            {"type": "consultation_closed", "date": "2026-04-10"},
            {"type": "replied", "date": "2026-04-15", "outcome": "granted"},
        ],
    },
    {
        "agency": "a",
        "number": "a-2025-00777",
        "channel": "online",
        "applicant": {"type": "natural_person", "name": "李四"},
        "request": "2025年预算",
        "events": [
            {"type": "received", "date": "2025-12-15"},
            {"type": "extension_approved", "date": "2026-01-05", "days": 15},
        ],
    },
]


def write(tmp_path, lines):
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_valid_lines_are_imported_and_bad_lines_reported(cast, tmp_path, time_machine):
    time_machine.move_to("2026-05-06 10:00 +0800", tick=False)
    bad = [
        "{not json",
        json.dumps({**CASES[0], "agency": "nowhere"}),
        json.dumps(
            {
                **CASES[0],
                "events": [
                    *CASES[0]["events"][:3],
                    {"type": "replied", "date": "2026-04-15", "outcome": "maybe"},
                ],
            }
        ),
        json.dumps(
            {
                **CASES[1],
                "number": "a-2025-00778",
                "events": [
                    CASES[1]["events"][0],
                    {"type": "extension_approved", "date": "2026-01-05", "days": 25},
                ],
            }
        ),
    ]
    path = write(tmp_path, [json.dumps(CASES[0]), *bad, json.dumps(CASES[1])])
    err = StringIO()
    with pytest.raises(CommandError, match="4 行未导入"):
        call_command("import_applications", str(path), stdout=StringIO(), stderr=err)
    messages = err.getvalue()
    assert "第 2 行：不是有效的 JSON" in messages
    assert "第 3 行：无法识别机关代码“nowhere”" in messages
    assert "第 4 行：请选择答复的办理结果" in messages
    assert "第 5 行：延长的期限最长不得超过20个工作日" in messages
    # Nothing half-imported: the rejected lines left no application behind.
    assert Application.objects.count() == 2
    first = Application.objects.get(number="a-2026-00001")
    assert (first.status, first.outcome, first.received_on.isoformat()) == (
        Status.CLOSED,
        "granted",
        "2026-03-02",
    )
    assert Application.objects.get(number="a-2025-00777").status == Status.OPEN


def test_show_application_prints_the_computed_deadline_as_json(cast, tmp_path, time_machine):
    time_machine.move_to("2026-01-06 10:00 +0800", tick=False)
    call_command(
        "import_applications", str(write(tmp_path, [json.dumps(CASES[1])])), stdout=StringIO()
    )
    out = StringIO()
    call_command("show_application", "a-2025-00777", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["number"] == "a-2025-00777" and data["status"] == "open" and data["outcome"] is None
    # 35 working days after 2025-12-15: 01-01..01-03 are off, Sunday 01-04 is worked.
    assert data["due_date"] == "2026-02-03" and data["provisional"] is False
    assert data["explanation"][0].startswith("2025-12-15 收到申请（第三十一条）")
    assert any("延长答复期限15个工作日" in line for line in data["explanation"])
    with pytest.raises(CommandError, match="没有编号为"):
        call_command("show_application", "nope", stdout=StringIO())
