"""Typing helpers for requests of staff views."""

from django.http import HttpRequest

from gongkai.orgs.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind @login_required: `user` is a staff User."""

    user: User
