"""Likely duplicates of an issue across the forum tree and across languages (docs/network.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from commonground.access.members import AnyUser, require_steward
from commonground.analysis.similarity import issue_text, most_similar
from commonground.core.errors import NotFound
from commonground.core.readcache import ALL, versions
from commonground.forums.models import Forum
from commonground.issues.models import Issue
from commonground.ledger.services import append
from commonground.network.events import suggestion_dismissed
from commonground.network.models import DismissedSuggestion

#: How long a comparison is kept at most (a new read version replaces it sooner).
SIMILAR_SECONDS = 600
#: The most recent issues of the forum family that are compared (a bound on the work).
MAX_CANDIDATES = 3000


@dataclass(frozen=True)
class Suggestion:
    issue: Issue
    score: float


def family_ids(forum: Forum) -> list[int]:
    """The forum, its ancestors and all its descendants."""
    ids = [forum.pk, *(f.pk for f in forum.ancestors())]
    frontier = [forum.pk]
    while frontier:
        children = list(Forum.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(children)
        frontier = children
    return ids


def _dismissed(issue: Issue) -> set[int]:
    pairs = DismissedSuggestion.objects.filter(Q(issue=issue) | Q(other=issue))
    return {p.other_id if p.issue_id == issue.pk else p.issue_id for p in pairs}


def _text(issue: Issue) -> str:
    return issue_text(issue.title, issue.description, [t.slug for t in issue.topics.all()])


def similar_issues(issue: Issue) -> list[Suggestion]:
    """Issues of the same forum, its ancestors and descendants that look like the same
    concern, best first, with a score from 0 to 1 (merged and dismissed ones left out).

    The comparison (TF-IDF over up to MAX_CANDIDATES texts) is kept in the shared cache
    under the ``all`` read version: only a broad change (an issue raised, edited or
    merged anywhere, a dismissal) can change it, and each of those gives a new version.
    """
    key = ":".join(
        ["cg:similar", connection.settings_dict["NAME"], str(issue.pk), *versions([ALL])]
    )
    found: list[tuple[int, float]] | None = cache.get(key)
    if found is None:
        suggestions = _compare(issue)
        cache.set(key, [(s.issue.pk, s.score) for s in suggestions], timeout=SIMILAR_SECONDS)
        return suggestions
    issues = Issue.objects.select_related("forum").in_bulk([pk for pk, _ in found])
    return [Suggestion(issues[pk], score) for pk, score in found if pk in issues]


def _compare(issue: Issue) -> list[Suggestion]:
    candidates = list(
        Issue.objects.filter(forum_id__in=family_ids(issue.forum), merged_into__isnull=True)
        .exclude(pk=issue.pk)
        .exclude(pk__in=_dismissed(issue))
        .select_related("forum")
        .prefetch_related("topics")
        .order_by("-raised_at", "-pk")[:MAX_CANDIDATES]
    )
    matches = most_similar(_text(issue), [_text(c) for c in candidates])
    return [Suggestion(candidates[m.index], m.score) for m in matches]


def dismiss_suggestion(user: AnyUser, issue: Issue, other: Issue) -> DismissedSuggestion:
    """A steward of the issue's forum says ``other`` is not the same concern (idempotent)."""
    if other.pk == issue.pk:
        raise NotFound(_("An issue is not a suggestion for itself."))
    with transaction.atomic():
        steward = require_steward(user, issue.forum)
        record, created = DismissedSuggestion.objects.get_or_create(
            issue=issue, other=other, defaults={"dismissed_by": steward.user.public_id}
        )
        if created:
            append(
                suggestion_dismissed(issue.pk, other.pk, steward.user.public_id, issue.forum.slug)
            )
    return record
