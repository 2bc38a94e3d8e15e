"""The back office's page of failed background tasks, for the installation's administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.jobs import actions, queue
from gongkai.jobs.models import TaskFailure
from gongkai.lib.errors import ActionError
from gongkai.orgs.http import AuthenticatedHttpRequest
from gongkai.orgs.models import Membership, Role, User

PER_PAGE = 50


def may_see_failures(user: User) -> bool:
    """The superuser and the administrators of a top-level agency: a failed task may concern
    any agency's records (an e-mail, a report check, the search index)."""
    return user.is_superuser or (
        Membership.objects.filter(user=user, role=Role.ADMIN, agency__parent__isnull=True).exists()
    )


def _require(user: User) -> None:
    if not may_see_failures(user):
        raise PermissionDenied(_("Only the installation's administrators see failed tasks."))


@login_required
def failures(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request.user)
    show_all = request.GET.get("show") == "all"
    found = TaskFailure.objects.select_related("retried_by")
    if not show_all:
        found = found.open()
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"failure": f, "task": queue.label(f.task_path)} for f in page]
    return render(
        request,
        "jobs/failures.html",
        {
            "page": page,
            "rows": rows,
            "show_all": show_all,
            "query": "show=all" if show_all else "",
            "open_count": TaskFailure.objects.open().count(),
        },
    )


@login_required
@require_POST
def retry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(request.user)
    failure = get_object_or_404(TaskFailure, pk=pk)
    try:
        actions.retry_failure(failure, actor=request.user, request=request)
    except ActionError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The task %(task)s was queued again; the list shows it as resolved once it succeeds.")
            % {"task": queue.label(failure.task_path)},
        )
    return redirect("jobs:failures")
