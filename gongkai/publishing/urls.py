from django.urls import path

from gongkai.publishing import views

app_name = "publishing"

urlpatterns = [
    path("", views.item_list, name="list"),
    path("new/", views.item_new, name="new"),
    path("<int:pk>/", views.item_detail, name="detail"),
    path("<int:pk>/sheet/", views.approval_sheet, name="sheet"),
    path("<int:pk>/step/<str:step>/", views.item_step, name="step"),
]
