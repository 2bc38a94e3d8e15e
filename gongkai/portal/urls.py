from django.urls import path

from gongkai.annual import public as annual_reports
from gongkai.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/<str:code>/", views.agency, name="agency"),
    path("agencies/<str:code>/apply/", views.apply, name="apply"),
    path("apply/", views.apply_choose, name="apply_choose"),
    path("apply/done/", views.apply_done, name="apply_done"),
    path("track/", views.track, name="track"),
    path("annual-reports/", annual_reports.report_list, name="annual_reports"),
    path("annual-reports/<str:code>/<int:year>/", annual_reports.report_page, name="annual_report"),
    path(
        "annual-reports/<str:code>/<int:year>/r<int:number>.<str:fmt>",
        annual_reports.report_file,
        name="annual_report_file",
    ),
    path("items/<int:pk>/", views.item, name="item"),
    path(
        "items/<int:pk>/attachments/<int:attachment>/",
        views.item_attachment,
        name="item_attachment",
    ),
]
