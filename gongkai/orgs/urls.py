from django.urls import path

from gongkai.orgs import views

app_name = "office"

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/import/", views.agency_import, name="agency_import"),
    path("agencies/<str:code>/", views.agency_detail, name="agency_detail"),
    path("agencies/<str:code>/edit/", views.agency_edit, name="agency_edit"),
    path("users/", views.user_list, name="user_list"),
]
