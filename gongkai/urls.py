from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from gongkai.orgs import views as staff_views

admin.site.site_header = _("Government Information Disclosure Platform · administration")
admin.site.site_title = _("Administration")
admin.site.index_title = _("System administration")

urlpatterns = [
    path("", include("gongkai.portal.urls")),
    path("office/login/", staff_views.LoginView.as_view(), name="login"),
    path("office/logout/", staff_views.LogoutView.as_view(), name="logout"),
    path("office/password/", staff_views.PasswordChangeView.as_view(), name="password_change"),
    path("office/audit/", include("gongkai.audit.urls")),
    path("office/calendar/", include("gongkai.workdays.urls")),
    path("office/foi/", include("gongkai.foi.urls")),
    path("office/catalog/", include("gongkai.publishing.urls")),
    path("office/annual/", include("gongkai.annual.urls")),
    path("office/", include("gongkai.orgs.urls")),
    path("admin/", admin.site.urls),
]
