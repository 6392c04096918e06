from django.urls import path

from commonground.dialogue import views

app_name = "dialogue"
urlpatterns = [
    path("forums/<slug:slug>/conversations/", views.conversation_index, name="index"),
    path("issues/<int:pk>/conversations/new/", views.conversation_create, name="create"),
    path("conversations/<int:pk>/", views.conversation_vote, name="vote"),
    path("conversations/<int:pk>/vote/", views.vote, name="cast"),
    path("conversations/<int:pk>/statements/", views.statement_add, name="add_statement"),
    path(
        "conversations/<int:pk>/statements/<int:statement_pk>/moderate/",
        views.statement_moderate,
        name="moderate",
    ),
    path("conversations/<int:pk>/map/", views.conversation_map, name="map"),
    path("conversations/<int:pk>/map/status/", views.map_poll, name="map_poll"),
]
