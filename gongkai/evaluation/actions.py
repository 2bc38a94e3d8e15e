"""The one writer of self-evaluations and indicator systems.

Workflow: an agency's staff open the year's evaluation (draft, its report drafted from
the records), enter the manual scores and notes of the evidence indicators, attach
evidence, edit the report; the head of the disclosure office approves it (refused while
required evidence is missing or a 「（请填写：…）」 is left); staff or the head submit it to
the supervising office, which freezes the results (`snapshot`) and keeps a revision; a
supervisor above the agency may return it with a reason, and the agency revises it and
goes through approval again. Every step appends an audit entry (evaluation.step).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import record as audit
from gongkai.audit.models import Action
from gongkai.evaluation import report, results, scoring
from gongkai.evaluation.defaults import build, load_default
from gongkai.evaluation.models import (
    EDITABLE_STATUSES,
    EvaluationRevision,
    EvaluationStatus,
    EvidenceFile,
    Indicator,
    IndicatorResult,
    IndicatorSystem,
    RevisionKind,
    Rule,
    SelfEvaluation,
    SourceKind,
)
from gongkai.lib.errors import ActionError
from gongkai.lib.uploads import UploadRejected, check_upload, display_name, storage_name
from gongkai.orgs.access import has_role
from gongkai.orgs.models import Agency, Role, User

STAFF = (Role.OFFICER, Role.OFFICE_HEAD)
HEADS = (Role.OFFICE_HEAD,)
# Evidence: judged by content, not by name.
EVIDENCE_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
}


def evidence_max_bytes() -> int:
    return int(getattr(settings, "EVALUATION_EVIDENCE_MAX_MB", 20)) * 1024 * 1024


def _log(evaluation: SelfEvaluation, step: str, actor: User | None, **detail: Any) -> None:
    audit(
        Action.EVALUATION_STEP,
        actor=actor,
        obj=evaluation,
        agency=evaluation.agency,
        detail={"step": step, "year": evaluation.year, **detail},
    )


def _require(actor: User | None, agency: Agency, roles: tuple[str, ...], message: str) -> None:
    if actor is not None and not has_role(actor, agency, *roles):
        raise ActionError(message)


def _lock(evaluation: SelfEvaluation) -> SelfEvaluation:
    return (
        SelfEvaluation.objects.select_for_update()
        .select_related("agency", "system")
        .get(pk=evaluation.pk)
    )


def _editable(evaluation: SelfEvaluation) -> None:
    if evaluation.status not in EDITABLE_STATUSES:
        raise ActionError(
            _("The self-evaluation is %(status)s and can no longer be changed.")
            % {"status": evaluation.get_status_display()}
        )


def _staff(evaluation: SelfEvaluation, actor: User | None) -> None:
    _require(actor, evaluation.agency, STAFF, _("Only the agency's disclosure staff may do this."))


@transaction.atomic
def open_evaluation(
    agency: Agency, year: int, *, actor: User | None, system: IndicatorSystem | None = None
) -> SelfEvaluation:
    """The agency's evaluation of `year`, created as a draft with its report drafted."""
    existing = SelfEvaluation.objects.filter(agency=agency, year=year).first()
    if existing is not None:
        return existing
    _require(actor, agency, STAFF, _("Only the agency's disclosure staff may do this."))
    system = system or load_default()
    evaluation = SelfEvaluation.objects.create(
        agency=agency, year=year, system=system, updated_by=actor
    )
    draft = report.draft(evaluation, results.rows(evaluation))
    evaluation.recipient, evaluation.title, evaluation.text = (
        draft.recipient,
        draft.title,
        draft.text,
    )
    evaluation.signed_on = timezone.localdate()
    evaluation.save(update_fields=["recipient", "title", "text", "signed_on"])
    _log(evaluation, "opened", actor, system=system.pk)
    return evaluation


def _decimal(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise ActionError({field: _("Enter a number.")}) from None


@transaction.atomic
def save_result(
    evaluation: SelfEvaluation,
    indicator: Indicator,
    *,
    actor: User | None,
    manual_score: Any = None,
    note: str = "",
) -> IndicatorResult:
    """The agency's own score of a manual or evidence indicator, and its explanation."""
    evaluation = _lock(evaluation)
    _staff(evaluation, actor)
    _editable(evaluation)
    score = _decimal(manual_score, "manual_score")
    if score is not None:
        if indicator.source == SourceKind.COMPUTED and indicator.rule != Rule.MANUAL:
            raise ActionError(
                {"manual_score": _("“%(indicator)s” is computed from the records.")
                 % {"indicator": indicator.label}}
            )  # fmt: skip
        if score < 0 or score > indicator.weight:
            raise ActionError(
                {"manual_score": _("“%(indicator)s”: the score must be between 0 and %(max)s.")
                 % {"indicator": indicator.label, "max": indicator.weight}}
            )  # fmt: skip
    result, _created = IndicatorResult.objects.update_or_create(
        evaluation=evaluation,
        indicator=indicator,
        defaults={"manual_score": score, "note": note.strip()},
    )
    _log(evaluation, "result", actor, indicator=indicator.key, score=str(score))
    return result


def check_evidence(upload: UploadedFile) -> str:
    """The checked content type of an evidence file, or an ActionError naming the file."""
    try:
        return check_upload(
            upload,
            types=EVIDENCE_TYPES,
            max_bytes=evidence_max_bytes(),
            name=display_name(upload.name or ""),
            too_large=_("%(name)s is larger than %(mb)d MB."),
            wrong_type=_(
                "%(name)s is not a PDF, JPEG, PNG, DOCX or XLSX file (judged by its content)."
            ),
        )
    except UploadRejected as exc:
        raise ActionError({"file": exc.message}) from None


@transaction.atomic
def add_evidence(
    evaluation: SelfEvaluation,
    indicator: Indicator,
    *,
    actor: User | None,
    upload: UploadedFile | None = None,
    note: str = "",
) -> EvidenceFile:
    evaluation = _lock(evaluation)
    _staff(evaluation, actor)
    _editable(evaluation)
    if indicator.system_id != evaluation.system_id:
        raise ActionError(_("This indicator is not part of the evaluation's system."))
    if upload is None and not note.strip():
        raise ActionError({"file": _("Choose a file or write a note.")})
    evidence = EvidenceFile(
        evaluation=evaluation, indicator=indicator, note=note.strip(), uploaded_by=actor
    )
    if upload is not None:
        mime = check_evidence(upload)
        evidence.original_name = display_name(upload.name or "", _("evidence"))
        evidence.content_type = mime
        evidence.size = upload.size or 0
        evidence.file.save(storage_name(upload.name or "", mime), upload, save=False)
    evidence.save()
    _log(evaluation, "evidence_added", actor, indicator=indicator.key, file=evidence.original_name)
    return evidence


@transaction.atomic
def remove_evidence(evidence: EvidenceFile, *, actor: User | None) -> None:
    evaluation = _lock(evidence.evaluation)
    _staff(evaluation, actor)
    _editable(evaluation)
    name = evidence.original_name
    stored = evidence.file.name
    evidence.delete()
    if stored:
        transaction.on_commit(lambda: evidence.file.storage.delete(stored))
    _log(evaluation, "evidence_removed", actor, file=name)


@transaction.atomic
def save_report(
    evaluation: SelfEvaluation, *, actor: User | None, data: Mapping[str, Any]
) -> SelfEvaluation:
    """The report's 主送, title, text and date, as the agency edited them."""
    evaluation = _lock(evaluation)
    _staff(evaluation, actor)
    _editable(evaluation)
    errors: dict[str, str] = {}
    if not str(data.get("title", "")).strip():
        errors["title"] = _("Enter the title of the report.")
    if not str(data.get("text", "")).strip():
        errors["text"] = _("Write the report.")
    if errors:
        raise ActionError(errors)
    evaluation.recipient = str(data.get("recipient", "")).strip()
    evaluation.title = str(data["title"]).strip()
    evaluation.text = str(data["text"]).replace("\r\n", "\n").strip()
    evaluation.signed_on = data.get("signed_on") or evaluation.signed_on
    evaluation.updated_by = actor
    evaluation.save()
    _log(evaluation, "report_saved", actor)
    return evaluation


@transaction.atomic
def redraft_report(evaluation: SelfEvaluation, *, actor: User | None) -> SelfEvaluation:
    """Write the report again from today's records (the agency's text is replaced)."""
    evaluation = _lock(evaluation)
    _staff(evaluation, actor)
    _editable(evaluation)
    draft = report.draft(evaluation, results.rows(evaluation))
    evaluation.recipient, evaluation.title, evaluation.text = (
        draft.recipient,
        draft.title,
        draft.text,
    )
    evaluation.save(update_fields=["recipient", "title", "text", "updated_at"])
    _log(evaluation, "report_redrafted", actor)
    return evaluation


def submission_problems(evaluation: SelfEvaluation) -> list[str]:
    """What keeps an evaluation from approval and submission, each in full."""
    problems = []
    with_evidence = set(
        EvidenceFile.objects.filter(evaluation=evaluation).values_list("indicator_id", flat=True)
    )
    for indicator in evaluation.system.indicators.filter(evidence_required=True).order_by(
        "sort_order", "id"
    ):
        if indicator.pk not in with_evidence:
            problems.append(
                _("“%(indicator)s” requires evidence: attach a file or a note.")
                % {"indicator": indicator.label}
            )
    for text in report.placeholders(evaluation.text):
        problems.append(
            _("The report still holds the placeholder “%(text)s”: replace it with the facts.")
            % {"text": text}
        )
    if not evaluation.text.strip():
        problems.append(_("Write the report."))
    return problems


@transaction.atomic
def approve(evaluation: SelfEvaluation, *, actor: User) -> SelfEvaluation:
    evaluation = _lock(evaluation)
    _require(
        actor,
        evaluation.agency,
        HEADS,
        _("Only the head of the disclosure office may approve the self-evaluation."),
    )
    _editable(evaluation)
    problems = submission_problems(evaluation)
    if problems:
        raise ActionError([_("The self-evaluation cannot be approved yet:"), *problems])
    evaluation.status = EvaluationStatus.APPROVED
    evaluation.approved_by, evaluation.approved_at = actor, timezone.now()
    evaluation.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    _log(evaluation, "approved", actor)
    return evaluation


@transaction.atomic
def reopen(evaluation: SelfEvaluation, *, actor: User) -> SelfEvaluation:
    """The office head takes back an approval not yet submitted."""
    evaluation = _lock(evaluation)
    _require(
        actor,
        evaluation.agency,
        HEADS,
        _("Only the head of the disclosure office may approve the self-evaluation."),
    )
    if evaluation.status != EvaluationStatus.APPROVED:
        raise ActionError(_("Only an approved, unsubmitted self-evaluation can be reopened."))
    evaluation.status = EvaluationStatus.DRAFT
    evaluation.save(update_fields=["status", "updated_at"])
    _log(evaluation, "reopened", actor)
    return evaluation


def _revision(evaluation: SelfEvaluation, kind: str, actor: User, reason: str = "") -> None:
    number = (evaluation.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    EvaluationRevision.objects.create(
        evaluation=evaluation,
        number=number,
        kind=kind,
        score=evaluation.score,
        snapshot=evaluation.snapshot,
        text=evaluation.text,
        reason=reason,
        by=actor,
        at=timezone.now(),
    )


@transaction.atomic
def submit(evaluation: SelfEvaluation, *, actor: User) -> SelfEvaluation:
    """Submit the approved evaluation to the supervising office; its results freeze."""
    evaluation = _lock(evaluation)
    _staff(evaluation, actor)
    if evaluation.status != EvaluationStatus.APPROVED:
        raise ActionError(
            _("The head of the disclosure office must approve the self-evaluation first.")
        )
    problems = submission_problems(evaluation)
    if problems:
        raise ActionError([_("The self-evaluation cannot be submitted yet:"), *problems])
    frozen = results.snapshot(evaluation, results.live(evaluation))
    evaluation.snapshot = frozen
    evaluation.score = Decimal(str(results.total(results.rows_from(frozen))))
    evaluation.status = EvaluationStatus.SUBMITTED
    evaluation.submitted_by, evaluation.submitted_at = actor, timezone.now()
    evaluation.return_reason = ""
    evaluation.save()
    _revision(evaluation, RevisionKind.SUBMITTED, actor)
    _log(evaluation, "submitted", actor, score=str(evaluation.score))
    return evaluation


def can_return(user: User, evaluation: SelfEvaluation) -> bool:
    """A supervisor (or administrator) above the agency, not the agency's own staff."""
    parent = evaluation.agency.parent
    return parent is not None and has_role(user, parent, Role.SUPERVISOR, Role.ADMIN)


@transaction.atomic
def return_evaluation(evaluation: SelfEvaluation, *, actor: User, reason: str) -> SelfEvaluation:
    evaluation = _lock(evaluation)
    if not can_return(actor, evaluation):
        raise ActionError(_("Only the supervising office may return a self-evaluation."))
    if evaluation.status != EvaluationStatus.SUBMITTED:
        raise ActionError(_("Only a submitted self-evaluation can be returned."))
    if not reason.strip():
        raise ActionError({"reason": _("Say why the self-evaluation is returned.")})
    evaluation.status = EvaluationStatus.RETURNED
    evaluation.return_reason = reason.strip()
    evaluation.save(update_fields=["status", "return_reason", "updated_at"])
    _revision(evaluation, RevisionKind.RETURNED, actor, reason.strip())
    _log(evaluation, "returned", actor, reason=reason.strip())
    return evaluation


def supervises(user: User, agency: Agency) -> bool:
    """A supervisor above `agency` (never the agency's own staff): who reviews its
    self-evaluation and issues and accepts its rectification tasks."""
    parent = agency.parent
    return parent is not None and has_role(user, parent, Role.SUPERVISOR)


def can_review(user: User, evaluation: SelfEvaluation) -> bool:
    """The supervising office above the agency reviews its submitted evidence and scores."""
    return supervises(user, evaluation.agency)


@transaction.atomic
def review_result(
    evaluation: SelfEvaluation,
    indicator: Indicator,
    *,
    actor: User,
    reviewed_score: Any = None,
    review_note: str = "",
) -> IndicatorResult:
    """The supervisor's score of one indicator after reviewing the evidence (empty: the
    agency's score stands), and the review note. Only of a submitted evaluation."""
    evaluation = _lock(evaluation)
    if not can_review(actor, evaluation):
        raise ActionError(_("Only the supervising office may review the self-evaluation."))
    if evaluation.status != EvaluationStatus.SUBMITTED:
        raise ActionError(_("Only a submitted self-evaluation can be reviewed."))
    if indicator.system_id != evaluation.system_id or indicator.children.exists():
        raise ActionError(_("This indicator is not part of the evaluation's system."))
    score = _decimal(reviewed_score, "reviewed_score")
    if score is not None and (score < 0 or score > indicator.weight):
        raise ActionError(
            {"reviewed_score": _("“%(indicator)s”: the score must be between 0 and %(max)s.")
             % {"indicator": indicator.label, "max": indicator.weight}}
        )  # fmt: skip
    note = review_note.strip()
    if score is None and not note:
        raise ActionError({"reviewed_score": _("Enter the score after review or a review note.")})
    result, _created = IndicatorResult.objects.update_or_create(
        evaluation=evaluation,
        indicator=indicator,
        defaults={"reviewed_score": score, "review_note": note, "reviewed_by": actor,
                  "reviewed_at": timezone.now()},
    )  # fmt: skip
    _log(evaluation, "reviewed", actor, indicator=indicator.key,
         score=None if score is None else str(score))  # fmt: skip
    return result


# ---- indicator systems ----------------------------------------------------------------------


def can_edit_system(user: User, system: IndicatorSystem) -> bool:
    if user.is_superuser:
        return True
    return system.owner is not None and has_role(user, system.owner, Role.ADMIN)


@transaction.atomic
def copy_system(
    system: IndicatorSystem, *, actor: User, name: str, year: int, owner: Agency | None
) -> IndicatorSystem:
    """A province's own system, started from another one (the default)."""
    if owner is None and not actor.is_superuser:
        raise ActionError({"owner": _("Choose the agency whose system this is.")})
    if owner is not None and not has_role(actor, owner, Role.ADMIN):
        raise ActionError({"owner": _("You do not administer this agency.")})
    if not name.strip():
        raise ActionError({"name": _("Enter the name of the indicator system.")})
    copy = IndicatorSystem.objects.create(
        name=name.strip(),
        year=year,
        issuing_body=system.issuing_body,
        total=system.total,
        copy_of=system,
        owner=owner,
    )
    made: dict[int, Indicator] = {}
    for indicator, _depth in scoring.ordered(system.indicators.all()):
        old_pk = indicator.pk
        indicator.pk = None
        indicator.id = None
        indicator.system = copy
        indicator.parent = made.get(indicator.parent_id or 0)
        indicator.save()
        made[old_pk] = indicator
    audit(
        Action.EVALUATION_STEP,
        actor=actor,
        obj=copy,
        agency=owner,
        detail={"step": "system_copied", "from": system.pk},
    )
    return copy


def _require_system(actor: User, system: IndicatorSystem) -> None:
    if not can_edit_system(actor, system):
        raise ActionError(_("Only the administrators of its agency may change this system."))
    if system.evaluations.exclude(status=EvaluationStatus.DRAFT).exists():
        raise ActionError(
            _(
                "Self-evaluations against this system have been approved or submitted: copy it to change it."
            )
        )


@transaction.atomic
def save_indicator(indicator: Indicator, *, actor: User) -> Indicator:
    """Create or change one indicator; its own rule is checked (the sums on the system page)."""
    _require_system(actor, indicator.system)
    errors = scoring.rule_problems(indicator)
    if (
        indicator.parent_id
        and indicator.parent
        and indicator.parent.system_id != indicator.system_id
    ):
        errors["parent"] = _("The parent indicator belongs to another system.")
    duplicate = Indicator.objects.filter(system=indicator.system, key=indicator.key).exclude(
        pk=indicator.pk
    )
    if duplicate.exists():
        errors["key"] = _("“%(key)s” is already the key of another indicator.") % {
            "key": indicator.key
        }
    if errors:
        raise ActionError(errors)
    indicator.save()
    audit(
        Action.EVALUATION_STEP,
        actor=actor,
        obj=indicator.system,
        agency=indicator.system.owner,
        detail={"step": "indicator_saved", "key": indicator.key},
    )
    return indicator


@transaction.atomic
def delete_indicator(indicator: Indicator, *, actor: User) -> None:
    _require_system(actor, indicator.system)
    system, key = indicator.system, indicator.key
    indicator.delete()
    audit(
        Action.EVALUATION_STEP,
        actor=actor,
        obj=system,
        agency=system.owner,
        detail={"step": "indicator_deleted", "key": key},
    )


@transaction.atomic
def save_system(system: IndicatorSystem, *, actor: User) -> IndicatorSystem:
    if not can_edit_system(actor, system):
        raise ActionError(_("Only the administrators of its agency may change this system."))
    if not system.name.strip():
        raise ActionError({"name": _("Enter the name of the indicator system.")})
    system.save()
    audit(
        Action.EVALUATION_STEP,
        actor=actor,
        obj=system,
        agency=system.owner,
        detail={"step": "system_saved"},
    )
    return system


@transaction.atomic
def replace_tree(system: IndicatorSystem, rows: list[dict[str, Any]], *, actor: User) -> None:
    """The XLSX import: the whole tree replaced by `rows` (already checked)."""
    _require_system(actor, system)
    system.indicators.all().delete()
    build(system, rows)
    audit(
        Action.EVALUATION_STEP,
        actor=actor,
        obj=system,
        agency=system.owner,
        detail={"step": "tree_imported", "rows": len(rows)},
    )
