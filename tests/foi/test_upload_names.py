"""Uploads (issue 23): any file name is stored, a failed submission leaves no file, and
orphans are found and removed."""

from __future__ import annotations

import os
import time
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from gongkai.foi import actions
from gongkai.foi.models import Application, Attachment
from gongkai.lib.uploads import display_name, storage_name
from tests.foi.conftest import PERSON
from tests.portal.test_apply_and_track import FORM

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def files_under(root) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("😀😀😀.png", "😀😀😀.png"),
        ("😀", "😀"),
        ("身份证" * 120 + ".png", ("身份证" * 120)[:196] + ".png"),
        ("a\x01b\x1b\ufffe.png", "ab.png"),
        ("../../etc/passwd.png", "passwd.png"),
        ("", "附件"),
    ],
)
def test_display_names_are_cleaned_and_bounded(name, shown):
    assert display_name(name) == shown
    assert len(display_name(name)) <= 200
    stored = storage_name(name, "image/png")
    assert stored.endswith(".png") and stored.isascii() and "/" not in stored


@pytest.mark.parametrize("name", ["😀😀.png", "申请材料" * 80 + ".png"])
def test_the_portal_stores_any_file_name(client, cast, settings, name):
    upload = SimpleUploadedFile(name, PNG, content_type="image/png")
    response = client.post(
        reverse("portal:apply", args=["a"]), {**FORM, "attachments": [upload]}, follow=True
    )
    assert response.status_code == 200
    attachment = Attachment.objects.get()
    assert attachment.original_name == display_name(name)
    with attachment.file.open("rb") as handle:
        assert handle.read() == PNG
    assert files_under(settings.MEDIA_ROOT) == [Path(attachment.file.path)]


def test_a_failed_submission_leaves_no_file(cast, settings, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the server died half-way")

    monkeypatch.setattr(actions, "_append", broken)
    uploads = [SimpleUploadedFile(f"{i}.png", PNG, content_type="image/png") for i in range(3)]
    with pytest.raises(RuntimeError):
        actions.submit_application(
            cast.a,
            PERSON,
            channel="online",
            submitted_on=date(2026, 3, 2),
            attachments=uploads,
            token="t-fail",
        )
    assert not Application.objects.exists() and not Attachment.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_orphan_files_are_found_and_removed(cast, settings):
    upload = SimpleUploadedFile("id.png", PNG, content_type="image/png")
    actions.submit_application(
        cast.a, PERSON, channel="online", submitted_on=date(2026, 3, 2), attachments=[upload]
    )
    kept = Path(Attachment.objects.get().file.path)
    orphan = Path(settings.MEDIA_ROOT) / "foi" / "2026" / "01" / "left-behind.png"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(PNG)
    old = time.time() - 7200
    os.utime(orphan, (old, old))
    young = orphan.with_name("in-flight.png")
    young.write_bytes(PNG)

    out = StringIO()
    call_command("cleanup_orphan_files", stdout=out)
    assert "foi/2026/01/left-behind.png" in out.getvalue() and "in-flight" not in out.getvalue()
    assert orphan.exists()
    call_command("cleanup_orphan_files", "--delete", stdout=StringIO())
    assert not orphan.exists() and kept.exists() and young.exists()
