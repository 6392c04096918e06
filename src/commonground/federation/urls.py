from django.urls import path

from commonground.federation import views

app_name = "federation"

urlpatterns = [
    path(".well-known/commonground", views.well_known, name="well_known"),
    path("forums/new/remote-parent/", views.create_forum, name="create_forum"),
    path("forums/<slug:slug>/remote-children/<int:pk>/block/", views.block, name="block"),
]
