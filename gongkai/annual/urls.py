from django.urls import path

from gongkai.annual import views
from gongkai.annual.checking import views as checking

app_name = "annual"

urlpatterns = [
    path("", views.report, name="report"),
    path("cell/", views.cell, name="cell"),
    path("status/", views.status, name="status"),
    path("checks/", checking.checks, name="checks"),
    path("checks/<int:pk>/", checking.check_run, name="check_run"),
    path("checks/<int:pk>/progress/", checking.check_run_progress, name="check_run_progress"),
    path("checks/<int:pk>/results.xlsx", checking.check_xlsx, name="check_xlsx"),
    path("checks/<int:pk>/import/<int:index>/", checking.check_import, name="check_import"),
    path(
        "checks/<int:pk>/history/<int:index>/",
        checking.check_import_history,
        name="check_import_history",
    ),
    path("<str:code>/<int:year>/open/", views.open_report, name="open"),
    path("<str:code>/<int:year>/text/", views.save_text, name="text"),
    path("<str:code>/<int:year>/figures/", views.figures, name="figures"),
    path("<str:code>/<int:year>/file.<str:fmt>", views.download, name="file"),
    path("<str:code>/<int:year>/<str:name>/", views.step, name="step"),
]
