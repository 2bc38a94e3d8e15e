"""Names of uploaded files: what is shown (cleaned, bounded) and what is stored (generated).

A name typed on a phone may be only emoji, hundreds of characters long or carry control
characters; Django's storage refuses such names with a bare "Bad Request". The stored
name is therefore generated (a random stem and the extension of the checked type), and the
original, cleaned, is kept only for display and the download's file name.
"""

from __future__ import annotations

import secrets
import unicodedata
from pathlib import PurePosixPath

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
