"""Locked years: a record that would change an approved or published report is refused.

A record dated in year Y can change the reports of Y and of every later year it spans (a
request received in 2024 and still open is carried into 2025). So a change dated `on`
for an agency is refused while a report of `on.year` or later that counts that agency —
its own, or a rollup of an agency above it — is approved or published. The office head
then opens an amendment (gongkai.annual.actions.start_amendment), which ends in a new
revision.

The locks are rows of `YearLock`, kept by gongkai.annual.actions as reports change state,
so that foi and publishing, below annual, can check them without importing it.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from gongkai.lib.errors import ActionError
from gongkai.orgs.models import Agency, LockState, YearLock


def locking_report(agency: Agency, on: date) -> YearLock | None:
    """The earliest approved or published report that counts `agency`'s records of `on`."""
    return (
        YearLock.objects.filter(year__gte=on.year)
        .filter(Q(agency=agency) | Q(rollup=True, agency__in=agency.ancestors()))
        .select_related("agency")
        .order_by("year", "agency__depth")
        .first()
    )


def check_unlocked(agency: Agency, on: date) -> None:
    """Raise ActionError, saying which report and what to do, when the year is locked."""
    lock = locking_report(agency, on)
    if lock is None:
        return
    raise ActionError(
        _(
            "This change would alter %(agency)s's %(year)d annual report, which is %(status)s. "
            "The head of the disclosure office must first open an amendment of that report."
        )
        % {"agency": lock.agency.name, "year": lock.year, "status": lock.get_state_display()}
    )


def hold(agency: Agency, year: int, *, rollup: bool, state: LockState | None) -> None:
    """Set (a state) or release (None) the lock of one report; for gongkai.annual.actions."""
    if state is None:
        YearLock.objects.filter(agency=agency, year=year, rollup=rollup).delete()
    else:
        YearLock.objects.update_or_create(
            agency=agency, year=year, rollup=rollup, defaults={"state": state}
        )
