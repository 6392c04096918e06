"""Search all forums (``/search/``, from the home page): the issues, solutions and
messages whose title or text holds the words searched for, in the original or in any
community translation that is not hidden (one rule for the three kinds that carry
translations, ``issues.queries.text_matching_ids``).

A surface above the apps: the page reads issues, solutions and messages, and the issues
app, which holds the issue queries, sits below the other two.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from commonground.contributions.models import Solution
from commonground.core.http import paginate
from commonground.issues.queries import search_all_forums, text_matching_ids
from commonground.outcomes.models import Message

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


def search(request: HttpRequest) -> HttpResponse:
    """Issues, solutions and messages of every forum matching the words searched for."""
    q = request.GET.get("q", "").strip()[:200]
    context: dict[str, object] = {"q": q, "page": None}
    if q:
        solution_count, solutions = solutions_matching(q)
        message_count, messages = messages_matching(q)
        context |= {
            "page": paginate(request, search_all_forums(q)),
            "solution_count": solution_count,
            "found_solutions": solutions,
            "message_count": message_count,
            "found_messages": messages,  # "messages" is the messages framework's
        }
    return render(request, "issues/search.html", context)


urlpatterns = [path("search/", search, name="all")]
