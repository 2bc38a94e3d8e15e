"""The annual report's background tasks: checking published reports, one file each."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongkai.annual.checking import runs
from gongkai.annual.models import CheckedFile, CheckedFileStatus
from gongkai.jobs.queue import PermanentError, job


@job(_("Check a published annual report"), concerns="annual.CheckedFile")
def check_report_file(file_pk: int) -> str:
    """Read, extract and check one uploaded report; the run's last file completes it. A
    checked file is not checked again. A file that breaks the checker is shown as such on
    its run's page and recorded for the administrators, not retried: the same bytes would
    break it again."""
    if not CheckedFile.objects.filter(pk=file_pk).exists():
        raise PermanentError(str(_("The uploaded report no longer exists.")))
    try:
        checked = runs.check_file(file_pk)
    except Exception as exc:
        raise PermanentError(str(exc)) from exc
    return CheckedFileStatus(checked.status).value
