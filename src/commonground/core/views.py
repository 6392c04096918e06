"""Error pages, rendered in the site's layout, and the site icon's old address."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(request, "core/error.html", {"title": title, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, _("Bad request"), _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else _("You may not do this.")
    return _error(request, 403, _("Not allowed"), message)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused for its missing or stale CSRF token: what the person can do about it
    (``reason`` is Django's technical cause, for the logs, not for the reader)."""
    return _error(
        request,
        403,
        _("This form has expired"),
        _(
            "A form is accepted only from a page this site has just shown you. Go back, "
            "reload the page and send the form again."
        ),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, _("Not found"), _("There is no page at this address."))


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, _("Something went wrong"), _("The error has been logged."))


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico where a page names no icon (the API's raw JSON, a
    feed): send them to the icon the pages name, rather than answer 404."""
    return HttpResponsePermanentRedirect(static("commonground/favicon.svg"))
