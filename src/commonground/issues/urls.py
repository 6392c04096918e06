from django.urls import path

from commonground.issues import translation_views, views

app_name = "issues"
urlpatterns = [
    path("forums/<slug:slug>/issues/", views.issue_index, name="index"),
    path("forums/<slug:slug>/issues/new/", views.issue_create, name="create"),
    path("issues/<int:pk>/", views.issue_detail, name="detail"),
    path("issues/<int:pk>/edit/", views.issue_edit, name="edit"),
    path("issues/<int:pk>/support/", views.support, name="support"),
    *translation_views.translation_urls(translation_views, "issues", "translations"),
]
