"""Password complexity (等保 8.1.4.1 a: 身份鉴别信息具有复杂度要求)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext, ngettext


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


class PasswordHistoryValidator:
    """Refuse the current password and the last `count` ones (PASSWORD_HISTORY_COUNT)."""

    def __init__(self, count: int | None = None) -> None:
        self._count = count

    @property
    def count(self) -> int:
        return self._count if self._count is not None else int(settings.PASSWORD_HISTORY_COUNT)

    def _recent(self, user: Any) -> list[str]:
        from gongkai.orgs.models import PasswordHistory

        if user is None or user.pk is None or self.count <= 0:
            return []
        hashes = list(
            PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)[
                : self.count
            ]
        )
        if user.password and user.has_usable_password():
            hashes.append(user.password)
        return hashes

    def validate(self, password: str, user: Any = None) -> None:
        if any(check_password(password, encoded) for encoded in self._recent(user)):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password: str, user: Any = None) -> None:
        from gongkai.orgs.models import PasswordHistory

        if user is None or user.pk is None or self.count <= 0 or not user.password:
            return
        kept = set(
            PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)
        )
        replaced = getattr(user, "replaced_password", "")
        now = timezone.now()
        for encoded, at in ((replaced, now - timedelta(microseconds=1)), (user.password, now)):
            if encoded and encoded not in kept and not encoded.startswith("!"):
                PasswordHistory.objects.create(user_id=user.pk, password=encoded, created_at=at)
                kept.add(encoded)
        stale = PasswordHistory.objects.filter(user_id=user.pk).values_list("pk", flat=True)[
            self.count :
        ]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self) -> str:
        return gettext(
            "The new password must differ from the current one and the last %(count)d."
        ) % {"count": self.count}
