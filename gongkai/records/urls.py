from django.urls import URLPattern, path

from gongkai.records import views
from gongkai.records.kinds import KINDS

app_name = "records"


def _kind_patterns() -> list[URLPattern]:
    patterns = []
    for slug in KINDS:
        patterns += [
            path(f"{slug}/", views.record_list, {"kind": slug}, name=f"{slug}_list"),
            path(f"{slug}/new/", views.record_edit, {"kind": slug}, name=f"{slug}_new"),
            path(f"{slug}/<int:pk>/edit/", views.record_edit, {"kind": slug}, name=f"{slug}_edit"),
        ]
    return patterns


urlpatterns = [
    path("", views.index, name="index"),
    *_kind_patterns(),
    path("consultations/<int:pk>/", views.consultation, name="consultation"),
    path(
        "consultations/<int:pk>/publish/",
        views.consultation_publish,
        name="consultation_publish",
    ),
    path(
        "consultations/<int:pk>/comments/<int:comment_pk>/",
        views.comment_moderate,
        name="comment_moderate",
    ),
    path(
        "consultations/<int:pk>/feedback/",
        views.consultation_feedback,
        name="consultation_feedback",
    ),
    path("messages/import/", views.messages_import, name="messages_import"),
    path("settings/", views.settings_page, name="settings"),
]
