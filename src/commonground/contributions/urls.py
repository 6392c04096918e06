from django.urls import path

from commonground.contributions import discussion_views, queue_views, translation_views, views
from commonground.issues.translation_views import translation_urls

app_name = "contributions"
KIND = "<str:kind>"
urlpatterns = [
    path("issues/<int:pk>/signal/", views.signal_save, name="signal"),
    path("signals/<int:pk>/withdraw/", views.signal_withdraw, name="signal_withdraw"),
    path("issues/<int:pk>/solutions/", views.solution_create, name="solution_create"),
    path("solutions/<int:pk>/edit/", views.solution_edit, name="solution_edit"),
    *translation_urls(translation_views, "solutions", "solution-translations", "solution_"),
    path("solutions/<int:pk>/advice/", views.advice_save, name="advice"),
    path("issues/<int:pk>/comments/", views.issue_comment, name="issue_comment"),
    path("solutions/<int:pk>/comments/", views.solution_comment, name="solution_comment"),
    path("issues/<int:pk>/discussion/", discussion_views.issue_discussion, name="issue_discussion"),
    path(
        "solutions/<int:pk>/discussion/",
        discussion_views.solution_discussion,
        name="solution_discussion",
    ),
    path("comments/<int:pk>/", discussion_views.comment_link, name="comment_link"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path(f"contributions/{KIND}/<int:pk>/report/", views.report_view, name="report"),
    path(f"contributions/{KIND}/<int:pk>/moderate/", views.moderate_view, name="moderate"),
    path("forums/<slug:slug>/moderation/", views.moderation_log, name="moderation"),
    path("forums/<slug:slug>/moderation/suspend/", views.suspend_view, name="suspend"),
    path("forums/<slug:slug>/moderation/queue/", queue_views.queue, name="queue"),
    path(f"contributions/{KIND}/<int:pk>/queue-action/", queue_views.act, name="queue_action"),
    path("forums/<slug:slug>/contribution-settings/", views.settings_view, name="settings"),
]
