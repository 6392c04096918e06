from django.urls import path

from commonground.opendata import views

app_name = "opendata"
urlpatterns = [path("ledger/", views.ledger, name="ledger")]
