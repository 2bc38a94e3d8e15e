"""Errors shared by the apps' actions."""

from django.core.exceptions import ValidationError


class ActionError(ValidationError):
    """A step is not possible now; the message says why, in Chinese."""
