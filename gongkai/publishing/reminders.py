"""Monthly schedule reminders of the catalog (e.g. submit by the 15th, publish on the 20th).

A schedule belongs to an agency and covers its subtree: a county office's schedule
reminds the staff of every department and township below it. Each person hears only
about the items of the agencies where they work. A reminder is due once per schedule,
month, kind and recipient, on any run from `remind_days_before` days before the day until
the day itself (across a month's end too), so a missed run is caught up; office/reminders.py
sends it and tries a failed send again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from gongkai.lib.reminders import DueReminder, ReminderKind
from gongkai.orgs.models import Membership, Role, in_subtree
from gongkai.publishing.models import (
    InfoItem,
    ItemStatus,
    NormativeDocument,
    PublicationSchedule,
)

SUBMIT, PUBLISH = ReminderKind.SCHEDULE_SUBMIT, ReminderKind.SCHEDULE_PUBLISH
ROLES = {SUBMIT: (Role.OFFICER, Role.OFFICE_HEAD), PUBLISH: (Role.OFFICE_HEAD, Role.OFFICER)}


def next_day(today: date, day: int, before: int) -> date | None:
    """The schedule day this month or next whose reminder window contains today."""
    this_month = today.replace(day=day)
    following = (today.replace(day=1) + timedelta(days=32)).replace(day=day)
    for target in (this_month, following):
        if target - timedelta(days=before) <= today <= target:
            return target
    return None


def due(today: date) -> Iterator[DueReminder]:
    """The schedule reminders whose window contains today, one per recipient, and the
    reminders of normative documents whose 有效期 ends soon."""
    yield from _expiring(today)
    for schedule in PublicationSchedule.objects.select_related("agency"):
        for kind, day in ((SUBMIT, schedule.submit_day), (PUBLISH, schedule.publish_day)):
            target = next_day(today, day, schedule.remind_days_before)
            if target is not None:
                yield from _reminders(schedule, kind, target, today)


def _waiting(kind: str, agency_ids: set[int]) -> list[InfoItem]:
    items = InfoItem.objects.filter(agency_id__in=agency_ids)
    if kind == SUBMIT:
        items = items.awaiting_publication().filter(
            status__in=[ItemStatus.DRAFT, ItemStatus.RETURNED]
        )
    else:
        items = items.filter(status__in=[ItemStatus.IN_REVIEW, ItemStatus.APPROVED])
    return list(items.order_by("publish_due_on", "id")[:50])


def _reminders(
    schedule: PublicationSchedule, kind: ReminderKind, target: date, today: date
) -> Iterator[DueReminder]:
    agency = schedule.agency
    # Who works where below the scheduling agency: each hears about their own agencies.
    workplaces: dict[str, set[int]] = defaultdict(set)
    memberships = Membership.objects.filter(
        in_subtree(agency, "agency"),
        role__in=ROLES[kind],
        user__is_active=True,
    ).exclude(user__email="")
    for email, agency_id in memberships.values_list("user__email", "agency_id"):
        workplaces[email].add(agency_id)
    subject = (
        _("Submit catalog items by %(date)s")
        if kind == SUBMIT
        else _("Catalog publication day: %(date)s")
    ) % {"date": target.isoformat()}
    for email, agency_ids in sorted(workplaces.items()):
        waiting = _waiting(kind, agency_ids)
        overdue = InfoItem.objects.filter(agency_id__in=agency_ids).publication_overdue(today)
        body = "\n".join(
            [
                _("%(agency)s: monthly publication schedule.") % {"agency": agency.name},
                _("Items waiting: %(count)d; overdue for publication: %(overdue)d.")
                % {"count": len(waiting), "overdue": overdue.count()},
                *(f"{i.index_no} {i.title}" for i in waiting),
            ]
        )
        yield DueReminder(
            kind=kind,
            agency_id=agency.pk,
            key=target.replace(day=1).isoformat()[:7],  # the month: "2026-04"
            recipients=(email,),
            subject=subject,
            body=body,
        )


def _expiring(today: date) -> Iterator[DueReminder]:
    """A 行政规范性文件 whose period of validity (有效期) ends within
    NORMATIVE_EXPIRY_REMIND_DAYS and that is neither repealed nor expired: its agency's
    disclosure staff are reminded once (per document and end date) to decide whether it
    continues, is amended or lapses."""
    horizon = today + timedelta(days=settings.NORMATIVE_EXPIRY_REMIND_DAYS)
    documents = (
        NormativeDocument.objects.filter(
            valid_until__gte=today,
            valid_until__lte=horizon,
            repealed_on__isnull=True,
            expired_on__isnull=True,
        )
        .select_related("agency")
        .order_by("valid_until", "id")
    )
    for doc in documents:
        recipients = tuple(
            sorted(
                set(
                    Membership.objects.filter(
                        agency=doc.agency,
                        role__in=(Role.OFFICER, Role.OFFICE_HEAD),
                        user__is_active=True,
                    )
                    .exclude(user__email="")
                    .values_list("user__email", flat=True)
                )
            )
        )
        if not recipients or doc.valid_until is None:
            continue
        yield DueReminder(
            kind=ReminderKind.NORMATIVE_EXPIRY,
            agency_id=doc.agency_id,
            key=f"{doc.pk}:{doc.valid_until.isoformat()}",
            recipients=recipients,
            subject=_("The period of validity of %(title)s ends on %(date)s")
            % {"title": doc.title, "date": doc.valid_until.isoformat()},
            body="\n".join(
                [
                    f"{doc.agency.name} {doc.doc_no} 《{doc.title}》",
                    _(
                        "Its period of validity ends on %(date)s. Decide in time whether it "
                        "continues in force, is amended, or lapses, and record the result in "
                        "the register."
                    )
                    % {"date": doc.valid_until.isoformat()},
                ]
            ),
        )
