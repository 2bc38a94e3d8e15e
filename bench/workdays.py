"""Working-day arithmetic speed.

Prints: working-day additions per second, and the time to recompute the due dates of
100,000 open cases after a calendar edit (target: under 1 second).

    .venv/bin/python bench/workdays.py
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from gongkai.workdays.calendar import WorkCalendar  # noqa: E402
from gongkai.workdays.deadlines import (  # noqa: E402
    EventKind,
    TimelineEvent,
    compute_deadline,
    recompute,
)
from gongkai.workdays.seed import library_years  # noqa: E402

CASES = 100_000
ADDITIONS = 200_000


def build_calendar() -> WorkCalendar:
    rows = [row for days in library_years().values() for row in days]
    return WorkCalendar(
        known_years=library_years(),
        days_off=[d for d, working, _ in rows if not working],
        make_up_days=[d for d, working, _ in rows if working],
    )


def open_cases(rng: random.Random) -> list[list[TimelineEvent]]:
    """Open cases received in 2026, a third of them with a consultation or an extension."""
    cases = []
    for _ in range(CASES):
        received = date(2026, 1, 5) + timedelta(days=rng.randrange(320))
        events = [TimelineEvent(EventKind.RECEIVED, received)]
        roll = rng.random()
        if roll < 0.2:
            sent = received + timedelta(days=rng.randrange(1, 10))
            events.append(TimelineEvent(EventKind.CONSULTATION_SENT, sent))
            events.append(
                TimelineEvent(
                    EventKind.CONSULTATION_ANSWERED, sent + timedelta(days=rng.randrange(3, 20))
                )
            )
        elif roll < 0.33:
            events.append(
                TimelineEvent(
                    EventKind.EXTENSION_APPROVED,
                    received + timedelta(days=15),
                    days=rng.randrange(5, 21),
                )
            )
        cases.append(events)
    return cases


def main() -> None:
    rng = random.Random(20261122)
    started = time.perf_counter()
    calendar = build_calendar()
    build = time.perf_counter() - started

    starts = [date(2004, 1, 1) + timedelta(days=rng.randrange(8400)) for _ in range(ADDITIONS)]
    started = time.perf_counter()
    for start in starts:
        calendar.provisional_add(start, 20)
    additions = ADDITIONS / (time.perf_counter() - started)

    cases = open_cases(rng)
    today = date(2026, 11, 22)
    runs = []
    for _ in range(3):  # best of three: this machine's timing noise is large
        started = time.perf_counter()
        # After a calendar edit: build the new calendar, then recompute every open case.
        calendar = build_calendar()
        deadlines = recompute(cases, calendar, today=today)
        runs.append(time.perf_counter() - started)
    if len(deadlines) != CASES or not all(d.due or d.paused for d in deadlines):
        raise SystemExit("recompute lost cases")

    started = time.perf_counter()
    for events in cases[:10_000]:
        # The explanation is rendered when read: read it, as a case page does.
        _ = compute_deadline(events, calendar, today=today).lines
    explained = (time.perf_counter() - started) / 10_000 * 1000

    print(f"calendar build (2004–2026 from chinesecalendar): {build * 1000:.0f} ms")
    print(f"working-day additions: {additions:,.0f} per second")
    print(
        f"recompute {CASES:,} open cases after a calendar edit: {min(runs):.2f} s best of 3, "
        f"{max(runs):.2f} s worst (target < 1 s)"
    )
    print(f"one case with its Chinese explanation: {explained:.3f} ms")


if __name__ == "__main__":
    main()
