from django.urls import path

from commonground.issues.translation_views import translation_urls
from commonground.outcomes import documents, translation_views, views

app_name = "outcomes"
urlpatterns = [
    path("forums/<slug:slug>/messages/", views.forum_messages, name="forum_messages"),
    path("forums/<slug:slug>/messages/new/", views.draft, name="draft"),
    path("messages/<int:pk>/", views.message_page, name="message"),
    path("messages/<int:pk>/changes/", views.diff, name="diff"),
    path("messages/<int:pk>/revise/", views.revise, name="revise"),
    *translation_urls(translation_views, "messages", "message-translations"),
    path("messages/<int:pk>/window/", views.window, name="window"),
    path("messages/<int:pk>/position/", views.position, name="position"),
    path("messages/<int:pk>/objections/<int:objection_pk>/reply/", views.reply, name="reply"),
    path(
        "messages/<int:pk>/objections/<int:objection_pk>/disposition/",
        views.disposition,
        name="disposition",
    ),
    path("messages/<int:pk>/designation/", views.designate, name="designate"),
    path("messages/<int:pk>/publish/", views.publish, name="publish"),
    path("messages/<int:pk>/referrals/", views.refer, name="refer"),
    path("messages/<int:pk>/uptake/", views.uptake, name="uptake"),
    path("forums/<slug:slug>/cycles/<str:cycle>/messages/", documents.document, name="document"),
    path(
        "forums/<slug:slug>/cycles/<str:cycle>/messages.pdf",
        documents.document_pdf,
        name="document_pdf",
    ),
    path("forums/<slug:slug>/cycles/<str:cycle>/follow-up/", documents.follow_up, name="follow_up"),
    path(
        "forums/<slug:slug>/cycles/<str:cycle>/follow-up/uptake.atom",
        documents.UptakeFeed(),
        name="uptake_feed",
    ),
]
