"""A discussion (an issue's comments, or a solution's) as threads, shown a window at a time.

A thread is a top-level comment with its replies. The issue page shows the latest
``THREADS_SHOWN`` threads of each discussion, in the order it always showed them (oldest
first), and above them a link to the earlier ones: the discussion page
(``/issues/<pk>/discussion/?before=<comment>``, ``/solutions/<pk>/discussion/...``) shows
the ``THREADS_SHOWN`` threads before a given top-level comment, with its own link to the
ones before those. A window is named by the top-level comment it ends before, not by a page
number, so a link stays right while new comments arrive. ``location`` says where one
comment is shown to a viewer: the issue page while its thread is among the latest, else
the discussion page whose window ends with its thread.

Both pages find their window in an *outline* of the discussion (each comment's id,
parent, solution, hiding and author, no model instance) and read in full, with their
authors, only the comments of the threads they show: a page costs what its window does,
however long the discussion.

Visibility is the page's own (``threads``, and ``sketch`` by the same rule): a hidden
comment only for its author and the stewards, a hidden top-level comment with visible
replies as a stub; the counts of earlier comments count what the viewer may see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from django.db import connection
from django.urls import reverse

from commonground.access.rules import Moderated, can_see
from commonground.contributions.models import Comment
from commonground.participants.models import Membership

# Twenty threads: about two screens of reading on a phone, and what GitHub and Discourse
# show of a long conversation before "load more". It bounds the issue page's HTML (and its
# cached copy) however long the discussion grows: a global consultation's busy issue has
# thousands of comments, and the page rendered all of them before.
THREADS_SHOWN = 20


def threads(comments: list[Comment], viewer: Membership | None) -> list[dict[str, Any]]:
    """Top-level comments with their replies, oldest first, by ``sketch``'s rule (a hidden
    head with visible replies stays as a stub, a hidden head without any is left out)."""
    by_pk = {c.pk: c for c in comments}
    found = []
    for head_pk, shown, visible in sketch(comments, viewer):
        head, replies = by_pk[head_pk], [by_pk[pk] for pk in visible]
        found.append(
            {
                "comment": head,
                "shown": shown,
                "replies": replies,
                "key": _thread_key(head, shown, replies),
            }
        )
    return found


def _thread_key(head: Comment, shown: bool, replies: list[Comment]) -> str:
    """What a thread's HTML depends on besides the page's place and ``all``'s version (its
    ``{% readcached_part %}`` in threads.html): each of its comments' id, edit time, hiding
    and deletion, the head's visibility, and which replies it shows."""
    states: list[tuple[Any, ...]] = [
        (head.pk, head.updated_at, head.hidden, head.is_deleted, shown)
    ]
    states += [(r.pk, r.updated_at, r.hidden, r.is_deleted) for r in replies]
    return repr(states)


def comment_count(shown_threads: list[dict[str, Any]]) -> int:
    """The comments of these threads the viewer may see (a stub is not one of them)."""
    return sum(int(t["shown"]) + len(t["replies"]) for t in shown_threads)


@dataclass(frozen=True)
class Window:
    """A window of a discussion's threads as shown, and what lies around it."""

    threads: list[dict[str, Any]]
    earlier: int  # comments the viewer may see in the threads before the window
    first: int | None  # the window's first top-level comment: the earlier window ends there
    later: int | None  # where the next window ends, if a later one is not the latest
    at_latest: bool  # the window is the latest one (what the issue page shows)


class Outline(NamedTuple):
    """A comment as far as threads and visibility go: one light row, no model instance."""

    pk: int
    parent_id: int | None
    solution_id: int | None
    hidden: bool
    author_id: int


# A thread in outline: its head's id, whether the viewer may see the head, and the ids of
# the replies the viewer may see.
Sketch = tuple[int, bool, list[int]]


@dataclass(frozen=True)
class Planned:
    """A window found from a discussion's outline: the comments of its threads (to be read
    in full) and what lies around it (``Window``)."""

    ids: list[int]
    earlier: int
    first: int | None
    later: int | None
    at_latest: bool


def outline(issue_id: int) -> list[Outline]:
    """Every comment of the issue, oldest first, as outlines (one plain statement: building
    hundreds of instances with their authors cost the issue page about 10 ms at 400
    comments, for threads it no longer shows)."""
    table = connection.ops.quote_name(Comment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, parent_id, solution_id, hidden, author_id FROM {table} "
            "WHERE issue_id = %s ORDER BY created_at, id",
            [issue_id],
        )
        return [Outline(*row) for row in cursor.fetchall()]


class _Placed(Moderated, Protocol):
    """What ``sketch`` reads of a comment: an outline or the comment itself."""

    @property
    def pk(self) -> int: ...

    @property
    def parent_id(self) -> int | None: ...


def sketch(rows: Sequence[_Placed], viewer: Membership | None) -> list[Sketch]:
    """One discussion's threads in outline, as this viewer is shown them: a head the viewer
    may not see stays as a stub while one of its replies is visible, and is left out
    otherwise (the one place of that rule: ``threads`` applies it to full comments)."""
    replies: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        if row.parent_id is not None and can_see(row, viewer):
            replies[row.parent_id].append(row.pk)
    return [
        (row.pk, can_see(row, viewer), replies[row.pk])
        for row in rows
        if row.parent_id is None and (can_see(row, viewer) or replies[row.pk])
    ]


def plan(found: list[Sketch], end: int) -> Planned:
    """The ``THREADS_SHOWN`` threads that end before thread ``end``."""
    end = max(0, min(end, len(found)))
    start = max(0, end - THREADS_SHOWN)
    later_end = end + THREADS_SHOWN
    return Planned(
        ids=[pk for head, _, visible in found[start:end] for pk in (head, *visible)],
        earlier=sum(int(shown) + len(visible) for _, shown, visible in found[:start]),
        first=found[start][0] if 0 < start < end else None,
        later=found[later_end][0] if later_end < len(found) else None,
        at_latest=end >= len(found),
    )


def plan_latest(rows: list[Outline], viewer: Membership | None) -> dict[int | None, Planned]:
    """Per discussion of the issue (a solution's id, or None for the issue's own): its
    latest threads as this viewer is shown them."""
    by_target: dict[int | None, list[Outline]] = defaultdict(list)
    for row in rows:
        by_target[row.solution_id].append(row)
    planned = {}
    for target, items in by_target.items():
        found = sketch(items, viewer)
        planned[target] = plan(found, len(found))
    return planned


def end_before(rows: list[Outline], found: list[Sketch], head: int) -> int | None:
    """How many of the viewer's threads come before top-level comment ``head`` (None: no
    such top-level comment in this discussion). Counted by the comments' order, so a
    window named by a comment this viewer may not see is still the right one."""
    order = {row.pk: n for n, row in enumerate(rows) if row.parent_id is None}
    if head not in order:
        return None
    return sum(1 for pk, _, _ in found if order[pk] < order[head])


def shown(comments: list[Comment], viewer: Membership | None, planned: Planned | None) -> Window:
    """A window of a discussion: the threads of ``planned`` read in full (``comments``)."""
    if planned is None:  # a discussion without comments
        return Window(threads=[], earlier=0, first=None, later=None, at_latest=True)
    return Window(
        threads=threads(comments, viewer),
        earlier=planned.earlier,
        first=planned.first,
        later=planned.later,
        at_latest=planned.at_latest,
    )


def discussion_url(issue_id: int, solution_id: int | None, before: int | None) -> str:
    """The discussion page whose window ends before top-level comment ``before``."""
    if solution_id is None:
        url = reverse("contributions:issue_discussion", args=[issue_id])
    else:
        url = reverse("contributions:solution_discussion", args=[solution_id])
    return url if before is None else f"{url}?before={before}"


def location(comment: Comment, viewer: Membership | None) -> str:
    """Where ``comment`` is shown to ``viewer``: on the issue page while its thread is among
    the latest, else on the discussion page whose window ends with its thread."""
    issue_url = reverse("issues:detail", args=[comment.issue_id])
    solution = comment.solution if comment.solution_id is not None else None
    if solution is not None and not can_see(solution, viewer):
        return f"{issue_url}#solutions"  # a hidden solution's discussion is hidden with it
    rows = [row for row in outline(comment.issue_id) if row.solution_id == comment.solution_id]
    found = sketch(rows, viewer)
    head = comment.parent_id or comment.pk
    index = next((n for n, (pk, _, _) in enumerate(found) if pk == head), None)
    anchor = f"#comment-{comment.pk}"
    if index is None:  # nothing of its thread is shown to this viewer
        section = "discussion" if comment.solution_id is None else f"solution-{comment.solution_id}"
        return f"{issue_url}#{section}"
    if index >= len(found) - THREADS_SHOWN:
        return issue_url + anchor
    before = found[index + 1][0]
    return discussion_url(comment.issue_id, comment.solution_id, before) + anchor
