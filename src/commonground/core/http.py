"""Small helpers shared by the HTML views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commonground.core.errors import ServiceError

T = TypeVar("T")


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


def paginate(request: HttpRequest, queryset: QuerySet[Any], per_page: int = 20) -> Page[Any]:
    """The requested page of a queryset; bad page numbers fall back to the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def submit(form: Form, action: Callable[[dict[str, Any]], T]) -> tuple[T | None, int]:
    """Validate a bound form and run the service ``action`` on its cleaned data.

    Returns the service's result and 200, or None and the status to answer with:
    400 for invalid input, or the service's own status, its message added to the form.
    """
    if not form.is_valid():
        return None, 400
    try:
        return action(form.cleaned_data), 200
    except ServiceError as error:
        form.add_error(None, error.message)
        return None, error.status
