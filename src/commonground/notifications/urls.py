from django.urls import path

from commonground.notifications import views

app_name = "notifications"
urlpatterns = [
    path("issues/<int:pk>/follow/", views.follow, name="follow"),
    path("notifications/", views.notifications, name="index"),
]
