"""Search all forums (``/search/``, from the home page): the issues, solutions and
messages whose title or text holds the words searched for, in the original or in any
community translation that is not hidden (one rule for the three kinds that carry
translations, ``issues.queries.text_matching_ids``). A result is shown as its page shows
it: under the title of its visible community translation into the reader's language,
marked as a community translation with a link to the original, unless ``?original=1``
asks for the originals (``issues.translating.mark_shown_translations``).

A surface above the apps: the page reads issues, solutions and messages, and the issues
app, which holds the issue queries, sits below the other two.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import get_language

from commonground.contributions.models import Solution
from commonground.contributions.services.translations import SOLUTION
from commonground.core.http import paginate
from commonground.issues import translating
from commonground.issues.queries import search_all_forums, text_matching_ids
from commonground.issues.translations import ISSUE
from commonground.outcomes.models import Message
from commonground.outcomes.translations import MESSAGE

app_name = "search"

# Solutions and messages are listed below the (paginated) issues, newest first; the count
# says when there are more than shown.
LIMIT = 20


def solutions_matching(q: str) -> tuple[int, list[Solution]]:
    """How many visible solutions match ``q``, and the newest ``LIMIT`` of them (a solution
    hidden by moderation is left out, as on every public page)."""
    solutions = Solution.objects.filter(
        hidden=False, pk__in=text_matching_ids(Solution, q, "description")
    )
    shown = solutions.select_related("forum", "issue").order_by("-created_at", "-id")[:LIMIT]
    return solutions.count(), list(shown)


def messages_matching(q: str) -> tuple[int, list[Message]]:
    """How many messages match ``q`` (every message is public from its first draft), and
    the newest ``LIMIT`` of them."""
    messages = Message.objects.filter(pk__in=text_matching_ids(Message, q, "text"))
    shown = messages.select_related("forum", "issue").order_by("-created_at", "-id")[:LIMIT]
    return messages.count(), list(shown)


def _translated(
    kind: translating.Kind, rows: list[Any], reading_original: bool, anchor: str = ""
) -> list[Any]:
    """The results with their community translation into the reader's language and the
    links of its notice: the original on its page, the translation on its page (``anchor``:
    the result's place on the page, a solution's on its issue's)."""
    translating.mark_shown_translations(kind, rows, get_language() or "", reading_original)
    for row in rows:
        page = row.issue.get_absolute_url() if kind is SOLUTION else row.get_absolute_url()
        row.read_href = f"{page}{anchor.format(pk=row.pk)}"
        row.original_href = f"{page}?original=1{anchor.format(pk=row.pk)}"
        # The original asked for here is the one its page opens with.
        reading = row.translation is None and row.available_translation is not None
        row.href = row.original_href if reading else row.read_href
    return rows


def search(request: HttpRequest) -> HttpResponse:
    """Issues, solutions and messages of every forum matching the words searched for,
    each under its community translation into the reader's language where one is visible
    (the originals with ``?original=1``)."""
    q = request.GET.get("q", "").strip()[:200]
    reading_original = "original" in request.GET
    context: dict[str, object] = {"q": q, "page": None, "reading_original": reading_original}
    if q:
        solution_count, solutions = solutions_matching(q)
        message_count, messages = messages_matching(q)
        page = paginate(request, search_all_forums(q))
        page.object_list = _translated(ISSUE, list(page.object_list), reading_original)
        _translated(SOLUTION, solutions, reading_original, "#solution-{pk}")
        _translated(MESSAGE, messages, reading_original)
        # The issue each solution and message belongs to is named as its own page names
        # it: under its visible translation into the reader's language.
        issues = [s.issue for s in solutions] + [m.issue for m in messages]
        translating.mark_shown_translations(ISSUE, issues, get_language() or "", reading_original)
        context |= {
            "page": page,
            "solution_count": solution_count,
            "found_solutions": solutions,
            "message_count": message_count,
            "found_messages": messages,  # "messages" is the messages framework's
        }
    return render(request, "issues/search.html", context)


urlpatterns = [path("search/", search, name="all")]
