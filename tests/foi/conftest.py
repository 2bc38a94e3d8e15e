from __future__ import annotations

from datetime import date

import pytest

from gongkai.foi import actions
from gongkai.foi.receipt import Channel

PERSON = {
    "applicant_type": "natural_person",
    "applicant_name": "张三",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13800000000",
    "email": "zhangsan@example.com",
    "address": "测试县人民路 8 号",
    "description": "2025年度测试县甲局部门预算公开文件",
    "provision_form": "electronic",
    "delivery": "email",
}


@pytest.fixture
def submit(cast, time_machine):
    """Submit an application to agency A on a given date (the clock is moved there)."""

    def _submit(on: date = date(2026, 3, 2), applicant=None, **kwargs):
        time_machine.move_to(f"{on.isoformat()} 10:00 +0800", tick=False)
        kwargs.setdefault("channel", Channel.ONLINE)
        return actions.submit_application(cast.a, applicant or PERSON, submitted_on=on, **kwargs)

    return _submit
