from django.urls import path

from gongkai.evaluation import board_views, rectification_views, views

app_name = "evaluation"

urlpatterns = [
    path("", views.index, name="index"),
    path("open/<str:code>/<int:year>/", views.open_year, name="open"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/results/<int:indicator_pk>/", views.save_result, name="save_result"),
    path("<int:pk>/evidence/<int:indicator_pk>/", views.add_evidence, name="add_evidence"),
    path("<int:pk>/evidence/file/<int:evidence_pk>/", views.evidence_file, name="evidence_file"),
    path(
        "<int:pk>/evidence/file/<int:evidence_pk>/remove/",
        views.remove_evidence,
        name="remove_evidence",
    ),
    path("<int:pk>/evidence.zip", views.evidence_zip, name="evidence_zip"),
    path("<int:pk>/report/", views.save_report, name="save_report"),
    path("<int:pk>/report/redraft/", views.redraft, name="redraft"),
    path("<int:pk>/report.<str:fmt>", views.report_file, name="report_file"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/return/", views.return_evaluation, name="return"),
    path("<int:pk>/drill/<str:key>/", views.drilldown, name="drilldown"),
    path("systems/", views.systems, name="systems"),
    path("systems/<int:pk>/", views.system, name="system"),
    path("systems/<int:pk>/copy/", views.copy_system, name="copy_system"),
    path("systems/<int:pk>/indicators/new/", views.save_indicator, name="new_indicator"),
    path(
        "systems/<int:pk>/indicators/<int:indicator_pk>/",
        views.save_indicator,
        name="save_indicator",
    ),
    path(
        "systems/<int:pk>/indicators/<int:indicator_pk>/delete/",
        views.delete_indicator,
        name="delete_indicator",
    ),
    path("systems/<int:pk>/export.xlsx", views.export_system, name="export_system"),
    path("systems/<int:pk>/import/", views.import_system, name="import_system"),
    # The supervising office: the review, and the rectification tasks (整改).
    path(
        "<int:pk>/review/<int:indicator_pk>/",
        rectification_views.review_result,
        name="review_result",
    ),
    path("rectifications/", rectification_views.rectification_list, name="rectifications"),
    path(
        "rectifications/new/",
        rectification_views.rectification_create,
        name="rectification_create",
    ),
    path(
        "rectifications/<int:pk>/",
        rectification_views.rectification_detail,
        name="rectification",
    ),
    path(
        "rectifications/<int:pk>/answer/",
        rectification_views.rectification_answer,
        name="rectification_answer",
    ),
    path(
        "rectifications/<int:pk>/<str:step>/",
        rectification_views.rectification_decide,
        name="rectification_decide",
    ),
    path(
        "rectifications/<int:pk>/files/<int:file_pk>/",
        rectification_views.rectification_file,
        name="rectification_file",
    ),
    path("board/", board_views.board_page, name="board"),
    path("board.xlsx", board_views.board_xlsx, name="board_xlsx"),
    path("board/drill/<str:code>/<str:key>/", board_views.board_drill, name="board_drill"),
]
