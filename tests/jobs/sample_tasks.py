"""Tasks for the tests of gongkai.jobs: module-level, as the worker imports them by path."""

from __future__ import annotations

import time

from django.utils import timezone

from gongkai.jobs.models import ScheduledRun
from gongkai.jobs.queue import PermanentError, job

CALLS: list[str] = []


def _mark(name: str) -> None:
    now = timezone.now()
    ScheduledRun.objects.get_or_create(
        name=name, defaults={"last_slot": now, "last_enqueued_at": now}
    )


@job("flaky")
def flaky(name: str, failures: int) -> int:
    """Fails the first `failures` calls for `name`, then succeeds."""
    CALLS.append(name)
    if CALLS.count(name) <= failures:
        raise RuntimeError(f"attempt {CALLS.count(name)} of {name} failed")
    _mark(name)
    return CALLS.count(name)


@job("always fails", concerns="orgs.Agency")
def broken(agency_pk: int) -> None:
    raise RuntimeError("mail server unreachable")


@job("permanently fails", concerns="orgs.Agency")
def hopeless(agency_pk: int) -> None:
    CALLS.append("hopeless")
    raise PermanentError("这个文件无法读取")


@job("marks")
def mark(name: str) -> str:
    """Writes a row the test (another process) can see."""
    _mark(name)
    return name


@job("slow the first time")
def slow_once(name: str, seconds: float) -> str:
    """The first run marks that it started, then sleeps (the test kills its worker); a later
    run finishes at once."""
    if not ScheduledRun.objects.filter(name=f"{name}-started").exists():
        _mark(f"{name}-started")
        time.sleep(seconds)
    _mark(f"{name}-done")
    return name
