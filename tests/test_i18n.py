"""The interface speaks Simplified Chinese."""

from __future__ import annotations

from pathlib import Path

import polib
from django.conf import settings

PO = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_has_a_chinese_translation():
    catalogue = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy


def test_placeholders_survive_translation():
    catalogue = polib.pofile(str(PO))
    import re

    pattern = re.compile(r"%\((\w+)\)[sd]")
    for entry in catalogue:
        translated = entry.msgstr or entry.msgstr_plural.get(0, "")
        assert set(pattern.findall(entry.msgid)) == set(pattern.findall(translated)), entry.msgid


def test_settings_follow_the_design():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert settings.AUTH_USER_MODEL == "orgs.User"
