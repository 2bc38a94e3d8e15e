from django.urls import path

from gongkai.foi import template_views, views

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
        "<int:pk>/letters/<int:letter_pk>/deliveries/",
        views.letter_delivery,
        name="letter_delivery",
    ),
    path(
        "<int:pk>/letters/<int:letter_pk>/deliveries/<int:delivery_pk>/retry/",
        views.letter_delivery_retry,
        name="letter_delivery_retry",
    ),
    path(
        "<int:pk>/letters/<int:letter_pk>/<str:action>/", views.letter_action, name="letter_action"
    ),
    path("<int:pk>/letters/<int:letter_pk>.<str:fmt>", views.letter_file, name="letter_file"),
    path("<int:pk>/remedies/<int:remedy_pk>/", views.remedy_decide, name="remedy_decide"),
    # Letter templates: the installation's defaults, then one agency's.
    path("letter-templates/", template_views.template_list, name="letter_templates"),
    path(
        "letter-templates/agency/<str:code>/",
        template_views.template_list_agency,
        name="letter_templates_agency",
    ),
    path(
        "letter-templates/agency/<str:code>/<str:name>/",
        template_views.template_edit_agency,
        name="letter_template_agency",
    ),
    path(
        "letter-templates/<str:name>/",
        template_views.template_edit,
        name="letter_template_default",
    ),
]
