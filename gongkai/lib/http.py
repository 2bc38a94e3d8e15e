"""Helpers for requests."""

from django.http import HttpRequest


def wants_fragment(request: HttpRequest) -> bool:
    """True for an htmx request that swaps part of a page.

    htmx's own history restore (the back button after hx-push-url) asks for the whole
    page, so it gets the whole page.
    """
    details = getattr(request, "htmx", None)
    return bool(details) and not details.history_restore_request  # type: ignore[union-attr]
