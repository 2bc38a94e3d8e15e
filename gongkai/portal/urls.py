from django.urls import path

from gongkai.portal import annual_reports, column, consultations, feeds, preferences, views

app_name = "portal"

urlpatterns = [
    path("", column.column_home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("guide/", column.guides, name="guides"),
    path("catalog/", column.catalog, name="catalog"),
    path("normative/", column.normative, name="normative"),
    path("search/", column.search_page, name="search"),
    path("agencies/<str:code>/", column.column_home, name="agency"),
    path("agencies/<str:code>/guide/", column.guide, name="agency_guide"),
    path("agencies/<str:code>/rules/", column.rules, name="agency_rules"),
    path("agencies/<str:code>/catalog/", column.catalog, name="agency_catalog"),
    path("agencies/<str:code>/normative/", column.normative, name="agency_normative"),
    path("agencies/<str:code>/search/", column.search_page, name="agency_search"),
    path("agencies/<str:code>/on-request/", column.on_request, name="agency_on_request"),
    path("agencies/<str:code>/apply/", views.apply, name="apply"),
    path(
        "agencies/<str:code>/application-form.<str:fmt>",
        views.application_form_file,
        name="application_form",
    ),
    path("apply/", views.apply_choose, name="apply_choose"),
    path("apply/done/", views.apply_done, name="apply_done"),
    path("track/", views.track, name="track"),
    path("track/resend/", views.resend_code, name="resend_code"),
    path("track/<str:number>/", views.track_case, name="track_case"),
    path("track/<str:number>/correction/", views.track_correction, name="track_correction"),
    path("track/<str:number>/letters/<int:letter>.pdf", views.track_letter, name="track_letter"),
    path("preferences/script/<str:script>/", preferences.set_script, name="set_script"),
    path("preferences/care/<str:on>/", preferences.set_care, name="set_care"),
    path("annual-reports/", annual_reports.report_list, name="annual_reports"),
    path("annual-reports/<str:code>/<int:year>/", annual_reports.report_page, name="annual_report"),
    path(
        "annual-reports/<str:code>/<int:year>/r<int:number>.<str:fmt>",
        annual_reports.report_file,
        name="annual_report_file",
    ),
    path("consultations/", consultations.consultation_list, name="consultations"),
    path("consultations/<int:pk>/", consultations.consultation, name="consultation"),
    path("items/<int:pk>/", views.item, name="item"),
    path("items/<int:pk>/versions/<int:number>/", views.item_version, name="item_version"),
    path(
        "items/<int:pk>/attachments/<int:attachment>/",
        views.item_attachment,
        name="item_attachment",
    ),
    path("feeds/items.rss", feeds.ItemsFeed(), name="feed_rss"),
    path("feeds/items.atom", feeds.AtomItemsFeed(), name="feed_atom"),
    path("agencies/<str:code>/feeds/items.rss", feeds.ItemsFeed(), name="agency_feed_rss"),
    path("agencies/<str:code>/feeds/items.atom", feeds.AtomItemsFeed(), name="agency_feed_atom"),
]
