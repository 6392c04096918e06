"""Envisaged solutions: any member proposes one to an issue and may edit it."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commonground.access.members import AnyUser, require_member
from commonground.contributions import events
from commonground.contributions.models import Kind, Solution
from commonground.contributions.services.common import (
    MAX_ACTOR,
    MAX_ACTORS,
    MAX_DESCRIPTION,
    MAX_TITLE,
    _issue_locked,
    _notify,
    _require_author,
    _require_open,
    _text,
)
from commonground.core.errors import InvalidInput
from commonground.core.markdown import render_markdown
from commonground.issues.models import Issue
from commonground.issues.services import issue_language
from commonground.ledger.services import append
from commonground.notifications import limits

# ---------------------------------------------------------------- solutions


def _clean_solution(
    title: str, description: str, actors: Sequence[str]
) -> tuple[str, str, list[str]]:
    title = " ".join(_text(title, "title", MAX_TITLE).split())
    description = _text(description, "description", MAX_DESCRIPTION)
    cleaned: list[str] = []
    for raw in actors or ():
        actor = " ".join(str(raw).split())
        if not actor:
            continue
        if len(actor) > MAX_ACTOR or "\x00" in actor:
            raise InvalidInput(
                _("An actor is at most %(max_actor)s characters.") % {"max_actor": MAX_ACTOR}
            )
        if actor not in cleaned:
            cleaned.append(actor)
    if len(cleaned) > MAX_ACTORS:
        raise InvalidInput(
            _("At most %(max_actors)s actors per solution.") % {"max_actors": MAX_ACTORS}
        )
    return title, description, cleaned


def propose_solution(
    user: AnyUser,
    issue: Issue,
    *,
    title: str,
    description: str,
    actors: Sequence[str] = (),
    language: str | None = None,
) -> Solution:
    """Any member proposes an envisaged solution to an issue, written in ``language`` (one
    of the six; by default the author's interface language)."""
    language = issue_language(language)
    with transaction.atomic():
        issue = _issue_locked(issue)
        membership = require_member(user, issue.forum, lock=True)
        _require_open(issue)
        title, description, actors = _clean_solution(title, description, actors)
        limits.consume(membership, "solutions_per_hour")
        solution = Solution.objects.create(
            issue=issue,
            forum=issue.forum,
            author=membership,
            title=title,
            description=description,
            description_html=render_markdown(description),
            actors=actors,
            language=language,
        )
        append(events.solution_proposed(solution, membership, issue.forum.slug))
        _notify(
            issue,
            membership,
            Kind.SOLUTION,
            solution.pk,
            gettext_noop("%(name)s (%(group)s) proposed a solution on “%(title)s”"),
        )
    return solution


def edit_solution(
    user: AnyUser,
    solution: Solution,
    *,
    title: str,
    description: str,
    actors: Sequence[str] = (),
    language: str | None = None,
) -> Solution:
    """The author changes their solution (``language`` None keeps the one it is in)."""
    new_language = None if language is None else issue_language(language)
    with transaction.atomic():
        membership = require_member(user, solution.forum, lock=True)
        solution = (
            Solution.objects.select_for_update().select_related("issue__cycle").get(pk=solution.pk)
        )
        _require_author(membership, solution, "solution")
        _require_open(solution.issue)
        title, description, actors = _clean_solution(title, description, actors)
        limits.consume(membership, "edits_per_hour")
        solution.title, solution.description, solution.actors = title, description, actors
        solution.language = new_language or solution.language
        solution.description_html = render_markdown(description)
        solution.updated_at = timezone.now()
        solution.save()
        append(events.solution_edited(solution, membership, solution.forum.slug))
    return solution
