from django.urls import path

from gongkai.jobs import views

app_name = "jobs"

urlpatterns = [
    path("failed/", views.failures, name="failures"),
    path("failed/<int:pk>/retry/", views.retry, name="retry"),
]
