"""Pages of the community translations of solutions (the views are shared with issues and
messages: ``issues.translation_views``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from commonground.access.lookup import get_visible_contribution
from commonground.contributions.services.translations import SOLUTION
from commonground.issues.translation_views import Pages, views_of


def _solution(request: HttpRequest, pk: int) -> Any:
    return get_visible_contribution("solution", pk, request.user)


def _back(solution: Any) -> str:
    return f"{solution.issue.get_absolute_url()}#solution-{solution.pk}"


SOLUTION_PAGES = Pages(
    kind=SOLUTION,
    get=_solution,
    back=_back,
    heading=gettext_lazy("Translate this solution"),
    body_label=gettext_lazy("Description"),
)

translate, translation_edit, translation_moderate = views_of(SOLUTION_PAGES)
