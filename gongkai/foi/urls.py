from django.urls import path

from gongkai.foi import views

app_name = "foi"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("register/", views.application_register, name="register"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/assign/", views.application_assign, name="assign"),
    path("<int:pk>/step/<str:step>/", views.application_step, name="step"),
    path("extension-requests/<int:pk>/", views.extension_decide, name="extension_decide"),
    path("<int:pk>/remedies/", views.remedy_add, name="remedy_add"),
    path("<int:pk>/letters/", views.letter_draft, name="letter_draft"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_file, name="attachment"),
    path(
        "<int:pk>/letters/<int:letter_pk>/<str:action>/", views.letter_action, name="letter_action"
    ),
    path("<int:pk>/letters/<int:letter_pk>.<str:fmt>", views.letter_file, name="letter_file"),
    path("<int:pk>/remedies/<int:remedy_pk>/", views.remedy_decide, name="remedy_decide"),
]
