"""Password complexity (等保 8.1.4.1 a: 身份鉴别信息具有复杂度要求)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


def character_classes(password: str) -> int:
    """How many of upper case, lower case, digits and other characters occur."""
    return sum(
        [
            any(c.isascii() and c.isupper() for c in password),
            any(c.isascii() and c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not (c.isascii() and c.isalnum()) for c in password),
        ]
    )


class CharacterClassValidator:
    """Require characters from at least `min_classes` of the four classes."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = max(1, min(4, min_classes))

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return ngettext(
            "The password must mix at least %(count)d kind of character: upper-case letters, "
            "lower-case letters, digits, symbols.",
            "The password must mix at least %(count)d kinds of characters: upper-case "
            "letters, lower-case letters, digits, symbols.",
            self.min_classes,
        ) % {"count": self.min_classes}


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length check with a message our catalogue translates.

    Django 5.2.x changed the placeholder of this message and its zh_Hans catalogue has
    not caught up, so Django's own text would show in English.
    """

    def get_error_message(self) -> str:
        return ngettext(
            "The password is too short: it needs at least %(min_length)d character.",
            "The password is too short: it needs at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
