"""Typing helpers for requests."""

from django.http import HttpRequest

from gongkai.orgs.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind @login_required: `user` is a staff User."""

    user: User


def wants_fragment(request: HttpRequest) -> bool:
    """True for an htmx request that swaps part of a page.

    htmx's own history restore (the back button after hx-push-url) asks for the whole
    page, so it gets the whole page.
    """
    details = getattr(request, "htmx", None)
    return bool(details) and not details.history_restore_request  # type: ignore[union-attr]
