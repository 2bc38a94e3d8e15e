"""Fifty simultaneous submissions get fifty distinct, gap-free numbers (PostgreSQL row lock)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection, connections

from gongkai.foi import actions
from gongkai.foi.models import Application
from gongkai.foi.receipt import Channel
from tests.foi.conftest import PERSON


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_submissions_get_fifty_gap_free_numbers(cast, time_machine):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks across connections; runs in the PostgreSQL pass")
    time_machine.move_to("2026-03-02 10:00 +0800", tick=False)
    barrier = threading.Barrier(50)
    errors: list[BaseException] = []

    def submit(i: int) -> None:
        try:
            barrier.wait()
            actions.submit_application(
                cast.a,
                {**PERSON, "applicant_name": f"申请人{i}"},
                channel=Channel.ONLINE,
                submitted_on=date(2026, 3, 2),
            )
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    seqs = sorted(
        Application.objects.filter(agency=cast.a, year=2026).values_list("seq", flat=True)
    )
    assert seqs == list(range(1, 51))
    assert Application.objects.values("number").distinct().count() == 50
