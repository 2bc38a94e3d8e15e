from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from gongkai.api.api import api
from gongkai.orgs import mfa_views
from gongkai.orgs import views as staff_views
from gongkai.portal import integrity_views as portal_integrity
from gongkai.portal.csp_report import csp_report
from gongkai.portal.sitemaps import SITEMAPS

admin.site.site_header = _("Government Information Disclosure Platform · administration")
admin.site.site_title = _("Administration")
admin.site.index_title = _("System administration")

urlpatterns = [
    path("", include("gongkai.portal.urls")),
    # 发布记录校验值 (gongkai.publishing.integrity), here to keep portal/urls.py untouched.
    path(
        "publication-record/",
        portal_integrity.publication_log_head,
        name="publication_log_head",
    ),
    path(
        "publication-record/feed/",
        portal_integrity.PublicationHeadFeed(),
        name="publication_log_feed",
    ),
    path(
        "publication-record/head.json",
        portal_integrity.publication_log_head_json,
        name="publication_log_head_json",
    ),
    # An index of the sections: the catalog's section runs to many pages (?p=2, …).
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("api/v1/", api.urls),
    # Content-Security-Policy violation reports (settings.CSP_REPORT_URI).
    path("csp-report/", csp_report, name="csp_report"),
    path("office/login/", staff_views.LoginView.as_view(), name="login"),
    path("office/logout/", staff_views.LogoutView.as_view(), name="logout"),
    path("office/mfa/", mfa_views.second_factor, name="mfa"),
    path("office/mfa/recovery-codes/", mfa_views.recovery_codes, name="mfa_recovery_codes"),
    path("office/security/", include("gongkai.orgs.security_urls")),
    # The admin's own login page would skip the back office's limits: use the one login.
    path("admin/login/", staff_views.admin_login, name="admin_login"),
    path("office/password/", staff_views.PasswordChangeView.as_view(), name="password_change"),
    path("office/audit/", include("gongkai.audit.urls")),
    path("office/calendar/", include("gongkai.workdays.urls")),
    path("office/tasks/", include("gongkai.jobs.urls")),
    path("office/foi/", include("gongkai.foi.urls")),
    path("office/catalog/", include("gongkai.publishing.urls")),
    path("office/annual/", include("gongkai.annual.urls")),
    path("office/records/", include("gongkai.records.urls")),
    path("office/evaluation/", include("gongkai.evaluation.urls")),
    path("office/", include("gongkai.office.urls")),
    path("admin/", admin.site.urls),
]
