from django.urls import path

from gongkai.annual import views

app_name = "annual"

urlpatterns = [
    path("", views.report, name="report"),
    path("cell/", views.cell, name="cell"),
]
