from django.urls import path

from commonground.recognition import views

app_name = "recognition"
urlpatterns = [
    path("forums/<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("forums/<slug:slug>/agenda/publish/", views.publish, name="publish"),
    path(
        "forums/<slug:slug>/agenda/published/<int:number>/", views.publication, name="publication"
    ),
]
