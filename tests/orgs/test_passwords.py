from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from gongkai.orgs.passwords import CharacterClassValidator, character_classes


@pytest.mark.parametrize(
    ("password", "classes"),
    [("abcdefgh", 1), ("abcDEFgh", 2), ("abcDEF12", 3), ("abcD-F12", 4), ("密码abc12", 3)],
)
def test_character_classes_are_counted(password, classes):
    assert character_classes(password) == classes


def test_a_password_with_too_few_kinds_of_character_is_refused_in_chinese():
    with pytest.raises(ValidationError) as excinfo:
        CharacterClassValidator(3).validate("abcdefgh12")
    assert "至少包含以下 3 类字符" in excinfo.value.messages[0]
    CharacterClassValidator(3).validate("abcdefGH12")


@pytest.mark.django_db
def test_the_configured_validators_refuse_short_simple_and_common_passwords():
    for weak in ["Ab1!", "password", "12345678", "abcdefghij"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Qingshan-2026")
