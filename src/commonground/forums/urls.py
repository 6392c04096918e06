from django.urls import path

from commonground.forums import secretariat_views, views

app_name = "forums"
urlpatterns = [
    path("", views.home, name="home"),
    path("forums/new/", secretariat_views.create, name="create"),
    path("forums/<slug:slug>/", views.forum_detail, name="detail"),
    path("forums/<slug:slug>/cycles/new/", secretariat_views.new_cycle, name="new_cycle"),
    path("forums/<slug:slug>/join/", views.join, name="join"),
    path("forums/<slug:slug>/members/", views.members, name="members"),
    path("forums/<slug:slug>/members/<int:membership_id>/verify/", views.verify, name="verify"),
    path("forums/<slug:slug>/advance/", views.advance, name="advance"),
    path("forums/<slug:slug>/phase-correction/", views.correct, name="correct"),
    path("forums/<slug:slug>/settings/", views.settings_view, name="settings"),
]
