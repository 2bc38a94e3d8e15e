from django.urls import path

from gongkai.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/<str:code>/", views.agency, name="agency"),
    path("agencies/<str:code>/apply/", views.apply, name="apply"),
    path("apply/", views.apply_choose, name="apply_choose"),
    path("apply/done/", views.apply_done, name="apply_done"),
    path("track/", views.track, name="track"),
    path("items/<int:pk>/", views.item, name="item"),
    path(
        "items/<int:pk>/attachments/<int:attachment>/",
        views.item_attachment,
        name="item_attachment",
    ),
]
