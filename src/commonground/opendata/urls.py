from django.urls import path

from commonground.opendata import views

app_name = "opendata"
urlpatterns = [
    path("ledger/", views.ledger, name="ledger"),
    path("forums/<slug:slug>/open-data/", views.open_data, name="index"),
    path("forums/<slug:slug>/open-data/package.zip", views.package_download, name="package"),
]
