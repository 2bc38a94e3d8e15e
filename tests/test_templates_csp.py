"""No template served to a browser carries what the Content-Security-Policy refuses:
inline <style> or <script>, style= attributes, on*= handlers, javascript: URLs.

Templates rendered only by WeasyPrint into PDF (*_pdf.html) and the annual report's HTML
file (served under gongkai.lib.headers.DOCUMENT_POLICY) keep their own styles."""

from __future__ import annotations

import re
from pathlib import Path

import gongkai

TEMPLATES = Path(gongkai.__file__).parent / "templates"
OWN_STYLES = {"annual/file_report.html"}
REFUSED = re.compile(
    r"<style|\sstyle\s*=|<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"
    r"|\son[a-z]+\s*=|javascript:",
    re.IGNORECASE,
)


def test_no_inline_script_or_style_in_served_templates():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name.endswith("_pdf.html") or name in OWN_STYLES:
            continue
        text = re.sub(r"{#.*?#}", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        for number, line in enumerate(text.splitlines(), 1):
            if REFUSED.search(line):
                found.append(f"{name}:{number}: {line.strip()[:120]}")
    assert found == [], "\n".join(found)


def test_the_check_finds_what_it_must():
    for bad in (
        '<div style="x">',
        "<style>a{}</style>",
        "<script>alert(1)</script>",
        '<a onclick="x()">',
        '<a href="javascript:x()">',
    ):
        assert REFUSED.search(bad), bad
    for good in ('<script src="/s.js" defer></script>', '<p class="on">', "hx-on"):
        assert not REFUSED.search(good), good
