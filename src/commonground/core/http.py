"""Small helpers shared by the HTML views."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commonground.core.errors import ServiceError


def refusal(request: HttpRequest, error: ServiceError) -> HttpResponse:
    """Render a service's refusal as a page with its 4xx status and message."""
    titles = {
        400: "Check your input",
        401: "Please log in",
        403: "Not allowed",
        404: "Not found",
        409: "Not possible now",
        429: "Slow down",
    }
    return render(
        request,
        "core/error.html",
        {"title": titles.get(error.status, "Not possible"), "message": error.message},
        status=error.status,
    )


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int = 20) -> Page:  # type: ignore[type-arg]
    """The requested page of a queryset; bad page numbers fall back to the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
