"""Pages of the community translations of messages (the views are shared with issues and
solutions: ``issues.translation_views``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from commonground.access.lookup import get_message
from commonground.issues.translation_views import Pages, views_of
from commonground.outcomes.translations import MESSAGE


def _message(request: HttpRequest, pk: int) -> Any:
    return get_message(pk)


MESSAGE_PAGES = Pages(
    kind=MESSAGE,
    get=_message,
    back=lambda message: message.get_absolute_url(),
    heading=gettext_lazy("Translate this message"),
    body_label=gettext_lazy("Text (Markdown)"),
)

translate, translation_edit, translation_moderate = views_of(MESSAGE_PAGES)
