"""URL configuration: the web UI, accounts, the API and the admin."""

from django.contrib import admin
from django.urls import include, path

from commonground.api.docs_page import api_docs
from commonground.api.router import api
from commonground.api.support_route import support_route
from commonground.api.write_routes import urlpatterns as write_routes
from commonground.core.views import favicon
from commonground.login import login
from commonground.participants.views import choose_language

urlpatterns = [
    # The API first: Django tries the patterns in order, and an API request (the writes
    # of a support storm) went past every web page's pattern (about 130) before its own.
    # No web pattern starts with api/v1/, so the order changes what costs, not what matches.
    path("api/v1/docs", api_docs, name="api_docs"),  # light; the Swagger UI is linked from it
    # A bearer-token support or withdrawal without ninja's dispatch; the rest of that
    # path's requests go on to ninja's view (commonground.api.support_route).
    path("api/v1/issues/<issue_id>/support", support_route),
    # A bearer-token vote or comment straight to its ninja operation (api.write_routes).
    *write_routes(),
    path("api/v1/", api.urls),
    path("", include("commonground.forums.urls")),
    path("", include("commonground.issues.urls")),
    path("", include("commonground.search")),
    path("", include("commonground.recognition.urls")),
    path("", include("commonground.participants.urls")),
    path("", include("commonground.dialogue.urls")),
    path("", include("commonground.outcomes.urls")),
    path("", include("commonground.network.urls")),
    path("", include("commonground.federation.urls")),
    path("", include("commonground.contributions.urls")),
    path("", include("commonground.notifications.urls")),
    path("", include("commonground.opendata.urls")),
    path("", include("commonground.meetings.urls")),
    # The header's language switch (Django's set_language, remembered for members).
    path("i18n/setlang/", choose_language, name="set_language"),
    path("", include("commonground.federation.delivery_urls")),
    path("accounts/login/", login),  # allauth's page, 429 past the failed-login limit
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("commonground.feeds")),
    path("favicon.ico", favicon, name="favicon"),
]

handler400 = "commonground.core.views.bad_request"
handler403 = "commonground.core.views.permission_denied"
handler404 = "commonground.core.views.page_not_found"
handler500 = "commonground.core.views.server_error"
