"""Disclosure requests on PostgreSQL: submissions per second, and the overdue list.

Creates a throwaway PostgreSQL database (DATABASE_URL's server, or postgres@127.0.0.1),
migrates it, measures, and drops it. Prints:
- submissions per second through gongkai.foi.actions.submit_application (numbering with
  a row lock, the received event, the due date, the audit entry);
- the time of the back office's overdue list (count + first page of 50, newest due first,
  scoped to a supervising office) over 100,000 cases (target < 200 ms).

    .venv/bin/python bench/foi.py
    .venv/bin/python bench/foi.py --cases 10000     # a quick try
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._db import throwaway_database  # noqa: E402

NAME = f"gongkai_bench_{os.getpid()}"
CASES = 100_000
SUBMISSIONS = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=CASES, help="cases in the overdue list")
    args = parser.parse_args()
    with throwaway_database(NAME):
        run(args.cases)


def run(cases: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from gongkai.foi import actions
    from gongkai.foi.access import visible_applications
    from gongkai.foi.models import Application, Status
    from gongkai.orgs.models import Agency, Kind, Level, Membership, Role, User

    call_command("migrate", verbosity=0)
    county = Agency.objects.create(
        code="county", name="县", level=Level.COUNTY, kind=Kind.GOVERNMENT, is_supervising=True
    )
    agencies = [
        Agency.objects.create(
            code=f"d{i}", name=f"部门{i}", parent=county, level=Level.COUNTY, kind=Kind.DEPARTMENT
        )
        for i in range(20)
    ]
    supervisor = User.objects.create_user("sup")
    Membership.objects.create(user=supervisor, agency=county, role=Role.SUPERVISOR)

    person = {
        "applicant_type": "natural_person",
        "applicant_name": "张三",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "phone": "13800000000",
        "description": "测试申请",
        "provision_form": "electronic",
        "delivery": "email",
    }
    today = date(2026, 11, 20)
    started = time.perf_counter()
    for i in range(SUBMISSIONS):
        actions.submit_application(agencies[i % 20], person, channel="online", submitted_on=today)
    rate = SUBMISSIONS / (time.perf_counter() - started)

    rng = random.Random(1)
    rows = []
    statuses = [Status.OPEN] * 3 + [Status.CLOSED] * 6 + [Status.CONSULTING]
    for i in range(cases):
        received = date(2025, 1, 2) + timedelta(days=rng.randrange(680))
        status = rng.choice(statuses)
        rows.append(
            Application(
                agency=agencies[i % 20],
                number=f"bulk-{i}",
                year=received.year,
                seq=100_000 + i,
                channel="online",
                submitted_on=received,
                received_on=received,
                applicant_type="natural_person",
                applicant_name="李四",
                phone="13800000000",
                description="批量测试",
                provision_form="electronic",
                delivery="email",
                query_code_hash="x",
                status=status,
                paused=status == Status.CONSULTING,
                due_on=received + timedelta(days=28),
                closed_on=received + timedelta(days=20) if status == Status.CLOSED else None,
            )
        )
    Application.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE foi_application")

    timings = []
    for _ in range(20):
        started = time.perf_counter()
        overdue = visible_applications(supervisor).overdue(today).order_by("due_on", "-id")
        total = overdue.count()
        first_page = list(overdue[:50])
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"submissions: {rate:.0f} per second ({SUBMISSIONS} through submit_application, PostgreSQL)"
    )
    print(
        f"overdue list over {Application.objects.count():,} cases ({total:,} overdue, first page {len(first_page)}): "
        f"median {statistics.median(timings):.1f} ms, max {max(timings):.1f} ms (target < 200 ms)"
    )


if __name__ == "__main__":
    main()
