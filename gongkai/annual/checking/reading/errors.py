"""Why a file cannot be read: `ReadError` and its codes, with the uploader's message."""

from __future__ import annotations

from django.utils.translation import gettext as _

# ---- errors ----------------------------------------------------------------------------

EMPTY, UNREADABLE, UNSUPPORTED, OLD_WORD = "empty", "unreadable", "unsupported", "old_word"
ENCODING, ENCRYPTED, NO_TEXT_LAYER, NO_TEXT, TOO_LARGE = (
    "encoding",
    "encrypted",
    "no_text_layer",
    "no_text",
    "too_large",
)


class ReadError(Exception):
    """The file cannot be read. `str(error)` is a message for the uploader (Chinese through
    the catalogue); `code` says why, for callers and tests (EMPTY, UNREADABLE ...)."""

    def __init__(self, message: str, code: str = UNREADABLE) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def read_error(code: str) -> ReadError:
    """The error of `code`, with its message for the uploader."""
    messages = {
        EMPTY: _("The file is empty."),
        NO_TEXT: _("No text was found in the file."),
        UNREADABLE: _("The file could not be read; it may be damaged."),
        UNSUPPORTED: _(
            "This type of file cannot be read. Upload the report as PDF, Word (DOCX), "
            "web page (HTML) or plain text."
        ),
        OLD_WORD: _(
            "This is an old-format Word or WPS file (.doc). Save it as DOCX or PDF and "
            "upload it again."
        ),
        ENCODING: _(
            "The text's character encoding could not be recognised. Save it as UTF-8 and try again."
        ),
        ENCRYPTED: _("The PDF is protected by a password. Upload a copy without a password."),
        NO_TEXT_LAYER: _("This PDF has no text layer (it may be a scan) and cannot be read."),
        TOO_LARGE: _("The file is too large to be read."),
    }
    return ReadError(messages[code], code)
