"""Fail when the Chinese catalogue misses a message of the source, or leaves one untranslated.

Runs makemessages on the real catalogue, compares it with the committed one, and puts the
committed file back. Run from the repository root with the project's Python.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "gongkai" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        saved = Path(tmp) / "django.po"
        shutil.copy2(PO, saved)
        try:
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "manage.py"),
                    "makemessages",
                    "-l",
                    "zh_Hans",
                    "--no-obsolete",
                    "-v",
                    "0",
                ],
                cwd=ROOT / "gongkai",
                env={**os.environ, "DEBUG": "1"},
                check=True,
            )
            fresh = polib.pofile(str(PO))
        finally:
            shutil.copy2(saved, PO)
    committed = polib.pofile(str(PO))
    # A message is its context and its id: "By e-mail" translated for the context
    # "delivery" leaves a plain "By e-mail" untranslated.
    translated = {
        (e.msgctxt, e.msgid) for e in committed.translated_entries() if "fuzzy" not in e.flags
    }
    missing = sorted(
        (e.msgctxt or "", e.msgid) for e in fresh if (e.msgctxt, e.msgid) not in translated
    )
    if missing:
        print("Messages without a Chinese translation in", PO.relative_to(ROOT))
        for context, msgid in missing:
            print("  ", f"[{context}] {msgid}" if context else msgid)
        print("Run `make messages`, translate them, and commit the catalogue.")
        return 1
    print(f"Chinese catalogue complete ({len(fresh)} messages).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
