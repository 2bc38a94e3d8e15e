from django.urls import path

from gongkai.orgs import security_views

app_name = "security"

urlpatterns = [
    path("", security_views.overview, name="overview"),
    path("users/<int:pk>/unlock/", security_views.unlock, name="unlock"),
    path("users/<int:pk>/reset-mfa/", security_views.reset_mfa, name="reset_mfa"),
    path("roles/grant/", security_views.grant, name="grant"),
    path("roles/<int:pk>/revoke/", security_views.revoke, name="revoke"),
]
