from django.urls import path

from commonground.federation import views

app_name = "federation"

urlpatterns = [
    path(".well-known/commonground", views.well_known, name="well_known"),
]
