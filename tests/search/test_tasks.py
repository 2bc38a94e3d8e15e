"""The search index kept by background tasks (publishing/tasks.py), and the daily check of
the publication log; each runs twice to the same result."""

from __future__ import annotations

from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gongkai.jobs.models import TaskFailure
from gongkai.publishing import tasks as publishing_tasks
from gongkai.publishing.models import InfoItem, PublicationLogEntry
from gongkai.search.models import SearchEntry


def test_publishing_queues_the_items_index_entry_with_its_transaction(publish, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    item = publish(title="2026年部门决算")
    queued = DBTaskResult.objects.get(task_path="gongkai.publishing.tasks.index_item")
    assert queued.args_kwargs == {"args": [item.pk], "kwargs": {}}
    assert not SearchEntry.objects.filter(item=item).exists()  # the worker writes it


def test_index_item_writes_the_entry_and_drops_it_once_withdrawn(publish, cast):
    item = publish(title="2026年部门决算")
    SearchEntry.objects.all().delete()
    for _ in range(2):
        assert publishing_tasks.index_item.enqueue(item.pk).status == TaskResultStatus.SUCCESSFUL
        assert SearchEntry.objects.filter(item=item).count() == 1
    InfoItem.objects.filter(pk=item.pk).update(status="withdrawn")
    publishing_tasks.index_item.enqueue(item.pk)
    assert not SearchEntry.objects.filter(item=item).exists()


def test_the_rebuild_task_indexes_every_published_item(publish):
    first, second = publish(title="甲"), publish(title="乙")
    SearchEntry.objects.all().delete()
    result = publishing_tasks.rebuild_search_index.enqueue()
    assert result.return_value == 2
    assert set(SearchEntry.objects.values_list("item_id", flat=True)) == {first.pk, second.pk}


def test_the_rescan_task_records_new_findings_once(publish):
    item = publish(title="通知", summary="联系人张三，身份证号110101199003071234")
    first = publishing_tasks.rescan_published_items.enqueue().return_value
    assert first is not None and first >= 1
    assert publishing_tasks.rescan_published_items.enqueue().return_value == 0
    assert publishing_tasks.rescan_item.enqueue(item.pk).return_value == 0


def test_the_daily_log_check_returns_the_head_and_records_a_broken_chain(
    publish, mailoutbox, settings
):
    settings.ADMINS = [("管理员", "admin@example.gov.cn")]
    publish(title="甲")
    head = publishing_tasks.check_publication_log.enqueue().return_value
    last = PublicationLogEntry.objects.order_by("-seq").first()
    assert head is not None and last is not None
    assert head["count"] == PublicationLogEntry.objects.count()
    assert head["head"] == last.digest
    assert not TaskFailure.objects.exists()
    PublicationLogEntry.objects.filter(seq=1).update(digest="0" * 64)
    result = publishing_tasks.check_publication_log.enqueue()
    assert result.status == TaskResultStatus.FAILED
    failure = TaskFailure.objects.get()
    assert failure.permanent and "发布记录在第 1 条处断裂" in failure.error
    assert any(m.to == ["admin@example.gov.cn"] for m in mailoutbox)
