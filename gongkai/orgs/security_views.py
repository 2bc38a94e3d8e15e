"""The security administrator's page: staff, their second factor, locks and role grants."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.lib.errors import ActionError
from gongkai.orgs import security
from gongkai.orgs.http import AuthenticatedHttpRequest
from gongkai.orgs.models import Agency, Membership, Role, User


class GrantForm(forms.Form):
    user = forms.ModelChoiceField(label=gettext_lazy("User"), queryset=User.objects.none())
    agency = forms.ModelChoiceField(label=gettext_lazy("Agency"), queryset=Agency.objects.none())
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)

    def __init__(self, *args: object, actor: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        user_field = self.fields["user"]
        agency_field = self.fields["agency"]
        assert isinstance(user_field, forms.ModelChoiceField)  # noqa: S101
        assert isinstance(agency_field, forms.ModelChoiceField)  # noqa: S101
        # Staff of the actor's agencies, and new accounts without any role yet.
        users = User.objects.filter(is_active=True).exclude(pk=actor.pk)
        if not actor.is_superuser:
            users = users.filter(security.security_users(actor) | Q(memberships__isnull=True))
        user_field.queryset = users.distinct().order_by("username")
        agency_field.queryset = security.security_agencies(actor).order_by("path")


def _require_security_admin(request: AuthenticatedHttpRequest) -> None:
    if not security.is_security_admin(request.user):
        raise PermissionDenied(_("Only the security administrator may manage login security."))


def _staff(request: AuthenticatedHttpRequest) -> object:
    return User.objects.filter(security.security_users(request.user)).distinct()


def _target(request: AuthenticatedHttpRequest, pk: int) -> User:
    try:
        return User.objects.filter(security.security_users(request.user)).distinct().get(pk=pk)
    except User.DoesNotExist:
        raise Http404(_("No such user.")) from None


@login_required
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_security_admin(request)
    agencies = security.security_agencies(request.user)
    users = (
        User.objects.filter(security.security_users(request.user))
        .distinct()
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(agency__in=agencies)
                .select_related("agency")
                .order_by("agency__path", "role"),
            )
        )
        .order_by("username")
    )
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(Q(username__icontains=query) | Q(full_name__contains=query))
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    enrolled = set(
        TOTPDevice.objects.filter(user__in=[u.pk for u in page], confirmed=True).values_list(
            "user_id", flat=True
        )
    )
    return render(
        request,
        "orgs/security.html",
        {
            "page": page,
            "query": query,
            "enrolled": enrolled,
            "grant_form": GrantForm(actor=request.user),
        },
    )


@login_required
@require_POST
def unlock(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_security_admin(request)
    target = _target(request, pk)
    security.unlock(request.user, target, request=request)
    messages.success(request, _("%(name)s can log in again.") % {"name": target.display_name})
    return redirect("security:overview")


@login_required
@require_POST
def reset_mfa(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_security_admin(request)
    target = _target(request, pk)
    security.reset_second_factor(request.user, target, request=request)
    messages.success(
        request,
        _("The second factor of %(name)s was reset: they enrol again at their next login.")
        % {"name": target.display_name},
    )
    return redirect("security:overview")


@login_required
@require_POST
def grant(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_security_admin(request)
    form = GrantForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            security.grant_role(
                request.user,
                form.cleaned_data["user"],
                form.cleaned_data["agency"],
                form.cleaned_data["role"],
                request=request,
            )
        except ActionError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("The role was granted."))
    else:
        messages.error(request, _("Choose a user, an agency and a role."))
    return redirect("security:overview")


@login_required
@require_POST
def revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_security_admin(request)
    membership = (
        Membership.objects.filter(agency__in=security.security_agencies(request.user))
        .select_related("user", "agency")
        .filter(pk=pk)
        .first()
    )
    if membership is None:
        raise Http404(_("Not found."))
    security.revoke_role(request.user, membership, request=request)
    messages.success(request, _("The role was removed."))
    return redirect("security:overview")
