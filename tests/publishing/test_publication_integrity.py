"""verify_publication_log proves the public content (issue 23): direct edits of published
items, a deleted newest entry, a recomputed chain, changed attachments, a published head."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from gongkai.publishing import actions, integrity, log
from gongkai.publishing.models import InfoItem, ItemAttachment, ItemVersion, PublicationLogEntry
from tests.publishing.test_items import approve_and_publish, category, make  # noqa: F401


def check(*args):
    out = StringIO()
    call_command("verify_publication_log", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def published(cast, category):  # noqa: F811
    return [
        approve_and_publish(make(cast, category, title=f"文件{i}"), cast).item for i in range(3)
    ]


def test_an_intact_log_and_items_pass(published):
    assert "完整" in check()


def test_a_direct_edit_of_a_published_title_is_caught(published):
    InfoItem.objects.filter(pk=published[1].pk).update(title="伪造的标题")
    with pytest.raises(CommandError, match=r"与最后发布的版本不一致.*title"):
        check()


def test_a_direct_edit_of_a_published_body_is_caught(published):
    InfoItem.objects.filter(pk=published[0].pk).update(body="<p>伪造的正文</p>")
    with pytest.raises(CommandError, match="body"):
        check()


def test_a_deleted_newest_entry_is_caught(published):
    PublicationLogEntry.objects.order_by("-seq")[0].delete()
    with pytest.raises(CommandError, match=r"第 3 条.*最新的记录被删除"):
        check()


def test_a_changed_version_with_every_later_digest_recomputed_is_caught(published):
    """The attack the unkeyed chain could not see: change a snapshot, recompute the chain."""
    item = published[1]
    ItemVersion.objects.filter(item=item).update(
        snapshot={**item.versions.get().snapshot, "title": "伪造"}
    )
    InfoItem.objects.filter(pk=item.pk).update(title="伪造")
    previous = log.GENESIS
    for entry in PublicationLogEntry.objects.order_by("seq"):
        version = entry.item.versions.get(number=entry.version)
        entry.content_digest = log.content_digest(version.snapshot)
        entry.previous_digest = previous
        entry.digest = log.link_digest(entry)
        PublicationLogEntry.objects.filter(pk=entry.pk).update(
            content_digest=entry.content_digest,
            previous_digest=entry.previous_digest,
            digest=entry.digest,
        )
        previous = entry.digest
    assert log.verify()[1] is None  # the old check was fooled
    with pytest.raises(CommandError, match=r"第 2 条.*审计日志.*改写"):
        check()


def test_a_replaced_attachment_is_caught(cast, category):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = make(cast, category, title="附件文件")
    upload = SimpleUploadedFile("a.txt", "原始内容".encode(), content_type="text/plain")
    attachment = actions.add_attachment(item, actor=cast.officer_a, upload=upload)
    approve_and_publish(item, cast)
    assert "完整" in check()
    stored = ItemAttachment.objects.get(pk=attachment.pk)
    path = stored.file.path
    with open(path, "wb") as handle:
        handle.write("替换的内容".encode())
    with pytest.raises(CommandError, match="附件"):
        check()


def test_the_portal_publishes_the_head_and_the_command_compares_with_it(
    client, published, tmp_path
):
    page = client.get(reverse("publication_log_head"))
    text = page.content.decode()
    assert page.status_code == 200 and "发布记录校验值" in text
    head = integrity.head()
    assert head["head"] in text and str(head["count"]) in text
    data = client.get(reverse("publication_log_head_json")).json()
    assert data == head
    feed = client.get(reverse("publication_log_feed")).content.decode()
    assert head["head"] in feed and "共 3 条记录" in feed
    saved = tmp_path / "head.json"
    saved.write_text(json.dumps(data), encoding="utf-8")
    assert "完整" in check("--against", str(saved))

    # A rewrite of the whole database, anchors included, still differs from what was published.
    PublicationLogEntry.objects.filter(seq=3).update(digest="f" * 64)
    with pytest.raises(CommandError):
        check("--against", str(saved))


def test_a_scheduled_run_mails_the_administrators(published, settings, mailoutbox):
    settings.ADMINS = [("安全", "security@example.com")]
    InfoItem.objects.filter(pk=published[0].pk).update(title="伪造")
    with pytest.raises(CommandError):
        check("--notify")
    assert len(mailoutbox) == 1 and "伪造" in mailoutbox[0].body
