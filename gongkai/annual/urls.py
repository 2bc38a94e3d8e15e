from django.urls import path

from gongkai.annual import views

app_name = "annual"

urlpatterns = [
    path("", views.report, name="report"),
    path("cell/", views.cell, name="cell"),
    path("status/", views.status, name="status"),
    path("<str:code>/<int:year>/open/", views.open_report, name="open"),
    path("<str:code>/<int:year>/text/", views.save_text, name="text"),
    path("<str:code>/<int:year>/figures/", views.figures, name="figures"),
    path("<str:code>/<int:year>/file.<str:fmt>", views.download, name="file"),
    path("<str:code>/<int:year>/<str:name>/", views.step, name="step"),
]
