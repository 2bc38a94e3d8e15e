"""The one writer of rectification tasks (整改).

A supervisor above an agency issues a task (`issue`: the finding, a date deadline, often
an indicator of the agency's self-evaluation); the agency's disclosure staff answer it
(`answer`: what they did, and evidence files checked as the evaluation's evidence is);
the supervisor accepts the answer (`accept`) or returns it with a reason and perhaps a new
deadline (`return_answer`), and the agency answers again. A task not answered by its
deadline is overdue (`Rectification.objects.overdue(today)`, derived, never stored). Every
step appends an audit entry (evaluation.rectification) and a line of the task's history.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import record as audit
from gongkai.audit.models import Action
from gongkai.evaluation.actions import STAFF, check_evidence, supervises
from gongkai.evaluation.models import (
    Indicator,
    Rectification,
    RectificationFile,
    RectificationQuerySet,
    RectificationStatus,
    SelfEvaluation,
)
from gongkai.lib.errors import ActionError
from gongkai.lib.uploads import display_name, storage_name
from gongkai.orgs.access import agencies_with_role, has_role, visible_agencies
from gongkai.orgs.models import Agency, Role, User

# Files one answer may carry.
MAX_FILES = 10


def can_issue(user: User, agency: Agency) -> bool:
    """A supervisor above the agency (never the agency's own staff)."""
    return supervises(user, agency)


def can_answer(user: User, rectification: Rectification) -> bool:
    return has_role(user, rectification.agency, *STAFF)


def visible_rectifications(user: User) -> RectificationQuerySet:
    """Tasks of the agencies the user sees (their own, and a supervisor's subtree)."""
    return Rectification.objects.filter(agency__in=visible_agencies(user))


def addressed_to(user: User) -> RectificationQuerySet:
    """Tasks the user's agencies are to answer."""
    return Rectification.objects.filter(agency__in=agencies_with_role(user, STAFF))


def issuable_agencies(user: User) -> QuerySet[Agency]:
    """The agencies strictly below those where the user is a supervisor."""
    tops = agencies_with_role(user, [Role.SUPERVISOR])
    return Agency.objects.active().filter(parent__in=tops).order_by("path")


def issued_below(user: User) -> RectificationQuerySet:
    """Tasks of the agencies below the user as a supervisor."""
    return Rectification.objects.filter(agency__in=issuable_agencies(user))


def _log(task: Rectification, step: str, actor: User | None, **detail: Any) -> None:
    audit(
        Action.RECTIFICATION_STEP,
        actor=actor,
        obj=task,
        agency=task.agency,
        detail={"step": step, **detail},
    )


def _lock(task: Rectification) -> Rectification:
    return Rectification.objects.select_for_update().select_related("agency").get(pk=task.pk)


def deadline_problem(deadline: date | None, today: date) -> str | None:
    if deadline is None:
        return _("Enter the deadline, such as 2026-03-31.")
    if deadline < today:
        return _("The deadline %(date)s is in the past.") % {"date": deadline.isoformat()}
    return None


@transaction.atomic
def issue(
    agency: Agency | None,
    *,
    actor: User,
    finding: str,
    deadline: date | None,
    evaluation: SelfEvaluation | None = None,
    indicator: Indicator | None = None,
    year: int | None = None,
    on: date | None = None,
) -> Rectification:
    """Issue a task to `agency`. `on` dates the issue back (the demo); views never pass it."""
    errors: dict[str, str] = {}
    today = on or timezone.localdate()
    if agency is None:
        errors["agency"] = _("Choose the agency to rectify.")
    elif not can_issue(actor, agency):
        errors["agency"] = _(
            "Only the supervising office above %(agency)s may issue it a task."
        ) % {"agency": agency.name}
    if not finding.strip():
        errors["finding"] = _("Describe the problem to rectify.")
    problem = deadline_problem(deadline, today)
    if problem:
        errors["deadline"] = problem
    if evaluation is not None and agency is not None and evaluation.agency_id != agency.pk:
        errors["agency"] = _("The self-evaluation is of another agency.")
    if (
        indicator is not None
        and evaluation is not None
        and indicator.system_id != evaluation.system_id
    ):
        errors["indicator"] = _("This indicator is not part of the evaluation's system.")
    if errors or agency is None or deadline is None:
        raise ActionError(errors)
    at = timezone.now()
    if on is not None:
        at = timezone.make_aware(datetime.combine(on, time(10)))
    task = Rectification(
        agency=agency,
        evaluation=evaluation,
        indicator=indicator,
        year=year or (evaluation.year if evaluation else None),
        finding=finding.replace("\r\n", "\n").strip(),
        deadline=deadline,
        issued_by=actor,
        issued_at=at,
    )
    task.step("issued", actor, at, task.finding)
    task.save()
    _log(task, "issued", actor, deadline=deadline.isoformat(),
         indicator=indicator.key if indicator else "")  # fmt: skip
    return task


@transaction.atomic
def answer(
    task: Rectification,
    *,
    actor: User,
    text: str,
    uploads: list[UploadedFile] | None = None,
) -> Rectification:
    """The agency says what it did; files are checked all before any is stored."""
    task = _lock(task)
    if not can_answer(actor, task):
        raise ActionError(_("Only the agency's disclosure staff may answer the task."))
    if not task.awaiting_answer:
        raise ActionError(
            _("The task is %(status)s and takes no answer now.")
            % {"status": task.get_status_display()}
        )
    errors: dict[str, str] = {}
    if not text.strip():
        errors["answer"] = _("Say what was done to rectify the problem.")
    files = [u for u in uploads or [] if u is not None]
    if len(files) > MAX_FILES:
        errors["files"] = _("Attach at most %(n)d files at a time.") % {"n": MAX_FILES}
    kinds = []
    for upload in files:
        try:
            kinds.append(check_evidence(upload))
        except ActionError as error:
            errors["files"] = error.message_dict["file"][0]
            break
    if errors:
        raise ActionError(errors)
    for upload, mime in zip(files, kinds, strict=True):
        stored = RectificationFile(
            rectification=task,
            original_name=display_name(upload.name or "", _("evidence")),
            content_type=mime,
            size=upload.size or 0,
            uploaded_by=actor,
        )
        stored.file.save(storage_name(upload.name or "", mime), upload, save=False)
        stored.save()
    now = timezone.now()
    task.answer = text.replace("\r\n", "\n").strip()
    task.answered_by, task.answered_at = actor, now
    task.status = RectificationStatus.ANSWERED
    task.step("answered", actor, now, task.answer)
    task.save()
    _log(task, "answered", actor, files=[f.name for f in files],
         late=task.answered_late)  # fmt: skip
    return task


def _decide(task: Rectification, actor: User) -> Rectification:
    task = _lock(task)
    if not can_issue(actor, task.agency):
        raise ActionError(_("Only the supervising office may accept or return the answer."))
    if task.status != RectificationStatus.ANSWERED:
        raise ActionError(_("Only an answered task can be accepted or returned."))
    return task


@transaction.atomic
def accept(task: Rectification, *, actor: User, note: str = "") -> Rectification:
    task = _decide(task, actor)
    now = timezone.now()
    task.status = RectificationStatus.ACCEPTED
    task.decided_by, task.decided_at = actor, now
    task.decision_note = note.strip()
    task.step("accepted", actor, now, task.decision_note)
    task.save()
    _log(task, "accepted", actor)
    return task


@transaction.atomic
def return_answer(
    task: Rectification, *, actor: User, reason: str, deadline: date | None = None
) -> Rectification:
    """Back to the agency with the reason; a new deadline replaces the old one if given."""
    task = _decide(task, actor)
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("Say why the answer is returned.")
    if deadline is not None:
        problem = deadline_problem(deadline, timezone.localdate())
        if problem:
            errors["new_deadline"] = problem
    if errors:
        raise ActionError(errors)
    now = timezone.now()
    task.status = RectificationStatus.RETURNED
    task.decided_by, task.decided_at = actor, now
    task.decision_note = reason.strip()
    if deadline is not None:
        task.deadline = deadline
    task.step("returned", actor, now, task.decision_note)
    task.save()
    _log(task, "returned", actor, deadline=task.deadline.isoformat())
    return task


def for_indicators(evaluation: SelfEvaluation) -> dict[int, list[Rectification]]:
    """The evaluation's tasks by indicator id (0: not tied to an indicator)."""
    found: dict[int, list[Rectification]] = {}
    for task in Rectification.objects.filter(
        Q(evaluation=evaluation) | Q(agency=evaluation.agency, year=evaluation.year)
    ).order_by("issued_at", "id"):
        found.setdefault(task.indicator_id or 0, []).append(task)
    return found
