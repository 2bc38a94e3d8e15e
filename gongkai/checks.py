"""System checks that turn configuration mistakes into clear messages at start-up.

settings.py collects problems in CONFIG_ERRORS instead of raising, so that `manage.py`
and the WSGI entry point stop with one readable message rather than a stack trace.
"""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.utils.translation import gettext as _


def _message(check_id: str, detail: str) -> Error:
    if check_id == "gongkai.E001":
        return Error(
            _("SECRET_KEY is not set."),
            hint=_(
                "In production mode (DEBUG off) set the environment variable SECRET_KEY "
                "to at least 50 random characters."
            ),
            id=check_id,
        )
    if check_id == "gongkai.E004":
        return Error(
            _("A numeric setting is out of range: %(detail)s") % {"detail": detail},
            hint=_(
                "Give a whole number within the range shown; docs/configuration.md lists the settings."
            ),
            id=check_id,
        )
    if check_id == "gongkai.E005":
        return Error(
            _("CSP_MODE is “%(value)s”.") % {"value": detail},
            hint=_("Use off, report-only or enforce."),
            id=check_id,
        )
    if check_id == "gongkai.E006":
        return Error(
            _("DATABASE_REPLICA_URLS cannot be used: %(detail)s") % {"detail": detail},
            hint=_(
                "Read replicas need PostgreSQL: DATABASE_URL and each comma-separated "
                "replica URL must be postgres://user:password@host:5432/dbname."
            ),
            id=check_id,
        )
    if check_id == "gongkai.E003":
        return Error(
            _("WORKDAY_DAY_ONE is “%(value)s”.") % {"value": detail},
            hint=_(
                "Use after_event (day 1 is the first working day after the event) or event_day."
            ),
            id=check_id,
        )
    return Error(
        _("DATABASE_URL cannot be understood: %(detail)s") % {"detail": detail},
        hint=_(
            "Examples: postgres://user:password@host:5432/dbname or "
            "sqlite:////absolute/path/gongkai.sqlite3. Leave it unset to use the "
            "built-in SQLite file."
        ),
        id=check_id,
    )


@register("gongkai")
def check_configuration(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    return [_message(check_id, detail) for check_id, detail in settings.CONFIG_ERRORS]


@register("gongkai", deploy=True)
def check_security_keys(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """`check --deploy`: the audit chain's key must be set on its own (docs/security.md)."""
    messages: list[CheckMessage] = []
    if settings.AUDIT_KEY_MISSING:
        messages.append(
            Warning(
                _("AUDIT_KEY is not set: the audit log's chain is keyed from SECRET_KEY."),
                hint=_(
                    "Set AUDIT_KEY to at least 32 random characters, different from "
                    "SECRET_KEY, and keep it outside the database (docs/security.md)."
                ),
                id="gongkai.W001",
            )
        )
    return messages
