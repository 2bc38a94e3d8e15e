from django.urls import path

from gongkai.office import hotline, views
from gongkai.orgs import views as orgs_views

app_name = "office"

urlpatterns = [
    path("", views.home, name="home"),
    path("calendar/<int:year>/", views.calendar_year_edit, name="calendar_year_edit"),
    path("agencies/", orgs_views.agency_list, name="agency_list"),
    path("agencies/import/", orgs_views.agency_import, name="agency_import"),
    path("agencies/<str:code>/", orgs_views.agency_detail, name="agency_detail"),
    path("agencies/<str:code>/edit/", orgs_views.agency_edit, name="agency_edit"),
    path("users/", orgs_views.user_list, name="user_list"),
    path("hotline/<int:pk>/publish/", hotline.message_publish, name="message_publish"),
    path("hotline/<int:pk>/withdraw/", hotline.message_withdraw, name="message_withdraw"),
]
