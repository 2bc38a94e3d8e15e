from django.urls import path

from gongkai.publishing import register_views, views

app_name = "publishing"

urlpatterns = [
    path("", views.item_list, name="list"),
    path("new/", views.item_new, name="new"),
    path("<int:pk>/", views.item_detail, name="detail"),
    path("<int:pk>/edit/", views.item_edit, name="edit"),
    path("<int:pk>/sheet/", views.approval_sheet, name="sheet"),
    path("<int:pk>/versions/<int:number>/", views.version_diff, name="version_diff"),
    path("<int:pk>/step/<str:step>/", views.item_step, name="step"),
    path(
        "<int:pk>/attachments/<int:attachment>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "<int:pk>/attachments/<int:attachment>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path(
        "<int:pk>/attachments/<int:attachment>/replace/",
        views.attachment_replace,
        name="attachment_replace",
    ),
    path("normative/", register_views.normative_list, name="normative_list"),
    path("normative/new/", register_views.normative_edit, name="normative_new"),
    path("normative/<int:pk>/", register_views.normative_edit, name="normative_edit"),
    path("normative/cleanup/", register_views.cleanup_new, name="cleanup_new"),
    path("figures/", register_views.figures, name="figures"),
    path("settings/", register_views.catalog_settings, name="settings"),
    path("settings/review/", register_views.review_settings, name="review_settings"),
    path("import/", register_views.import_page, name="import"),
]
