from django.conf import settings
from django.http import HttpRequest

from gongkai.orgs.access import is_administrator


def office(request: HttpRequest) -> dict[str, object]:
    """Site name for every page, and whether to show the administration menu."""
    context: dict[str, object] = {"platform_name": settings.SITE_NAME}
    if request.path.startswith("/office/") and request.user.is_authenticated:
        from gongkai.audit.views import is_audit_admin
        from gongkai.orgs.security import is_security_admin

        context["show_admin_menu"] = is_administrator(request.user)
        context["show_audit_menu"] = is_audit_admin(request.user)
        context["show_security_menu"] = is_security_admin(request.user)
    return context
