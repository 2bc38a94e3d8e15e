"""Locked years: a record that would change an approved or published report is refused.

A record dated in year Y can change the reports of Y and of every later year it spans (a
request received in 2024 and still open is carried into 2025). So a change dated `on`
for an agency is refused while a report of `on.year` or later that counts that agency —
its own, or a rollup of an agency above it — is approved or published. The office head
then opens an amendment (actions.start_amendment), which ends in a new revision.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from gongkai.annual.models import LOCKING_STATUSES, AnnualReport
from gongkai.lib.errors import ActionError
from gongkai.orgs.models import Agency


def locking_report(agency: Agency, on: date) -> AnnualReport | None:
    """The earliest approved or published report that counts `agency`'s records of `on`."""
    return (
        AnnualReport.objects.filter(status__in=LOCKING_STATUSES, year__gte=on.year)
        .filter(Q(agency=agency) | Q(rollup=True, agency__in=agency.ancestors()))
        .select_related("agency")
        .order_by("year", "agency__depth")
        .first()
    )


def check_unlocked(agency: Agency, on: date) -> None:
    """Raise ActionError, saying which report and what to do, when the year is locked."""
    report = locking_report(agency, on)
    if report is None:
        return
    raise ActionError(
        _(
            "This change would alter %(agency)s's %(year)d annual report, which is %(status)s. "
            "The head of the disclosure office must first open an amendment of that report."
        )
        % {"agency": report.agency.name, "year": report.year, "status": report.get_status_display()}
    )
