from django.urls import path

from commonground.federation.deliveries_view import forward_remote_page

app_name = "deliveries"

urlpatterns = [
    path("issues/<int:pk>/forward/remote/", forward_remote_page, name="forward_remote"),
]
