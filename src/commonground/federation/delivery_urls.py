from django.urls import path

from commonground.federation.deliveries_view import forward_message_remote_page, forward_remote_page

app_name = "deliveries"

urlpatterns = [
    path("issues/<int:pk>/forward/remote/", forward_remote_page, name="forward_remote"),
    path(
        "messages/<int:pk>/forward/remote/",
        forward_message_remote_page,
        name="forward_message_remote",
    ),
]
