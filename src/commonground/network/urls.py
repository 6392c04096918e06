from django.urls import path

from commonground.network import views

app_name = "network"

urlpatterns = [
    path("issues/<int:pk>/forward/", views.forward, name="forward"),
    path("issues/<int:pk>/merge/", views.merge, name="merge"),
    path("messages/<int:pk>/forward/", views.forward_message, name="forward_message"),
    path("issues/<int:pk>/similar/<int:other>/dismiss/", views.dismiss, name="dismiss"),
    path("issues/<int:pk>/coherence/", views.coherence, name="coherence"),
    path("forums/<slug:slug>/network/", views.forum_network, name="forum"),
    path("forums/<slug:slug>/nri/", views.nri, name="nri"),
]
