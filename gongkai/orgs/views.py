"""Back-office views for staff: login, agencies and staff (the home page is gongkai.office)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.audit.log import record
from gongkai.audit.models import Action
from gongkai.lib.http import wants_fragment
from gongkai.lib.ratelimit import wait_minutes
from gongkai.orgs import actions, login_limits
from gongkai.orgs.access import (
    can_manage_agency,
    get_agency_for_user,
    is_administrator,
    visible_agencies,
    visible_users,
)
from gongkai.orgs.forms import (
    AgencyContactForm,
    AgencyImportForm,
    AgencyLetterSettingsForm,
    LoginForm,
)
from gongkai.orgs.http import AuthenticatedHttpRequest
from gongkai.orgs.importer import StructureError, import_agencies, read_file
from gongkai.orgs.models import Membership

# A plain flag cookie set at login and removed at logout. When a login page is reached
# with it still present, the session ended by itself (idle timeout), and the page says so.
STAFF_COOKIE = "gongkai_staff"


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["session_expired"] = bool(
            self.request.GET.get("next") and self.request.COOKIES.get(STAFF_COOKIE)
        )
        context["idle_minutes"] = settings.SESSION_IDLE_MINUTES
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")
        seconds = login_limits.locked_for(request, username) if username else 0
        if seconds:
            # Refused before the password is checked, and not counted: no extension.
            record(
                Action.LOGIN_FAILED,
                actor_name=username[:150],
                success=False,
                request=request,
                detail={"locked": True},
            )
            return lockout_page(request, username, seconds)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        seconds = getattr(form, "locked_seconds", 0)
        if seconds:
            username = form.cleaned_data.get("username") or ""
            record(
                Action.LOCKED_OUT, actor_name=username[:150], success=False, request=self.request
            )
            return lockout_page(self.request, username, seconds)
        return super().form_invalid(form)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        login_limits.clear_after_success(self.request, form.get_user().get_username())
        response = super().form_valid(form)
        response.set_cookie(
            STAFF_COOKIE,
            "1",
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response.delete_cookie(STAFF_COOKIE)
        messages.info(request, _("You have logged out."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("office:home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record(Action.PASSWORD_CHANGED, actor=self.request.user, request=self.request)
        messages.success(self.request, _("Your password has been changed."))
        return response


def lockout_page(request: HttpRequest, username: str, seconds: int) -> HttpResponse:
    """The page of a locked login: when it unlocks, in Chinese (status 429)."""
    unlock_at = timezone.now() + timedelta(seconds=seconds)
    return render(
        request,
        "registration/locked_out.html",
        {
            "username": username,
            "unlock_at": unlock_at,
            "minutes_left": wait_minutes(seconds),
            "failure_limit": settings.LOGIN_FAILURE_LIMIT,
        },
        status=429,
    )


def admin_login(request: HttpRequest) -> HttpResponse:
    """/admin/login/: the back office's login (limits, second factor, expiry) instead."""
    target = request.GET.get("next") or "/admin/"
    if request.user.is_authenticated:
        return redirect(target if target.startswith("/") else "/admin/")
    return redirect(f"{reverse('login')}?{urlencode({'next': target})}")


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = visible_agencies(request.user).annotate(
        staff_count=Count("memberships__user", distinct=True)
    )
    query = request.GET.get("q", "").strip()
    if query:
        agencies = agencies.filter(Q(name__contains=query) | Q(code__icontains=query))
    # The search box asks for just the table rows through htmx as the user types.
    template = "orgs/_agency_rows.html" if wants_fragment(request) else "orgs/agency_list.html"
    return render(request, template, {"agencies": agencies.order_by("path"), "query": query})


@login_required
def agency_detail(request: HttpRequest, code: str) -> HttpResponse:
    agency = get_agency_for_user(request.user, code)
    memberships = agency.memberships.select_related("user").order_by("role", "user__username")
    children = visible_agencies(request.user).filter(parent=agency)
    return render(
        request,
        "orgs/agency_detail.html",
        {
            "agency": agency,
            "memberships": memberships,
            "children": children,
            "ancestors": agency.ancestors(),
            "can_edit": can_manage_agency(request.user, agency),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    agency = get_agency_for_user(request.user, code)
    if not can_manage_agency(request.user, agency):
        raise PermissionDenied(
            _(
                "Only the head of the disclosure office or an administrator may change these details."
            )
        )
    # Two forms on the page, each with its own submit: the letters form posts
    # section=letters, anything else is the contact form.
    letters_post = request.method == "POST" and request.POST.get("section") == "letters"
    contact_post = request.method == "POST" and not letters_post
    form = AgencyContactForm(request.POST if contact_post else None, instance=agency)
    letters_form = AgencyLetterSettingsForm(
        request.POST if letters_post else None, instance=agency, prefix="letters"
    )
    if contact_post and form.is_valid():
        values = {name: form.cleaned_data[name] for name in AgencyContactForm.Meta.fields}
        actions.update_contact(agency, values, actor=request.user, request=request)
        messages.success(
            request, _("The contact details of %(name)s were saved.") % {"name": agency.name}
        )
        return redirect("office:agency_detail", code=agency.code)
    if letters_post and letters_form.is_valid():
        fields = AgencyLetterSettingsForm.Meta.fields
        values = {name: letters_form.cleaned_data[name] for name in fields}
        actions.update_letter_settings(agency, values, actor=request.user, request=request)
        messages.success(
            request, _("The letter settings of %(name)s were saved.") % {"name": agency.name}
        )
        return redirect("office:agency_detail", code=agency.code)
    return render(
        request,
        "orgs/agency_edit.html",
        {"agency": agency, "form": form, "letters_form": letters_form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a CSV/XLSX of agencies (system administrators of the whole installation)."""
    if not request.user.is_superuser:
        raise PermissionDenied(
            _("Only the system administrator of the installation may import agencies.")
        )
    form = AgencyImportForm(request.POST or None, request.FILES or None)
    report = None
    structure_error = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_file(upload, filename=upload.name)
        except StructureError as exc:
            structure_error = str(exc)
        else:
            report = import_agencies(
                rows,
                dry_run=form.cleaned_data["dry_run"],
                actor=request.user,
                source=upload.name,
                request=request,
            )
    return render(
        request,
        "orgs/agency_import.html",
        {"form": form, "report": report, "structure_error": structure_error},
    )


@login_required
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not is_administrator(request.user):
        raise PermissionDenied(_("Only administrators may see the staff list."))
    users = visible_users(request.user).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(agency__in=visible_agencies(request.user))
            .select_related("agency")
            .order_by("agency__path", "role"),
        )
    )
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(Q(username__icontains=query) | Q(full_name__contains=query))
    page = Paginator(users.order_by("username"), 50).get_page(request.GET.get("page"))
    return render(request, "orgs/user_list.html", {"page": page, "query": query})
