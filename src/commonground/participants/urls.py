from django.urls import path

from commonground.participants import views

app_name = "participants"
urlpatterns = [
    path("people/<str:public_id>/", views.profile, name="profile"),
    path("account/", views.account, name="account"),
    path("account/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
]
