"""The public portal (政府信息公开专栏): no login."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from gongkai.orgs.models import Agency


def home(request: HttpRequest) -> HttpResponse:
    agencies = Agency.objects.active().order_by("path")
    return render(request, "portal/home.html", {"agencies": agencies})


def agency(request: HttpRequest, code: str) -> HttpResponse:
    """An agency's column: for now its disclosure office's contact details (第十二条)."""
    item = get_object_or_404(Agency.objects.active(), code=code)
    return render(
        request,
        "portal/agency.html",
        {
            "agency": item,
            "ancestors": item.ancestors(),
            "children": Agency.objects.active().filter(parent=item),
        },
    )
