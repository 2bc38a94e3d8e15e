"""Report checks in the background: one task per file, the run's page follows them (htmx),
the last file completes the run; a file that breaks the checker is shown and recorded."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gongkai.annual import tasks as annual_tasks
from gongkai.annual.checking import runs
from gongkai.annual.checking.batch import check_documents, unreadable
from gongkai.annual.checking.reading import read_bytes
from gongkai.annual.models import CheckedFile, CheckedFileStatus, ReportCheck
from gongkai.jobs.models import TaskFailure
from tests.annual.checking.test_pages import BROKEN, OLD_WORD, check, report_text, run_of, upload
from tests.jobs.test_retries import DATABASE_TASKS, run_worker

pytestmark = pytest.mark.django_db


def test_the_page_follows_each_file_until_the_run_is_complete(client, cast, settings):
    settings.TASKS = DATABASE_TASKS
    client.force_login(cast.supervisor)
    response = check(
        client,
        [
            upload("青山县林业局2023.txt", report_text()),
            upload("青山县林业局2024.txt", report_text(year=2024, cells=BROKEN)),
            upload("old.doc", OLD_WORD),
        ],
    )
    run = run_of(response)
    assert run.pending and run.results == []
    assert (
        DBTaskResult.objects.filter(task_path=annual_tasks.check_report_file.module_path).count()
        == 3
    )
    page = client.get(reverse("annual:check_run", args=[run.pk])).content.decode()
    assert 'data-done="0" data-total="3"' in page
    assert 'hx-trigger="every 1s"' in page
    progress_url = reverse("annual:check_run_progress", args=[run.pk])
    partial = client.get(progress_url, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert partial.content.decode().count('data-status="waiting"') == 3

    # One file checked: its row shows the result, the others still wait.
    first = CheckedFile.objects.get(run=run, position=0)
    runs.check_file(first.pk)
    partial = client.get(progress_url, HTTP_HX_REQUEST="true").content.decode()
    assert partial.count('data-status="done"') == 1
    assert partial.count('data-status="waiting"') == 2
    assert "2021" in partial

    run_worker()  # the rest, by the worker, the first again among them (idempotent)
    run.refresh_from_db()
    assert not run.pending
    assert [r["file"] for r in run.results] == [
        "青山县林业局2023.txt",
        "青山县林业局2024.txt",
        "old.doc",
    ]
    # The same findings as checking all three in one pass, the cross-year checks among
    # the agency's two reports included.
    one_pass = check_documents(
        [
            read_bytes(report_text().encode(), "青山县林业局2023.txt"),
            read_bytes(report_text(year=2024, cells=BROKEN).encode(), "青山县林业局2024.txt"),
            unreadable("old.doc", run.results[2]["error"]),
        ]
    )
    assert [sorted(f["id"] for f in r["findings"]) for r in run.results] == [
        sorted(f.id for f in r.findings) for r in one_pass
    ]
    assert run.results[2].get("error")  # the old Word file: unreadable, with its reason
    assert not CheckedFile.objects.filter(run=run).exclude(upload="").exists()
    done = client.get(progress_url, HTTP_HX_REQUEST="true")
    assert done.headers.get("HX-Refresh") == "true"
    page = client.get(reverse("annual:check_run", args=[run.pk])).content.decode()
    assert "青山县林业局2024.txt" in page and "hx-trigger" not in page


def test_a_file_that_breaks_the_checker_is_shown_and_recorded_not_retried(
    client, cast, monkeypatch
):
    calls = []

    def explode(document):
        calls.append(document)
        raise ValueError("表格结构无法识别")

    monkeypatch.setattr(runs, "check_document", explode)
    client.force_login(cast.supervisor)
    run = run_of(check(client, [upload("bad.txt", report_text())]))
    run.refresh_from_db()
    assert not run.pending  # the run completes all the same
    stored = CheckedFile.objects.get(run=run)
    assert stored.status == CheckedFileStatus.FAILED
    assert "表格结构无法识别" in run.results[0]["error"]
    assert len(calls) == 1  # not retried: the same bytes would break it again
    failure = TaskFailure.objects.get()
    assert failure.permanent and "表格结构无法识别" in failure.error
    assert failure.object_label == "bad.txt"


def test_a_checked_file_is_not_checked_again(client, cast, monkeypatch):
    client.force_login(cast.supervisor)
    run = run_of(check(client, [upload("a.txt", report_text())]))
    stored = CheckedFile.objects.get(run=run)
    monkeypatch.setattr(runs, "check_document", lambda document: pytest.fail("checked twice"))
    result = annual_tasks.check_report_file.enqueue(stored.pk)
    assert result.status == TaskResultStatus.SUCCESSFUL


def test_another_users_run_and_its_progress_are_not_found(client, cast, settings):
    settings.TASKS = DATABASE_TASKS
    client.force_login(cast.supervisor)
    run = run_of(check(client, [upload("a.txt", report_text())]))
    client.force_login(cast.officer_b)
    assert client.get(reverse("annual:check_run_progress", args=[run.pk])).status_code == 404
    assert client.get(reverse("annual:check_run", args=[run.pk])).status_code == 404
    client.logout()
    response = client.get(reverse("annual:check_run_progress", args=[run.pk]))
    assert response.status_code == 302
    assert ReportCheck.objects.get(pk=run.pk).pending
