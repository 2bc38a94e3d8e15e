"""The append-only audit log of staff actions and logins (等保 8.1.4.3 安全审计).

Rows are written only through gongkai.audit.record(). The model refuses updates and
deletes through the ORM, and a database trigger refuses UPDATE on both SQLite and
PostgreSQL, so that a record cannot be edited after the fact.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    """Everything the audit log records. Later apps add their actions here."""

    LOGIN = "auth.login", _("Logged in")
    LOGIN_FAILED = "auth.login_failed", _("Failed login")
    LOCKED_OUT = "auth.locked_out", _("Account locked after failed logins")
    LOGOUT = "auth.logout", _("Logged out")
    PASSWORD_CHANGED = "auth.password_changed", _("Changed password")
    AGENCY_CREATED = "orgs.agency_created", _("Created agency")
    AGENCY_UPDATED = "orgs.agency_updated", _("Changed agency")
    AGENCIES_IMPORTED = "orgs.agencies_imported", _("Imported agencies")
    MEMBERSHIP_ADDED = "orgs.membership_added", _("Granted role")
    MEMBERSHIP_REMOVED = "orgs.membership_removed", _("Removed role")
    FOI_STEP = "foi.step", _("Handled an application")
    LETTER_TEMPLATE_CHANGED = "foi.letter_template", _("Changed a letter template")
    PUBLISHING_STEP = "publishing.step", _("Handled a catalog item")
    ANNUAL_STEP = "annual.step", _("Handled an annual report")
    RECORDS_STEP = "records.step", _("Handled a record of the other disclosure work")
    EVALUATION_STEP = "evaluation.step", _("Handled a self-evaluation or an indicator system")
    RECTIFICATION_STEP = "evaluation.rectification", _("Handled a rectification task")
    CALENDAR_CHANGED = "workdays.calendar_changed", _("Changed the holiday calendar")
    ADMIN_ADDED = "admin.added", _("Added in the administration site")
    ADMIN_CHANGED = "admin.changed", _("Changed in the administration site")
    ADMIN_DELETED = "admin.deleted", _("Deleted in the administration site")
    ACCOUNT_UNLOCKED = "auth.unlocked", _("Unlocked an account")
    GROUPS_CHANGED = "auth.groups_changed", _("Changed a user's groups or permissions")
    MFA_ENROLLED = "auth.mfa_enrolled", _("Enrolled a second factor")
    MFA_VERIFIED = "auth.mfa_verified", _("Passed the second factor")
    MFA_FAILED = "auth.mfa_failed", _("Failed the second factor")
    MFA_RESET = "auth.mfa_reset", _("Reset a user's second factor")
    RECOVERY_CODE_USED = "auth.recovery_code_used", _("Used a recovery code")
    EXPORTED = "data.exported", _("Exported data")
    ID_NUMBER_VIEWED = "data.id_number_viewed", _("Viewed a full ID number")
    ID_SCAN_VIEWED = "data.id_scan_viewed", _("Viewed an identity document")
    AUDIT_EXPORTED = "audit.exported", _("Exported the audit log")
    PUBLICATION_HEAD = "publishing.log_head", _("Recorded the publication log head")
    RATE_LIMITED = "security.rate_limited", _("Stopped by a rate limit")
    TASK_RETRIED = "jobs.task_retried", _("Queued a failed task again")


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("The audit log is append-only.")

    def delete(self) -> NoReturn:
        raise TypeError("The audit log is append-only.")


class AuditEntry(models.Model):
    """Who did what, when, to which object, and whether it succeeded."""

    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    # The name as typed or as it was at the time; kept when the user is renamed or removed.
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, choices=Action.choices, db_index=True)
    success = models.BooleanField(_("success"), default=True)
    agency = models.ForeignKey(
        "orgs.Agency",
        verbose_name=_("agency"),
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    # The chain (gongkai.audit.integrity): 1, 2, 3 … without gaps, and the HMAC of this
    # entry and the previous entry's MAC.
    seq = models.PositiveBigIntegerField(_("number"), unique=True, null=True, editable=False)
    mac = models.CharField(_("chain MAC"), max_length=64, blank=True, editable=False)
    # Which AUDIT_KEY made the MAC (gongkai.audit.integrity.key_id), for key rotation;
    # empty for entries written before key ids.
    key_id = models.CharField(_("key id"), max_length=16, blank=True, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["actor", "at"]), models.Index(fields=["agency", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.get_action_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("The audit log is append-only.")


class AuditChainHead(models.Model):
    """One row: the newest entry's number and MAC, and the HMAC of both.

    Updated with each entry under a row lock, which also serialises the chain's writers.
    """

    seq = models.PositiveBigIntegerField(default=0)
    mac = models.CharField(max_length=64, default="")
    signature = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.seq} {self.mac[:12]}"
