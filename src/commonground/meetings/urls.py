from django.urls import path

from commonground.meetings import advisory_views, programme_views, views

app_name = "meetings"
urlpatterns = [
    path("forums/<slug:slug>/sessions/", views.session_list, name="list"),
    path("forums/<slug:slug>/sessions/new/", views.propose, name="propose"),
    path("forums/<slug:slug>/sessions/screen/", views.screen, name="screen"),
    path("forums/<slug:slug>/sessions/ranking/", programme_views.ranking, name="ranking"),
    path("forums/<slug:slug>/sessions/publish/", programme_views.publish, name="publish"),
    path(
        "forums/<slug:slug>/sessions/selection/",
        programme_views.published_selection,
        name="selection",
    ),
    path("forums/<slug:slug>/advisory-group/", advisory_views.advisory_group, name="advisory"),
    path("forums/<slug:slug>/advisory-group/queue/", advisory_views.queue, name="queue"),
    path("forums/<slug:slug>/programme/", programme_views.programme, name="programme"),
    path("forums/<slug:slug>/programme.ics", programme_views.programme_ics, name="ics"),
    path("forums/<slug:slug>/programme/balance/", programme_views.balance, name="balance"),
    path("sessions/<int:session_id>/", views.detail, name="detail"),
    path("sessions/<int:session_id>/edit/", views.edit, name="edit"),
    path("sessions/<int:session_id>/withdraw/", views.withdraw, name="withdraw"),
    path("sessions/<int:session_id>/decide/", views.decide, name="decide"),
    path("sessions/<int:session_id>/schedule/", views.schedule_view, name="schedule"),
    path("sessions/<int:session_id>/report/", views.report_view, name="report"),
    path("sessions/<int:session_id>/score/", advisory_views.score, name="score"),
    path("sessions/<int:session_id>/conflict/", advisory_views.conflict, name="conflict"),
]
