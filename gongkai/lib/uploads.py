"""Uploaded files: their type judged by content, their size, and their names.

`check_upload` is the one check of an upload's type and size (the public's attachments
to a request, a catalog item's attachments, evaluation evidence): the type is judged by
the file's first bytes with the `filetype` library, never by the name the browser sent;
a DOCX or XLSX, which is a ZIP by content, is taken at its extension once the content is
a ZIP. Each caller keeps its own list of types, its limit and its Chinese messages.

A name typed on a phone may be only emoji, hundreds of characters long or carry control
characters; Django's storage refuses such names with a bare "Bad Request". The stored
name is therefore generated (a random stem and the extension of the checked type), and the
original, cleaned, is kept only for display and the download's file name.
"""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Collection
from pathlib import PurePosixPath
from typing import Any

import filetype
from django.utils.translation import gettext as _

from gongkai.lib.safe_text import for_files

DISPLAY_MAX = 200
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "text/plain": ".txt",
}
PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Office Open XML files are ZIP archives by content: the extension says which.
ZIPPED = {".docx": DOCX, ".xlsx": XLSX}
LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", DOCX: "DOCX", XLSX: "XLSX"}
HEAD_BYTES = 8192  # enough for every signature filetype knows


class UploadRejected(ValueError):
    """The upload is too large or not of an allowed type; `message` says so in Chinese,
    naming the file."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def sniff(upload: Any) -> str:
    """The content type judged by the first bytes ('' when unknown); the file is rewound."""
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if mime == "application/zip":
        mime = ZIPPED.get(PurePosixPath(str(upload.name or "")).suffix.lower(), mime)
    return mime


def check_upload(
    upload: Any,
    *,
    types: Collection[str],
    max_bytes: int,
    name: str | None = None,
    too_large: str | None = None,
    wrong_type: str | None = None,
) -> str:
    """The checked content type of `upload`, or UploadRejected.

    `too_large` and `wrong_type` are the caller's (translated) messages, formatted with
    %(name)s (the file's name, `name` or the upload's own), %(mb)d and %(types)s.
    """
    shown = (upload.name or "") if name is None else name
    params = {
        "name": shown,
        "mb": max_bytes // (1024 * 1024),
        "types": "、".join(LABELS.get(t, t) for t in types),
    }
    if (upload.size or 0) > max_bytes:
        raise UploadRejected((too_large or _("%(name)s is larger than %(mb)d MB.")) % params)
    mime = sniff(upload)
    if mime not in types:
        message = wrong_type or _("%(name)s is not a %(types)s file (judged by its content).")
        raise UploadRejected(message % params)
    return mime


def display_name(name: str, fallback: str = "附件") -> str:
    """The name to show: no path, no control characters, NFC, at most 200 characters with
    the extension kept."""
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = unicodedata.normalize("NFC", for_files(base)).replace("\n", " ").strip().strip(".")
    if not base:
        return fallback
    if len(base) <= DISPLAY_MAX:
        return base
    suffix = PurePosixPath(base).suffix[:16]
    return base[: DISPLAY_MAX - len(suffix)] + suffix


def storage_name(name: str, content_type: str = "") -> str:
    """A name every storage accepts: random, with the extension of the checked type (or a
    short ASCII extension of the original)."""
    extension = EXTENSIONS.get(content_type, "")
    if not extension:
        suffix = PurePosixPath(display_name(name)).suffix.lower()
        if suffix.isascii() and suffix[1:].isalnum() and len(suffix) <= 8:
            extension = suffix
    return f"{secrets.token_hex(12)}{extension}"
