"""A check run in the background: the one writer of `CheckedFile` and of a pending run.

`start` keeps the uploaded files and the pasted text as the run's `CheckedFile`s and queues
one task each (`annual.tasks.check_report_file`); the run's page shows each file's state as
it changes. `check_file` reads, extracts and checks one file; the last file to finish
completes the run (`finish`): the cross-year checks among the reports of the same agency,
then the results in the run, as `actions.store_check_run` stores them for a run checked in
the request. Every step may run twice: a checked file is not checked again, a finished run
not finished again.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gongkai.annual.checking.batch import (
    Checked,
    check_document,
    check_documents,
    checked_from_json,
    stored_result,
    unreadable,
)
from gongkai.annual.checking.reading import ReadError, read_bytes, read_text
from gongkai.annual.models import CheckedFile, CheckedFileStatus, ReportCheck
from gongkai.orgs.models import User

FINISHED = (CheckedFileStatus.DONE, CheckedFileStatus.FAILED)


def title_for(names: list[str]) -> str:
    if len(names) == 1:
        return names[0][:200]
    return ngettext("%(count)d report", "%(count)d reports", len(names)) % {"count": len(names)}


@transaction.atomic
def start(uploads: Iterable[UploadedFile], text: str, *, actor: User) -> ReportCheck:
    """A pending run with one file per upload (and one for pasted text)."""
    files: list[tuple[str, bytes, bool]] = [
        (upload.name or _("unnamed file"), upload.read(), False) for upload in uploads
    ]
    if text.strip():
        files.append((_("pasted text"), text.encode("utf-8"), True))
    run = ReportCheck.objects.create(
        created_by=actor, title=title_for([name for name, _c, _p in files]), pending=True
    )
    for position, (name, content, pasted) in enumerate(files):
        stored = CheckedFile(run=run, position=position, name=name[:255], pasted=pasted)
        stored.upload.save(f"{run.pk}-{position}.bin", ContentFile(content), save=False)
        stored.save()
    return run


def _check(stored: CheckedFile) -> Checked:
    content = stored.upload.read() if stored.upload else b""
    try:
        if stored.pasted:
            return check_document(read_text(content.decode("utf-8"), stored.name))
        return check_document(read_bytes(content, stored.name))
    except ReadError as exc:
        return unreadable(stored.name, str(exc))


def check_file(file_pk: int) -> CheckedFile:
    """Check one file of a run, keep its result, and finish the run after its last file.

    A file the checker cannot handle (an exception, not a ReadError) is kept as
    "could not be checked" with the error, so the run still finishes; the exception is
    raised again for the task's failure record."""
    stored = CheckedFile.objects.select_related("run").get(pk=file_pk)
    if stored.status not in FINISHED:
        CheckedFile.objects.filter(pk=stored.pk).update(status=CheckedFileStatus.CHECKING)
        try:
            checked = _check(stored)
        except Exception as exc:
            message = _("The report could not be checked: %(error)s") % {"error": exc}
            _keep(stored, unreadable(stored.name, message), CheckedFileStatus.FAILED)
            finish(stored.run_id)
            raise
        _keep(stored, checked, CheckedFileStatus.DONE)
    finish(stored.run_id)
    return stored


def _keep(stored: CheckedFile, checked: Checked, status: str) -> None:
    stored.result = stored_result(checked)
    stored.status = status
    stored.finished_at = timezone.now()
    stored.save(update_fields=["result", "status", "finished_at"])


@transaction.atomic
def finish(run_pk: int) -> bool:
    """Complete the run once every file is checked; True when this call completed it."""
    # Every file but the last returns here, without reading the others' results.
    if CheckedFile.objects.filter(run_id=run_pk).exclude(status__in=FINISHED).exists():
        return False
    run = ReportCheck.objects.select_for_update().get(pk=run_pk)
    files = list(run.files.order_by("position"))
    if not run.pending or any(f.status not in FINISHED for f in files):
        return False
    results = check_documents([checked_from_json(f.result or {}) for f in files])
    run.results = [stored_result(r) for r in results]
    run.pending = False
    run.save(update_fields=["results", "pending"])
    # The results hold what the run needs; the uploaded bytes go once the run commits.
    names = [f.upload.name for f in files if f.upload]
    storage = files[0].upload.storage if files else None
    if storage is not None:
        transaction.on_commit(lambda: [storage.delete(name) for name in names])
    run.files.update(upload="")
    return True


def progress(run: ReportCheck) -> list[CheckedFile]:
    return list(run.files.order_by("position"))
